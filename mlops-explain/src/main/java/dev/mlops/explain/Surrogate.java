package dev.mlops.explain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tribuo.CategoricalInfo;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Reads contributions from a local linear surrogate g: the base is g at the training mean, and an
 * input's contribution is g at the row minus g at the row with that input's features moved to
 * their training mean. For a linear g the contributions and the base add up to g at the row.
 */
final class Surrogate {
  private final double base;
  private final Map<String, Double> byInput;

  private Surrogate(double base, Map<String, Double> byInput) {
    this.base = base;
    this.byInput = byInput;
  }

  /** One point in the model's feature space, by feature name (absent features are 0, as in Tribuo). */
  record Point(Map<String, Double> features) {
    ArrayExample<Regressor> asRegressionExample() {
      String[] names = new String[features.size()];
      double[] values = new double[features.size()];
      int i = 0;
      for (Map.Entry<String, Double> e : features.entrySet()) {
        names[i] = e.getKey();
        values[i++] = e.getValue();
      }
      return new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, values);
    }
  }

  static Surrogate of(ImmutableFeatureMap featureMap, Map<String, Double> row, FeatureInputs inputs,
      ToDoubleFunction<Point> g) {
    long examples = Math.max(1, totalExamples(featureMap));
    Map<String, Double> means = new LinkedHashMap<>();
    for (VariableInfo info : featureMap) {
      means.put(info.getName(), moments(info, examples)[0]);
    }
    Map<String, Double> at = new LinkedHashMap<>(means);
    at.replaceAll((name, mean) -> row.getOrDefault(name, 0.0));
    double atRow = g.applyAsDouble(new Point(at));
    double base = g.applyAsDouble(new Point(means));
    Map<String, Map<String, Double>> featuresByInput = new HashMap<>();
    for (String feature : means.keySet()) {
      inputs.input(feature).ifPresent(in -> featuresByInput.computeIfAbsent(in, k -> new HashMap<>()).put(feature,
          means.get(feature)));
    }
    Map<String, Double> byInput = new HashMap<>();
    featuresByInput.forEach((input, moved) -> {
      Map<String, Double> point = new LinkedHashMap<>(at);
      point.putAll(moved);
      byInput.put(input, atRow - g.applyAsDouble(new Point(point)));
    });
    return new Surrogate(base, byInput);
  }

  double base() {
    return base;
  }

  Map<String, Double> byInput() {
    return byInput;
  }

  /** How many training examples the feature statistics count: the most any feature was seen. */
  static long totalExamples(ImmutableFeatureMap featureMap) {
    long n = 0;
    for (VariableInfo info : featureMap) {
      n = Math.max(n, info.getCount());
    }
    return n;
  }

  /**
   * A feature's training mean and variance over all examples, absent values counted as 0:
   * Tribuo records a feature's moments over the examples where it is present.
   */
  static double[] moments(VariableInfo info, long examples) {
    RealInfo real = info instanceof RealInfo r ? r : ((CategoricalInfo) info).generateRealInfo();
    double share = (double) real.getCount() / examples;
    double mean = real.getMean() * share;
    double square = (real.getVariance() + real.getMean() * real.getMean()) * share;
    return new double[] {mean, Math.max(0, square - mean * mean)};
  }
}
