package dev.mlops.tracking;

/**
 * One logged point of a metric. NaN and the infinities are kept exactly as logged.
 *
 * <pre>{@code
 * for (Metric m : tracker.metricHistory(runId, "loss")) {
 *   System.out.println(m.step() + " " + m.value() + " at " + m.timestamp());
 * }
 * }</pre>
 *
 * @param value the value; any double, including NaN and the infinities
 * @param timestamp when it was logged, in milliseconds since the epoch
 * @param step the training step it belongs to (0 when none was given)
 */
public record Metric(double value, long timestamp, long step) {}
