package dev.mlops.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A categorical column of a {@link Frame}: a read-only view of a {@code String[]} range, null
 * meaning missing. Reading it never copies; {@link #toArray()} does.
 *
 * <pre>{@code
 * CategoricalColumn city = frame.categorical("city");
 * long paris = city.stream().filter("Paris"::equals).count();
 * }</pre>
 */
public final class CategoricalColumn implements Column {
  private final String name;
  private final String[] values;
  private final int offset;
  private final int size;

  CategoricalColumn(String name, String[] values, int offset, int size) {
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

  /** The value at row {@code i}; null when missing. */
  public String get(int i) {
    Objects.checkIndex(i, size);
    return values[offset + i];
  }

  @Override
  public boolean isMissing(int i) {
    return get(i) == null;
  }

  @Override
  public Object value(int i) {
    return get(i);
  }

  /** A copy of the values, null where missing. */
  public String[] toArray() {
    return Arrays.copyOfRange(values, offset, offset + size);
  }

  /** The values, null where missing. */
  public Stream<String> stream() {
    return Arrays.stream(values, offset, offset + size);
  }

  CategoricalColumn slice(int from, int length) {
    return new CategoricalColumn(name, values, offset + from, length);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CategoricalColumn c) || !c.name.equals(name) || c.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!Objects.equals(get(i), c.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = name.hashCode();
    for (int i = 0; i < size; i++) {
      h = 31 * h + Objects.hashCode(get(i));
    }
    return h;
  }

  @Override
  public String toString() {
    return name + "(categorical, " + size + " rows)";
  }
}
