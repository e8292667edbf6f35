package dev.mlops.tracking.internal;

import dev.mlops.tracking.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The oracle for the store's metric summaries, written as plainly as possible: the whole history
 * grouped by bucket at each level in turn, and each bucket's four points found by one pass over
 * its points in log order.
 *
 * <pre>{@code
 * Optional<List<Metric>> expected = BruteForceSummary.m4(history, 4_000);
 * }</pre>
 */
public final class BruteForceSummary {
  private BruteForceSummary() {}

  /**
   * The first, lowest, highest and last point of each bucket at the finest level (buckets of
   * 4 × 16^k steps, k from 1 to 8) with at most {@code maxBuckets} buckets, in step, time, value
   * order; empty when no level has so few.
   */
  public static Optional<List<Metric>> m4(List<Metric> history, int maxBuckets) {
    for (int level = 1; level <= 8; level++) {
      TreeMap<Long, List<Metric>> buckets = new TreeMap<>();
      for (Metric m : history) {
        buckets.computeIfAbsent(Math.floorDiv(m.step(), 1L << (4 * level + 2)), b -> new ArrayList<>()).add(m);
      }
      if (buckets.size() > maxBuckets) {
        continue;
      }
      List<Metric> out = new ArrayList<>();
      for (List<Metric> bucket : buckets.values()) {
        Metric first = bucket.get(0);
        Metric last = bucket.get(0);
        Metric min = null;
        Metric max = null;
        for (Metric m : bucket) {
          if (m.step() < first.step()) {
            first = m;
          }
          if (m.step() >= last.step()) {
            last = m;
          }
          if (!Double.isNaN(m.value()) && (min == null || m.value() < min.value())) {
            min = m;
          }
          if (!Double.isNaN(m.value()) && (max == null || m.value() > max.value())) {
            max = m;
          }
        }
        List<Metric> four = new ArrayList<>();
        for (Metric m : new Metric[] {first, min, max, last}) {
          if (m != null && !four.contains(m)) {
            four.add(m);
          }
        }
        four.sort(Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)
            .thenComparing(Metric::value, Double::compare));
        out.addAll(four);
      }
      return Optional.of(out);
    }
    return Optional.empty();
  }
}
