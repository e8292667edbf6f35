package dev.mlops.lifecycle;

import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The model validation gate, as TFX's Evaluator blesses a model: value thresholds the candidate
 * must meet on its own, and change thresholds against the champion, both measured on the same
 * holdout rows. All conditions must hold; a change threshold holds when there is no champion yet.
 * Immutable.
 *
 * <pre>{@code
 * Gate.atLeast("accuracy", 0.9)
 *     .and(Gate.beatsChampion("accuracy", 0.01))      // at least 0.01 better than the champion
 *     .and(Gate.notWorseThanChampion("macro_f1", 0.02));
 * Gate.atMost("rmse", 2.5).and(Gate.beatsChampion("rmse", 0.0));   // a regressor: lower is better
 * }</pre>
 *
 * <p>Metrics: {@code accuracy}, {@code macro_f1}, {@code error_rate} for a classifier; {@code rmse},
 * {@code mae}, {@code r2} for a regressor. "Better" follows the metric: lower for {@code error_rate},
 * {@code rmse} and {@code mae}, higher for the others.
 */
public final class Gate {
  private record Condition(String kind, String metric, double bound) {}

  private final List<Condition> conditions;

  private Gate(List<Condition> conditions) {
    this.conditions = List.copyOf(conditions);
  }

  /** The candidate's metric must be at least {@code bound}. */
  public static Gate atLeast(String metric, double bound) {
    return one("at_least", metric, bound);
  }

  /** The candidate's metric must be at most {@code bound}. */
  public static Gate atMost(String metric, double bound) {
    return one("at_most", metric, bound);
  }

  /** The candidate must be better than the champion by at least {@code margin} (0 allows a tie). */
  public static Gate beatsChampion(String metric, double margin) {
    if (!(margin >= 0)) {
      throw new InvalidInputException("a margin over the champion is 0 or more; got " + margin);
    }
    return one("beats", metric, margin);
  }

  /** The candidate may be worse than the champion by at most {@code tolerance}. */
  public static Gate notWorseThanChampion(String metric, double tolerance) {
    if (!(tolerance >= 0)) {
      throw new InvalidInputException("a tolerance is 0 or more; got " + tolerance);
    }
    return one("not_worse", metric, tolerance);
  }

  /** Lets every candidate through (the value of a gate nobody declared). */
  static Gate open() {
    return new Gate(List.of());
  }

  private static Gate one(String kind, String metric, double bound) {
    if (!Double.isFinite(bound)) {
      throw new InvalidInputException("a gate bound is a finite number; got " + bound + " for " + metric);
    }
    return new Gate(List.of(new Condition(kind, Scores.checkMetric(metric), bound)));
  }

  /** This gate and another: all conditions of both must hold. */
  public Gate and(Gate other) {
    List<Condition> all = new ArrayList<>(conditions);
    all.addAll(other.conditions);
    return new Gate(all);
  }

  /** Every metric the gate names, for the builder to check against the task's metrics. */
  List<String> metrics() {
    return conditions.stream().map(Condition::metric).distinct().toList();
  }

  /** The smallest value the gate allows for {@code metric} on its own, if it bounds it from below. */
  OptionalDouble lowerBound(String metric) {
    return conditions.stream().filter(c -> c.kind.equals("at_least") && c.metric.equals(metric))
        .mapToDouble(Condition::bound).max();
  }

  /** Judges a candidate against the champion (empty map when there is none). */
  List<GateResult> judge(Map<String, Double> candidate, Map<String, Double> champion) {
    List<GateResult> out = new ArrayList<>();
    for (Condition c : conditions) {
      double mine = candidate.get(c.metric);
      Double theirs = champion.get(c.metric);
      double other = theirs == null ? Double.NaN : theirs;
      boolean higher = Scores.higherIsBetter(c.metric);
      switch (c.kind) {
        case "at_least" -> out.add(new GateResult("value", c.metric, mine, other, "≥ " + number(c.bound),
            mine >= c.bound, mine >= c.bound ? "meets the bound" : "below the bound by " + number(c.bound - mine)));
        case "at_most" -> out.add(new GateResult("value", c.metric, mine, other, "≤ " + number(c.bound),
            mine <= c.bound, mine <= c.bound ? "meets the bound" : "above the bound by " + number(mine - c.bound)));
        default -> {
          boolean beats = c.kind.equals("beats");
          String threshold = (beats ? "better than champion by ≥ " : "worse than champion by ≤ ") + number(c.bound);
          if (theirs == null) {
            out.add(new GateResult("change", c.metric, mine, other, threshold, true, "no champion to compare with"));
          } else {
            double gain = higher ? mine - theirs : theirs - mine;
            boolean ok = beats ? gain >= c.bound - 1e-12 : -gain <= c.bound + 1e-12;
            out.add(new GateResult("change", c.metric, mine, other, threshold, ok,
                String.format(Locale.ROOT, "%s the champion by %s", gain >= 0 ? "better than" : "worse than",
                    number(Math.abs(gain)))));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  static String number(double v) {
    String s = String.format(Locale.ROOT, "%.4g", v);
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s;
    }
    // trailing zeros go only from a plain fraction: 1.200e+05 keeps its digits
    for (int i = dot + 1; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return s;
      }
    }
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    return s.substring(0, end - 1 == dot ? dot : end);
  }

  String fingerprint() {
    return conditions.toString();
  }

  @Override
  public String toString() {
    return "Gate" + conditions;
  }
}
