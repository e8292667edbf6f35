package dev.mlops.explain;

import dev.mlops.core.Field;
import dev.mlops.packaging.ModelSignature;
import dev.mlops.packaging.Predictor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which input column of a signature feeds each of the model's Tribuo features: a numeric input
 * its {@linkplain ModelSignature#featureName feature}, a text input its one-hot features
 * {@code column@value}. Explanations and importances speak of input columns, as users do.
 */
final class FeatureInputs {
  private final Map<String, String> numeric = new HashMap<>();
  private final Map<String, String> prefixes = new HashMap<>();

  FeatureInputs(ModelSignature signature) {
    for (Field f : signature.inputs()) {
      if (f.type().isNumeric()) {
        numeric.put(signature.featureName(f.name()), f.name());
      } else {
        prefixes.put(f.name() + Predictor.ONE_HOT_SEPARATOR, f.name());
      }
    }
  }

  /** The input column a feature comes from, when one does. */
  Optional<String> input(String feature) {
    String in = numeric.get(feature);
    if (in != null) {
      return Optional.of(in);
    }
    int at = feature.indexOf(Predictor.ONE_HOT_SEPARATOR);
    while (at >= 0) {
      String column = prefixes.get(feature.substring(0, at + 1));
      if (column != null) {
        return Optional.of(column);
      }
      at = feature.indexOf(Predictor.ONE_HOT_SEPARATOR, at + 1);
    }
    return Optional.empty();
  }
}
