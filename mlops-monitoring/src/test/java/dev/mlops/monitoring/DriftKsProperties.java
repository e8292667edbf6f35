package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.monitoring.internal.Steps;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Frame against frame with the KS test, through the whole exact path (NaN and infinities left
 * out, the radix sort, the pruned merge), equal to a plain reference: the finite values sorted by
 * {@link Arrays#sort(double[])}, the same test on those arrays bit for bit, and the statistic equal
 * to its definition, max over the values v of |m·#(x ≤ v) − n·#(y ≤ v)| / (n·m).
 */
class DriftKsProperties {
  @Property(tries = 80, seed = "20261208")
  void ksBetweenFramesEqualsTheReference(@ForAll @IntRange(min = 0, max = 3) int kind,
      @ForAll @IntRange(min = 0, max = 2) int sizes, @ForAll @LongRange long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = size(r, sizes);
    int m = size(r, sizes);
    double[] ref = column(r, n, kind, 0);
    double[] cur = column(r, m, kind, r.nextBoolean() ? 0 : r.nextDouble() * 0.2);
    ColumnDrift ks = Drift.between(Frames.numeric("x", ref), Frames.numeric("x", cur)).test("x", StatTest.ks())
        .run().column("x");
    double[] x = Arrays.stream(ref).filter(Double::isFinite).sorted().toArray();
    double[] y = Arrays.stream(cur).filter(Double::isFinite).sorted().toArray();
    KsTwoSample.Result expected = KsTwoSample.test(x, y);
    assertEquals(expected.statistic(), ks.statistic(), 0.0);
    assertEquals(expected.pValue(), ks.pValue().orElseThrow(), 0.0);
    assertEquals((double) definition(x, y) / ((double) x.length * y.length), ks.statistic(), 1e-15);
  }

  /** Tiny (the exact small-sample test), around the large-sample threshold, or up to 150,000 rows. */
  private static int size(SplittableRandom r, int sizes) {
    return switch (sizes) {
      case 0 -> r.nextInt(4, 60);
      case 1 -> r.nextInt(KsTwoSample.LARGE_SAMPLE - 500, KsTwoSample.LARGE_SAMPLE + 5000);
      default -> r.nextInt(20_000, 150_000);
    };
  }

  /**
   * Normal values, few distinct values (ties), both zeros among a few values, or values rounded to
   * two decimals; each with NaN, both infinities and −0.0 sprinkled in, but at least two finite values.
   */
  private static double[] column(SplittableRandom r, int size, int kind, double shift) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      int special = r.nextInt(40);
      v[i] = special == 0 ? Double.NaN
          : special == 1 ? (r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
          : special == 2 ? -0.0
          : switch (kind) {
            case 0 -> r.nextGaussian() + shift;
            case 1 -> r.nextInt(9) + (r.nextDouble() < shift ? 1 : 0);
            case 2 -> new double[] {-0.0, 0.0, 0.5, -1.0}[r.nextInt(4)] + (r.nextDouble() < shift ? 1 : 0);
            default -> Math.rint((r.nextGaussian() + shift) * 100) / 100;
          };
    }
    v[0] = 1.5;
    v[size - 1] = -2.5;
    return v;
  }

  private static long definition(double[] x, double[] y) {
    long max = 0;
    for (double[] side : new double[][] {x, y}) {
      for (double v : side) {
        long i = Steps.upperBound(x, v);
        long j = Steps.upperBound(y, v);
        max = Math.max(max, Math.abs(i * y.length - j * x.length));
      }
    }
    return max;
  }
}
