package dev.mlops.monitoring;

import dev.mlops.core.NumericColumn;
import dev.mlops.monitoring.internal.DistinctValues;
import dev.mlops.monitoring.internal.Moments;
import dev.mlops.monitoring.internal.RadixSort;
import java.util.Arrays;

/** The finite values of a frame column, sorted once; every exact statistic reads this array. */
final class SortedSample implements NumericSample {
  private final double[] sorted;
  private final long missing;
  private final long nonFinite;
  private final int distinctCount;
  /** Computed once here, so that a sample shared by threads (a {@link SortedReference}) never changes. */
  private final Moments moments;

  private SortedSample(double[] sorted, long missing, long nonFinite) {
    this.sorted = sorted;
    this.missing = missing;
    this.nonFinite = nonFinite;
    this.distinctCount = countDistinct(sorted);
    this.moments = Moments.of(sorted, 0, sorted.length);
  }

  static SortedSample of(NumericColumn column) {
    return of(column, new RadixSort.Scratch());
  }

  /** Sorts in the arrays of {@code scratch}, which the calling thread may reuse for its next column. */
  static SortedSample of(NumericColumn column, RadixSort.Scratch scratch) {
    RadixSort.Finite f = RadixSort.sortedFinite(column.size(), column::get, scratch);
    return new SortedSample(f.sorted(), f.nan(), f.infinite());
  }

  private static int countDistinct(double[] sorted) {
    if (sorted.length == 0) {
      return 0;
    }
    int d = 1;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] != sorted[i - 1] && ++d > DistinctValues.LIMIT) {
        return MANY;
      }
    }
    return d;
  }

  /** Count, missing, mean, std and quartiles of this side. */
  ColumnSummary summary() {
    int n = sorted.length;
    if (n == 0) {
      return new ColumnSummary(0, missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN);
    }
    return new ColumnSummary(n, missing, moments.mean(), std(), sorted[0], Binning.quantileOfSorted(sorted, n, 0.25),
        Binning.quantileOfSorted(sorted, n, 0.5), Binning.quantileOfSorted(sorted, n, 0.75), sorted[n - 1]);
  }

  long missing() {
    return missing;
  }

  long nonFinite() {
    return nonFinite;
  }

  @Override
  public long count() {
    return sorted.length;
  }

  @Override
  public double std() {
    return sorted.length == 0 ? Double.NaN : Math.sqrt(moments.variance());
  }

  @Override
  public double min() {
    return sorted[0];
  }

  @Override
  public double max() {
    return sorted[sorted.length - 1];
  }

  @Override
  public int distinctCount() {
    return distinctCount;
  }

  @Override
  public double[] distinctValues() {
    double[] out = new double[Math.min(distinctCount, sorted.length)];
    int d = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        if (d == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[d++] = sorted[i];
      }
    }
    return Arrays.copyOf(out, d);
  }

  @Override
  public Binning referenceBinning() {
    return distinctCount <= Binning.PER_VALUE_LIMIT
        ? Binning.perValue(distinctValues())
        : Binning.ofSorted(sorted);
  }

  @Override
  public double[] countsIn(Binning binning) {
    long[] counts = binning.countSorted(sorted);
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i];
    }
    return out;
  }

  @Override
  public double[] ksSample() {
    return sorted;
  }

  @Override
  public double[] stepValues() {
    return sorted;
  }

  @Override
  public double[] stepWeights() {
    return null;
  }

  @Override
  public long countOutside(double min, double max) {
    return Binning.lowerBound(sorted, min) + (sorted.length - Binning.upperBound(sorted, max));
  }
}
