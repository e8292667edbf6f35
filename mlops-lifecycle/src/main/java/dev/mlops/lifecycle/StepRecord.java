package dev.mlops.lifecycle;

import java.util.Objects;

/**
 * One step of a pass: its nested run, whether it reused an earlier output, how long it took,
 * and a line on what it did.
 *
 * <pre>{@code
 * record.steps().forEach(s -> System.out.println(s.name() + " " + s.runId() + (s.cached() ? " (cached)" : "")));
 * }</pre>
 *
 * @param name {@code ingest}, {@code validate}, {@code split}, {@code select}, {@code evaluate}, {@code gate},
 *     {@code package}, {@code register}, {@code deploy}, {@code review}
 * @param runId the step's nested run
 * @param cached whether the step reused an earlier pass's output
 * @param millis how long it took
 * @param note what it did, in words
 */
public record StepRecord(String name, String runId, boolean cached, long millis, String note) {
  public StepRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(note, "note");
  }
}
