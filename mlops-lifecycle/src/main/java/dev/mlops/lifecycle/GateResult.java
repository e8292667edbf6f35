package dev.mlops.lifecycle;

import java.util.Objects;

/**
 * One row of a gate's verdict: a metric of the candidate beside the champion's on the same
 * holdout rows, the threshold, and whether it holds.
 *
 * <pre>{@code
 * for (GateResult g : record.gate()) {
 *   System.out.printf("%s %s: %.3f vs %.3f (%s) %s%n", g.kind(), g.metric(), g.candidate(), g.champion(),
 *       g.threshold(), g.passed() ? "pass" : "FAIL");
 * }
 * }</pre>
 *
 * @param kind {@code value} (an absolute bound) or {@code change} (a bound on the difference to the champion)
 * @param metric the holdout metric
 * @param candidate the candidate's value
 * @param champion the champion's value, NaN when there is no champion
 * @param threshold the bound, as text
 * @param passed whether it holds
 * @param note why, in words
 */
public record GateResult(String kind, String metric, double candidate, double champion, String threshold,
    boolean passed, String note) {
  public GateResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(threshold, "threshold");
    Objects.requireNonNull(note, "note");
  }
}
