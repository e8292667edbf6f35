package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.mlops.core.InvalidInputException;
import dev.mlops.server.Permission;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.Lttb;
import dev.mlops.tracking.internal.TrackingStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Metric histories for charts, downsampled on the server: MLflow's
 * {@code GET /ajax-api/2.0/mlflow/metrics/get-history-bulk-interval} ({@code run_ids}, repeated,
 * {@code metric_key}, {@code max_results}, {@code start_step}, {@code end_step}) answers at most
 * {@code max_results} points per run, chosen by largest-triangle downsampling within the step
 * range, so a history of millions of points is never sent whole. A whole history by step of
 * more than {@value #SUMMARY_BUCKETS} × {@code max_results} points is drawn from the store's
 * summary instead of being read ({@link TrackingStore#metricSummary}: the first, lowest, highest
 * and last point of each bucket of steps, at the finest level with at most that many buckets)
 * when that summary has at least {@code max_results} points, and those points are downsampled
 * by LTTB, so even the first chart of a history of millions of
 * points reads a few thousand rows. Other requests (a step range, times as x, a history the
 * store keeps no summary of) read the history. What was read for an ended run is kept in memory
 * (up to {@value #CACHED_POINTS} points in all) while its latest point is unchanged, so zooming
 * into a history reads the database once.
 */
final class MetricSeries {
  /** The path MLflow's UI asks for sampled histories at. */
  static final String PATH = "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval";
  static final int DEFAULT_POINTS = 1000;
  static final int MAX_POINTS = 10_000;
  static final int MAX_RUNS = 100;
  static final long CACHED_POINTS = 40_000_000;
  /** Buckets of the summary per point asked for: enough for LTTB to choose among, few enough to read fast. */
  static final int SUMMARY_BUCKETS = 4;

  /**
   * One history as arrays, for downsampling without boxing or copying.
   *
   * @param ordered whether steps and times never decrease, so that a range is found by bisection
   * @param total the number of points of the history these stand for
   */
  record Series(Metric latest, double[] steps, double[] times, double[] values, boolean[] ordered, long total) {
    int size() {
      return steps.length;
    }
  }

  private final Tracker tracker;
  private final TrackingStore store;
  private final Cache<String, Series> cache = CacheBuilder.newBuilder().maximumWeight(CACHED_POINTS)
      .<String, Series>weigher((k, v) -> Math.max(1, v.size())).build();

  MetricSeries(Tracker tracker, TrackingStore store) {
    this.tracker = tracker;
    this.store = store;
  }

  /** The sampled histories, in MLflow's shape: {@code {"metrics": [{key, value, timestamp, step, run_id}]}}. */
  ObjectNode answer(UiRequest r) {
    List<String> runIds = r.all("run_ids");
    if (runIds.isEmpty()) {
      throw new InvalidInputException("name at least one run with run_ids=<id>");
    }
    if (runIds.size() > MAX_RUNS) {
      throw new InvalidInputException("at most " + MAX_RUNS + " runs per request; got " + runIds.size());
    }
    String key = r.required("metric_key");
    int most = r.integer("max_results", DEFAULT_POINTS, MAX_POINTS);
    long from = longParam(r, "start_step", Long.MIN_VALUE);
    long to = longParam(r, "end_step", Long.MAX_VALUE);
    boolean byTime = r.param("x", "step").equals("time");
    ObjectNode out = Wire.object();
    runIds.forEach(id -> r.access().run(id, Permission.READ));
    ArrayNode metrics = out.putArray("metrics");
    ObjectNode total = out.putObject("total_points");
    for (String runId : runIds) {
      boolean whole = from == Long.MIN_VALUE && to == Long.MAX_VALUE;
      RunRecord run = tracker.getRun(runId);
      Series s = whole && !byTime ? summarized(run, key, most).orElse(null) : null;
      if (s == null) {
        s = series(run, key);
      }
      double[] xs = byTime ? s.times : s.steps;
      int[] kept;
      if (whole) {
        kept = Lttb.indices(xs, s.values, Math.max(3, most));
      } else if (s.ordered[byTime ? 1 : 0]) {
        kept = Lttb.indices(xs, s.values, lowerBound(xs, from), upperBound(xs, to), Math.max(3, most));
      } else {
        kept = inRange(xs, s.values, from, to, most);
      }
      for (int i : kept) {
        ObjectNode m = metrics.addObject();
        m.put("key", key);
        if (Double.isFinite(s.values[i])) {
          m.put("value", s.values[i]);
        } else {
          m.put("value", Double.toString(s.values[i]));
        }
        m.put("timestamp", (long) s.times[i]);
        m.put("step", (long) s.steps[i]);
        m.put("run_id", runId);
      }
      total.put(runId, s.total);
    }
    return out;
  }

  // the summary's points of a history too long to read for this many points, or empty to read it
  private Optional<Series> summarized(RunRecord run, String key, int most) {
    int buckets = SUMMARY_BUCKETS * Math.max(3, most);
    Metric latest = run.metrics().get(key);
    String cacheKey = run.runId() + '\0' + key + '\0' + buckets;
    Series cached = cache.getIfPresent(cacheKey);
    if (cached != null && Objects.equals(cached.latest, latest)) {
      return Optional.of(cached);
    }
    // a summary too coarse to fill the chart is of a history short enough in steps to read
    Optional<Series> s = store.metricSummary(run.runId(), key, buckets)
        .filter(summary -> summary.totalPoints() > buckets && summary.representatives().size() >= Math.max(3, most))
        .map(summary -> arrays(latest, summary.representatives(), summary.totalPoints()));
    if (s.isPresent() && run.status() != RunStatus.RUNNING) {
      cache.put(cacheKey, s.get());
    }
    return s;
  }

  Series series(RunRecord run, String key) {
    Metric latest = run.metrics().get(key);
    String cacheKey = run.runId() + '\0' + key;
    Series cached = cache.getIfPresent(cacheKey);
    if (cached != null && Objects.equals(cached.latest, latest)) {
      return cached;
    }
    Series s = arrays(latest, tracker.metricHistory(run.runId(), key), -1);
    // a running run may still log points below its latest step, which the latest point would not show
    if (run.status() != RunStatus.RUNNING) {
      cache.put(cacheKey, s);
    }
    return s;
  }

  // the points as arrays; total is the history's size when they stand for more points than they are
  private static Series arrays(Metric latest, List<Metric> points, long total) {
    double[] steps = new double[points.size()];
    double[] times = new double[points.size()];
    double[] values = new double[points.size()];
    boolean[] ordered = {true, true};
    for (int i = 0; i < steps.length; i++) {
      Metric m = points.get(i);
      steps[i] = m.step();
      times[i] = m.timestamp();
      values[i] = m.value();
      if (i > 0) {
        ordered[0] &= steps[i] >= steps[i - 1];
        ordered[1] &= times[i] >= times[i - 1];
      }
    }
    return new Series(latest, steps, times, values, ordered, total < 0 ? steps.length : total);
  }

  // the points of an unordered history within the range, downsampled among themselves
  private static int[] inRange(double[] xs, double[] values, long from, long to, int most) {
    int[] positions = new int[xs.length];
    int n = 0;
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] >= from && xs[i] <= to) {
        positions[n++] = i;
      }
    }
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = xs[positions[i]];
      y[i] = values[positions[i]];
    }
    int[] kept = Lttb.indices(x, y, Math.max(3, most));
    for (int i = 0; i < kept.length; i++) {
      kept[i] = positions[kept[i]];
    }
    return kept;
  }

  // the first position whose x is at least the bound
  private static int lowerBound(double[] xs, long bound) {
    int lo = 0;
    int hi = xs.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (xs[mid] < bound) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // the first position whose x is beyond the bound
  private static int upperBound(double[] xs, long bound) {
    int lo = 0;
    int hi = xs.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (xs[mid] <= bound) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long longParam(UiRequest r, String name, long otherwise) {
    String v = r.param(name, null);
    if (v == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be a whole number; got '" + v + "'", e);
    }
  }
}
