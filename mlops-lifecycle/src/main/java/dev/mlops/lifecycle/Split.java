package dev.mlops.lifecycle;

import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How a batch is cut into the rows a model trains on and the holdout rows the champion and the
 * candidate are both scored on. The cut is a shuffle with a fixed seed, so the same batch gives
 * the same holdout on every machine; the seed and the share are recorded in the split step's run.
 * Immutable.
 *
 * <pre>{@code
 * Split.holdout(0.2).seed(7);      // 20 % held out, shuffled with seed 7
 * }</pre>
 */
public final class Split {
  private final double share;
  private final long seed;

  private Split(double share, long seed) {
    this.share = share;
    this.seed = seed;
  }

  /** Holds out this share of the rows (strictly between 0 and 1); seed 0 until {@link #seed} says otherwise. */
  public static Split holdout(double share) {
    if (!(share > 0 && share < 1)) {
      throw new InvalidInputException("a holdout share is strictly between 0 and 1; got " + share);
    }
    return new Split(share, 0);
  }

  /** The same split with another shuffle seed. */
  public Split seed(long seed) {
    return new Split(share, seed);
  }

  /** The held-out share. */
  public double share() {
    return share;
  }

  /** The shuffle seed. */
  public long seedValue() {
    return seed;
  }

  /** The two parts of a cut frame. */
  record Parts(Frame train, Frame holdout) {}

  /** Cuts a frame; each part has at least one row. */
  Parts apply(Frame frame) {
    return cut(frame, share, seed);
  }

  static Parts cut(Frame frame, double share, long seed) {
    int n = frame.rowCount();
    if (n < 2) {
      throw new InvalidInputException("cannot split " + n + " row(s) into training and holdout rows; a batch needs at least 2");
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    Collections.shuffle(order, new Random(seed));
    int held = Math.min(n - 1, Math.max(1, (int) Math.round(n * share)));
    // both parts keep the frame's row order
    boolean[] inHoldout = new boolean[n];
    for (int i = 0; i < held; i++) {
      inHoldout[order.get(i)] = true;
    }
    return new Parts(frame.filter(i -> !inHoldout[i]), frame.filter(i -> inHoldout[i]));
  }

  String fingerprint() {
    return String.format(Locale.ROOT, "holdout=%s;seed=%d", share, seed);
  }

  @Override
  public String toString() {
    return "Split[" + fingerprint() + "]";
  }
}
