package dev.mlops.monitoring;

import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link Monitor} tells its alert listener: a closed window whose data drifted (with the
 * window's report), or a concept-drift detector that fired on the error stream.
 *
 * <pre>{@code
 * Monitor.builder(reference).onAlert(alert -> {
 *   log.warn(alert.summary());
 *   alert.report().ifPresent(r -> r.writeHtml(Path.of("drift-" + alert.time().toEpochMilli() + ".html")));
 * }).build();
 * }</pre>
 *
 * @param kind data drift in a window, or concept drift in the outcomes
 * @param state the state that raised the alert (WARNING or DRIFT)
 * @param time when, by the monitor's clock
 * @param summary one line for logs
 * @param report the window's drift report, for data-drift alerts
 */
public record Alert(Kind kind, MonitorState state, Instant time, String summary, Optional<DriftReport> report) {
  /** What the alert is about. */
  public enum Kind {
    DATA_DRIFT,
    CONCEPT_DRIFT
  }
}
