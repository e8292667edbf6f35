package dev.mlops.tracking.internal;

import dev.mlops.tracking.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of the points of one run's metric whose steps fall in one bucket of a level: at
 * level {@code k} (1 to {@value #LEVELS}) a bucket holds the steps {@code s} with
 * {@code s >> 4k} equal to {@code bucket}, so {@code 16^k} steps. Four of its points stand for
 * all of them (M4): the first (lowest step, the earliest logged among equal steps), the last
 * (highest step, the latest logged among equal steps), the lowest and the highest value (the
 * earliest logged among equal values; {@code null} when every value is NaN). A chart of the
 * buckets of one level, each drawn through those points, keeps every extreme of the history.
 *
 * <pre>{@code
 * List<MetricBucket> buckets = MetricBucket.of(points);        // a batch, in log order
 * MetricBucket merged = earlier.then(later);                   // what the store's upsert does
 * List<Metric> drawn = MetricBucket.representatives(buckets);  // in step order
 * }</pre>
 *
 * @param points how many points fall in the bucket
 */
record MetricBucket(String runId, String key, int level, long bucket, long points, Metric first, Metric last,
    Metric min, Metric max) {
  /** The number of levels; level {@code k}'s buckets are {@code 16^k} steps wide. */
  static final int LEVELS = 8;

  /** The bucket of {@code step} at {@code level}: its steps shifted right by 4 bits a level, so floored. */
  static long bucketOf(long step, int level) {
    return step >> (4 * level);
  }

  /** This bucket followed by {@code later}, whose points were logged after this one's: the bucket of both. */
  MetricBucket then(MetricBucket later) {
    return new MetricBucket(runId, key, level, bucket, points + later.points,
        later.first.step() < first.step() ? later.first : first,
        later.last.step() >= last.step() ? later.last : last,
        lower(min, later.min), higher(max, later.max));
  }

  private static Metric lower(Metric earlier, Metric later) {
    return later != null && (earlier == null || later.value() < earlier.value()) ? later : earlier;
  }

  private static Metric higher(Metric earlier, Metric later) {
    return later != null && (earlier == null || later.value() > earlier.value()) ? later : earlier;
  }

  /** The bucket of one point. */
  static MetricBucket of(MetricPoint p, int level) {
    Metric m = new Metric(p.value(), p.timestamp(), p.step());
    Metric extreme = Double.isNaN(p.value()) ? null : m;
    return new MetricBucket(p.runId(), p.key(), level, bucketOf(p.step(), level), 1, m, m, extreme, extreme);
  }

  /**
   * The buckets of every level that {@code points} (logged in this order) fall in, merged, sorted
   * by run, key, level and bucket so that writers in several processes lock rows in one order.
   */
  static List<MetricBucket> of(List<MetricPoint> points) {
    Map<String, Map<String, List<MetricPoint>>> byRun = new HashMap<>();
    for (MetricPoint p : points) {
      byRun.computeIfAbsent(p.runId(), r -> new HashMap<>()).computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
    }
    List<MetricBucket> out = new ArrayList<>();
    for (Map<String, List<MetricPoint>> byKey : byRun.values()) {
      for (List<MetricPoint> history : byKey.values()) {
        for (int level = 1; level <= LEVELS; level++) {
          // points of a batch mostly follow each other's steps, so most fall in the bucket of the point before
          Map<Long, MetricBucket> buckets = new LinkedHashMap<>();
          MetricBucket current = null;
          for (MetricPoint p : history) {
            MetricBucket one = of(p, level);
            if (current != null && current.bucket == one.bucket) {
              current = current.then(one);
            } else {
              if (current != null) {
                buckets.put(current.bucket, current);
              }
              MetricBucket known = buckets.remove(one.bucket);
              current = known == null ? one : known.then(one);
            }
          }
          if (current != null) {
            buckets.put(current.bucket, current);
          }
          out.addAll(buckets.values());
        }
      }
    }
    out.sort(Comparator.comparing(MetricBucket::runId).thenComparing(MetricBucket::key)
        .thenComparingInt(MetricBucket::level).thenComparingLong(MetricBucket::bucket));
    return out;
  }

  /**
   * The points that stand for {@code buckets} (of one level, in bucket order): each bucket's
   * first, lowest, highest and last point, those that are the same point once, in the order of
   * their steps, then times, then values.
   */
  static List<Metric> representatives(List<MetricBucket> buckets) {
    Comparator<Metric> order = Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)
        .thenComparing(Metric::value, Double::compare);
    List<Metric> out = new ArrayList<>(buckets.size() * 4);
    for (MetricBucket b : buckets) {
      List<Metric> four = new ArrayList<>(4);
      for (Metric m : new Metric[] {b.first, b.min, b.max, b.last}) {
        if (m != null && !four.contains(m)) {
          four.add(m);
        }
      }
      four.sort(order);
      out.addAll(four);
    }
    return out;
  }
}
