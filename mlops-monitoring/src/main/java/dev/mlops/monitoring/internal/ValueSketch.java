package dev.mlops.monitoring.internal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.BitwiseLinearlyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A DDSketch (Datadog's {@code sketches-java}) of a numeric column: values are counted in
 * logarithmic buckets of relative width {@value #REQUESTED_ACCURACY}, so every quantile read back
 * is within that relative error of a true value at its rank, and merging two sketches adds their
 * bucket counts. Counts are integers, so the result is the same in any order and grouping.
 *
 * <p>The mapping is DDSketch's bitwise linear one, which finds a bucket from a double's bits in
 * a shift: six bits of mantissa give 64 buckets per power of two, a relative accuracy of {@link
 * #relativeAccuracy()} (0.78 %). Unbounded dense stores keep every bucket between the smallest and
 * largest seen; a column spanning the whole double range holds about 65,000 buckets per sign. Values within 2.3e-308 of zero count as zero; values beyond
 * 1.78e308 fall in the top bucket.
 */
public final class ValueSketch {
  /** The relative accuracy asked of DDSketch; the mapping it picks is a little finer. */
  public static final double REQUESTED_ACCURACY = 0.01;

  private static final BitwiseLinearlyInterpolatedMapping MAPPING =
      new BitwiseLinearlyInterpolatedMapping(REQUESTED_ACCURACY);
  private static final double MIN = MAPPING.minIndexableValue();
  private static final double MAX = MAPPING.maxIndexableValue();
  private static final int TOP = MAPPING.index(MAX);
  private static final int BOTTOM = MAPPING.index(MIN);

  private final DDSketch sketch;
  private final UnboundedSizeDenseStore positive;
  private final UnboundedSizeDenseStore negative;
  // Kept here as well as in the sketch: DDSketch derives its zero count by summing every bucket.
  private long zeros;

  public ValueSketch() {
    sketch = new DDSketch(MAPPING, UnboundedSizeDenseStore::new);
    positive = (UnboundedSizeDenseStore) sketch.getPositiveValueStore();
    negative = (UnboundedSizeDenseStore) sketch.getNegativeValueStore();
  }

  /** The relative accuracy of every quantile: at most this fraction of the true value off. */
  public static double relativeAccuracy() {
    return MAPPING.relativeAccuracy();
  }

  /** The lowest bucket index a store may hold. */
  public static int lowestIndex() {
    return BOTTOM;
  }

  /** The highest bucket index a store may hold. */
  public static int highestIndex() {
    return TOP;
  }

  /** The sketch of ascending finite values. */
  public static ValueSketch ofSorted(double[] sorted) {
    ValueSketch s = new ValueSketch();
    if (sorted.length > 0) {
      // The extremes first, so that each store is sized once rather than grown bucket by bucket.
      s.add(sorted, sorted.length - 1, sorted.length);
      s.add(sorted, 0, sorted.length - 1);
    }
    return s;
  }

  /** Counts {@code values[from..to)}, every one finite. */
  public void add(double[] values, int from, int to) {
    long zeros = 0;
    UnboundedSizeDenseStore pos = positive;
    UnboundedSizeDenseStore neg = negative;
    for (int i = from; i < to; i++) {
      double x = values[i];
      double magnitude = Math.abs(x);
      if (magnitude > MIN) {
        // Choosing the store by value rather than branching keeps mixed-sign columns free of
        // mispredicted jumps.
        UnboundedSizeDenseStore store = x < 0 ? neg : pos;
        store.add(magnitude <= MAX ? MAPPING.index(magnitude) : TOP);
      } else {
        zeros++;
      }
    }
    if (zeros > 0) {
      sketch.accept(0.0, zeros);
      this.zeros += zeros;
    }
  }

  /** Adds {@code count} occurrences of one finite value. */
  public void add(double v, long count) {
    if (v > MIN) {
      positive.add(v <= MAX ? MAPPING.index(v) : TOP, count);
    } else if (v < -MIN) {
      negative.add(v >= -MAX ? MAPPING.index(-v) : TOP, count);
    } else {
      sketch.accept(0.0, count);
      zeros += count;
    }
  }

  /** Adds {@code count} values to a bucket: sign −1, 0 or 1 and an index for a signed bucket. */
  public void add(int sign, int index, long count) {
    if (sign == 0) {
      sketch.accept(0.0, count);
      zeros += count;
    } else {
      (sign > 0 ? positive : negative).add(index, count);
    }
  }

  /** Adds every count of another sketch. */
  public void add(ValueSketch other) {
    positive.mergeWith(other.positive);
    negative.mergeWith(other.negative);
    if (other.zeros > 0) {
      sketch.accept(0.0, other.zeros);
      zeros += other.zeros;
    }
  }

  /** How many values counted as zero. */
  public long zeroCount() {
    return zeros;
  }

  /** The non-empty buckets of one sign (1 or −1) by ascending index, as {index, count} pairs. */
  public List<long[]> buckets(int sign) {
    List<long[]> out = new ArrayList<>();
    (sign > 0 ? positive : negative).forEach((index, count) -> {
      if (count > 0) {
        out.add(new long[] {index, (long) count});
      }
    });
    out.sort((a, b) -> Long.compare(a[0], b[0]));
    return out;
  }

  /**
   * The bucket a value falls in, as an order key: buckets sort by it as their values do. Negative
   * values come first (larger magnitude lower), then zero, then positive values.
   */
  public static long orderKey(double v) {
    if (v > MIN) {
      return (1L << 40) + (v <= MAX ? MAPPING.index(v) : TOP);
    }
    if (v < -MIN) {
      return -(1L << 40) - (v >= -MAX ? MAPPING.index(-v) : TOP);
    }
    return 0;
  }

  /** The order key of bucket {@code index} of a sign. */
  public static long orderKey(int sign, int index) {
    return sign == 0 ? 0 : sign * ((1L << 40) + index);
  }

  /**
   * The sketch as a step distribution: one value per non-empty bucket, ascending, with cumulative
   * counts. A bucket's value is DDSketch's estimate for it, held within [{@code min}, {@code max}].
   */
  public Steps steps(double min, double max) {
    List<long[]> neg = buckets(-1);
    List<long[]> pos = buckets(1);
    long zeros = zeroCount();
    int n = neg.size() + pos.size() + (zeros > 0 ? 1 : 0);
    double[] values = new double[n];
    long[] cumulative = new long[n];
    int k = 0;
    long total = 0;
    for (int i = neg.size() - 1; i >= 0; i--) {
      total += neg.get(i)[1];
      values[k] = clamp(-MAPPING.value((int) neg.get(i)[0]), min, max);
      cumulative[k++] = total;
    }
    if (zeros > 0) {
      total += zeros;
      values[k] = clamp(0.0, min, max);
      cumulative[k++] = total;
    }
    for (long[] b : pos) {
      total += b[1];
      values[k] = clamp(MAPPING.value((int) b[0]), min, max);
      cumulative[k++] = total;
    }
    return new Steps(values, cumulative);
  }

  private static double clamp(double v, double min, double max) {
    return Math.min(max, Math.max(min, v));
  }

  /** Whether the other sketch holds the same counts in the same buckets. */
  public boolean sameCounts(ValueSketch other) {
    if (other.zeroCount() != zeroCount()) {
      return false;
    }
    for (int sign : new int[] {-1, 1}) {
      List<long[]> a = buckets(sign);
      List<long[]> b = other.buckets(sign);
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i)[0] != b.get(i)[0] || a.get(i)[1] != b.get(i)[1]) {
          return false;
        }
      }
    }
    return true;
  }

  /** A copy to add to. */
  public ValueSketch copy() {
    ValueSketch c = new ValueSketch();
    c.add(this);
    return c;
  }
}
