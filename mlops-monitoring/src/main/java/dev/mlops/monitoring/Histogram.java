package dev.mlops.monitoring;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reference and current shares per bin of one column, as a report draws them. At most {@value
 * #MAX_BARS} bars: when there are more bins, the largest are kept in order and the rest are
 * summed into a last "other" bar.
 *
 * <pre>{@code
 * Histogram h = report.column("age").histogram();
 * for (int i = 0; i < h.labels().size(); i++) System.out.println(h.labels().get(i) + " " + h.current().get(i));
 * }</pre>
 *
 * @param labels bin labels
 * @param reference reference share of each bin
 * @param current current share of each bin
 */
public record Histogram(List<String> labels, List<Double> reference, List<Double> current) {
  /** The most bars a histogram has. */
  public static final int MAX_BARS = 30;

  public Histogram {
    labels = ImmutableList.copyOf(labels);
    reference = ImmutableList.copyOf(reference);
    current = ImmutableList.copyOf(current);
  }

  static Histogram empty() {
    return new Histogram(List.of(), List.of(), List.of());
  }

  static Histogram of(List<String> labels, double[] referenceCounts, double[] currentCounts) {
    double[] r = shares(referenceCounts);
    double[] c = shares(currentCounts);
    int n = labels.size();
    if (n <= MAX_BARS) {
      return new Histogram(labels, box(r, n), box(c, n));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(r[b] + c[b], r[a] + c[a]));
    boolean[] keep = new boolean[n];
    for (int i = 0; i < MAX_BARS - 1; i++) {
      keep[order[i]] = true;
    }
    List<String> l = new ArrayList<>();
    List<Double> rs = new ArrayList<>();
    List<Double> cs = new ArrayList<>();
    double restR = 0;
    double restC = 0;
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        l.add(labels.get(i));
        rs.add(r[i]);
        cs.add(c[i]);
      } else {
        restR += r[i];
        restC += c[i];
      }
    }
    l.add("other (" + (n - MAX_BARS + 1) + " bins)");
    rs.add(restR);
    cs.add(restC);
    return new Histogram(l, rs, cs);
  }

  private static double[] shares(double[] counts) {
    double total = Arrays.stream(counts).sum();
    return Arrays.stream(counts).map(x -> total == 0 ? 0 : x / total).toArray();
  }

  private static List<Double> box(double[] v, int n) {
    List<Double> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(v[i]);
    }
    return out;
  }
}
