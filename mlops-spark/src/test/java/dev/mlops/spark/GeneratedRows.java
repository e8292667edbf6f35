package dev.mlops.spark;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows of every Spark column type the profiles read, drawn from a seed, and the frame that holds
 * the same values as the documented reading says: integers and dates and timestamps as long
 * numbers (days, microseconds), floats and decimals as doubles, booleans and strings as
 * categories; null and NaN missing. Values span few and many distinct values, both zeros, ±Inf and
 * NaN, so that both exact and sketched profiles occur.
 */
final class GeneratedRows {
  static final StructType SPARK_SCHEMA = new StructType()
      .add("by", DataTypes.ByteType)
      .add("sh", DataTypes.ShortType)
      .add("i", DataTypes.IntegerType)
      .add("l", DataTypes.LongType)
      .add("f", DataTypes.FloatType)
      .add("d", DataTypes.DoubleType)
      .add("dec", DataTypes.createDecimalType(12, 3))
      .add("b", DataTypes.BooleanType)
      .add("s", DataTypes.StringType)
      .add("dt", DataTypes.DateType)
      .add("ts", DataTypes.TimestampType)
      .add("ntz", DataTypes.TimestampNTZType);

  static final Schema FRAME_SCHEMA = Schema.of(
      Field.optional("by", FieldType.LONG), Field.optional("sh", FieldType.LONG),
      Field.optional("i", FieldType.LONG), Field.optional("l", FieldType.LONG),
      Field.optional("f", FieldType.DOUBLE), Field.optional("d", FieldType.DOUBLE),
      Field.optional("dec", FieldType.DOUBLE), Field.optional("b", FieldType.BOOLEAN),
      Field.optional("s", FieldType.STRING), Field.optional("dt", FieldType.LONG),
      Field.optional("ts", FieldType.LONG), Field.optional("ntz", FieldType.LONG));

  final List<Row> rows;
  final Frame frame;

  private GeneratedRows(List<Row> rows, Frame frame) {
    this.rows = rows;
    this.frame = frame;
  }

  /** {@code n} rows; {@code shift} moves the numeric values, for a current side that drifts. */
  static GeneratedRows of(long seed, int n, double shift) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>(n);
    double[][] numbers = new double[12][n];
    String[][] texts = new String[12][n];
    for (int k = 0; k < n; k++) {
      boolean wide = r.nextBoolean();
      Byte by = r.nextInt(9) == 0 ? null : (byte) (r.nextInt(256) - 128);
      Short sh = r.nextInt(9) == 0 ? null : (short) r.nextInt(4);
      Integer i = r.nextInt(9) == 0 ? null : r.nextInt(wide ? 1_000_000 : 5) + (int) shift;
      Long l = r.nextInt(9) == 0 ? null : r.nextLong() >> r.nextInt(64);
      Float f = r.nextInt(9) == 0 ? null : (float) (r.nextGaussian() + shift);
      Double d = r.nextInt(9) == 0 ? null : number(r, shift);
      BigDecimal dec = r.nextInt(9) == 0 ? null : BigDecimal.valueOf(r.nextLong(-1_000_000_000L, 1_000_000_000L), 3);
      Boolean b = r.nextInt(9) == 0 ? null : r.nextInt(3) == 0;
      String s = r.nextInt(9) == 0 ? null : "s" + r.nextInt(wide ? 100 : 3);
      LocalDate dt = r.nextInt(9) == 0 ? null : LocalDate.ofEpochDay(r.nextInt(-30_000, 30_000));
      Instant ts = r.nextInt(9) == 0 ? null : Instant.ofEpochSecond(r.nextLong(-2_000_000_000L, 4_000_000_000L), r.nextInt(1000) * 1000);
      LocalDateTime ntz = r.nextInt(9) == 0 ? null : LocalDateTime.ofEpochSecond(r.nextLong(0, 2_000_000_000L), 0, ZoneOffset.UTC);
      rows.add(RowFactory.create(by, sh, i, l, f, d, dec, b, s, dt, ts, ntz));
      numbers[0][k] = by == null ? Double.NaN : by;
      numbers[1][k] = sh == null ? Double.NaN : sh;
      numbers[2][k] = i == null ? Double.NaN : i;
      numbers[3][k] = l == null ? Double.NaN : l;
      numbers[4][k] = f == null ? Double.NaN : f;
      numbers[5][k] = d == null ? Double.NaN : d;
      numbers[6][k] = dec == null ? Double.NaN : dec.doubleValue();
      texts[7][k] = b == null ? null : b.toString();
      texts[8][k] = s;
      numbers[9][k] = dt == null ? Double.NaN : dt.toEpochDay();
      numbers[10][k] = ts == null ? Double.NaN : ts.getEpochSecond() * 1_000_000L + ts.getNano() / 1000;
      numbers[11][k] = ntz == null ? Double.NaN : ntz.toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    }
    var b = Frame.builder(FRAME_SCHEMA);
    for (int c = 0; c < 12; c++) {
      Field field = FRAME_SCHEMA.fields().get(c);
      if (field.type().isNumeric()) {
        b.column(field.name(), numbers[c]);
      } else {
        b.column(field.name(), texts[c]);
      }
    }
    return new GeneratedRows(rows, b.build());
  }

  private static double number(SplittableRandom r, double shift) {
    return switch (r.nextInt(10)) {
      case 0 -> Double.NaN;
      case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> r.nextBoolean() ? 0.0 : -0.0;
      case 3 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(400) - 200);
      default -> r.nextGaussian() * 10 + shift;
    };
  }
}
