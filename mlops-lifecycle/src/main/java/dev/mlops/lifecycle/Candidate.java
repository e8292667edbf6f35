package dev.mlops.lifecycle;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One trial of model selection: the trainer settings it tried, its scores on the selection rows,
 * its nested run, and whether it was chosen.
 *
 * <pre>{@code
 * record.candidates().stream().filter(Candidate::chosen).findFirst().orElseThrow().settings();
 * }</pre>
 *
 * @param runId the trial's nested run
 * @param settings field path to value, as configured
 * @param scores metric to value on the selection rows
 * @param chosen whether this trial became the candidate
 */
public record Candidate(String runId, Map<String, String> settings, Map<String, Double> scores, boolean chosen) {
  public Candidate {
    Objects.requireNonNull(runId, "runId");
    settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    scores = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(scores));
  }
}
