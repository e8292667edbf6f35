package dev.mlops.benchmarks;

import java.util.Optional;

/**
 * One line of the results table: a benchmark, its baseline, both figures with units, their
 * ratio, the target and whether it was met, and a note (why a target was missed, or why a row
 * has no figure).
 *
 * @param benchmark what was measured
 * @param baseline what it was compared with in the same run, or "—"
 * @param measured the benchmark's figure with its unit
 * @param baselineFigure the baseline's figure with its unit, or "—"
 * @param ratio the ratio and what it is a ratio of, or "—"
 * @param target the target from the issue that asked for the benchmark
 * @param met whether the target was met; empty when the benchmark did not produce a figure
 * @param note anything the reader needs to interpret the row; may be empty
 */
record ResultRow(String benchmark, String baseline, String measured, String baselineFigure, String ratio,
    String target, Optional<Boolean> met, String note) {

  /** A row for a benchmark that produced no figure, with the reason. */
  static ResultRow notMeasured(String benchmark, String baseline, String target, String reason) {
    return new ResultRow(benchmark, baseline, "—", "—", "—", target, Optional.empty(), reason);
  }

  /**
   * This row, with the reason appended to its note when the target was missed; a row that met
   * its target or was not measured is returned as it is.
   */
  ResultRow ifMissed(String reason) {
    if (!met.equals(Optional.of(false))) {
      return this;
    }
    String why = "not met: " + reason;
    return new ResultRow(benchmark, baseline, measured, baselineFigure, ratio, target, met,
        note.isEmpty() ? why : note + "; " + why);
  }

  /** "yes", "**no**" or "not measured". */
  String verdict() {
    return met.map(m -> m ? "yes" : "**no**").orElse("not measured");
  }
}
