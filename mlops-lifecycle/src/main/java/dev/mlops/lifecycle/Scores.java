package dev.mlops.lifecycle;

import dev.mlops.core.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The holdout metrics of a classifier or a regressor, from true and predicted values of the same rows. */
final class Scores {
  /** A classifier's metrics; a search picks by the first unless told otherwise. */
  static final List<String> CLASSIFICATION = List.of("accuracy", "macro_f1", "error_rate");
  /** A regressor's metrics; a search picks by the first (lower is better) unless told otherwise. */
  static final List<String> REGRESSION = List.of("rmse", "mae", "r2");
  static final List<String> METRICS = List.of("accuracy", "macro_f1", "error_rate", "rmse", "mae", "r2");

  private Scores() {}

  static String checkMetric(String metric) {
    if (!METRICS.contains(metric)) {
      throw new InvalidInputException("unknown metric '" + metric + "'; a life cycle scores " + METRICS);
    }
    return metric;
  }

  /** Whether a larger value of the metric is better. */
  static boolean higherIsBetter(String metric) {
    return !metric.equals("error_rate") && !metric.equals("rmse") && !metric.equals("mae");
  }

  /**
   * rmse, mae and r2 (the coefficient of determination, as scikit-learn's {@code r2_score}: 1 −
   * SS_res / SS_tot, and for a constant truth 1 when the predictions are exact, else 0).
   */
  static Map<String, Double> regression(double[] truth, double[] predicted) {
    if (truth.length != predicted.length || truth.length == 0) {
      throw new IllegalArgumentException("scores need as many predictions as values, at least one; got "
          + predicted.length + " and " + truth.length);
    }
    double mean = 0;
    for (double t : truth) {
      mean += t;
    }
    mean /= truth.length;
    double squares = 0;
    double absolutes = 0;
    double total = 0;
    for (int i = 0; i < truth.length; i++) {
      double e = predicted[i] - truth[i];
      squares += e * e;
      absolutes += Math.abs(e);
      total += (truth[i] - mean) * (truth[i] - mean);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rmse", Math.sqrt(squares / truth.length));
    m.put("mae", absolutes / truth.length);
    m.put("r2", total == 0 ? (squares == 0 ? 1.0 : 0.0) : 1 - squares / total);
    return m;
  }

  /** accuracy, macro_f1 (the mean F1 over the labels seen in either array) and error_rate. */
  static Map<String, Double> of(String[] truth, String[] predicted) {
    if (truth.length != predicted.length || truth.length == 0) {
      throw new IllegalArgumentException("scores need as many predictions as labels, at least one; got "
          + predicted.length + " and " + truth.length);
    }
    // one pass over the rows counts every label's true and false positives and false negatives
    Map<String, int[]> counts = new TreeMap<>();   // label -> {tp, fp, fn}, in label order for the sum
    int right = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i].equals(predicted[i])) {
        right++;
        counts.computeIfAbsent(truth[i], k -> new int[3])[0]++;
      } else {
        counts.computeIfAbsent(predicted[i], k -> new int[3])[1]++;
        counts.computeIfAbsent(truth[i], k -> new int[3])[2]++;
      }
    }
    double f1Sum = 0;
    for (int[] c : counts.values()) {
      f1Sum += c[0] == 0 ? 0 : 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
    }
    int labelCount = counts.size();
    double accuracy = (double) right / truth.length;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy);
    m.put("macro_f1", f1Sum / labelCount);
    m.put("error_rate", 1 - accuracy);
    return m;
  }
}
