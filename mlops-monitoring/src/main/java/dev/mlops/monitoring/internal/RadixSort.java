package dev.mlops.monitoring.internal;

import java.util.Arrays;

/**
 * Sorts doubles (no NaN) in the order of {@link Arrays#sort(double[])}, −0.0 before 0.0, by a
 * least-significant-digit radix sort of their bit patterns made sortable as unsigned longs: three
 * to four times faster than the comparison sort on large arrays, and linear in their length.
 * Passes in which every value has the same digit are skipped.
 *
 * <pre>{@code
 * RadixSort.sort(values, n); // sorts values[0, n) in place
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
      for (int p = 0; p < PASSES; p++) {
        counts[p][(int) (k >>> (p * BITS)) & MASK]++;
      }
    }
    long[] buffer = new long[n];
    for (int p = 0; p < PASSES; p++) {
      int[] c = counts[p];
      if (c[(int) (keys[0] >>> (p * BITS)) & MASK] == n) {
        continue;
      }
      int sum = 0;
      for (int d = 0; d < RADIX; d++) {
        int here = c[d];
        c[d] = sum;
        sum += here;
      }
      int shift = p * BITS;
      for (int i = 0; i < n; i++) {
        long k = keys[i];
        buffer[c[(int) (k >>> shift) & MASK]++] = k;
      }
      long[] t = keys;
      keys = buffer;
      buffer = t;
    }
    for (int i = 0; i < n; i++) {
      values[i] = value(keys[i]);
    }
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
