package dev.mlops.monitoring.internal;

import java.util.Arrays;

/**
 * Exact counts of the distinct values of a numeric column while there are at most {@link #LIMIT}
 * of them; past that only the fact that there are more is kept. The result depends only on the
 * set of values seen, so merging is associative and commutative.
 */
public final class DistinctValues {
  /** How many distinct values are tracked before giving up. */
  public static final int LIMIT = 64;

  private double[] values = new double[LIMIT];
  private long[] counts = new long[LIMIT];
  private int size;
  private boolean overflowed;

  /** Adds one finite value. */
  public void add(double v) {
    add(v, 1);
  }

  /** Adds {@code count} occurrences of a value. */
  public void add(double v, long count) {
    if (overflowed) {
      return;
    }
    // One zero for both signs, so that which one came first does not show.
    v += 0.0;
    for (int i = 0; i < size; i++) {
      if (values[i] == v) {
        counts[i] += count;
        return;
      }
    }
    if (size == LIMIT) {
      markOverflowed();
      return;
    }
    values[size] = v;
    counts[size++] = count;
  }

  /** Whether more than {@link #LIMIT} distinct values were seen. */
  public boolean overflowed() {
    return overflowed;
  }

  /** Records that more values than the limit exist, as when merging with an overflowed part. */
  public void markOverflowed() {
    overflowed = true;
    values = null;
    counts = null;
  }

  /** The frozen counts, sorted by value, or null after overflow. */
  public ValueCounts freeze() {
    if (overflowed) {
      return null;
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] v = new double[size];
    long[] c = new long[size];
    for (int i = 0; i < size; i++) {
      v[i] = values[order[i]];
      c[i] = counts[order[i]];
    }
    return new ValueCounts(v, c);
  }
}
