package dev.mlops.monitoring.internal;

/**
 * Count, mean and sum of squared deviations of finite values, combined with Chan's parallel
 * formula so that partial results merge in any grouping.
 *
 * @param count how many values
 * @param mean their mean (0 when there are none)
 * @param m2 the sum of squared deviations from the mean
 * @param min the smallest value (+Inf when there are none)
 * @param max the largest value (-Inf when there are none)
 */
public record Moments(long count, double mean, double m2, double min, double max) {
  public static final Moments EMPTY =
      new Moments(0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

  /** The moments of {@code values[from..to)}, all of which must be finite. */
  public static Moments of(double[] values, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return EMPTY;
    }
    // Two passes over a short block that stays in cache: exact enough and vectorisable.
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      double v = values[i];
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / n;
    double m2 = 0;
    for (int i = from; i < to; i++) {
      double d = values[i] - mean;
      m2 += d * d;
    }
    return new Moments(n, mean, m2, min, max);
  }

  /** Chan's combination: the moments of both groups together. */
  public Moments plus(Moments o) {
    if (o.count == 0) {
      return this;
    }
    if (count == 0) {
      return o;
    }
    long n = count + o.count;
    double delta = o.mean - mean;
    // Weighting by the larger group first keeps the combination symmetric up to rounding.
    double newMean = mean + delta * ((double) o.count / n);
    double newM2 = m2 + o.m2 + delta * delta * ((double) count * o.count / n);
    return new Moments(n, newMean, newM2, Math.min(min, o.min), Math.max(max, o.max));
  }

  /** The population variance (ddof = 0); NaN when there are no values. */
  public double variance() {
    return count == 0 ? Double.NaN : m2 / count;
  }
}
