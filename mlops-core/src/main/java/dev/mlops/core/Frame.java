package dev.mlops.core;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;

/**
 * An immutable columnar table: numeric columns as {@code double} (NaN = missing), categorical
 * columns as {@code String} (null = missing). Monitoring, signatures and examples all speak
 * {@code Frame}.
 *
 * <p>Reading a column, {@link #slice slicing} and {@link #select selecting} never copy values;
 * {@link #filter filtering} copies the rows it keeps.
 *
 * <pre>{@code
 * Frame f = Frame.readCsv(Path.of("wine.csv"));          // header row, types inferred
 * Frame g = Frame.builder(Schema.of(Field.of("x", FieldType.DOUBLE), Field.of("c", FieldType.STRING)))
 *     .row(1.5, "a")
 *     .row(null, "b")                                      // missing x
 *     .build();
 * double mean = f.numeric("alcohol").stream().average().orElse(Double.NaN);
 * Frame adults = f.filter(i -> f.numeric("age").get(i) >= 18);
 * }</pre>
 */
public final class Frame {
  private final Schema schema;
  private final ImmutableList<Column> columns;
  private final int rowCount;

  Frame(Schema schema, List<Column> columns, int rowCount) {
    this.schema = schema;
    this.columns = ImmutableList.copyOf(columns);
    this.rowCount = rowCount;
  }

  /** A builder for a frame of this schema, filled by rows or by whole columns. */
  public static FrameBuilder builder(Schema schema) {
    return new FrameBuilder(schema);
  }

  /**
   * Reads a CSV file with a header row, inferring each column's type: a column whose non-empty
   * cells all parse as numbers is numeric ({@link FieldType#DOUBLE}), any other is categorical
   * ({@link FieldType#STRING}). An empty cell is missing. Inferred fields are required when the
   * column has no missing cell.
   *
   * @throws NotFoundException if the file does not exist
   * @throws InvalidInputException naming line and column of a malformed row
   */
  public static Frame readCsv(Path file) {
    return readCsv(file, null);
  }

  /**
   * Reads a CSV file with a header row whose columns are those of {@code schema} (in any order;
   * extra columns are refused), within the {@link CsvLimits#defaults() default limits}. A cell
   * that does not fit its column's type is an error naming the line and the column. A null schema
   * means infer the types.
   */
  public static Frame readCsv(Path file, Schema schema) {
    return readCsv(file, schema, CsvLimits.defaults());
  }

