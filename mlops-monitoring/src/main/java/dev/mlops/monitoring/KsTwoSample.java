package dev.mlops.monitoring;

import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/**
 * The two-sided two-sample Kolmogorov–Smirnov test on samples that are already sorted, as SciPy's
 * {@code ks_2samp(method='auto')} computes it. Small samples (both under 10,000 values) go to
 * Commons Statistics' exact test. For large ones the statistic comes from one merge of the sorted
 * arrays and the p-value from Smirnov's asymptotic form, P(D ≥ d) of the one-sample distribution
 * with N = round(nm / (n + m)), in SciPy's regions: 0 when N·d² ≥ 370, twice the one-sided
 * Smirnov sum when N·d² ≥ 2.2 (computed here, since Commons sums its N(1 − d) terms in extended
 * precision, which takes up to half a second at N = 500,000), one minus the Pelz–Good series when
 * N &gt; 100,000 below that (SciPy's choice there; computed here too, as Commons would copy and sort
 * both samples again to reach it), and Commons' own computation otherwise (where SciPy too may
 * take an exact method). So for N &gt; 100,000 no path sorts again or evaluates an exact distribution.
 */
final class KsTwoSample {
  /** From this size of either sample on, SciPy and Commons use the asymptotic p-value. */
  static final int LARGE_SAMPLE = 10_000;
  /** SciPy returns a p-value of 0 from this N·d² on. */
  private static final double ZERO_FROM = 370;
  /** From this N·d² on, the p-value is twice the one-sided Smirnov sum. */
  private static final double SMIRNOV_FROM = 2.2;
  /** Above this N SciPy takes the Pelz–Good series below {@link #SMIRNOV_FROM} instead of an exact matrix method. */
  private static final int PELZ_GOOD_ABOVE = 100_000;
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
    if (effective > PELZ_GOOD_ABOVE && nxx < SMIRNOV_FROM) {
      return new Result(d, Math.min(1, Math.max(0, 1 - smallStatisticCdf(effective, d))));
    }
    return commons(x, y);
  }

  private static Result commons(double[] x, double[] y) {
    KolmogorovSmirnovTest.TwoResult r = KolmogorovSmirnovTest.withDefaults().test(x, y);
    return new Result(r.getStatistic(), r.getPValue());
  }

  /**
   * max over the distinct values v of |n·m·(F_x(v) − F_y(v))|, i.e. of |i·m − j·n| over the
   * states (i, j) of the stable merge of the sorted arrays (x first among equal values) that end a
   * run of ties: those where the next value to merge is larger than the last one merged. Both
   * arrays are sorted and finite, as every sample of this package is.
   *
   * <p>A merge is one long chain of dependent steps (each loads the element the previous one
   * chose), so it runs at the latency of a load and a compare. Here two chains walk the same
   * merge at once, one forward from the first state and one backward from the last, until they
   * meet; the processor overlaps their steps. Both steps are arithmetic, with no branch to guess. The backward chain sees
   * the same states as the forward one: the last element merged into a state is the larger of
   * x[i − 1] and y[j − 1], y on a tie. States near the ends of the arrays, where a step must check
   * bounds, are left to a plain walk.
   */
  static long integralStatistic(double[] x, double[] y) {
    int n = x.length;
    int m = y.length;
    if (n == 0 || m == 0) {
      return 0;
    }
    // Forward chain: state (fi, fj), fv the value merged last.
    int fi = 0;
    int fj = 0;
    double fv;
    // Backward chain: state (bi, bj), bv the value merged next from it.
    int bi = n;
    int bj = m;
    double bv;
    long max = 0;
    // Each step stays among states with elements on both sides: forward ones below the last
    // element of either array, backward ones above the first two.
    while (fi + 1 < n && fj + 1 < m && bi > 1 && bj > 1 && fi + fj < bi + bj) {
      double a = x[fi];
      double b = y[fj];
      int takeX = lessOrEqual(a, b);
      fv = Math.min(a, b);
      fi += takeX;
      fj += 1 - takeX;
      long df = Math.abs((long) fi * m - (long) fj * n);
      max = Math.min(x[fi], y[fj]) > fv ? Math.max(max, df) : max;

      double c = x[bi - 1];
      double d = y[bj - 1];
      int backX = 1 - lessOrEqual(c, d);
      bv = Math.max(c, d);
      bi -= backX;
      bj -= 1 - backX;
      long db = Math.abs((long) bi * m - (long) bj * n);
      max = Math.max(x[bi - 1], y[bj - 1]) < bv ? Math.max(max, db) : max;
    }
    // The states the chains did not reach, walked forward with bounds checked.
    int i = fi;
    int j = fj;
    while (i + j < bi + bj) {
      boolean takeX = j == m || (i < n && x[i] <= y[j]);
      i += takeX ? 1 : 0;
      j += takeX ? 0 : 1;
      if (endsTies(x, y, i, j)) {
        max = Math.max(max, Math.abs((long) i * m - (long) j * n));
      }
    }
    return max;
  }

  /**
   * 1 when {@code a <= b}, else 0, for finite values, from the sign of b − a (+0.0 turns the −0.0
   * of −0.0 − 0.0 into +0.0, so equal values of either sign count as equal; a difference of
   * distinct doubles is never zero). Arithmetic rather than a comparison: the JIT may compile a
   * boolean choice into a branch, which interleaved samples mispredict every other step.
   */
  private static int lessOrEqual(double a, double b) {
    return 1 - (int) (Double.doubleToRawLongBits((b - a) + 0.0) >>> 63);
  }

  /** Whether the next value to merge from state (i, j) is larger than the last one merged into it. */
  private static boolean endsTies(double[] x, double[] y, int i, int j) {
    double next = Math.min(i < x.length ? x[i] : Double.POSITIVE_INFINITY, j < y.length ? y[j] : Double.POSITIVE_INFINITY);
    double last = Math.max(i > 0 ? x[i - 1] : Double.NEGATIVE_INFINITY, j > 0 ? y[j - 1] : Double.NEGATIVE_INFINITY);
    return next > last;
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

  /**
   * P(D_n ≤ x) for N·x² &lt; 2.2 and large n, as SciPy's {@code _kolmogn}: Ruben–Gambino's exact
   * form n!/nⁿ·(2nx − 1)ⁿ where n·x ≤ 1, else the Pelz–Good series.
   */
  static double smallStatisticCdf(int n, double x) {
    double t = n * x;
    if (t <= 0.5) {
      return 0;
    }
    if (t <= 1) {
      return Math.exp(logFactorial(n) - n * Math.log(n) + n * Math.log(2 * t - 1));
    }
    return pelzGood(n, x);
  }

  /**
   * Pelz and Good's (1976) approximation of P(D_n ≤ x): Li-Chien and Korolyuk's expansion
   * K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 at z = x√n, each K written through Jacobi's theta
   * functions so that the sums converge fast for small z; the terms and their order are SciPy's,
   * so that the p-values agree to rounding.
   */
  static double pelzGood(int n, double x) {
    double z = Math.sqrt(n) * x;
    double z2 = z * z;
    double z3 = z2 * z;
    double z4 = z2 * z2;
    double z6 = z4 * z2;
    double pi2 = Math.PI * Math.PI;
    double pi4 = pi2 * pi2;
    double pi6 = pi4 * pi2;
    double qlog = -pi2 / 8 / z2;
    if (qlog < -708) {
      return 0;
    }
    double q = Math.exp(qlog);
    double k1a = -z2;
    double k1b = pi2 / 4;
    double k2a = 6 * z6 + 2 * z4;
    double k2b = (2 * z4 - 5 * z2) * pi2 / 4;
    double k2c = pi4 * (1 - 2 * z2) / 16;
    double k3d = pi6 * (5 - 30 * z2) / 64;
    double k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
    double k3b = pi2 * (135 * z4 - 96 * z6) / 4;
    double k3a = -30 * z6 - 90 * z4 * z4;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int maxk = (int) Math.ceil(16 * z / Math.PI);
    // Horner's scheme over the odd integers m = 2k − 1 of the sums Σ c(m)·q^(m²).
    for (int k = maxk; k > 0; k--) {
      double m = 2.0 * k - 1;
      double m2 = m * m;
      double m4 = m2 * m2;
      double m6 = m4 * m2;
      double qpower = Math.pow(q, 8.0 * k);
      s0 = s0 * qpower + 1;
      s1 = s1 * qpower + (k1a + k1b * m2);
      s2 = s2 * qpower + (k2a + k2b * m2 + k2c * m4);
      s3 = s3 * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
    }
    double scale = q * Math.sqrt(2 * Math.PI);
    s0 = s0 * scale / z;
    s1 = s1 * scale / (6 * z4);
    s2 = s2 * scale / (72 * z6 * z);
    s3 = s3 * scale / (6480 * z6 * z4);
    // The remaining terms of K2 and K3 run over all integers k, without cancellation.
    double qAll = Math.exp(-pi2 / 2 / z2);
    double sqrt3z = Math.sqrt(3) * z;
    double k2extra = 0;
    double k3extra = 0;
    for (int k = maxk; k > 0; k--) {
      double k2 = (double) k * k;
      double power = Math.pow(qAll, k2);
      double kpi = Math.PI * k;
      k2extra += k2 * power;
      k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * power;
    }
    s2 += k2extra * pi2 * Math.sqrt(2 * Math.PI) / (-36 * z3);
    s3 += k3extra * pi2 * Math.sqrt(2 * Math.PI) / (216 * z6);
    double rootN = Math.sqrt(n);
    return s0 + s1 / rootN + s2 / n + s3 / (n * rootN);
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
