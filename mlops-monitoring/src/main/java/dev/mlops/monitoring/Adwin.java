package dev.mlops.monitoring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * ADWIN (Bifet and Gavaldà, 2007): an adaptive window kept as an exponential histogram of
 * buckets; whenever two sub-windows have means that differ by more than the Hoeffding-style bound
 * for confidence δ, the older part is dropped. Memory grows with the logarithm of the window.
 * Checks every 32 points, and only splits that leave more than 6 points on each side, as MOA does;
 * a cut is signalled when the window's mean moved in the configured {@link ChangeDirection}
 * (MOA's change detector signals only rises, like the default here).
 */
final class Adwin implements ConceptDriftDetector {
  private static final int MAX_BUCKETS = 5;
  private static final int CLOCK = 32;
  private static final int MIN_WINDOW = 5;
  /** Each side of a split must hold more than this many points. */
  private static final int MIN_SIDE = MIN_WINDOW + 1;
  private static final int GRACE = 10;

  /** A bucket of 2^row values: their sum and the sum of squared deviations from their mean. */
  private record Bucket(double total, double variance) {}

  private final double delta;
  private final ChangeDirection direction;
  /** rows.get(i) holds buckets of 2^i values, oldest first. */
  private final List<ArrayDeque<Bucket>> rows = new ArrayList<>();
  private long width;
  private double total;
  private double variance;
  private long ticks;
  private MonitorState state = MonitorState.STABLE;

  Adwin(double delta, ChangeDirection direction) {
    this.delta = delta;
    this.direction = direction;
  }

  @Override
  public String name() {
    return "adwin";
  }

  @Override
  public boolean acceptsRealValues() {
    return true;
  }

  /** How many points the adaptive window holds. */
  long width() {
    return width;
  }

  @Override
  public MonitorState update(double x) {
    double before = total / width;
    insert(x);
    compress();
    state = MonitorState.STABLE;
    if (++ticks % CLOCK == 0 && width > GRACE && detectChange() && direction.admits(before, total / width)) {
      state = MonitorState.DRIFT;
    }
    return state;
  }

  @Override
  public MonitorState state() {
    return state;
  }

  private void insert(double x) {
    if (rows.isEmpty()) {
      rows.add(new ArrayDeque<>());
    }
    rows.get(0).addLast(new Bucket(x, 0));
    if (width > 0) {
      double mean = total / width;
      variance += width * (x - mean) * (x - mean) / (width + 1);
    }
    width++;
    total += x;
  }

  private void compress() {
    for (int i = 0; i < rows.size(); i++) {
      ArrayDeque<Bucket> row = rows.get(i);
      if (row.size() <= MAX_BUCKETS) {
        break;
      }
      Bucket a = row.pollFirst();
      Bucket b = row.pollFirst();
      double n = Math.pow(2, i);
      double d = a.total / n - b.total / n;
      Bucket merged = new Bucket(a.total + b.total, a.variance + b.variance + n * n * d * d / (2 * n));
      if (i + 1 == rows.size()) {
        rows.add(new ArrayDeque<>());
      }
      rows.get(i + 1).addLast(merged);
    }
  }

  private void dropOldest() {
    for (int i = rows.size() - 1; i >= 0; i--) {
      ArrayDeque<Bucket> row = rows.get(i);
      if (row.isEmpty()) {
        continue;
      }
      Bucket b = row.pollFirst();
      double n = Math.pow(2, i);
      width -= (long) n;
      total -= b.total;
      double mean = b.total / n;
      double rest = width == 0 ? 0 : total / width;
      variance -= b.variance + n * width * (mean - rest) * (mean - rest) / (n + width);
      if (width == 0) {
        variance = 0;
      }
      if (row.isEmpty() && i == rows.size() - 1) {
        rows.remove(i);
      }
      return;
    }
  }

  /** Drops old buckets while the oldest part's mean differs significantly from the rest; true if any was dropped. */
  private boolean detectChange() {
    boolean changed = false;
    boolean cut = true;
    while (cut) {
      cut = false;
      double n0 = 0;
      double n1 = width;
      double u0 = 0;
      double u1 = total;
      outer:
      for (int i = rows.size() - 1; i >= 0; i--) {
        double n = Math.pow(2, i);
        Iterator<Bucket> it = rows.get(i).iterator();
        while (it.hasNext()) {
          Bucket b = it.next();
          n0 += n;
          n1 -= n;
          u0 += b.total;
          u1 -= b.total;
          if (n1 > MIN_SIDE && n0 > MIN_SIDE && significant(n0, n1, u0, u1)) {
            cut = true;
            changed = true;
            dropOldest();
            break outer;
          }
        }
      }
    }
    return changed;
  }

  private boolean significant(double n0, double n1, double u0, double u1) {
    double diff = Math.abs(u0 / n0 - u1 / n1);
    double v = variance / width;
    double dd = Math.log(2 * Math.log(width) / delta);
    double m = 1 / (n0 - MIN_WINDOW + 1) + 1 / (n1 - MIN_WINDOW + 1);
    double epsilon = Math.sqrt(2 * m * v * dd) + 2.0 / 3 * dd * m;
    return diff > epsilon;
  }
}
