package dev.mlops.tracking.internal;

import dev.mlops.tracking.Metric;
import java.util.List;

/**
 * A long metric history as the store summarises it for a chart: the points that stand for the
 * buckets of the finest level that has no more buckets than asked for (each bucket's first,
 * lowest, highest and last point, in step order), and the number of points of the whole history.
 *
 * <pre>{@code
 * Optional<MetricSummary> s = store.metricSummary(runId, "loss", 4_000);
 * s.ifPresent(summary -> draw(summary.representatives()));   // else read metricHistory
 * }</pre>
 *
 * @param totalPoints the number of points in the history
 * @param representatives at most four points per bucket, ordered by step, then time, then value
 */
public record MetricSummary(long totalPoints, List<Metric> representatives) {
  public MetricSummary {
    representatives = List.copyOf(representatives);
  }
}
