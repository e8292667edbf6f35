package dev.mlops.monitoring.internal;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Sorts doubles (no NaN) in the order of {@link Arrays#sort(double[])}, −0.0 before 0.0, by a
 * least-significant-digit radix sort of their bit patterns made sortable as unsigned longs: three
 * to four times faster than the comparison sort on large arrays, and linear in their length.
 * Passes in which every value has the same digit are skipped.
 *
 * <pre>{@code
 * RadixSort.sort(values, n);                                  // sorts values[0, n) in place
 * RadixSort.Finite f = RadixSort.sortedFinite(size, column::get); // NaN and ±Inf counted, not sorted
 * }</pre>
 */
public final class RadixSort {
  /** Below this length the comparison sort is faster. */
  static final int SMALL = 4_096;
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int MASK = RADIX - 1;
  private static final int PASSES = (Long.SIZE + BITS - 1) / BITS;

  private RadixSort() {}

  /**
   * The finite values of a sequence, sorted, and how many values were NaN and infinite.
   *
   * @param sorted the finite values, ascending
   * @param nan how many values were NaN
   * @param infinite how many values were ±Inf
   */
  public record Finite(double[] sorted, long nan, long infinite) {}

  /** Sorts {@code values[0, n)} in place. */
  public static void sort(double[] values, int n) {
    if (n < SMALL) {
      Arrays.sort(values, 0, n);
      return;
    }
    long[] keys = new long[n];
    int[][] counts = new int[PASSES][RADIX];
    for (int i = 0; i < n; i++) {
      long k = key(values[i]);
      keys[i] = k;
      count(counts, k);
    }
    sortKeys(keys, n, counts, values);
  }

  /**
   * Reads {@code size} values once, counting NaN and infinities and sorting the finite ones: the
   * read, the key conversion and the digit counts share one pass.
   */
  public static Finite sortedFinite(int size, IntToDoubleFunction values) {
    long[] keys = new long[size];
    int[][] counts = new int[PASSES][RADIX];
    int n = 0;
    long nan = 0;
    long infinite = 0;
    for (int i = 0; i < size; i++) {
      double v = values.applyAsDouble(i);
      if (Double.isNaN(v)) {
        nan++;
      } else if (Double.isInfinite(v)) {
        infinite++;
      } else {
        long k = key(v);
        keys[n++] = k;
        count(counts, k);
      }
    }
    double[] out = new double[n];
    if (n < SMALL) {
      for (int i = 0; i < n; i++) {
        out[i] = value(keys[i]);
      }
      Arrays.sort(out);
    } else {
      sortKeys(keys, n, counts, out);
    }
    return new Finite(out, nan, infinite);
  }

  private static void count(int[][] counts, long k) {
    for (int p = 0; p < PASSES; p++) {
      counts[p][(int) (k >>> (p * BITS)) & MASK]++;
    }
  }

  /**
   * The LSD passes over {@code keys[0, n)}, the last of them writing the values of the sorted keys
   * into {@code out[0, n)}, so that turning keys back into doubles costs no pass of its own.
   * {@code keys} is overwritten.
   */
  private static void sortKeys(long[] keys, int n, int[][] counts, double[] out) {
    int last = -1;
    for (int p = 0; p < PASSES; p++) {
      if (!skipped(counts[p], keys[0], p, n)) {
        last = p;
      }
    }
    if (last < 0) {
      for (int i = 0; i < n; i++) {
        out[i] = value(keys[i]);
      }
      return;
    }
    long[] buffer = last == 0 ? null : new long[n];
    for (int p = 0; p <= last; p++) {
      int[] c = counts[p];
      if (skipped(c, keys[0], p, n)) {
        continue;
      }
      int sum = 0;
      for (int d = 0; d < RADIX; d++) {
        int here = c[d];
        c[d] = sum;
        sum += here;
      }
      int shift = p * BITS;
      if (p == last) {
        for (int i = 0; i < n; i++) {
          long k = keys[i];
          out[c[(int) (k >>> shift) & MASK]++] = value(k);
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        long k = keys[i];
        buffer[c[(int) (k >>> shift) & MASK]++] = k;
      }
      long[] t = keys;
      keys = buffer;
      buffer = t;
    }
  }

  /** Whether every key has the same digit in pass {@code p}, so that the pass would move nothing. */
  private static boolean skipped(int[] counts, long anyKey, int p, int n) {
    return counts[(int) (anyKey >>> (p * BITS)) & MASK] == n;
  }

  /** Flips every bit of a negative double and the sign bit of a positive one: unsigned order is numeric order. */
  static long key(double v) {
    long bits = Double.doubleToRawLongBits(v);
    return bits ^ ((bits >> 63) | Long.MIN_VALUE);
  }

  static double value(long key) {
    return Double.longBitsToDouble(key ^ ((~key >> 63) | Long.MIN_VALUE));
  }
}
