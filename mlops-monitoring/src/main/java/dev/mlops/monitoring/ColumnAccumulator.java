package dev.mlops.monitoring;

import dev.mlops.core.CategoricalColumn;
import dev.mlops.core.Column;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import dev.mlops.monitoring.internal.CategoryCounts;
import dev.mlops.monitoring.internal.DistinctValues;
import dev.mlops.monitoring.internal.ExactMoments;
import dev.mlops.monitoring.internal.ExactSums;
import dev.mlops.monitoring.internal.ValueSketch;
import java.util.Arrays;

/**
 * Accumulates one column's profile, value by value or column by column. Finite numeric values
 * are buffered and folded in blocks, which keeps the per-value cost to a copy and a comparison.
 * Everything folded is order independent (integer counts, exact sums, extremes, the set of
 * values while there are few), so any split and merge order gives the same profile. Not
 * thread-safe; callers guard it.
 */
final class ColumnAccumulator {
  private static final int BLOCK = 4096;

  private final String name;
  private final boolean numeric;
  private final Binning binning;
  private long missing;
  private long nonFinite;
  private long count;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private ExactSums sums;
  private ValueSketch sketch;
  private double[] exact;
  private DistinctValues distinct;
  private long[] binCounts;
  private CategoryCounts categories;
  private double[] buffer;
  private int buffered;

  ColumnAccumulator(String name, boolean numeric, Binning binning, int categoryLimit) {
    this.name = name;
    this.numeric = numeric;
    this.binning = binning;
    if (numeric) {
      sums = new ExactSums();
      sketch = new ValueSketch();
      exact = new double[Profile.EXACT_LIMIT];
      distinct = new DistinctValues();
      buffer = new double[BLOCK];
      binCounts = binning == null ? null : new long[binning.size()];
    } else {
      categories = new CategoryCounts(categoryLimit);
    }
  }

  String name() {
    return name;
  }

  boolean isNumeric() {
    return numeric;
  }

  /** Adds every value of a frame column of the same kind. */
  void addColumn(Column column) {
    if (column instanceof NumericColumn n && numeric) {
      int size = n.size();
      flush();
      for (int i = 0; i < size; i += BLOCK) {
        int length = Math.min(BLOCK, size - i);
        n.copyTo(i, buffer, 0, length);
        buffered = keepFinite(buffer, length);
        flush();
      }
    } else if (column instanceof CategoricalColumn c && !numeric) {
      int size = c.size();
      for (int i = 0; i < size; i++) {
        addCategory(c.get(i));
      }
    } else {
      throw new IllegalStateException("column '" + name + "' changed kind");
    }
  }

  /**
   * Moves the finite values of {@code block[0..length)} to its front, counting the others as
   * missing (NaN) or non-finite (±Inf), and returns how many are finite.
   */
  private int keepFinite(double[] block, int length) {
    int others = 0;
    for (int i = 0; i < length; i++) {
      // v - v is 0 for finite values and NaN for NaN and ±Infinity.
      double v = block[i];
      others += v - v == 0 ? 0 : 1;
    }
    if (others == 0) {
      return length;
    }
    int k = 0;
    for (int i = 0; i < length; i++) {
      double v = block[i];
      if (v - v == 0) {
        block[k++] = v;
      } else if (Double.isNaN(v)) {
        missing++;
      } else {
        nonFinite++;
      }
    }
    return k;
  }

  void addNumber(double v) {
    if (Double.isNaN(v)) {
      missing++;
    } else if (Double.isInfinite(v)) {
      nonFinite++;
    } else {
      buffer[buffered++] = v;
      if (buffered == BLOCK) {
        flush();
      }
    }
  }

  void addCategory(String v) {
    if (v == null) {
      missing++;
    } else {
      categories.add(v);
    }
  }

  /**
   * Checks a value from a row map and converts it: numbers (or numeric text, or booleans as 1/0)
   * to a double for numeric columns, anything to its text for categorical ones; null stays null.
   *
   * @throws InvalidInputException if a numeric column gets a value that is not a number
   */
  Object convert(Object value) {
    if (value == null) {
      return null;
    }
    if (!numeric) {
      return value.toString();
    }
    if (value instanceof Number num) {
      return num.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    try {
      return Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("column '" + name + "' is numeric but the row holds '" + value
          + "'; send a number, or null for a missing value");
    }
  }

  /** Adds a value {@link #convert converted} for this column. */
  void addConverted(Object value) {
    if (numeric) {
      addNumber(value == null ? Double.NaN : (Double) value);
    } else {
      addCategory((String) value);
    }
  }

  private void flush() {
    if (buffered == 0) {
      return;
    }
    double lo = min;
    double hi = max;
    for (int i = 0; i < buffered; i++) {
      lo = Math.min(lo, buffer[i]);
      hi = Math.max(hi, buffer[i]);
    }
    min = lo;
    max = hi;
    sums.add(buffer, 0, buffered);
    sketch.add(buffer, 0, buffered);
    keepExact(buffer, buffered);
    for (int i = 0; i < buffered && !distinct.overflowed(); i++) {
      distinct.add(buffer[i]);
    }
    if (binCounts != null) {
      for (int i = 0; i < buffered; i++) {
        binCounts[binning.binOf(buffer[i])]++;
      }
    }
    buffered = 0;
  }

  /** Keeps the values themselves while there are at most {@link Profile#EXACT_LIMIT}. */
  private void keepExact(double[] values, int n) {
    long before = count;
    count += n;
    if (exact == null) {
      return;
    }
    if (count > Profile.EXACT_LIMIT) {
      exact = null;
    } else {
      System.arraycopy(values, 0, exact, (int) before, n);
    }
  }

  /** Folds a frozen profile of the same column into this one. */
  void merge(ColumnProfile p) {
    flush();
    missing += p.missing();
    nonFinite += p.nonFinite();
    if (numeric) {
      ExactMoments m = p.exactMoments();
      sums.add(m.sum(), m.squares());
      min = Math.min(min, m.min());
      max = Math.max(max, m.max());
      sketch.add(p.sketch());
      double[] values = p.exactValues();
      if (values == null) {
        count += m.count();
        exact = null;
      } else {
        keepExact(values, values.length);
      }
      if (p.distinctValues() == null) {
        distinct.markOverflowed();
      } else {
        for (int i = 0; i < p.distinctValues().size(); i++) {
          distinct.add(p.distinctValues().values()[i], p.distinctValues().counts()[i]);
        }
      }
      if (binCounts != null) {
        long[] other = p.binCounts();
        for (int i = 0; i < binCounts.length; i++) {
          binCounts[i] += other[i];
        }
      }
    } else {
      p.categoryCounts().counts().forEach(categories::add);
      categories.addOverflow(p.categoryCounts().overflow());
    }
  }

  /** The profile so far. Hands over the sketch, so the accumulator must not be used afterwards. */
  ColumnProfile freeze() {
    if (numeric) {
      flush();
      ExactMoments m = count == 0 ? ExactMoments.EMPTY : new ExactMoments(count, sums.sum(), sums.squares(), min, max);
      double[] values = exact == null ? null : Arrays.copyOf(exact, (int) count);
      if (values != null) {
        Arrays.sort(values);
      }
      return new ColumnProfile(name, true, missing, nonFinite, m, sketch, values, distinct.freeze(), binning,
          binCounts == null ? null : Arrays.copyOf(binCounts, binCounts.length), null);
    }
    return new ColumnProfile(name, false, missing, 0, ExactMoments.EMPTY, null, null, null, null, null,
        categories.freeze());
  }
}
