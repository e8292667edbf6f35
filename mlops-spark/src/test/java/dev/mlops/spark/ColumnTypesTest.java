package dev.mlops.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.Profile;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Spark column type is read as documented or refused with a message naming the column,
 * on the driver, before any job runs.
 */
class ColumnTypesTest {
  private static final SparkSession SPARK = LocalSpark.session();

  @ParameterizedTest
  @ValueSource(strings = {"cast('ab' as binary)", "array(1, 2)", "map('k', 1)", "named_struct('a', 1)",
      "interval '2' day", "interval '1' year", "cast(null as void)"})
  void typesWithoutANumericOrCategoricalReadingAreRefusedNamingTheColumn(String expression) {
    Dataset<Row> data = SPARK.sql("select 1.5 as fine, " + expression + " as `odd col`");
    SparkContext sc = SPARK.sparkContext();
    sc.setJobGroup("refused-type", expression, false);
    try {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> SparkProfiles.of(data));
      assertTrue(e.getMessage().startsWith("column 'odd col' is Spark "), e.getMessage());
      assertTrue(e.getMessage().contains("cast it"), e.getMessage());
      assertEquals(0, sc.statusTracker().getJobIdsForGroup("refused-type").length);
    } finally {
      sc.clearJobGroup();
    }
  }

  @Test
  void valuesAreReadAsDocumented() {
    Dataset<Row> data = SPARK.sql("select * from values "
        + "(cast(1 as tinyint), cast(2 as smallint), 3, cast(4 as bigint), cast(0.5 as float), 6.25d, cast(7.125 as decimal(9,3)), "
        + " true, 'a', cast('a' as char(3)), cast('v' as varchar(4)), date'1970-01-11', timestamp'1970-01-01 00:00:01.5', "
        + " timestamp_ntz'1970-01-02 00:00:00'),"
        + "(null, null, null, null, null, cast('NaN' as double), null, false, null, null, null, null, null, null)"
        + " as t(by, sh, i, l, f, d, dec, b, s, c, v, dt, ts, ntz)");
    Profile p = SparkProfiles.of(data);
    Map<String, Double> expected = Map.of("by", 1.0, "sh", 2.0, "i", 3.0, "l", 4.0, "f", 0.5, "d", 6.25, "dec", 7.125,
        "dt", 10.0, "ts", 1_500_000.0, "ntz", 86_400_000_000.0);
    expected.forEach((column, value) -> {
      ColumnProfile c = p.column(column);
      assertTrue(c.isNumeric(), column);
      assertEquals(1, c.count(), column);
      assertEquals(1, c.missing(), column + ": null and NaN are missing");
      assertEquals(value, c.min().orElseThrow(), column);
    });
    assertEquals(Map.of("true", 1L, "false", 1L), p.column("b").categories());
    assertEquals(Map.of("a", 1L), p.column("s").categories());
    assertEquals(1, p.column("s").missing());
    assertEquals(Map.of("a", 1L), p.column("c").categories());
    assertEquals(Map.of("v", 1L), p.column("v").categories());
    assertFalse(p.column("v").isNumeric());
  }

  @Test
  void aSchemaSelectsOrdersAndConvertsColumns() {
    Dataset<Row> data = SPARK.sql("select id as `a.b`, id % 3 as code, cast(id as string) as name from range(10)");
    Schema wanted = Schema.of(Field.optional("code", FieldType.STRING), Field.optional("a.b", FieldType.DOUBLE));
    Profile p = SparkProfiles.of(data, wanted);
    assertEquals(List.of("code", "a.b"), p.columnNames());
    assertEquals(Map.of("0", 4L, "1", 3L, "2", 3L), p.column("code").categories());
    assertEquals(9.0, p.column("a.b").max().orElseThrow());

    InvalidInputException lacking = assertThrows(InvalidInputException.class,
        () -> SparkProfiles.of(data, Schema.of(Field.optional("age", FieldType.DOUBLE))));
    assertTrue(lacking.getMessage().contains("no column 'age'"), lacking.getMessage());
    InvalidInputException wrong = assertThrows(InvalidInputException.class,
        () -> SparkProfiles.of(data, Schema.of(Field.optional("name", FieldType.DOUBLE))));
    assertTrue(wrong.getMessage().startsWith("column 'name' is Spark string"), wrong.getMessage());
    InvalidInputException notLong = assertThrows(InvalidInputException.class,
        () -> SparkProfiles.of(data.selectExpr("cast(code as double) as code"), Schema.of(Field.optional("code", FieldType.LONG))));
    assertTrue(notLong.getMessage().contains("cannot be read as long"), notLong.getMessage());
  }

  @Test
  void sketchesSpanningEveryMagnitudeInManyColumnsMergeAcrossPartitions() {
    StringBuilder select = new StringBuilder("select ");
    for (int c = 0; c < 40; c++) {
      select.append(c == 0 ? "" : ", ").append("element_at(array(-1e300d, -1e-300d, 1e-300d, 1e300d), cast(id % 4 + 1 as int)) * ")
          .append(c + 1).append(" as c").append(c);
    }
    Dataset<Row> data = SPARK.sql(select + " from range(0, 64, 1, 4)");
    Profile p = SparkProfiles.of(data);
    assertEquals(64, p.rowCount());
    assertEquals(1e300 * 40, p.column("c39").max().orElseThrow());
    assertEquals(p.toJson(), SparkProfiles.of(data.coalesce(1)).toJson());
  }

  @Test
  void dataWithoutPartitionsHasAnEmptyProfile() {
    Dataset<Row> none = SPARK.sql("select 1.0d as x, 'a' as c").limit(0);
    Profile p = SparkProfiles.of(SPARK.createDataFrame(none.javaRDD().filter(r -> false).coalesce(1), none.schema()));
    assertEquals(0, p.rowCount());
    Profile empty = SparkProfiles.of(SPARK.createDataFrame(
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SPARK.sparkContext()).emptyRDD(), none.schema()));
    assertEquals(p.toJson(), empty.toJson());
  }
}
