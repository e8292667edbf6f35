package dev.mlops.monitoring.internal;

import java.util.Arrays;

/**
 * A step distribution: ascending distinct values with cumulative counts, as a sketch or exact
 * values give it. Answers ranks, counts and quantiles.
 *
 * @param values ascending values
 * @param cumulative how many values are at most each value; ascending, the last is the total
 */
public record Steps(double[] values, long[] cumulative) {
  public Steps {
    values = values.clone();
    cumulative = cumulative.clone();
  }

  /** The steps of sorted values, exact. */
  public static Steps ofSorted(double[] sorted) {
    double[] v = new double[sorted.length];
    long[] c = new long[sorted.length];
    int k = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (k > 0 && v[k - 1] == sorted[i]) {
        c[k - 1]++;
      } else {
        v[k] = sorted[i];
        c[k] = (k == 0 ? 0 : c[k - 1]) + 1;
        k++;
      }
    }
    return new Steps(Arrays.copyOf(v, k), Arrays.copyOf(c, k));
  }

  /** How many values in all. */
  public long total() {
    return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
  }

  /** How many values are strictly below {@code x}. */
  public long countBelow(double x) {
    int i = lowerBound(values, x);
    return i == 0 ? 0 : cumulative[i - 1];
  }

  /** How many values are at most {@code x}. */
  public long countAtMost(double x) {
    int i = upperBound(values, x);
    return i == 0 ? 0 : cumulative[i - 1];
  }

  /** The number of sorted values strictly below {@code key}. */
  public static int lowerBound(double[] sorted, double key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The number of sorted values at most {@code key}. */
  public static int upperBound(double[] sorted, double key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The smallest value whose cumulative share reaches {@code rank} (rank in [0, 1]; the first
   * value for 0). NaN when there are no values.
   */
  public double quantile(double rank) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double target = Math.max(1, Math.ceil(rank * total()));
    int lo = 0;
    int hi = values.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] >= target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return values[lo];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Steps s && Arrays.equals(s.values, values) && Arrays.equals(s.cumulative, cumulative);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(cumulative);
  }
}
