package dev.mlops.explain;

import dev.mlops.core.InvalidInputException;
import java.util.List;
import java.util.Locale;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * The score a {@link PermutationImportance} measures a model by, defined as scikit-learn's
 * metrics are. Importance is the score lost when a column is shuffled: the baseline minus the
 * shuffled score for a score where higher is better (accuracy, R²), the shuffled loss minus the
 * baseline for a loss (log loss, MAE, RMSE), so that an important feature has a positive
 * importance under every metric, as scikit-learn's {@code neg_*} scorers give it.
 *
 * <pre>{@code
 * FeatureImportance fi = Importance.permutation().metric(ScoreMetric.LOG_LOSS)
 *     .compute(predictor, frame, "species");
 * }</pre>
 */
public enum ScoreMetric {
  /** The share of rows whose predicted label is the true one (classifiers). */
  ACCURACY(true, Label.class),
  /**
   * The mean of −ln p(true label), p clipped to [1e-15, 1 − 1e-15] (classifiers that give
   * scores); a true label the model never predicts has p = 0, clipped.
   */
  LOG_LOSS(false, Label.class),
  /** Mean absolute error of the first output dimension (regressors). */
  MAE(false, Regressor.class),
  /** Root mean squared error of the first output dimension (regressors). */
  RMSE(false, Regressor.class),
  /** The coefficient of determination 1 − SS_res / SS_tot of the first dimension (regressors). */
  R2(true, Regressor.class);

  private static final double EPS = 1e-15;
  private final boolean higherIsBetter;
  private final Class<? extends Output<?>> outputType;

  ScoreMetric(boolean higherIsBetter, Class<? extends Output<?>> outputType) {
    this.higherIsBetter = higherIsBetter;
    this.outputType = outputType;
  }

  /** Whether a larger value is a better model. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The name used in JSON, such as {@code log_loss}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** scikit-learn's default score for the model's kind: accuracy for classifiers, R² for regressors. */
  static ScoreMetric defaultFor(Class<?> outputType) {
    return outputType == Label.class ? ACCURACY : R2;
  }

  void checkFits(Class<?> modelOutput) {
    if (modelOutput != outputType) {
      throw new InvalidInputException("the metric " + jsonName() + " measures a " + outputType.getSimpleName()
          + " model but the model predicts " + modelOutput.getSimpleName() + "; use "
          + (modelOutput == Label.class ? "accuracy or log_loss" : "mae, rmse or r2"));
    }
  }

  /**
   * The score of predictions against the truth: labels ({@code String[]}) for classifiers,
   * values ({@code double[]}) for regressors.
   */
  double score(List<? extends Prediction<?>> predictions, Object truth) {
    int n = predictions.size();
    switch (this) {
      case ACCURACY -> {
        String[] labels = (String[]) truth;
        long right = 0;
        for (int i = 0; i < n; i++) {
          if (((Label) predictions.get(i).getOutput()).getLabel().equals(labels[i])) {
            right++;
          }
        }
        return (double) right / n;
      }
      case LOG_LOSS -> {
        String[] labels = (String[]) truth;
        double sum = 0;
        for (int i = 0; i < n; i++) {
          Prediction<?> p = predictions.get(i);
          if (!p.hasProbabilities()) {
            throw new InvalidInputException("log_loss needs a model that gives class probabilities, and this one gives"
                + " none; use accuracy");
          }
          Output<?> scored = p.getOutputScores().get(labels[i]);
          double prob = scored == null ? 0 : ((Label) scored).getScore();
          sum -= Math.log(Math.min(Math.max(prob, EPS), 1 - EPS));
        }
        return sum / n;
      }
      default -> {
        double[] y = (double[]) truth;
        double abs = 0;
        double sq = 0;
        double mean = 0;
        for (double v : y) {
          mean += v;
        }
        mean /= n;
        double tot = 0;
        for (int i = 0; i < n; i++) {
          double e = ((Regressor) predictions.get(i).getOutput()).getValues()[0] - y[i];
          abs += Math.abs(e);
          sq += e * e;
          tot += (y[i] - mean) * (y[i] - mean);
        }
        return switch (this) {
          case MAE -> abs / n;
          case RMSE -> Math.sqrt(sq / n);
          default -> tot == 0 ? (sq == 0 ? 1 : 0) : 1 - sq / tot;
        };
      }
    }
  }

  /** The score lost by going from {@code baseline} to {@code shuffled}: positive when the feature matters. */
  double loss(double baseline, double shuffled) {
    return higherIsBetter ? baseline - shuffled : shuffled - baseline;
  }
}
