package dev.mlops.monitoring.internal;

import java.math.BigInteger;

/**
 * The exact state behind a numeric column's moments: how many finite values, their exact sum
 * and sum of squares (as {@link ExactSums} gives them), and the extremes. Mean and variance are
 * derived from it by one correctly rounded division each, so equal states give equal bits.
 *
 * @param count how many values
 * @param sum the exact sum in units of 2^{@value ExactSums#SUM_SCALE}
 * @param squares the exact sum of squares in units of 2^{@value ExactSums#SQUARES_SCALE}
 * @param min the smallest value (+Inf when there are none)
 * @param max the largest value (-Inf when there are none)
 */
public record ExactMoments(long count, BigInteger sum, BigInteger squares, double min, double max) {
  public static final ExactMoments EMPTY =
      new ExactMoments(0, BigInteger.ZERO, BigInteger.ZERO, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

  /** The state of these values, every one finite. */
  public static ExactMoments of(double[] values) {
    if (values.length == 0) {
      return EMPTY;
    }
    ExactSums sums = new ExactSums();
    sums.add(values, 0, values.length);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new ExactMoments(values.length, sums.sum(), sums.squares(), min, max);
  }

  /** The state of {@code counts[i]} occurrences of each {@code values[i]}, every one finite. */
  public static ExactMoments ofCounts(double[] values, long[] counts) {
    BigInteger sum = BigInteger.ZERO;
    BigInteger squares = BigInteger.ZERO;
    long n = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < values.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      ExactMoments one = of(new double[] {values[i]});
      BigInteger c = BigInteger.valueOf(counts[i]);
      sum = sum.add(one.sum.multiply(c));
      squares = squares.add(one.squares.multiply(c));
      n = Math.addExact(n, counts[i]);
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    return n == 0 ? EMPTY : new ExactMoments(n, sum, squares, min, max);
  }

  /**
   * n·Σx² − (Σx)², in units of 2^{@value ExactSums#SQUARES_SCALE}: n² times the variance, never
   * negative for a state that values produced.
   */
  public BigInteger scaledDeviations() {
    return squares.multiply(BigInteger.valueOf(count)).subtract(sum.multiply(sum));
  }

  /** The mean, variance and extremes as doubles. */
  public Moments moments() {
    if (count == 0) {
      return Moments.EMPTY;
    }
    BigInteger n = BigInteger.valueOf(count);
    double mean = ratio(sum, n, ExactSums.SUM_SCALE);
    // Rounding can put the mean a hair outside the extremes when all values are equal.
    mean = Math.min(max, Math.max(min, mean));
    double m2 = ratio(scaledDeviations(), n, ExactSums.SQUARES_SCALE);
    return new Moments(count, mean, m2, min, max);
  }

  /** {@code numerator / denominator · 2^exponent}, correctly rounded (denominator positive). */
  static double ratio(BigInteger numerator, BigInteger denominator, int exponent) {
    if (numerator.signum() == 0) {
      return 0;
    }
    // 66 significant bits and a sticky bit round to 53 bits as the exact quotient would.
    int shift = Math.max(0, 66 + denominator.bitLength() - numerator.abs().bitLength());
    BigInteger[] qr = numerator.abs().shiftLeft(shift).divideAndRemainder(denominator);
    BigInteger q = qr[0];
    boolean inexact = qr[1].signum() != 0;
    int excess = q.bitLength() - 66;
    if (excess > 0) {
      inexact |= q.getLowestSetBit() < excess;
      q = q.shiftRight(excess);
    } else {
      excess = 0;
    }
    if (inexact) {
      q = q.setBit(0);
    }
    double d = Math.scalb(q.doubleValue(), exponent - shift + excess);
    return numerator.signum() < 0 ? -d : d;
  }
}
