package dev.mlops.tracking.internal;

/**
 * A metric point on its way to the store.
 *
 * @param runId the run it belongs to
 * @param key the metric's key, already checked
 * @param value the value
 * @param timestamp milliseconds since the epoch
 * @param step the step
 */
public record MetricPoint(String runId, String key, double value, long timestamp, long step) {}
