package dev.mlops.lifecycle;

import dev.mlops.monitoring.Condition;
import dev.mlops.serving.ChallengerStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a challenger in shadow or canary must show online before it is promoted: agreement with
 * the champion on the rows both predicted, and, once labels arrive, the accuracy the service's
 * monitor measured. Immutable.
 *
 * <pre>{@code
 * import static dev.mlops.lifecycle.OnlineCriteria.agreement;
 * import static dev.mlops.monitoring.Condition.atLeast;
 *
 * Deploy.shadow(Duration.ofHours(1)).promoteIf(agreement(atLeast(0.95)).and(OnlineCriteria.accuracy(atLeast(0.9))));
 * }</pre>
 */
public final class OnlineCriteria {
  private final Condition agreement;
  private final Condition accuracy;

  private OnlineCriteria(Condition agreement, Condition accuracy) {
    this.agreement = agreement;
    this.accuracy = accuracy;
  }

  /** The share of compared rows on which challenger and champion gave the same answer. */
  public static OnlineCriteria agreement(Condition condition) {
    return new OnlineCriteria(Objects.requireNonNull(condition, "condition"), null);
  }

  /** The labelled accuracy of the service's monitor over its outcome window. */
  public static OnlineCriteria accuracy(Condition condition) {
    return new OnlineCriteria(null, Objects.requireNonNull(condition, "condition"));
  }

  /** Both criteria must hold. */
  public OnlineCriteria and(OnlineCriteria other) {
    return new OnlineCriteria(other.agreement != null ? other.agreement : agreement,
        other.accuracy != null ? other.accuracy : accuracy);
  }

  /** One verdict row per criterion; a criterion without data yet fails with that reason. */
  List<GateResult> judge(ChallengerStats stats, OptionalDouble monitoredAccuracy) {
    List<GateResult> out = new ArrayList<>();
    if (agreement != null) {
      double rate = stats.compared() == 0 ? Double.NaN : stats.agreementRate();
      boolean ok = stats.compared() > 0 && agreement.test(rate);
      out.add(new GateResult("online", "agreement", rate, Double.NaN, agreement.describe(), ok,
          stats.compared() == 0 ? "no row compared yet" : stats.agreed() + " of " + stats.compared() + " rows agreed"));
    }
    if (accuracy != null) {
      double value = monitoredAccuracy.orElse(Double.NaN);
      boolean ok = monitoredAccuracy.isPresent() && accuracy.test(value);
      out.add(new GateResult("online", "accuracy", value, Double.NaN, accuracy.describe(), ok,
          monitoredAccuracy.isPresent() ? "labelled accuracy of the served answers" : "no outcome observed yet"));
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "OnlineCriteria[agreement " + (agreement == null ? "-" : agreement.describe()) + ", accuracy "
        + (accuracy == null ? "-" : accuracy.describe()) + "]";
  }
}
