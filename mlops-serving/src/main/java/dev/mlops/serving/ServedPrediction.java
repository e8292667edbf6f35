package dev.mlops.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * One answer of a {@link ModelService}: Tribuo's prediction and the model version that gave it.
 * Immutable.
 *
 * <pre>{@code
 * ServedPrediction p = service.predict(Map.of("x1", 0.3, "x2", -1.2));
 * p.output();            // "yes" for a classifier
 * p.scores();            // {"no"=0.2, "yes"=0.8} when the model gives scores
 * p.model().version();   // "3"
 * }</pre>
 *
 * @param prediction Tribuo's prediction
 * @param model the version that made it
 */
public record ServedPrediction(Prediction<?> prediction, ServedModel model) {
  public ServedPrediction {
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(model, "model");
  }

  /**
   * The predicted output as text: a classifier's label, a one-dimensional regressor's value,
   * otherwise Tribuo's serializable form of the output.
   */
  public String output() {
    Output<?> o = prediction.getOutput();
    if (o instanceof Label label) {
      return label.getLabel();
    }
    if (o instanceof Regressor r && r.size() == 1) {
      return Double.toString(r.getValues()[0]);
    }
    return o.getSerializableForm(false);
  }

  /**
   * A classifier's score for every label it knows, by label; empty when the
   * model gives no scores or is not a classifier.
   */
  public Map<String, Double> scores() {
    if (!prediction.hasProbabilities() || !(prediction.getOutput() instanceof Label)) {
      return Map.of();
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    prediction.getOutputScores().forEach((name, out) -> scores.put(name, ((Label) out).getScore()));
    return Collections.unmodifiableMap(scores);
  }

  /** Whether this and {@code other} predict the same output (the same label for a classifier). */
  public boolean agreesWith(ServedPrediction other) {
    return prediction.getOutput().equals(other.prediction.getOutput());
  }
}
