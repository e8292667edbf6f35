package dev.mlops.tracking.internal;

import dev.mlops.core.InvalidInputException;

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last
 * point and, from each of {@code threshold - 2} equal buckets in between, the point that forms
 * the largest triangle with the point kept before it and the mean of the next bucket. Peaks and
 * troughs survive, so a chart of a few hundred points looks like the chart of millions.
 *
 * <pre>{@code
 * int[] kept = Lttb.indices(steps, values, 500);   // positions into steps and values, ascending
 * }</pre>
 */
public final class Lttb {
  private Lttb() {}

  /**
   * The positions of the points to keep, ascending; every position when there are no more than
   * {@code threshold} points. Non-finite values take part as they are and may be chosen.
   *
   * @param x the points' x coordinates (steps or times), in drawing order
   * @param y their values, as many as {@code x}
   * @param threshold how many points to keep, at least 3
   */
  public static int[] indices(double[] x, double[] y, int threshold) {
    return indices(x, y, 0, x.length, threshold);
  }

  /**
   * As {@link #indices(double[], double[], int)} over the points from position {@code from}
   * (inclusive) to {@code to} (exclusive); the positions returned are into the whole arrays.
   */
  public static int[] indices(double[] x, double[] y, int from, int to, int threshold) {
    if (x.length != y.length) {
      throw new InvalidInputException("x has " + x.length + " points and y has " + y.length + "; give as many of each");
    }
    if (threshold < 3) {
      throw new InvalidInputException("keep at least 3 points; got " + threshold);
    }
    if (from < 0 || to > x.length || from > to) {
      throw new InvalidInputException("the range " + from + " to " + to + " is not within the " + x.length + " points");
    }
    int n = to - from;
    if (n <= threshold) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = from + i;
      }
      return all;
    }
    int[] kept = new int[threshold];
    double every = (double) (n - 2) / (threshold - 2);
    int a = from;
    kept[0] = from;
    for (int bucket = 0; bucket < threshold - 2; bucket++) {
      int start = from + (int) (bucket * every) + 1;
      int end = from + (int) ((bucket + 1) * every) + 1;
      int nextEnd = Math.min(from + (int) ((bucket + 2) * every) + 1, to);
      double meanX = 0;
      double meanY = 0;
      int nextStart = end;
      int count = Math.max(1, nextEnd - nextStart);
      for (int i = nextStart; i < nextEnd; i++) {
        meanX += x[i];
        meanY += y[i];
      }
      if (nextEnd == nextStart) {
        meanX = x[to - 1];
        meanY = y[to - 1];
      } else {
        meanX /= count;
        meanY /= count;
      }
      double best = -1;
      int chosen = start;
      for (int i = start; i < end; i++) {
        double area = Math.abs((x[a] - meanX) * (y[i] - y[a]) - (x[a] - x[i]) * (meanY - y[a]));
        if (area > best || Double.isNaN(area) && best < 0) {
          best = Double.isNaN(area) ? 0 : area;
          chosen = i;
        }
      }
      kept[bucket + 1] = chosen;
      a = chosen;
    }
    kept[threshold - 1] = to - 1;
    return kept;
  }
}
