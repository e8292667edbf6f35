package dev.mlops.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * A pass or review of the same life cycle that a process left RUNNING when it died mid-way (killed,
 * crashed): the next pass, holding the life cycle's lock, ends such runs as KILLED, tagged
 * {@code mlops.lifecycle.interrupted} with why, and lists them in its decision record.
 *
 * <pre>{@code
 * for (InterruptedRun r : record.interrupted()) {
 *   System.out.println(r.kind() + " " + r.runId() + " begun " + r.started() + " was interrupted");
 * }
 * }</pre>
 *
 * @param runId the interrupted run, now KILLED
 * @param name its run name
 * @param kind {@code pass} or {@code review}
 * @param started when it began, by the tracker's clock
 */
public record InterruptedRun(String runId, String name, String kind, Instant started) {
  public InterruptedRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(started, "started");
  }
}
