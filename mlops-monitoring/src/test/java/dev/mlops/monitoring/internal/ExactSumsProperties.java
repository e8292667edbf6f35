package dev.mlops.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The exact sums equal the sums computed in {@link BigDecimal}, for values drawn from every
 * binade (subnormals to ±1.7e308, both zeros), added in blocks of random sizes or merged from
 * two parts; and the mean read from them is the correctly rounded exact mean.
 */
class ExactSumsProperties {
  private static double value(SplittableRandom r) {
    return switch (r.nextInt(6)) {
      case 0 -> r.nextBoolean() ? 0.0 : -0.0;
      case 1 -> (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble();
      case 2 -> (r.nextBoolean() ? 1 : -1) * Double.MIN_VALUE * r.nextInt(1 << 20);
      default -> Math.scalb(r.nextDouble() * 2 - 1, r.nextInt(2098) - 1074);
    };
  }

  /** {@code units · 2^exponent} exactly (exponent negative). */
  private static BigDecimal scaled(BigInteger units, int exponent) {
    return new BigDecimal(units).divide(new BigDecimal(BigInteger.TWO.pow(-exponent)));
  }

  @Property(tries = 300, seed = "515")
  void sumsAreExactWhateverTheBlocksAndMerges(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3_000) int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal squares = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      x[i] = value(r);
      BigDecimal v = new BigDecimal(x[i]);
      sum = sum.add(v);
      squares = squares.add(v.multiply(v));
    }
    int cut = r.nextInt(n + 1);
    ExactSums a = new ExactSums();
    for (int i = 0; i < cut; ) {
      int end = Math.min(cut, i + 1 + r.nextInt(700));
      a.add(x, i, end);
      i = end;
    }
    ExactSums b = new ExactSums();
    b.add(x, cut, n);
    a.add(b);
    assertEquals(0, sum.compareTo(scaled(a.sum(), ExactSums.SUM_SCALE)));
    assertEquals(0, squares.compareTo(scaled(a.squares(), ExactSums.SQUARES_SCALE)));
    if (n > 0) {
      ExactMoments m = new ExactMoments(n, a.sum(), a.squares(), -Double.MAX_VALUE, Double.MAX_VALUE);
      double mean = sum.divide(BigDecimal.valueOf(n), new MathContext(800)).doubleValue();
      assertEquals(mean, m.moments().mean(), 0.0);
    }
  }
}
