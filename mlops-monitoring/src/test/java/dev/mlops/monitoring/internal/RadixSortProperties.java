package dev.mlops.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The radix sort orders every double but NaN as {@link Arrays#sort(double[])} does, bit for bit. */
class RadixSortProperties {
  /** Arrays of any non-NaN doubles (special values included): short ones, and seeded ones around and above the radix threshold. */
  @Property(tries = 300, seed = "20261201")
  void sortsLikeArraysSort(@ForAll("values") double[] values) {
    double[] expected = values.clone();
    Arrays.sort(expected);
    double[] actual = values.clone();
    RadixSort.sort(actual, actual.length);
    assertArrayEquals(expected, actual);
  }

  /** Only the first n values are sorted; the rest stay where they were. */
  @Property(tries = 200, seed = "20261202")
  void sortsOnlyThePrefix(@ForAll("values") double[] values, @ForAll @IntRange(min = 0, max = 100) int percent) {
    int n = values.length * percent / 100;
    double[] expected = values.clone();
    Arrays.sort(expected, 0, n);
    double[] actual = values.clone();
    RadixSort.sort(actual, n);
    assertArrayEquals(expected, actual);
  }

  /** With NaN and infinities mixed in: the finite values come out sorted and the others counted. */
  @Property(tries = 100, seed = "20261205")
  void sortedFiniteCountsWhatItLeavesOut(@ForAll("values") double[] values, @ForAll @IntRange(min = 0, max = 30) int nanEvery) {
    double[] input = values.clone();
    for (int i = 0; nanEvery > 0 && i < input.length; i += nanEvery) {
      input[i] = Double.NaN;
    }
    double[] finite = Arrays.stream(input).filter(Double::isFinite).sorted().toArray();
    RadixSort.Finite f = RadixSort.sortedFinite(input.length, i -> input[i]);
    assertArrayEquals(finite, f.sorted());
    assertEquals(Arrays.stream(input).filter(Double::isNaN).count(), f.nan());
    assertEquals(Arrays.stream(input).filter(Double::isInfinite).count(), f.infinite());
  }

  /**
   * Shapes that steer the sort down each of its paths, at sizes from below the radix threshold to
   * a few hundred thousand: equal-width value buckets (normal, uniform, a narrow cluster around a
   * power of two), buckets that hold most of their range and go to the binary digits (powers of two,
   * a cluster with far outliers, subnormals, both signs of zero only, ranges that overflow a
   * double), many ties and all values equal; bit for bit what {@link Arrays#sort(double[])} gives.
   */
  @Property(tries = 120, seed = "20261206")
  void everyShapeSortsLikeArraysSort(@ForAll @IntRange(min = 0, max = 10) int shape,
      @ForAll @IntRange(min = 1, max = 60) int scale, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = r.nextInt(8) == 0 ? r.nextInt(1, 300_000) : r.nextInt(1, RadixSort.SMALL * scale / 4 + 2);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = switch (shape) {
        case 0 -> r.nextGaussian() * scale;
        case 1 -> r.nextDouble() - 0.5;
        case 2 -> 1.0 + (r.nextDouble() - 0.5) * 1e-6;
        case 3 -> (r.nextBoolean() ? 1 : -1) * Math.scalb(1.0, r.nextInt(-1074, 1024));
        case 4 -> r.nextInt(1000) == 0 ? r.nextGaussian() * 1e300 : 5 + r.nextGaussian() * 1e-9;
        case 5 -> (r.nextBoolean() ? 1 : -1) * Double.MIN_VALUE * r.nextInt(1, 50);
        case 6 -> r.nextBoolean() ? 0.0 : -0.0;
        case 7 -> (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble();
        case 8 -> r.nextInt(-scale, scale + 1) * 0.25;
        case 9 -> new double[] {-0.0, 0.0, 1.0, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}[r.nextInt(6)];
        default -> 42.0;
      };
    }
    double[] expected = values.clone();
    Arrays.sort(expected);
    double[] sorted = values.clone();
    RadixSort.sort(sorted, n);
    assertArrayEquals(expected, sorted);
    double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    assertArrayEquals(finite, RadixSort.sortedFinite(n, i -> values[i]).sorted());
  }

  @Provide
  Arbitrary<double[]> values() {
    Arbitrary<Double> one = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.doubles().filter(d -> !Double.isNaN(d))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, -1.0)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(-5, 5).map(i -> (double) i)));
    Arbitrary<double[]> small = one.array(double[].class).ofMaxSize(300);
    // Seeded arrays from just below the radix threshold to four times it, both code paths.
    Arbitrary<double[]> large = Arbitraries.longs().map(seed -> generated(seed, RadixSort.SMALL - 64 + (int) (seed & 0x3fff)));
    return Arbitraries.oneOf(small, large);
  }

  /** Normal values with a share of repeats, zeros of both signs and infinities. */
  private static double[] generated(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(20);
      out[i] = kind == 0 ? (r.nextBoolean() ? 0.0 : -0.0)
          : kind == 1 ? (r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
          : kind < 5 ? r.nextInt(-3, 4)
          : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-300, 300));
    }
    return out;
  }
}
