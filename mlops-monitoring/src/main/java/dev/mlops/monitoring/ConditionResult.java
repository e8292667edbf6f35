package dev.mlops.monitoring;

/**
 * The outcome of one {@link Condition} of a {@link CheckReport}.
 *
 * <pre>{@code
 * for (ConditionResult r : report.conditions()) if (!r.passed()) System.err.println(r.message());
 * }</pre>
 *
 * @param value the value's name, e.g. {@code "accuracy"} or {@code "missing_share:age"}
 * @param condition the condition
 * @param actual the value on the current data (NaN when it could not be computed)
 * @param passed whether the condition holds
 * @param shortfall how far the value lies outside the bounds (0 when it passed, NaN when absent)
 * @param message one line saying what was checked and, when it failed, by how much
 */
public record ConditionResult(String value, Condition condition, double actual, boolean passed, double shortfall,
    String message) {
  static ConditionResult of(String value, Condition condition, double actual, String unavailable) {
    boolean passed = condition.test(actual);
    double shortfall = condition.shortfall(actual);
    String message;
    if (Double.isNaN(actual)) {
      message = value + " " + condition.describe() + ": failed, no value: " + unavailable;
    } else if (passed) {
      message = value + " = " + Condition.number(actual) + " " + condition.describe() + ": passed";
    } else {
      message = value + " = " + Condition.number(actual) + ", needs " + condition.describe() + ": failed by "
          + Condition.number(shortfall);
    }
    return new ConditionResult(value, condition, actual, passed, shortfall, message);
  }
}
