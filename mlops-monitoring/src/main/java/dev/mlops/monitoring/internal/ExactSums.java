package dev.mlops.monitoring.internal;

import java.math.BigInteger;

/**
 * The exact sum and sum of squares of finite doubles, in integer arithmetic so that the result
 * does not depend on the order or grouping of the additions.
 *
 * <p>A double is {@code m · 2^(e − 1075)} with a 53-bit integer {@code m}; its square is a 106-bit
 * integer times {@code 2^(2e − 2150)}, split here into two 53-bit halves. Each part is added to
 * the {@code long} slot of its power of two. A slot takes about a thousand additions before it
 * could overflow, so every {@value #CARRY_EVERY} additions the slots touched since the last carry
 * are brought back below 2^31 in magnitude by moving their excess 32 places up. Reading turns the
 * slots into one exact integer: {@link #sum()} in units of 2^-1074, {@link #squares()} in units of
 * 2^-2148.
 */
public final class ExactSums {
  /** The binary exponent of one unit of {@link #sum()}. */
  public static final int SUM_SCALE = -1074;
  /** The binary exponent of one unit of {@link #squares()}. */
  public static final int SQUARES_SCALE = -2148;

  static final int CARRY_EVERY = 512;
  private static final long MANTISSA = (1L << 52) - 1;
  private static final long LOW53 = (1L << 53) - 1;
  // Slot i of the sum is worth 2^(i - 1075); of the squares 2^(i - 2150). The sizes leave room for
  // the carries of 2^63 values of the largest magnitude.
  private static final int SUM_SLOTS = 2048 + 96 + 64;
  private static final int SQUARE_SLOTS = 4096 + 53 + 96 + 64;

  private final long[] sum = new long[SUM_SLOTS];
  private final long[] squares = new long[SQUARE_SLOTS];
  private int pending;
  private int lowSlot = Integer.MAX_VALUE;
  private int highSlot = -1;

  /** Adds {@code values[from..to)}, every one finite. */
  public void add(double[] values, int from, int to) {
    long[] s = sum;
    long[] q = squares;
    int i = from;
    while (i < to) {
      int end = Math.min(to, i + CARRY_EVERY - pending);
      int start = i;
      int low = lowSlot;
      int high = highSlot;
      for (; i < end; i++) {
        long bits = Double.doubleToRawLongBits(values[i]);
        int e = (int) (bits >>> 52) & 0x7FF;
        long m = (bits & MANTISSA) | (e == 0 ? 0 : 1L << 52);
        e = Math.max(e, 1);
        long sign = bits >> 63;
        s[e] += (m ^ sign) - sign;
        long lo = m * m;
        q[2 * e] += lo & LOW53;
        q[2 * e + 53] += (Math.multiplyHigh(m, m) << 11) | (lo >>> 53);
        low = Math.min(low, e);
        high = Math.max(high, e);
      }
      lowSlot = low;
      highSlot = high;
      pending += end - start;
      if (pending >= CARRY_EVERY) {
        carry();
      }
    }
  }

  /** Adds exact totals: a {@link #sum()} and a {@link #squares()} from elsewhere. */
  public void add(BigInteger otherSum, BigInteger otherSquares) {
    carry();
    addLimbs(sum, otherSum, 1);
    addLimbs(squares, otherSquares, 2);
    carry(sum, 0, sum.length);
    carry(squares, 0, squares.length);
  }

  /** Adds the totals of another accumulator. */
  public void add(ExactSums other) {
    add(other.sum(), other.squares());
  }

  /** Adds {@code value · 2^(first unit)} to the slots as 32-bit limbs starting at slot {@code first}. */
  private void addLimbs(long[] slots, BigInteger value, int first) {
    int sign = value.signum();
    BigInteger magnitude = value.abs();
    int limbs = (magnitude.bitLength() + 31) / 32;
    for (int k = 0; k < limbs; k++) {
      long limb = magnitude.shiftRight(32 * k).longValue() & 0xFFFFFFFFL;
      int slot = first + 32 * k;
      if (slot >= slots.length - 32) {
        throw new ArithmeticException("an exact total beyond the range of 2^63 doubles");
      }
      slots[slot] += sign * limb;
    }
  }

  private void carry() {
    if (highSlot < 0) {
      pending = 0;
      return;
    }
    carry(sum, lowSlot, highSlot);
    carry(squares, 2 * lowSlot, 2 * highSlot + 53);
    pending = 0;
    lowSlot = Integer.MAX_VALUE;
    highSlot = -1;
  }

  /** Brings slots {@code from..} below 2^31 in magnitude, carrying upwards until nothing moves. */
  private static void carry(long[] slots, int from, int to) {
    int last = Math.min(to, slots.length - 33);
    for (int i = from; i <= last; i++) {
      long v = slots[i];
      long high = (v + (1L << 31)) >> 32;
      if (high != 0) {
        slots[i] = v - (high << 32);
        slots[i + 32] += high;
        last = Math.max(last, Math.min(i + 32, slots.length - 33));
      }
    }
  }

  /** The exact sum in units of 2^{@value #SUM_SCALE}. */
  public BigInteger sum() {
    carry();
    return total(sum, 1);
  }

  /** The exact sum of squares in units of 2^{@value #SQUARES_SCALE}. */
  public BigInteger squares() {
    carry();
    return total(squares, 2);
  }

  private static BigInteger total(long[] slots, int unitSlot) {
    BigInteger t = BigInteger.ZERO;
    for (int i = slots.length - 1; i >= unitSlot; i--) {
      if (slots[i] != 0) {
        t = t.add(BigInteger.valueOf(slots[i]).shiftLeft(i - unitSlot));
      }
    }
    return t;
  }
}
