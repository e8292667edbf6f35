package dev.mlops.monitoring;

import dev.mlops.monitoring.internal.RadixSort;
import java.util.Arrays;
import java.util.List;

/**
 * Regression quality of one side, with scikit-learn's definitions: MAE mean|y − ŷ|, RMSE
 * sqrt(mean (y − ŷ)²), MAPE mean(|y − ŷ| / max(|y|, ε)) as a fraction (ε = 2⁻⁵²), R²
 * 1 − SS_res/SS_tot (1 when both are 0, 0 when only SS_tot is); and the distribution of the error
 * ŷ − y: mean, population standard deviation and quantiles (NumPy's linear method) at
 * {@link #QUANTILES}. Rows where the target or the prediction is missing or infinite are left out
 * and counted.
 *
 * <pre>{@code
 * RegressionQuality q = report.currentRegression().orElseThrow();
 * double rmse = q.rmse();
 * }</pre>
 *
 * @param rows rows with a finite target and prediction
 * @param skipped rows left out
 * @param mae mean absolute error
 * @param rmse root mean squared error
 * @param mape mean absolute percentage error, as a fraction
 * @param r2 coefficient of determination
 * @param meanError mean of ŷ − y
 * @param errorStd population standard deviation of ŷ − y
 * @param errorQuantiles quantiles of ŷ − y at {@link #QUANTILES}
 */
public record RegressionQuality(long rows, long skipped, double mae, double rmse, double mape, double r2,
    double meanError, double errorStd, double[] errorQuantiles) {
  /** Where the error distribution is summarised: min, 5 %, 25 %, median, 75 %, 95 %, max. */
  private static final double[] QUANTILE_LEVELS = {0, 0.05, 0.25, 0.5, 0.75, 0.95, 1};
  /** The levels of {@link #errorQuantiles()}. */
  public static final List<Double> QUANTILES = Arrays.stream(QUANTILE_LEVELS).boxed().toList();

  public RegressionQuality {
    errorQuantiles = errorQuantiles.clone();
  }

  /** The error quantiles (a copy). */
  @Override
  public double[] errorQuantiles() {
    return errorQuantiles.clone();
  }

  static RegressionQuality of(double[] truth, double[] predicted) {
    int n = 0;
    double[] y = new double[truth.length];
    double[] e = new double[truth.length];
    for (int i = 0; i < truth.length; i++) {
      if (Double.isFinite(truth[i]) && Double.isFinite(predicted[i])) {
        y[n] = truth[i];
        e[n++] = predicted[i] - truth[i];
      }
    }
    long skipped = truth.length - n;
    if (n == 0) {
      double[] none = new double[QUANTILE_LEVELS.length];
      Arrays.fill(none, Double.NaN);
      return new RegressionQuality(0, skipped, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, none);
    }
    double abs = 0;
    double squares = 0;
    double percentage = 0;
    double meanY = 0;
    double meanE = 0;
    for (int i = 0; i < n; i++) {
      double a = Math.abs(e[i]);
      abs += a;
      squares += e[i] * e[i];
      percentage += a / Math.max(Math.abs(y[i]), Math.ulp(1.0));
      meanY += y[i];
      meanE += e[i];
    }
    meanY /= n;
    meanE /= n;
    double total = 0;
    double spread = 0;
    for (int i = 0; i < n; i++) {
      total += (y[i] - meanY) * (y[i] - meanY);
      spread += (e[i] - meanE) * (e[i] - meanE);
    }
    double r2 = total != 0 ? 1 - squares / total : squares == 0 ? 1 : 0;
    RadixSort.sort(e, n);
    double[] q = new double[QUANTILE_LEVELS.length];
    for (int k = 0; k < q.length; k++) {
      q[k] = Binning.quantileOfSorted(e, n, QUANTILE_LEVELS[k]);
    }
    return new RegressionQuality(n, skipped, abs / n, Math.sqrt(squares / n), percentage / n, r2, meanE,
        Math.sqrt(spread / n), q);
  }
}
