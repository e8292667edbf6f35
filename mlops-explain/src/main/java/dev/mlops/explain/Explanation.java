package dev.mlops.explain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Why one prediction came out: the explained output (a label or a regression dimension), the
 * model's score for it, and each input's contribution, largest magnitude first. {@code base +
 * Σ contributions} is {@link #total()}: for the exact {@code linear} method it equals the score
 * (the linear score before any softmax); for the approximate methods ({@code lime}, {@code
 * surrogate}) it is the local surrogate's value at the row, and {@link #fidelity()} says how
 * well the surrogate follows the model around the row (its weighted R²).
 *
 * <pre>{@code
 * Explanation e = Explainer.of(pkg).explain(row);
 * e.output();              // "virginica"
 * e.top(2);                // [petal_length = 5.1: +2.31, petal_width = 1.9: +1.02]
 * e.toJson();
 * }</pre>
 *
 * @param method {@code linear} (exact), {@code lime} (Tribuo's LIME), or {@code surrogate} (a
 *     seeded, locally weighted linear surrogate for regressors and for classifiers without
 *     probabilities)
 * @param prediction the model's predicted output, as text
 * @param output the label or dimension explained
 * @param score the model's score for that output: the linear score for {@code linear}, the
 *     class probability for {@code lime}, the predicted value or label score for {@code surrogate}
 * @param base the value with no contribution: the bias, or the surrogate's value at the
 *     training data's mean
 * @param contributions every input's contribution, largest magnitude first (ties by name)
 * @param fidelity the surrogate's weighted R² around the row; empty for exact methods
 * @param seed the seed the samples were drawn from (0 for exact methods)
 */
public record Explanation(String method, String prediction, String output, double score, double base,
    List<Contribution> contributions, OptionalDouble fidelity, long seed) {
  private static final Comparator<Contribution> LARGEST_FIRST =
      Comparator.comparingDouble((Contribution c) -> Math.abs(c.contribution())).reversed()
          .thenComparing(Contribution::input);

  public Explanation {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(fidelity, "fidelity");
    contributions = contributions.stream().sorted(LARGEST_FIRST).toList();
  }

  /** The {@code k} largest contributions (all when there are fewer). */
  public List<Contribution> top(int k) {
    return contributions.subList(0, Math.max(0, Math.min(k, contributions.size())));
  }

  /** {@code base} plus every contribution, summed from the base outwards in ranking order. */
  public double total() {
    double sum = base;
    for (Contribution c : contributions) {
      sum += c.contribution();
    }
    return sum;
  }

  /** This explanation as a JSON object with the {@code k} largest contributions. */
  public ObjectNode toJsonNode(int k) {
    ObjectNode o = CanonicalJson.object();
    o.put("method", method);
    o.put("prediction", prediction);
    o.put("output", output);
    putNumber(o, "score", score);
    putNumber(o, "base", base);
    fidelity.ifPresent(f -> putNumber(o, "fidelity", f));
    o.put("seed", seed);
    ArrayNode list = o.putArray("contributions");
    for (Contribution c : top(k)) {
      ObjectNode j = list.addObject().put("input", c.input()).put("value", c.value());
      putNumber(j, "contribution", c.contribution());
    }
    return o;
  }

  /** This explanation as canonical JSON, every contribution included. */
  public String toJson() {
    return CanonicalJson.toString(toJsonNode(contributions.size()));
  }

  private static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }
}
