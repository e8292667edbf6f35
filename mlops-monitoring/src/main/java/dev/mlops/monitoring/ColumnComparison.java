package dev.mlops.monitoring;

import dev.mlops.monitoring.internal.Distances;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/** Runs one drift test on one column, choosing it by the default rule when none is given. */
final class ColumnComparison {
  /** Reference sizes up to this get the small-sample tests of the default rule. */
  static final int SMALL_SAMPLE = 1000;

  private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

  private ColumnComparison() {}

  /** The default test for a numeric column of n reference values and u distinct values in both. */
  static StatTest defaultNumeric(long n, long u) {
    if (n <= SMALL_SAMPLE) {
      return u > 5 ? StatTest.ks() : u >= 3 ? StatTest.chiSquare() : StatTest.z();
    }
    return u > 5 ? StatTest.wasserstein() : StatTest.jensenShannon();
  }

  /** The default test for a categorical column. */
  static StatTest defaultCategorical(long n, long u) {
    if (n <= SMALL_SAMPLE) {
      return u <= 2 ? StatTest.z() : StatTest.chiSquare();
    }
    return StatTest.jensenShannon();
  }

  static ColumnDrift numeric(String column, NumericSample ref, NumericSample cur, StatTest chosen) {
    long u = unionDistinct(ref, cur);
    StatTest test = chosen != null ? chosen : defaultNumeric(ref.count(), u);
    if (ref.count() == 0) {
      return ColumnDrift.untested(column, "numeric", test, "the reference has no finite values", Histogram.empty());
    }
    Binning bins = ref.referenceBinning();
    if (bins.isPerValue() && (cur instanceof SortedSample || cur.distinctCount() != NumericSample.MANY)) {
      TreeSet<Double> union = new TreeSet<>();
      for (double v : bins.values()) {
        union.add(v);
      }
      if (cur.count() > 0) {
        for (double v : cur.distinctValues()) {
          union.add(v);
        }
      }
      bins = Binning.perValue(union.stream().mapToDouble(Double::doubleValue).toArray());
    }
    double[] r = ref.countsIn(bins);
    double[] c = cur.countsIn(bins);
    List<String> labels = bins.labels();
    if (bins.isPerValue() && r[r.length - 1] == 0 && c[c.length - 1] == 0) {
      r = Arrays.copyOf(r, r.length - 1);
      c = Arrays.copyOf(c, c.length - 1);
      labels = labels.subList(0, labels.size() - 1);
    }
    if (cur.count() == 0) {
      return ColumnDrift.untested(column, "numeric", test, "the current data has no finite values",
          Histogram.of(labels, r, new double[r.length]));
    }
    Histogram histogram = Histogram.of(labels, r, c);
    return switch (test.kind()) {
      case KS -> {
        if (ref.count() < 2 || cur.count() < 2) {
          yield ColumnDrift.untested(column, "numeric", test,
              "the ks test needs at least 2 values on each side; use z or chiSquare for so few", histogram);
        }
        if (ref instanceof SortedSample && cur instanceof SortedSample) {
          KsTwoSample.Result ks = KsTwoSample.test(ref.ksSample(), cur.ksSample());
          yield result(column, "numeric", test, ks.statistic(), ks.pValue(), histogram);
        }
        KolmogorovSmirnovTest.TwoResult ks = KolmogorovSmirnovTest.withDefaults().test(ref.ksSample(), cur.ksSample());
        yield result(column, "numeric", test, ks.getStatistic(), ks.getPValue(), histogram);
      }
      case WASSERSTEIN -> {
        double w = Distances.wasserstein(ref.stepValues(), ref.stepWeights(), cur.stepValues(), cur.stepWeights());
        yield result(column, "numeric", test, w / Math.max(ref.std(), 0.001), Double.NaN, histogram);
      }
      case Z -> u > 2
          ? ColumnDrift.untested(column, "numeric", test,
              "the z-test needs at most two distinct values; this column has " + describe(u), histogram)
          : zTest(column, "numeric", test, r, c, histogram);
      default -> binned(column, "numeric", test, r, c, histogram);
    };
  }

