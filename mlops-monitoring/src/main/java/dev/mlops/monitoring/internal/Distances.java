package dev.mlops.monitoring.internal;

/**
 * Distances between two binned distributions and between two empirical distributions, with the
 * conventions of SciPy that the project's tests check against.
 */
public final class Distances {
  /** The share that replaces an empty bin in the population stability index. */
  public static final double EMPTY_SHARE = 1e-4;

  private Distances() {}

  /** Bin counts as shares of their total. */
  public static double[] shares(double[] counts) {
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    double[] s = new double[counts.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = counts[i] / total;
    }
    return s;
  }

  /** Σ (c − r)·ln(c / r) over bins, empty shares replaced by {@link #EMPTY_SHARE}. */
  public static double psi(double[] reference, double[] current) {
    double[] r = shares(reference);
    double[] c = shares(current);
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      double ri = r[i] == 0 ? EMPTY_SHARE : r[i];
      double ci = c[i] == 0 ? EMPTY_SHARE : c[i];
      sum += (ci - ri) * Math.log(ci / ri);
    }
    return sum;
  }

  /** SciPy's {@code jensenshannon(p, q, base=2)}: the square root of the base-2 divergence. */
  public static double jensenShannon(double[] reference, double[] current) {
    double[] p = shares(reference);
    double[] q = shares(current);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2.0;
      sum += relativeEntropy(p[i], m) + relativeEntropy(q[i], m);
    }
    return Math.sqrt(Math.max(0, sum / Math.log(2) / 2.0));
  }

  private static double relativeEntropy(double x, double y) {
    if (x == 0 && y >= 0) {
      return 0;
    }
    return x * Math.log(x / y);
  }

  /** sqrt(1 − Σ sqrt(p·q)), the Hellinger distance of the bin shares. */
  public static double hellinger(double[] reference, double[] current) {
    double[] p = shares(reference);
    double[] q = shares(current);
    double bc = 0;
    for (int i = 0; i < p.length; i++) {
      bc += Math.sqrt(p[i] * q[i]);
    }
    return Math.sqrt(Math.max(0, 1 - bc));
  }

  /**
   * The first Wasserstein distance between two step distributions given as ascending values
   * with cumulative weights (null weights mean one per value), as SciPy's
   * {@code wasserstein_distance}: the integral of |F − G|.
   */
  public static double wasserstein(double[] a, double[] cumA, double[] b, double[] cumB) {
    if (cumA == null && cumB == null) {
      return wasserstein(a, b);
    }
    int na = a.length;
    int nb = b.length;
    double totalA = cumA == null ? na : cumA[na - 1];
    double totalB = cumB == null ? nb : cumB[nb - 1];
    int i = 0;
    int j = 0;
    double fa = 0;
    double fb = 0;
    double previous = Math.min(a[0], b[0]);
    double sum = 0;
    while (i < na || j < nb) {
      double x = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
      sum += Math.abs(fa - fb) * (x - previous);
      while (i < na && a[i] == x) {
        i++;
      }
      while (j < nb && b[j] == x) {
        j++;
      }
      fa = (cumA == null ? i : (i == 0 ? 0 : cumA[i - 1])) / totalA;
      fb = (cumB == null ? j : (j == 0 ? 0 : cumB[j - 1])) / totalB;
      previous = x;
    }
    return sum;
  }

  /**
   * The same for one weight per value, one element per step without a branch on the data: inside
   * a run of ties the width {@code x − previous} is 0, so the intermediate |F − G| adds nothing.
   */
  private static double wasserstein(double[] a, double[] b) {
    int na = a.length;
    int nb = b.length;
    double totalA = na;
    double totalB = nb;
    int i = 0;
    int j = 0;
    double previous = Math.min(a[0], b[0]);
    double sum = 0;
    while (i < na && j < nb) {
      double x = a[i];
      double y = b[j];
      boolean takeA = x <= y;
      double v = takeA ? x : y;
      sum += Math.abs(i / totalA - j / totalB) * (v - previous);
      i += takeA ? 1 : 0;
      j += takeA ? 0 : 1;
      previous = v;
    }
    for (; i < na; i++) {
      sum += Math.abs(i / totalA - j / totalB) * (a[i] - previous);
      previous = a[i];
    }
    for (; j < nb; j++) {
      sum += Math.abs(i / totalA - j / totalB) * (b[j] - previous);
      previous = b[j];
    }
    return sum;
  }
}
