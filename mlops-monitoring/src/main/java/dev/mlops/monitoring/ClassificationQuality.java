package dev.mlops.monitoring;

import dev.mlops.core.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Classification quality of one side, with scikit-learn's definitions: the classes are the
 * sorted union of true and predicted labels; precision TP/(TP + FP), recall TP/(TP + FN) and F1
 * 2TP/(2TP + FP + FN) per class, 0 where the denominator is 0 ({@code zero_division=0}); macro
 * averages are their unweighted means; log loss, where class scores are given, is
 * −mean(ln p(true class)) with each row's scores clipped to [ε, 1 − ε] (ε = 2⁻⁵²) and divided by
 * their sum. Rows where the label or the prediction is missing are left out and counted; rows
 * with a missing score are left out of the log loss only. At most {@link #MAX_CLASSES} classes.
 *
 * <pre>{@code
 * ClassificationQuality q = CheckReport.currentClassification().orElseThrow();
 * double f1 = q.f1Macro();
 * long[][] confusion = q.confusion(); // rows: true class, columns: predicted class
 * }</pre>
 *
 * @param rows rows with both a label and a prediction
 * @param skipped rows left out because the label or the prediction was missing
 * @param classes the classes, sorted
 * @param accuracy share of rows predicted right
 * @param precision per class
 * @param recall per class
 * @param f1 per class
 * @param logLoss the log loss, when class scores were given
 * @param confusion counts of (true class, predicted class), in the order of {@code classes}
 */
public record ClassificationQuality(long rows, long skipped, List<String> classes, double accuracy,
    Map<String, Double> precision, Map<String, Double> recall, Map<String, Double> f1, OptionalDouble logLoss,
    long[][] confusion) {
  /** ε of the log loss's clipping: the spacing of doubles at 1, as scikit-learn's {@code eps='auto'}. */
  public static final double LOG_LOSS_EPSILON = Math.ulp(1.0);
  /** At most this many classes, so that the confusion matrix stays small (1,000² counts = 8 MB). */
  public static final int MAX_CLASSES = 1_000;

  public ClassificationQuality {
    classes = List.copyOf(classes);
    precision = Map.copyOf(precision);
    recall = Map.copyOf(recall);
    f1 = Map.copyOf(f1);
    confusion = Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
  }

  /** The confusion matrix (a copy). */
  @Override
  public long[][] confusion() {
    return Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
  }

  /** Mean precision over the classes. */
  public double precisionMacro() {
    return mean(precision);
  }

  /** Mean recall over the classes. */
  public double recallMacro() {
    return mean(recall);
  }

  /** Mean F1 over the classes. */
  public double f1Macro() {
    return mean(f1);
  }

  private double mean(Map<String, Double> perClass) {
    return classes.isEmpty() ? Double.NaN
        : classes.stream().mapToDouble(perClass::get).sum() / classes.size();
  }

  /**
   * Computes the quality of {@code predicted} against {@code truth} (null = missing).
   *
   * @param scores per class, one score per row (NaN = missing), or an empty map for no log loss
   */
  static ClassificationQuality of(String[] truth, String[] predicted, Map<String, double[]> scores) {
    TreeSet<String> union = new TreeSet<>();
    long skipped = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] == null || predicted[i] == null) {
        skipped++;
      } else {
        union.add(truth[i]);
        union.add(predicted[i]);
      }
    }
    if (union.size() > MAX_CLASSES) {
      throw new InvalidInputException("the labels and predictions hold " + union.size() + " classes, more than "
          + MAX_CLASSES + "; a column of that many values is no class label (use a numeric target for regression)");
    }
    List<String> classes = List.copyOf(union);
    Map<String, Integer> index = new TreeMap<>();
    for (int k = 0; k < classes.size(); k++) {
      index.put(classes.get(k), k);
    }
    int c = classes.size();
    long[][] confusion = new long[c][c];
    long right = 0;
    long rows = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] != null && predicted[i] != null) {
        int t = index.get(truth[i]);
        int p = index.get(predicted[i]);
        confusion[t][p]++;
        right += t == p ? 1 : 0;
        rows++;
      }
    }
    Map<String, Double> precision = new TreeMap<>();
    Map<String, Double> recall = new TreeMap<>();
    Map<String, Double> f1 = new TreeMap<>();
    for (int k = 0; k < c; k++) {
      long tp = confusion[k][k];
      long fp = 0;
      long fn = 0;
      for (int o = 0; o < c; o++) {
        if (o != k) {
          fp += confusion[o][k];
          fn += confusion[k][o];
        }
      }
      precision.put(classes.get(k), ratio(tp, tp + fp));
      recall.put(classes.get(k), ratio(tp, tp + fn));
      f1.put(classes.get(k), ratio(2 * tp, 2 * tp + fp + fn));
    }
    return new ClassificationQuality(rows, skipped, classes, rows == 0 ? Double.NaN : (double) right / rows,
        precision, recall, f1, logLoss(truth, predicted, classes, scores), confusion);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }

  private static OptionalDouble logLoss(String[] truth, String[] predicted, List<String> classes,
      Map<String, double[]> scores) {
    if (scores.isEmpty()) {
      return OptionalDouble.empty();
    }
    for (String k : classes) {
      if (!scores.containsKey(k)) {
        throw new InvalidInputException("class '" + k + "' occurs in the labels or predictions but has no score "
            + "column; the score columns cover " + new TreeSet<>(scores.keySet()));
      }
    }
    List<String> scored = List.copyOf(new TreeSet<>(scores.keySet()));
    double sum = 0;
    long n = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] == null || predicted[i] == null) {
        continue;
      }
      double total = 0;
      double mine = Double.NaN;
      boolean complete = true;
      for (String k : scored) {
        double v = scores.get(k)[i];
        if (Double.isNaN(v)) {
          complete = false;
          break;
        }
        double clipped = Math.min(Math.max(v, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
        total += clipped;
        if (k.equals(truth[i])) {
          mine = clipped;
        }
      }
      if (complete) {
        sum += -Math.log(mine / total);
        n++;
      }
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
  }
}
