package dev.mlops.core;

/**
 * One column of a {@link Frame}, read in place: getting a column never copies its values.
 * Either a {@link NumericColumn} ({@code double}, NaN = missing) or a {@link CategoricalColumn}
 * ({@code String}, null = missing).
 *
 * <pre>{@code
 * Column c = frame.column("age");
 * if (c instanceof NumericColumn n) { double first = n.get(0); }
 * }</pre>
 */
public sealed interface Column permits NumericColumn, CategoricalColumn {
  /** The column's name. */
  String name();

  /** How many rows. */
  int size();

  /** Whether row {@code i} has no value. */
  boolean isMissing(int i);

  /** The value at row {@code i} as an object: a {@code Double}, a {@code String} or null. */
  Object value(int i);

  /** How many rows have no value. */
  default int missingCount() {
    int n = 0;
    for (int i = 0; i < size(); i++) {
      if (isMissing(i)) {
        n++;
      }
    }
    return n;
  }
}
