package dev.mlops.monitoring;

import dev.mlops.core.InvalidInputException;
import java.util.Locale;

/**
 * A pass/fail condition on one value of a {@link CheckReport}: the value must lie in
 * [{@code min}, {@code max}]. A value that could not be computed (NaN) fails.
 *
 * <pre>{@code
 * Check.between(reference, current).target("label").prediction("predicted")
 *     .condition("accuracy", Condition.atLeast(0.9))
 *     .driftedShare(Condition.atMost(0.3))
 *     .column("age").missingShare(Condition.atMost(0.05))
 *     .run();
 * }</pre>
 *
 * @param min the least value that passes
 * @param max the greatest value that passes
 */
public record Condition(double min, double max) {
  public Condition {
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new InvalidInputException("a condition needs min ≤ max, got [" + min + ", " + max + "]");
    }
  }

  /** Passes when the value is at least {@code bound}. */
  public static Condition atLeast(double bound) {
    return new Condition(bound, Double.POSITIVE_INFINITY);
  }

  /** Passes when the value is at most {@code bound}. */
  public static Condition atMost(double bound) {
    return new Condition(Double.NEGATIVE_INFINITY, bound);
  }

  /** Passes when the value lies in [{@code min}, {@code max}]. */
  public static Condition between(double min, double max) {
    return new Condition(min, max);
  }

  /** Whether {@code value} passes. */
  public boolean test(double value) {
    return value >= min && value <= max;
  }

  /** How far {@code value} lies outside the bounds (0 when it passes, NaN when it is NaN). */
  public double shortfall(double value) {
    if (Double.isNaN(value)) {
      return Double.NaN;
    }
    return value < min ? min - value : value > max ? value - max : 0;
  }

  /** "≥ 0.9", "≤ 0.3" or "in [0.1, 0.2]". */
  public String describe() {
    if (max == Double.POSITIVE_INFINITY) {
      return "≥ " + number(min);
    }
    if (min == Double.NEGATIVE_INFINITY) {
      return "≤ " + number(max);
    }
    return "in [" + number(min) + ", " + number(max) + "]";
  }

  /** A number to 4 significant digits, without trailing zeros. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == 0 || Double.isInfinite(v)) {
      return v == 0 ? "0" : v > 0 ? "+inf" : "-inf";
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e")) {
      String[] parts = s.split("e");
      return strip(parts[0]) + "e" + parts[1];
    }
    return strip(s);
  }

  private static String strip(String s) {
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