  static ColumnDrift categorical(String column, CategoricalSample ref, CategoricalSample cur, StatTest chosen) {
    TreeSet<String> keys = new TreeSet<>(ref.counts().keySet());
    keys.addAll(cur.counts().keySet());
    boolean other = ref.other() > 0 || cur.other() > 0;
    long u = keys.size() + (other ? 1 : 0);
    StatTest test = chosen != null ? chosen : defaultCategorical(ref.count(), u);
    List<String> labels = new ArrayList<>(keys);
    if (other) {
      labels.add("other");
    }
    double[] r = new double[labels.size()];
    double[] c = new double[labels.size()];
    int i = 0;
    for (String k : keys) {
      r[i] = ref.counts().getOrDefault(k, 0L);
      c[i++] = cur.counts().getOrDefault(k, 0L);
    }
    if (other) {
      r[i] = ref.other();
      c[i] = cur.other();
    }
    if (ref.count() == 0) {
      return ColumnDrift.untested(column, "categorical", test, "the reference has no values", Histogram.empty());
    }
    Histogram histogram = Histogram.of(labels, r, c);
    if (cur.count() == 0) {
      return ColumnDrift.untested(column, "categorical", test, "the current data has no values", histogram);
    }
    return switch (test.kind()) {
      case KS, WASSERSTEIN -> ColumnDrift.untested(column, "categorical", test,
          "the " + test.name() + " test needs a numeric column", histogram);
      case Z -> u > 2
          ? ColumnDrift.untested(column, "categorical", test,
              "the z-test needs at most two categories; this column has " + u, histogram)
          : zTest(column, "categorical", test, r, c, histogram);
      default -> binned(column, "categorical", test, r, c, histogram);
    };
  }

  private static long unionDistinct(NumericSample ref, NumericSample cur) {
    if (ref.distinctCount() == NumericSample.MANY || cur.distinctCount() == NumericSample.MANY) {
      return NumericSample.MANY;
    }
    TreeSet<Double> union = new TreeSet<>();
    if (ref.count() > 0) {
      Arrays.stream(ref.distinctValues()).forEach(union::add);
    }
    if (cur.count() > 0) {
      Arrays.stream(cur.distinctValues()).forEach(union::add);
    }
    return union.size();
  }

  private static String describe(long u) {
    return u == NumericSample.MANY ? "more than 64" : Long.toString(u);
  }

  private static ColumnDrift binned(String column, String type, StatTest test, double[] r, double[] c, Histogram h) {
    return switch (test.kind()) {
      case PSI -> result(column, type, test, Distances.psi(r, c), Double.NaN, h);
      case JENSEN_SHANNON -> result(column, type, test, Distances.jensenShannon(r, c), Double.NaN, h);
      case HELLINGER -> result(column, type, test, Distances.hellinger(r, c), Double.NaN, h);
      case CHI_SQUARE -> chiSquare(column, type, test, r, c, h);
      default -> throw new IllegalArgumentException(test.name());
    };
  }

  private static ColumnDrift chiSquare(String column, String type, StatTest test, double[] r, double[] c, Histogram h) {
    List<long[]> kept = new ArrayList<>();
    for (int i = 0; i < r.length; i++) {
      long a = Math.round(r[i]);
      long b = Math.round(c[i]);
      if (a + b > 0) {
        kept.add(new long[] {a, b});
      }
    }
    if (kept.size() < 2) {
      // One value on both sides: the table has no degrees of freedom and nothing can differ.
      return result(column, type, test, 0, 1, h);
    }
    long[][] table = new long[2][kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      table[0][i] = kept.get(i)[0];
      table[1][i] = kept.get(i)[1];
    }
    SignificanceResult s = ChiSquareTest.withDefaults().test(table);
    return result(column, type, test, s.getStatistic(), s.getPValue(), h);
  }

  /** Pooled two-proportion z-test; the first (smallest) value counts as success. */
  private static ColumnDrift zTest(String column, String type, StatTest test, double[] r, double[] c, Histogram h) {
    int first = 0;
    while (first < r.length && r[first] + c[first] == 0) {
      first++;
    }
    double n1 = Arrays.stream(r).sum();
    double n2 = Arrays.stream(c).sum();
    double x1 = first < r.length ? r[first] : 0;
    double x2 = first < c.length ? c[first] : 0;
    double p = (x1 + x2) / (n1 + n2);
    double se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    if (se == 0) {
      return result(column, type, test, 0, 1, h);
    }
    double z = (x1 / n1 - x2 / n2) / se;
    return result(column, type, test, z, 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z)), h);
  }

  private static ColumnDrift result(String column, String type, StatTest test, double statistic, double p, Histogram h) {
    boolean hasP = test.kind().hasPValue();
    return new ColumnDrift(column, type, test.name(), statistic, hasP ? OptionalDouble.of(p) : OptionalDouble.empty(),
        test.threshold(), test.drifted(statistic, p), Optional.empty(), h);
  }
}
