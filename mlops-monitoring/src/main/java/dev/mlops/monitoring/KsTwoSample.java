package dev.mlops.monitoring;

import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/**
 * The two-sided two-sample Kolmogorov–Smirnov test on samples that are already sorted, as SciPy's
 * {@code ks_2samp(method='auto')} computes it. Small samples (both under 10,000 values) go to
 * Commons Statistics' exact test. For large ones the statistic comes from one merge of the sorted
 * arrays and the p-value from Smirnov's asymptotic form, P(D ≥ d) of the one-sample distribution
 * with N = round(nm / (n + m)), in SciPy's regions: 0 when N·d² ≥ 370, twice the one-sided
 * Smirnov sum when N·d² ≥ 2.2 (computed here, since Commons sums its N(1 − d) terms in extended
 * precision, which takes up to half a second at N = 500,000), and Commons' own computation below.
 */
final class KsTwoSample {
  /** From this size of either sample on, SciPy and Commons use the asymptotic p-value. */
  static final int LARGE_SAMPLE = 10_000;
  /** SciPy returns a p-value of 0 from this N·d² on. */
  private static final double ZERO_FROM = 370;
  /** From this N·d² on, the p-value is twice the one-sided Smirnov sum. */
  private static final double SMIRNOV_FROM = 2.2;
  /** The Smirnov sum is evaluated at about this many points at most. */
  private static final int SUM_POINTS = 20_000;

  private KsTwoSample() {}

  /** The statistic and the p-value. */
  record Result(double statistic, double pValue) {}

  static Result test(double[] x, double[] y) {
    int n = x.length;
    int m = y.length;
    if (Math.max(n, m) < LARGE_SAMPLE) {
      return commons(x, y);
    }
    long dnm = integralStatistic(x, y);
    long gcd = gcd(n, m);
    double d = (dnm / gcd) / ((double) n * (m / gcd));
    double nn = Math.min(n, m);
    double mm = Math.max(n, m);
    int effective = (int) Math.round(mm * nn / (mm + nn));
    double nxx = effective * d * d;
    if (nxx >= ZERO_FROM) {
      return new Result(d, 0);
    }
    if (effective > 140 && nxx >= SMIRNOV_FROM && d < 0.5) {
      return new Result(d, Math.min(1, Math.max(0, 2 * smirnov(effective, d))));
    }
    return commons(x, y);
  }

  private static Result commons(double[] x, double[] y) {
    KolmogorovSmirnovTest.TwoResult r = KolmogorovSmirnovTest.withDefaults().test(x, y);
    return new Result(r.getStatistic(), r.getPValue());
  }

  /**
   * max over the distinct values v of |n·m·(F_x(v) − F_y(v))|, i.e. of |i·m − j·n| once every
   * value ≤ v is consumed. One element per step and no branch on the data, so that the merge does
   * not stall on mispredicted comparisons: a step's difference counts only when the next value is
   * larger (the end of a run of ties). Once one side is used up the difference only shrinks.
   */
  static long integralStatistic(double[] x, double[] y) {
    int n = x.length;
    int m = y.length;
    int i = 0;
    int j = 0;
    long max = 0;
    double v = 0;
    while (i < n && j < m) {
      double a = x[i];
      double b = y[j];
      boolean takeX = a <= b;
      v = takeX ? a : b;
      i += takeX ? 1 : 0;
      j += takeX ? 0 : 1;
      if (i < n && j < m) {
        long d = Math.abs((long) i * m - (long) j * n);
        max = Math.min(x[i], y[j]) > v ? Math.max(max, d) : max;
      }
    }
    while (i < n && x[i] == v) {
      i++;
    }
    while (j < m && y[j] == v) {
      j++;
    }
    return Math.max(max, Math.abs((long) i * m - (long) j * n));
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /**
   * P(D⁺_n ≥ x) by Smirnov's formula x·Σ_{j=0}^{⌊n(1−x)⌋} C(n, j)(x + j/n)^{j−1}(1 − x − j/n)^{n−j},
   * each term in logarithms. Where n(1 − x) exceeds {@link #SUM_POINTS} the sum is taken every h-th
   * term times h: in SciPy's region the terms vary on a scale of n/60 or more in j and vanish
   * towards both ends, so the strided sum equals the full one to double precision.
   */
  static double smirnov(int n, double x) {
    int last = (int) Math.floor(n * (1 - x));
    int h = Math.max(1, last / SUM_POINTS);
    double logX = Math.log(x);
    double logFactN = logFactorial(n);
    int count = last / h + 1;
    double[] logs = new double[count];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < count; k++) {
      int j = k * h;
      double a = x + (double) j / n;
      double b = 1 - a;
      double log = logFactN - logFactorial(j) - logFactorial(n - j) + logX + (j - 1) * Math.log(a)
          + (b > 0 ? (n - j) * Math.log(b) : Double.NEGATIVE_INFINITY);
      logs[k] = log;
      max = Math.max(max, log);
    }
    double sum = 0;
    for (double log : logs) {
      sum += Math.exp(log - max);
    }
    return h * sum * Math.exp(max);
  }

  private static final int TABLE = 256;
  private static final double[] LOG_FACTORIALS = new double[TABLE];

  static {
    for (int i = 1; i < TABLE; i++) {
      LOG_FACTORIALS[i] = LOG_FACTORIALS[i - 1] + Math.log(i);
    }
  }

  /** ln(k!) from a table below 256, else Stirling's series (error below 1e-16 relative there). */
  static double logFactorial(int k) {
    if (k < TABLE) {
      return LOG_FACTORIALS[k];
    }
    double z = k + 1.0;
    double inv = 1 / z;
    double inv2 = inv * inv;
    return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI)
        + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
  }
}
