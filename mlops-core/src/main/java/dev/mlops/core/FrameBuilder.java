package dev.mlops.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Frame} of a given {@link Schema}, either row by row or column by column (not
 * both). Numeric fields take any {@link Number} or null; {@link FieldType#STRING} fields take a
 * {@code String} or null; {@link FieldType#BOOLEAN} fields take a {@code Boolean}, {@code "true"},
 * {@code "false"} or null. An empty string counts as missing, as an empty CSV cell does.
 *
 * <pre>{@code
 * Frame f = Frame.builder(schema).row(5.1, "setosa").row(Map.of("x", 4.9, "c", "setosa")).build();
 * Frame g = Frame.builder(schema).column("x", new double[] {1, 2}).column("c", new String[] {"a", "b"}).build();
 * }</pre>
 */
public final class FrameBuilder {
  private final Schema schema;
  private final List<Object[]> rows = new ArrayList<>();
  private final Object[] columns;
  private boolean built;

  FrameBuilder(Schema schema) {
    this.schema = schema;
    this.columns = new Object[schema.size()];
  }

  /**
   * Adds a row, values in schema order.
   *
   * @throws InvalidInputException if the count or a value's type is wrong, naming the column
   */
  public FrameBuilder row(Object... values) {
    checkOpen();
    if (values.length != schema.size()) {
      throw new InvalidInputException(
          "row " + rows.size() + " has " + values.length + " values but the schema has "
              + schema.size() + " columns " + schema.names());
    }
    Object[] row = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      row[i] = coerce(schema.fields().get(i), values[i], rows.size());
    }
    rows.add(row);
    return this;
  }

  /**
   * Adds a row from a map of column name to value; columns the map lacks are missing.
   *
   * @throws InvalidInputException if the map names a column the schema lacks
   */
  public FrameBuilder row(Map<String, ?> values) {
    for (String k : values.keySet()) {
      if (!schema.contains(k)) {
        throw new InvalidInputException(
            "row " + rows.size() + " names column '" + k + "' that is not in the schema " + schema.names());
      }
    }
    Object[] ordered = new Object[schema.size()];
    for (int i = 0; i < ordered.length; i++) {
      ordered[i] = values.get(schema.fields().get(i).name());
    }
    return row(ordered);
  }

  /** Sets a whole numeric column (copied). */
  public FrameBuilder column(String name, double[] values) {
    checkOpen();
    Field f = schema.field(name);
    if (!f.type().isNumeric()) {
      throw new InvalidInputException("column '" + name + "' is " + f.type().jsonName() + "; pass a String[]");
    }
    columns[schema.indexOf(name)] = values.clone();
    return this;
  }

  /** Sets a whole categorical column (copied; empty strings become missing). */
  public FrameBuilder column(String name, String[] values) {
    checkOpen();
    Field f = schema.field(name);
    if (f.type().isNumeric()) {
      throw new InvalidInputException("column '" + name + "' is " + f.type().jsonName() + "; pass a double[]");
    }
    String[] copy = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      copy[i] = (String) coerce(f, values[i], i);
    }
    columns[schema.indexOf(name)] = copy;
    return this;
  }

  /**
   * The frame. The builder cannot be used afterwards.
   *
   * @throws InvalidInputException if rows and columns were mixed, a column is missing, or
   *     columns differ in length
   */
  public Frame build() {
    checkOpen();
    built = true;
    boolean anyColumn = Arrays.stream(columns).anyMatch(c -> c != null);
    if (anyColumn && !rows.isEmpty()) {
      throw new InvalidInputException("add either rows or whole columns to a frame builder, not both");
    }
    List<Column> cols = new ArrayList<>();
    if (!anyColumn) {
      int n = rows.size();
      for (int j = 0; j < schema.size(); j++) {
        Field f = schema.fields().get(j);
        if (f.type().isNumeric()) {
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            v[i] = rows.get(i)[j] == null ? Double.NaN : (Double) rows.get(i)[j];
          }
          cols.add(new NumericColumn(f.name(), v, 0, n));
        } else {
          String[] v = new String[n];
          for (int i = 0; i < n; i++) {
            v[i] = (String) rows.get(i)[j];
          }
          cols.add(new CategoricalColumn(f.name(), v, 0, n));
        }
      }
      return new Frame(schema, cols, n);
    }
    int n = -1;
    for (int j = 0; j < schema.size(); j++) {
      Field f = schema.fields().get(j);
      Object c = columns[j];
      if (c == null) {
        throw new InvalidInputException("column '" + f.name() + "' was never set; set every column of " + schema.names());
      }
      int len = c instanceof double[] d ? d.length : ((String[]) c).length;
      if (n >= 0 && len != n) {
        throw new InvalidInputException(
            "column '" + f.name() + "' has " + len + " values but the columns before it have " + n);
      }
      n = len;
      cols.add(c instanceof double[] d ? new NumericColumn(f.name(), d, 0, len) : new CategoricalColumn(f.name(), (String[]) c, 0, len));
    }
    return new Frame(schema, cols, Math.max(n, 0));
  }

  private void checkOpen() {
    if (built) {
      throw new IllegalStateException("this builder has already built its frame; start a new one");
    }
  }

  static Object coerce(Field f, Object v, int row) {
    if (v == null || (v instanceof String s && s.isEmpty())) {
      return null;
    }
    switch (f.type()) {
      case DOUBLE:
      case LONG:
        if (v instanceof Number num) {
          return num.doubleValue();
        }
        break;
      case BOOLEAN:
        if (v instanceof Boolean b) {
          return b.toString();
        }
        if ("true".equals(v) || "false".equals(v)) {
          return v;
        }
        break;
      case STRING:
        if (v instanceof String s) {
          return s;
        }
        break;
      default:
        break;
    }
    throw new InvalidInputException(
        "row " + row + ", column '" + f.name() + "': expected " + f.type().jsonName() + " but got "
            + v.getClass().getSimpleName() + " '" + v + "'");
  }
}
