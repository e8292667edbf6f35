package dev.mlops.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The unweighted Wasserstein merge equals the weighted one with a weight of one per value, bit for bit. */
class DistancesProperties {
  /** Sorted samples of 1–2,000 values with 1–50 distinct values or all distinct, so ties of every length occur. */
  @Property(tries = 1_000, seed = "20261204")
  void unitWeightsGiveTheSameDistance(@ForAll @IntRange(min = 1, max = 2_000) int n,
      @ForAll @IntRange(min = 1, max = 2_000) int m, @ForAll @IntRange(min = 0, max = 50) int distinct,
      @ForAll @LongRange long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = sample(r, n, distinct);
    double[] b = sample(r, m, distinct);
    double expected = Distances.wasserstein(a, cumulative(n), b, cumulative(m));
    assertEquals(expected, Distances.wasserstein(a, null, b, null), 0.0);
  }

  private static double[] sample(SplittableRandom r, int n, int distinct) {
    return (distinct == 0 ? r.doubles(n, -3, 3) : r.ints(n, 0, distinct).asDoubleStream().map(v -> v * 0.1))
        .sorted().toArray();
  }

  private static double[] cumulative(int n) {
    return IntStream.rangeClosed(1, n).asDoubleStream().toArray();
  }
}
