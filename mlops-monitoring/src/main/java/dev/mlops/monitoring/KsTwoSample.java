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

  /** The larger sample is cut every this many values for {@link #integralStatistic}'s bounds. */
  static final int STRIDE = 128;

  /**
   * max over the distinct values v of |n·m·(F_x(v) − F_y(v))|, i.e. of |i·m − j·n| over the
   * states (i, j) of the stable merge of the sorted arrays (x first among equal values) that end a
   * run of ties: those where the next value to merge is larger than the last one merged. Both
   * arrays are sorted and finite, as every sample of this package is.
   *
   * <p>Most of the merge is never walked. The larger sample is cut at every {@link #STRIDE}-th of
   * its values v, and the state "every value below v merged" is found in both arrays by galloping
   * from the previous cut; such a state ends a run of ties, so it is a candidate itself. Between two
   * cuts (i₀, j₀) and (i₁, j₁), every state has i₀ ≤ i ≤ i₁ and j₀ ≤ j ≤ j₁, so |i·m − j·n| is at
   * most max(i₁·m − j₀·n, j₁·n − i₀·m); only the pieces whose bound exceeds the largest value
   * already found are merged, which near the maximum of a drifted column is a few pieces, and
   * for samples from one distribution the pieces near the top of the difference's excursion.
   */
  static long integralStatistic(double[] x, double[] y) {
    int n = x.length;
    int m = y.length;
    if (n == 0 || m == 0) {
      return 0;
    }
    double[] larger = n >= m ? x : y;
    int cuts = (larger.length - 1) / STRIDE;
    int[] ci = new int[cuts + 2];
    int[] cj = new int[cuts + 2];
    long max = 0;
    for (int k = 1; k <= cuts; k++) {
      double v = larger[k * STRIDE];
      int i = firstNotBelow(x, ci[k - 1], v);
      int j = firstNotBelow(y, cj[k - 1], v);
      ci[k] = i;
      cj[k] = j;
      max = Math.max(max, Math.abs((long) i * m - (long) j * n));
    }
    ci[cuts + 1] = n;
    cj[cuts + 1] = m;
    for (int k = 0; k <= cuts; k++) {
      long bound = Math.max((long) ci[k + 1] * m - (long) cj[k] * n, (long) cj[k + 1] * n - (long) ci[k] * m);
      if (bound > max) {
        max = Math.max(max, walk(x, y, ci[k], cj[k], ci[k + 1], cj[k + 1]));
      }
    }
    return max;
  }

  /** The first index from {@code from} on whose value is not below {@code v}, all before it being below. */
  private static int firstNotBelow(double[] a, int from, double v) {
    int lo = from;
    int hi = from;
    int step = 1;
    while (hi < a.length && a[hi] < v) {
      lo = hi + 1;
      hi += step;
      step <<= 1;
    }
    hi = Math.min(hi, a.length);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The largest |i·m − j·n| over the tie-ending states the merge passes from (i, j) to (iEnd, jEnd).
   * A merge step loads the element the previous one chose, so it is taken without a branch on the
   * data, which interleaved samples would mispredict every other step; the states next to the
   * arrays' ends, where a step must check bounds, are left to a plain walk.
   */
  private static long walk(double[] x, double[] y, int i, int j, int iEnd, int jEnd) {
    int n = x.length;
    int m = y.length;
    long max = 0;
    int iFast = Math.min(iEnd, n - 1);
    int jFast = Math.min(jEnd, m - 1);
    while (i < iFast && j < jFast) {
      double a = x[i];
      double b = y[j];
      int takeX = lessOrEqual(a, b);
      double last = Math.min(a, b);
      i += takeX;
      j += 1 - takeX;
      long d = Math.abs((long) i * m - (long) j * n);
      max = Math.min(x[i], y[j]) > last ? Math.max(max, d) : max;
    }
    while (i < iEnd || j < jEnd) {
      boolean takeX = j == jEnd || (i < iEnd && x[i] <= y[j]);
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
