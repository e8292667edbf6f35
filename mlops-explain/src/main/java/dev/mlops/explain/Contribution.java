package dev.mlops.explain;

import java.util.Objects;

/**
 * How much one input moved one prediction: the input column, its value in the row as text
 * (empty when missing), and its contribution in the units of the explained score.
 *
 * <pre>{@code
 * for (Contribution c : explanation.top(3)) {
 *   System.out.printf("%s = %s: %+.3f%n", c.input(), c.value(), c.contribution());
 * }
 * }</pre>
 *
 * @param input the input column of the model's signature
 * @param value the row's value of that input, as text; empty when the row lacks it
 * @param contribution the input's share of the explained score (positive pushes it up)
 */
public record Contribution(String input, String value, double contribution) {
  public Contribution {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(value, "value");
  }
}
