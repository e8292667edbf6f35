package dev.mlops.spark.internal;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.VarcharType;

/**
 * How the columns of a Spark schema become the numeric and categorical columns of a {@code Frame}:
 * byte, short, integer, long, date (days since the epoch) and timestamp (microseconds since the
 * epoch, with or without a time zone) as {@link FieldType#LONG}; float, double and decimal as
 * {@link FieldType#DOUBLE}; boolean as {@link FieldType#BOOLEAN}; string, char and varchar as
 * {@link FieldType#STRING}. Null is missing. Any other type (binary, arrays, maps, structs,
 * intervals, variants, …) is refused with a message naming the column.
 *
 * <p>Decided once on the driver; the plan is sent to the executors, which read each
 * {@link InternalRow} of the selected columns by position, without building a {@code Row}.
 */
public final class ColumnPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How one Spark value is read. */
  enum Reader {
    BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, DECIMAL, BOOLEAN, STRING
  }

  private final String[] names;
  private final FieldType[] types;
  private final Reader[] readers;
  private final int[] precisions;
  private final int[] scales;

  private ColumnPlan(List<String> names, List<FieldType> types, List<Reader> readers, int[] precisions, int[] scales) {
    this.names = names.toArray(String[]::new);
    this.types = types.toArray(FieldType[]::new);
    this.readers = readers.toArray(Reader[]::new);
    this.precisions = precisions;
    this.scales = scales;
  }

  /**
   * The plan for every column of {@code spark}, in its order.
   *
   * @throws InvalidInputException naming a column whose type cannot be profiled
   */
  public static ColumnPlan of(StructType spark) {
    List<Field> fields = new ArrayList<>();
    for (StructField f : spark.fields()) {
      fields.add(Field.optional(f.name(), naturalType(f)));
    }
    return of(spark, Schema.of(fields));
  }

  /**
   * The plan for the columns of {@code wanted}, in its order, each read from the Spark column of
   * that name as the wanted type: a numeric Spark column as a number, a boolean one as a
   * boolean, and any supported column as text for a string field.
   *
   * @throws InvalidInputException naming a wanted column the data lacks, or one whose Spark type
   *     cannot give the wanted type
   */
  public static ColumnPlan of(StructType spark, Schema wanted) {
    List<String> names = new ArrayList<>();
    List<FieldType> types = new ArrayList<>();
    List<Reader> readers = new ArrayList<>();
    int[] precisions = new int[wanted.size()];
    int[] scales = new int[wanted.size()];
    List<String> available = Arrays.asList(spark.fieldNames());
    for (Field want : wanted) {
      if (!available.contains(want.name())) {
        throw new InvalidInputException("the data has no column '" + want.name() + "'; its columns are " + available
            + "; select or rename a column so that every column of the schema is there");
      }
      StructField f = spark.apply(want.name());
      FieldType natural = naturalType(f);
      boolean fits = want.type() == natural || want.type() == FieldType.STRING
          || want.type() == FieldType.DOUBLE && natural == FieldType.LONG;
      if (!fits) {
        throw new InvalidInputException("column '" + f.name() + "' is Spark " + f.dataType().simpleString()
            + ", which cannot be read as " + want.type().jsonName() + "; cast it in Spark or declare it "
            + natural.jsonName());
      }
      int i = names.size();
      names.add(f.name());
      types.add(want.type() == FieldType.STRING ? FieldType.STRING : natural);
      readers.add(reader(f.dataType()));
      if (f.dataType() instanceof DecimalType d) {
        precisions[i] = d.precision();
        scales[i] = d.scale();
      }
    }
    return new ColumnPlan(names, types, readers, precisions, scales);
  }

  private static FieldType naturalType(StructField f) {
    DataType t = f.dataType();
    if (t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType
        || t instanceof DateType || t instanceof TimestampType || t instanceof TimestampNTZType) {
      return FieldType.LONG;
    }
    if (t instanceof FloatType || t instanceof DoubleType || t instanceof DecimalType) {
      return FieldType.DOUBLE;
    }
    if (t instanceof BooleanType) {
      return FieldType.BOOLEAN;
    }
    if (t instanceof StringType || t instanceof CharType || t instanceof VarcharType) {
      return FieldType.STRING;
    }
    throw new InvalidInputException("column '" + f.name() + "' is Spark " + t.simpleString()
        + ", which has no numeric or categorical reading; drop it, or cast it to a number or a string in Spark");
  }

  private static Reader reader(DataType t) {
    if (t instanceof ByteType) {
      return Reader.BYTE;
    } else if (t instanceof ShortType) {
      return Reader.SHORT;
    } else if (t instanceof IntegerType || t instanceof DateType) {
      return Reader.INT;
    } else if (t instanceof LongType || t instanceof TimestampType || t instanceof TimestampNTZType) {
      return Reader.LONG;
    } else if (t instanceof FloatType) {
      return Reader.FLOAT;
    } else if (t instanceof DoubleType) {
      return Reader.DOUBLE;
    } else if (t instanceof DecimalType) {
      return Reader.DECIMAL;
    } else if (t instanceof BooleanType) {
      return Reader.BOOLEAN;
    }
    return Reader.STRING;
  }

  /** The column names, in the order of the plan (and of the rows it reads). */
  public String[] names() {
    return names.clone();
  }

  /** How many columns the plan reads. */
  public int size() {
    return names.length;
  }

  /** The frame schema the plan produces: every column optional. */
  public Schema schema() {
    List<Field> fields = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      fields.add(Field.optional(names[i], types[i]));
    }
    return Schema.of(fields);
  }

  /** Whether column {@code i} is read as a number. */
  public boolean isNumeric(int i) {
    return types[i].isNumeric();
  }

  /** Column {@code i} of a row of the selected columns as a number; NaN when null. */
  public double number(InternalRow row, int i) {
    if (row.isNullAt(i)) {
      return Double.NaN;
    }
    return switch (readers[i]) {
      case BYTE -> row.getByte(i);
      case SHORT -> row.getShort(i);
      case INT -> row.getInt(i);
      case LONG -> row.getLong(i);
      case FLOAT -> row.getFloat(i);
      case DOUBLE -> row.getDouble(i);
      case DECIMAL -> row.getDecimal(i, precisions[i], scales[i]).toDouble();
      default -> throw new IllegalStateException("column '" + names[i] + "' is not numeric");
    };
  }

  /** Column {@code i} of a row of the selected columns as text; null when null. */
  public String text(InternalRow row, int i) {
    if (row.isNullAt(i)) {
      return null;
    }
    return switch (readers[i]) {
      case BYTE -> Byte.toString(row.getByte(i));
      case SHORT -> Short.toString(row.getShort(i));
      case INT -> Integer.toString(row.getInt(i));
      case LONG -> Long.toString(row.getLong(i));
      case FLOAT -> Float.toString(row.getFloat(i));
      case DOUBLE -> Double.toString(row.getDouble(i));
      case DECIMAL -> row.getDecimal(i, precisions[i], scales[i]).toJavaBigDecimal().toPlainString();
      case BOOLEAN -> Boolean.toString(row.getBoolean(i));
      case STRING -> row.getUTF8String(i).toString();
    };
  }
}
