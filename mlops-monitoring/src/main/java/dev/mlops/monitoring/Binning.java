package dev.mlops.monitoring;

import dev.mlops.monitoring.internal.Steps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bins a reference defines for a numeric column: either one bin per reference value plus one for
 * any other value, or ranges with inner edges at the reference's deciles and open outer edges.
 * A value {@code v} falls in range bin {@code i} when {@code edges[i-1] <= v < edges[i]}.
 */
record Binning(double[] edges, double[] values) {
  /** Reference columns with at most this many distinct values are binned per value. */
  static final int PER_VALUE_LIMIT = 20;

  private static final double[] DECILES = deciles();

  static Binning ranges(double[] innerEdges) {
    // -0.0 + 0.0 is 0.0: the two zeros are one edge (bins compare with <, where they are equal),
    // and edges must ascend strictly for the profile's JSON to be read back.
    return new Binning(Arrays.stream(innerEdges).map(v -> v + 0.0).distinct().sorted().toArray(), null);
  }

  static Binning perValue(double[] sortedValues) {
    return new Binning(null, sortedValues.clone());
  }

  /** The probabilities 0.1 … 0.9 exactly as NumPy's {@code linspace(0.1, 0.9, 9)} gives them. */
  static double[] deciles() {
    double[] q = new double[9];
    double step = (0.9 - 0.1) / 8;
    for (int i = 0; i < 9; i++) {
      q[i] = i * step + 0.1;
    }
    q[8] = 0.9;
    return q;
  }

  /**
   * The bins of a reference profile column: per value when it has few values, else its deciles:
   * exact (as {@link #ofSorted} of the data) while the profile holds the values, else the sketch's.
   */
  static Binning of(ColumnProfile reference) {
    if (reference.distinctValues() != null && reference.distinctValues().size() <= PER_VALUE_LIMIT) {
      return perValue(reference.distinctValues().values());
    }
    if (reference.count() == 0) {
      return perValue(new double[0]);
    }
    double[] values = reference.exactValues();
    if (values != null) {
      return ofSorted(values);
    }
    double[] edges = new double[DECILES.length];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = reference.steps().quantile(DECILES[i]);
    }
    return ranges(edges);
  }

  /** The deciles of sorted values with NumPy's default linear interpolation, as range bins. */
  static Binning ofSorted(double[] sorted) {
    int n = sorted.length;
    double[] edges = new double[DECILES.length];
    for (int k = 0; k < DECILES.length; k++) {
      edges[k] = quantileOfSorted(sorted, n, DECILES[k]);
    }
    return ranges(edges);
  }

  /** The quantile at {@code level} of {@code sorted[0, n)} with NumPy's default linear interpolation. */
  static double quantileOfSorted(double[] sorted, int n, double level) {
    double virtual = (n - 1) * level;
    int lo = (int) Math.floor(virtual);
    int hi = Math.min(lo + 1, n - 1);
    double t = virtual - lo;
    double a = sorted[lo];
    double b = sorted[hi];
    double diff = b - a;
    // NumPy's _lerp: the form that is exact at the nearer end.
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }

  boolean isPerValue() {
    return values != null;
  }

  /** How many bins, the "other" bin of per-value binning included. */
  int size() {
    return isPerValue() ? values.length + 1 : edges.length + 1;
  }

  /** The bin of a finite value. */
  int binOf(double v) {
    if (isPerValue()) {
      int i = Arrays.binarySearch(values, v);
      return i >= 0 ? i : values.length;
    }
    return upperBound(edges, v);
  }

  /** Counts of sorted values per bin. */
  long[] countSorted(double[] sorted) {
    long[] counts = new long[size()];
    if (isPerValue()) {
      for (double v : sorted) {
        counts[binOf(v)]++;
      }
      return counts;
    }
    int previous = 0;
    for (int i = 0; i < edges.length; i++) {
      int below = lowerBound(sorted, edges[i]);
      counts[i] = below - previous;
      previous = below;
    }
    counts[edges.length] = sorted.length - previous;
    return counts;
  }

  /** Labels of the bins for reports. */
  List<String> labels() {
    List<String> labels = new ArrayList<>();
    if (isPerValue()) {
      for (double v : values) {
        labels.add(format(v));
      }
      labels.add("other");
      return labels;
    }
    for (int i = 0; i <= edges.length; i++) {
      String lo = i == 0 ? "-inf" : format(edges[i - 1]);
      String hi = i == edges.length ? "+inf" : format(edges[i]);
      labels.add("[" + lo + ", " + hi + ")");
    }
    return labels;
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Condition.number(v);
  }

  /** The number of sorted values strictly below {@code key}. */
  static int lowerBound(double[] sorted, double key) {
    return Steps.lowerBound(sorted, key);
  }

  /** The number of sorted values at most {@code key}. */
  static int upperBound(double[] sorted, double key) {
    return Steps.upperBound(sorted, key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Binning b && Arrays.equals(b.edges, edges) && Arrays.equals(b.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(edges) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return isPerValue() ? "values" + Arrays.toString(values) : "edges" + Arrays.toString(edges);
  }
}
