package dev.mlops.lifecycle;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one pass or review came to. A pass that ran has a decision record; a pass that found
 * nothing changed names the earlier pass it would have repeated, and a busy one ran nothing.
 *
 * <pre>{@code
 * LifecycleResult r = lifecycle.runOnce();
 * if (r.outcome() == Outcome.PROMOTED) {
 *   System.out.println("new champion " + r.record().orElseThrow().championAfter().getAsInt() + ", see " + r.files());
 * }
 * }</pre>
 *
 * @param outcome what was done
 * @param reason why, in one sentence
 * @param record the decision record, when a pass ran
 * @param earlierPassRunId for {@link Outcome#UNCHANGED}: the finished pass whose inputs were the same
 * @param files the record's JSON and HTML files in the records folder, when one is set
 */
public record LifecycleResult(Outcome outcome, String reason, Optional<DecisionRecord> record,
    Optional<String> earlierPassRunId, List<Path> files) {
  public LifecycleResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(earlierPassRunId, "earlierPassRunId");
    files = List.copyOf(files);
  }

  static LifecycleResult of(DecisionRecord record, List<Path> files) {
    return new LifecycleResult(record.outcome(), record.reason(), Optional.of(record), Optional.empty(), files);
  }
}
