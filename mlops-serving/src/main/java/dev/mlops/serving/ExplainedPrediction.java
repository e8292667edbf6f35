package dev.mlops.serving;

import dev.mlops.explain.Explanation;
import java.util.Objects;

/**
 * A served prediction with its explanation: which inputs moved it, and how much.
 *
 * <pre>{@code
 * ExplainedPrediction p = service.explain(row);
 * p.prediction().output();                    // "virginica"
 * p.explanation().top(3);                     // the three inputs that moved it most
 * }</pre>
 *
 * @param prediction the answer, as {@link ModelService#predict(java.util.Map)} gives it
 * @param explanation why the model gave it
 */
public record ExplainedPrediction(ServedPrediction prediction, Explanation explanation) {
  public ExplainedPrediction {
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(explanation, "explanation");
  }
}