  /**
   * Reads a CSV file of strict UTF-8 (a leading byte-order mark is dropped) within {@code limits};
   * see {@link #readCsv(Path, Schema)}. Whatever the bytes, the only errors are this library's.
   *
   * @throws NotFoundException if the file does not exist
   * @throws InvalidInputException naming line and column of a malformed row, an oversized cell or
   *     record and the limit it passed, or the offset of a byte that is not UTF-8
   * @throws StoreUnavailableException if the file cannot be read
   */
  public static Frame readCsv(Path file, Schema schema, CsvLimits limits) {
    Objects.requireNonNull(limits, "limits");
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("no CSV file '" + file + "'; check the path", e);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot open '" + file + "': " + e.getMessage(), e);
    }
    return FrameCsv.read(CsvInput.of(in, file.toString(), limits), file.toString(), schema, limits);
  }

  /** Reads CSV text; see {@link #readCsv(Path, Schema)}. A null schema means infer the types. */
  public static Frame readCsv(Reader csv, String sourceName, Schema schema) {
    return readCsv(csv, sourceName, schema, CsvLimits.defaults());
  }

  /** Reads CSV text within {@code limits}; see {@link #readCsv(Path, Schema, CsvLimits)}. */
  public static Frame readCsv(Reader csv, String sourceName, Schema schema, CsvLimits limits) {
    return FrameCsv.read(csv, sourceName, schema, Objects.requireNonNull(limits, "limits"));
  }

  /**
   * The features and output of a Tribuo data set as a frame: one numeric column per feature in
   * the data set's feature map (sorted by name; a feature an example lacks is 0, Tribuo's
   * sparse convention), then a column {@code output}: categorical label names, or numeric values
   * for one-dimensional regression outputs.
   */
  public static Frame fromTribuo(Dataset<?> dataset) {
    return FrameTribuo.convert(dataset);
  }

  /**
   * The frame as a Tribuo data set for training, so that one CSV read serves training and
   * monitoring: each numeric column a feature of its name, each categorical column one-hot
   * features {@code column@value}, missing values absent (Tribuo's sparse convention), and the
   * output column the examples' outputs as {@code outputFactory} reads them. A model trained on
   * it predicts the frame's raw rows under the signature {@code ModelSignature.infer(frame,
   * outputColumn)}.
   *
   * <pre>{@code
   * Frame f = Frame.readCsv(Path.of("customers.csv"));
   * MutableDataset<Label> train = f.toTribuo("churned", new LabelFactory());
   * }</pre>
   *
   * @throws NotFoundException if there is no such column
   * @throws InvalidInputException if a row has no output
   */
  public <T extends Output<T>> MutableDataset<T> toTribuo(String outputColumn, OutputFactory<T> outputFactory) {
    return FrameTribuo.toDataset(this, outputColumn, Objects.requireNonNull(outputFactory, "outputFactory"));
  }

  /** The schema: names and types of the columns, in order. */
  public Schema schema() {
    return schema;
  }

  /** The column names in order. */
  public List<String> columnNames() {
    return schema.names();
  }

  /** How many rows. */
  public int rowCount() {
    return rowCount;
  }

  /** How many columns. */
  public int columnCount() {
    return columns.size();
  }

  /** The columns, in order. */
  public List<Column> columns() {
    return columns;
  }

  /** Whether a column of this name exists. */
  public boolean hasColumn(String name) {
    return schema.contains(name);
  }

  /**
   * The named column.
   *
   * @throws NotFoundException naming the column and the columns there are
   */
  public Column column(String name) {
    int i = schema.indexOf(name);
    if (i < 0) {
      throw new NotFoundException("no column '" + name + "'; the columns are " + columnNames());
    }
    return columns.get(i);
  }

  /** Whether the named column is numeric. */
  public boolean isNumeric(String name) {
    return column(name) instanceof NumericColumn;
  }

  /**
   * The named numeric column, without copying.
   *
   * @throws InvalidInputException if the column is categorical
   */
  public NumericColumn numeric(String name) {
    if (column(name) instanceof NumericColumn n) {
      return n;
    }
    throw new InvalidInputException(
        "column '" + name + "' is categorical, not numeric; read it with categorical(\"" + name + "\")");
  }

  /**
   * The named categorical column, without copying.
   *
   * @throws InvalidInputException if the column is numeric
   */
  public CategoricalColumn categorical(String name) {
    if (column(name) instanceof CategoricalColumn c) {
      return c;
    }
    throw new InvalidInputException(
        "column '" + name + "' is numeric, not categorical; read it with numeric(\"" + name + "\")");
  }

  /** Row {@code i} as an ordered map from column name to value ({@code Double}, {@code String} or null). */
  public Map<String, Object> row(int i) {
    Objects.checkIndex(i, rowCount);
    Map<String, Object> row = new LinkedHashMap<>();
    for (Column c : columns) {
      row.put(c.name(), c.value(i));
    }
    return row;
  }

  /** A frame of only these columns, in this order, sharing their values. */
  public Frame select(String... names) {
    return select(Arrays.asList(names));
  }

  /** A frame of only these columns, in this order, sharing their values. */
  public Frame select(List<String> names) {
    List<Field> fields = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    for (String n : names) {
      cols.add(column(n));
      fields.add(schema.field(n));
    }
    return new Frame(Schema.of(fields), cols, rowCount);
  }

  /**
   * Rows {@code from} (inclusive) to {@code to} (exclusive), sharing the values.
   *
   * @throws InvalidInputException if the range is outside {@code 0..rowCount()}
   */
  public Frame slice(int from, int to) {
    if (from < 0 || to > rowCount || from > to) {
      throw new InvalidInputException(
          "slice [" + from + ", " + to + ") is outside the frame's " + rowCount + " rows");
    }
    List<Column> cols = new ArrayList<>();
    for (Column c : columns) {
      cols.add(
          c instanceof NumericColumn n ? n.slice(from, to - from) : ((CategoricalColumn) c).slice(from, to - from));
    }
    return new Frame(schema, cols, to - from);
  }

  /** The rows whose index the predicate accepts, in order, copied. */
  public Frame filter(IntPredicate keepRow) {
    int[] kept = new int[rowCount];
    int n = 0;
    for (int i = 0; i < rowCount; i++) {
      if (keepRow.test(i)) {
        kept[n++] = i;
      }
    }
    List<Column> cols = new ArrayList<>();
    for (Column c : columns) {
      if (c instanceof NumericColumn num) {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
          v[k] = num.get(kept[k]);
        }
        cols.add(new NumericColumn(c.name(), v, 0, n));
      } else {
        CategoricalColumn cat = (CategoricalColumn) c;
        String[] v = new String[n];
        for (int k = 0; k < n; k++) {
          v[k] = cat.get(kept[k]);
        }
        cols.add(new CategoricalColumn(c.name(), v, 0, n));
      }
    }
    return new Frame(schema, cols, n);
  }

  /**
   * Writes the frame as CSV with a header row: numbers in Java's shortest round-trip form,
   * missing values as empty cells. Reading the file back with this frame's schema gives an
   * equal frame.
   */
  public void writeCsv(Path file) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      FrameCsv.write(this, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + file + "'", e);
    }
  }

  /** The frame as CSV text; see {@link #writeCsv(Path)}. */
  public String toCsv() {
    java.io.StringWriter out = new java.io.StringWriter();
    try {
      FrameCsv.write(this, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.schema.equals(schema) && f.rowCount == rowCount && f.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, rowCount, columns);
  }

  @Override
  public String toString() {
    return "Frame[" + rowCount + " rows x " + columns.size() + " columns: " + columnNames() + "]";
  }
}
