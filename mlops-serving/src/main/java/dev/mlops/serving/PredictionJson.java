package dev.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * The answer of {@code POST /invocations}: {@code {"predictions": [...]}} as MLflow gives it,
 * one value per row — a classifier's label, a one-dimensional regressor's number, a
 * multi-dimensional regressor's {@code {"dimension": number}} object, otherwise Tribuo's text
 * form of the output. When every prediction carries class scores, a parallel
 * {@code "scores": [{"label": score, ...}, ...]} array follows; MLflow clients read
 * {@code "predictions"} only and ignore it.
 */
final class PredictionJson {
  /** How many contributions per row an explained answer lists unless asked for another number. */
  static final int DEFAULT_TOP = 5;
  static final int MAX_TOP = 1000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PredictionJson() {}

  static ObjectNode response(List<ServedPrediction> predictions) {
    ObjectNode root = NODES.objectNode();
    ArrayNode values = root.putArray("predictions");
    boolean withScores = !predictions.isEmpty();
    for (ServedPrediction p : predictions) {
      values.add(value(p.prediction().getOutput()));
      withScores &= p.prediction().hasProbabilities() && p.prediction().getOutput() instanceof Label;
    }
    if (withScores) {
      ArrayNode scores = root.putArray("scores");
      for (ServedPrediction p : predictions) {
        ObjectNode row = scores.addObject();
        for (Map.Entry<String, ? extends Output<?>> e : p.prediction().getOutputScores().entrySet()) {
          row.put(e.getKey(), ((Label) e.getValue()).getScore());
        }
      }
    }
    return root;
  }

  /**
   * The answer of {@code POST /invocations?explain=true}: {@link #response} plus a parallel
   * {@code "explanations"} array, one object per row with the method, the explained output and
   * score, the base, the fidelity of an approximate method and the {@code top} largest
   * contributions ({@code {"input", "value", "contribution"}}).
   */
  static ObjectNode explained(List<ExplainedPrediction> rows, int top) {
    ObjectNode root = response(rows.stream().map(ExplainedPrediction::prediction).toList());
    ArrayNode explanations = root.putArray("explanations");
    for (ExplainedPrediction row : rows) {
      explanations.add(row.explanation().toJsonNode(top));
    }
    return root;
  }

  private static JsonNode value(Output<?> output) {
    if (output instanceof Label label) {
      return NODES.textNode(label.getLabel());
    }
    if (output instanceof Regressor r) {
      if (r.size() == 1) {
        return NODES.numberNode(r.getValues()[0]);
      }
      ObjectNode dims = NODES.objectNode();
      String[] names = r.getNames();
      double[] v = r.getValues();
      for (int i = 0; i < names.length; i++) {
        dims.put(names[i], v[i]);
      }
      return dims;
    }
    return NODES.textNode(output.getSerializableForm(false));
  }
}
