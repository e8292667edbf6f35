package dev.mlops.explain;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

/**
 * Exact contributions of a Tribuo linear SGD model: weight × value per feature, summed per input,
 * with the bias as the base. The weight matrix has a row per output and a column per feature,
 * the bias in the last column, as Tribuo's {@code LinearParameters} lay it out.
 */
final class LinearContributions {
  private LinearContributions() {}

  static Explanation explain(AbstractLinearSGDModel<?> model, Prediction<?> prediction, String predicted,
      String explained, int outputId, FeatureInputs inputs, Map<String, String> values) {
    DenseMatrix weights = model.getWeightsCopy();
    ImmutableFeatureMap features = model.getFeatureIDMap();
    double bias = weights.get(outputId, features.size());
    double score = bias;
    Map<String, Double> byInput = new HashMap<>();
    for (Map.Entry<String, Double> f : Explainer.features(prediction).entrySet()) {
      int id = features.getID(f.getKey());
      if (id < 0) {
        continue;
      }
      double c = weights.get(outputId, id) * f.getValue();
      score += c;
      inputs.input(f.getKey()).ifPresent(in -> byInput.merge(in, c, Double::sum));
    }
    return new Explanation("linear", predicted, explained, score, bias, Explainer.contributions(values, byInput),
        OptionalDouble.empty(), 0);
  }
}
