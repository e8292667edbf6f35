package dev.mlops.monitoring;

import dev.mlops.core.CategoricalColumn;
import dev.mlops.core.Column;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import dev.mlops.monitoring.internal.CategoryCounts;
import dev.mlops.monitoring.internal.DistinctValues;
import dev.mlops.monitoring.internal.Moments;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Accumulates one column's profile, value by value or column by column. Finite numeric values
 * are buffered and folded in blocks, which keeps the per-value cost to a copy and a comparison.
 * Not thread-safe; callers guard it.
 */
final class ColumnAccumulator {
  private static final int BLOCK = 4096;

  private final String name;
  private final boolean numeric;
  private final Binning binning;
  private long missing;
  private long nonFinite;
  private Moments moments = Moments.EMPTY;
  private KllDoublesSketch sketch;
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
      sketch = KllDoublesSketch.newHeapInstance(Profile.SKETCH_K);
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
      for (int i = 0; i < size; i++) {
        addNumber(n.get(i));
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
    moments = moments.plus(Moments.of(buffer, 0, buffered));
    sketch.update(buffer, 0, buffered);
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

  /** Folds a frozen profile of the same column into this one. */
  void merge(ColumnProfile p) {
    flush();
    missing += p.missing();
    nonFinite += p.nonFinite();
    if (numeric) {
      moments = moments.plus(p.moments());
      sketch.merge(p.sketch());
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
      return new ColumnProfile(name, true, missing, nonFinite, moments, sketch, distinct.freeze(), binning,
          binCounts == null ? null : Arrays.copyOf(binCounts, binCounts.length), null);
    }
    return new ColumnProfile(name, false, missing, 0, Moments.EMPTY, null, null, null, null, categories.freeze());
  }
}
