package dev.mlops.tracking.internal;

import dev.mlops.tracking.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of the points of one run's metric whose steps fall in one bucket of a level: at
 * level {@code k} (1 to {@value #LEVELS}) a bucket holds the steps {@code s} with
 * {@code s >> (4k + 2)} equal to {@code bucket}, so {@code 4 × 16^k} steps (64, 1,024, … 2^34).
 * Buckets no narrower than 64 steps keep the writer's cost low: a batch of 1,000 steps of a key
 * touches about 16 buckets at level 1 and one or two at each level above. Four of its points stand for
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
  /** The number of levels; level {@code k}'s buckets are {@code 4 × 16^k} steps wide. */
  static final int LEVELS = 8;

  /** The bucket of {@code step} at {@code level}: the step shifted right by 4 bits a level and 2 more, so floored. */
  static long bucketOf(long step, int level) {
    return step >> (4 * level + 2);
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
        Metric[] metrics = new Metric[history.size()];
        for (int i = 0; i < metrics.length; i++) {
          MetricPoint p = history.get(i);
          metrics[i] = new Metric(p.value(), p.timestamp(), p.step());
        }
        String runId = history.get(0).runId();
        String key = history.get(0).key();
        for (int level = 1; level <= LEVELS; level++) {
          Map<Long, MetricBucket> buckets = new HashMap<>();
          int i = 0;
          while (i < metrics.length) {
            // the points that follow each other in one bucket, as a batch's points mostly do, in one pass
            long bucket = bucketOf(metrics[i].step(), level);
            Metric first = metrics[i];
            Metric last = metrics[i];
            Metric min = null;
            Metric max = null;
            int j = i;
            for (; j < metrics.length && bucketOf(metrics[j].step(), level) == bucket; j++) {
              Metric m = metrics[j];
              if (m.step() < first.step()) {
                first = m;
              }
              if (m.step() >= last.step()) {
                last = m;
              }
              min = lower(min, Double.isNaN(m.value()) ? null : m);
              max = higher(max, Double.isNaN(m.value()) ? null : m);
            }
            buckets.merge(bucket, new MetricBucket(runId, key, level, bucket, j - i, first, last, min, max),
                MetricBucket::then);
            i = j;
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
