package dev.mlops.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.DoubleStream;

/**
 * A numeric column of a {@link Frame}: a read-only view of a {@code double[]} range, NaN meaning
 * missing. Reading it never copies; {@link #toArray()} does.
 *
 * <pre>{@code
 * NumericColumn age = frame.numeric("age");
 * double sum = 0;
 * for (int i = 0; i < age.size(); i++) if (!age.isMissing(i)) sum += age.get(i);
 * }</pre>
 */
public final class NumericColumn implements Column {
  private final String name;
  private final double[] values;
  private final int offset;
  private final int size;

  NumericColumn(String name, double[] values, int offset, int size) {
    this.name = Objects.requireNonNull(name);
    this.values = values;
    this.offset = offset;
    this.size = size;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return size;
  }

  /** The value at row {@code i}; NaN when missing. */
  public double get(int i) {
    Objects.checkIndex(i, size);
    return values[offset + i];
  }

  @Override
  public boolean isMissing(int i) {
    return Double.isNaN(get(i));
  }

  @Override
  public Object value(int i) {
    double v = get(i);
    return Double.isNaN(v) ? null : v;
  }

  /** A copy of the values, NaN where missing. */
  public double[] toArray() {
    return Arrays.copyOfRange(values, offset, offset + size);
  }

  /**
   * Copies {@code length} values from row {@code from} into {@code target} at {@code at}, NaN
   * where missing: a block copy, for callers that read a column in blocks.
   *
   * @throws IndexOutOfBoundsException if a range is outside the column or the target
   */
  public void copyTo(int from, double[] target, int at, int length) {
    Objects.checkFromIndexSize(from, length, size);
    System.arraycopy(values, offset + from, target, at, length);
  }

  /** The values, NaN where missing. */
  public DoubleStream stream() {
    return Arrays.stream(values, offset, offset + size);
  }

  /** The non-missing values, copied, in row order. */
  public double[] nonMissing() {
    return stream().filter(v -> !Double.isNaN(v)).toArray();
  }

  NumericColumn slice(int from, int length) {
    return new NumericColumn(name, values, offset + from, length);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NumericColumn c) || !c.name.equals(name) || c.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (Double.doubleToLongBits(get(i)) != Double.doubleToLongBits(c.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = name.hashCode();
    for (int i = 0; i < size; i++) {
      h = 31 * h + Double.hashCode(get(i));
    }
    return h;
  }

  @Override
  public String toString() {
    return name + "(numeric, " + size + " rows)";
  }
}
