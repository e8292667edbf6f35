package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.monitoring.internal.Steps;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The large-sample test on sorted arrays against Commons Statistics, which the SciPy fixtures check. */
class KsTwoSampleTest {
  /**
   * Shifted integer grids give every statistic exactly; Commons sums Smirnov's series in full, so
   * the p-values are compared to a relative 1e-8 (absolute 1e-300 among subnormals) across SciPy's Smirnov region 2.2 ≤ N·d² < 370.
   */
  @ParameterizedTest(name = "n = {0}, N·d² ≈ {1}")
  @CsvSource({"20000, 2.3", "20000, 12", "20000, 150", "60000, 2.25", "60000, 40", "60000, 360",
      "240000, 2.5", "240000, 7", "240000, 90"})
  void smirnovRegionPValuesEqualCommons(int n, double nxx) {
    int k = (int) Math.round(Math.sqrt(nxx / (n / 2.0)) * n);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = i + k;
    }
    KolmogorovSmirnovTest.TwoResult expected = KolmogorovSmirnovTest.withDefaults().test(x, y);
    KsTwoSample.Result actual = KsTwoSample.test(x, y);
    assertEquals(expected.getStatistic(), actual.statistic(), 0.0);
    assertEquals(expected.getPValue(), actual.pValue(), Math.max(1e-300, expected.getPValue() * 1e-8));
  }

  /** Samples of few distinct values (many ties) of any sizes: the merged statistic equals Commons'. */
  @Property(tries = 500, seed = "20261203")
  void statisticWithTiesEqualsCommons(@ForAll @IntRange(min = 2, max = 3000) int n,
      @ForAll @IntRange(min = 2, max = 3000) int m, @ForAll @IntRange(min = 1, max = 40) int distinct,
      @ForAll @LongRange long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = r.ints(n, 0, distinct).asDoubleStream().sorted().toArray();
    double[] y = r.ints(m, 0, distinct + 2).asDoubleStream().sorted().toArray();
    long dnm = KsTwoSample.integralStatistic(x, y);
    assertEquals(KolmogorovSmirnovTest.withDefaults().statistic(x, y), (double) dnm / ((double) n * m), 1e-15);
  }

  /**
   * The statistic as an integer equals its definition, max over the distinct values v of
   * |m·#(x ≤ v) − n·#(y ≤ v)| by binary search, for samples of any sizes (one element, one side
   * entirely below the other, zeros of both signs, many ties or none), so that the merge's two
   * chains and the walk between them miss no state and count no other.
   */
  @Property(tries = 400, seed = "20261204")
  void integralStatisticEqualsItsDefinition(@ForAll @IntRange(min = 1, max = 6000) int n,
      @ForAll @IntRange(min = 1, max = 6000) int m, @ForAll @IntRange(min = 0, max = 4) int kind,
      @ForAll @LongRange long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = sample(r, n, kind, 0);
    double[] y = sample(r, m, kind, kind == 3 ? (r.nextBoolean() ? 1e6 : -1e6) : 0);
    assertEquals(definition(x, y), KsTwoSample.integralStatistic(x, y));
  }

  /** Sorted values: continuous, few distinct, signed zeros and ones, continuous shifted by {@code shift}, or all equal. */
  private static double[] sample(SplittableRandom r, int size, int kind, double shift) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = switch (kind) {
        case 0, 3 -> r.nextGaussian() + shift;
        case 1 -> r.nextInt(7);
        case 2 -> new double[] {-0.0, 0.0, 1.0, -1.0}[r.nextInt(4)];
        default -> 5.0;
      };
    }
    Arrays.sort(v);
    return v;
  }

  /**
   * Large samples, where the statistic merges only the pieces between cuts whose bounds could
   * hold the maximum: equal to the definition whether the samples come from one distribution (the
   * maximum is a small excursion anywhere), are shifted (a peak in a few pieces), share few values
   * (cuts fall inside runs of ties), mix both zeros, or differ a hundredfold in size.
   */
  @Property(tries = 60, seed = "20261207")
  void prunedStatisticOfLargeSamplesEqualsItsDefinition(@ForAll @IntRange(min = 0, max = 4) int kind,
      @ForAll @IntRange(min = 0, max = 3) int sizes, @ForAll @LongRange long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = r.nextInt(KsTwoSample.STRIDE, 120_000);
    int m = switch (sizes) {
      case 0 -> n;
      case 1 -> r.nextInt(KsTwoSample.STRIDE, 120_000);
      case 2 -> Math.max(1, n / 100);
      default -> r.nextInt(1, 2 * KsTwoSample.STRIDE);
    };
    double shift = kind == 0 ? 0 : r.nextDouble() * 0.1;
    double[] x = large(r, n, kind, 0);
    double[] y = large(r, m, kind, shift);
    if (r.nextBoolean()) {
      double[] t = x;
      x = y;
      y = t;
    }
    assertEquals(definition(x, y), KsTwoSample.integralStatistic(x, y));
  }

  /** Sorted values: normal, normal (to be shifted), a few distinct integers, signed zeros among few values, or rounded. */
  private static double[] large(SplittableRandom r, int size, int kind, double shift) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = switch (kind) {
        case 0, 1 -> r.nextGaussian() + shift;
        case 2 -> r.nextInt(12) + (r.nextDouble() < shift ? 1 : 0);
        case 3 -> new double[] {-0.0, 0.0, 1.0, -1.0, 2.0}[r.nextInt(shift > 0.05 ? 5 : 4)];
        default -> Math.rint((r.nextGaussian() + shift) * 100) / 100;
      };
    }
    Arrays.sort(v);
    return v;
  }

  private static long definition(double[] x, double[] y) {
    double[] all = new double[x.length + y.length];
    System.arraycopy(x, 0, all, 0, x.length);
    System.arraycopy(y, 0, all, x.length, y.length);
    long max = 0;
    for (double v : all) {
      long i = Steps.upperBound(x, v);
      long j = Steps.upperBound(y, v);
      max = Math.max(max, Math.abs(i * y.length - j * x.length));
    }
    return max;
  }

  /** Beyond N·d² = 370 the p-value is SciPy's 0, and from 10,000 values it stays Commons' below 2.2. */
  @ParameterizedTest(name = "shift {0}")
  @CsvSource({"0.0", "0.002", "0.5"})
  void largeNormalSamplesMatchCommonsOrZero(double shift) {
    SplittableRandom r = new SplittableRandom(9);
    double[] x = r.doubles(30_000).map(u -> u).sorted().toArray();
    double[] y = r.doubles(25_000).map(u -> u + shift).sorted().toArray();
    KolmogorovSmirnovTest.TwoResult expected = KolmogorovSmirnovTest.withDefaults().test(x, y);
    KsTwoSample.Result actual = KsTwoSample.test(x, y);
    assertEquals(expected.getStatistic(), actual.statistic(), 0.0);
    assertEquals(expected.getPValue(), actual.pValue(), Math.max(1e-300, expected.getPValue() * 1e-8),
        Arrays.toString(new double[] {actual.statistic(), actual.pValue()}));
  }

  /**
   * Where N > 100,000 and N·d² < 2.2 SciPy takes one minus the Pelz–Good series (and Ruben–Gambino's
   * exact form for N·d ≤ 1); the expected values are {@code scipy.stats.kstwo.sf(k / n, n / 2)} of
   * SciPy 1.17.1 for the integer grids x = 0..n−1 and y = x + k, whose statistic is exactly k / n.
   */
  @ParameterizedTest(name = "n = {0}, shift {1}")
  @CsvSource({"240000, 0, 1.0", "240000, 1, 1.0", "240000, 150, 0.9999999999518225",
      "240000, 400, 0.8922066583567781", "240000, 1000, 0.030921321075193298",
      "1000000, 700, 0.9669262066821409", "1000000, 1500, 0.21034190155828947",
      "1000000, 2000, 0.036582179671620585"})
  void pelzGoodRegionPValuesEqualScipy(int n, int k, double expected) {
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = i + k;
    }
    KsTwoSample.Result actual = KsTwoSample.test(x, y);
    assertEquals((double) k / n, actual.statistic(), 1e-18);
    assertEquals(expected, actual.pValue(), expected * 1e-12);
  }
}
