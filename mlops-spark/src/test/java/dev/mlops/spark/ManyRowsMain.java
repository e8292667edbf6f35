package dev.mlops.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.mlops.monitoring.Profile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Profiles more generated rows than its own heap could hold as numbers alone, and prints the
 * profile's row count, heap size, raw size and whether the profile's count, minimum and maximum
 * of each column agree with Spark's own aggregation. Run by {@link ManyRowsTest} in a JVM with a
 * small heap; local mode, so the driver is the executor too.
 */
public final class ManyRowsMain {
  private ManyRowsMain() {}

  public static void main(String[] args) {
    long rows = Long.parseLong(args[0]);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("many-rows")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        // Spark refuses to start below 450 MiB of heap unless told how much memory to plan for;
        // it caches nothing here, so its plan does not have to fit the heap
        .config("spark.testing.memory", Long.toString(450L << 20))
        .getOrCreate();
    try {
      Dataset<Row> data = spark.range(0, rows, 1, 8)
          .selectExpr("rand(1) as u", "randn(2) as g", "cast(id as double) * 0.5d as h");
      Profile p = SparkProfiles.of(data);
      Row agg = data.agg(count(col("u")), min("u"), max("u"), min("g"), max("g"), min("h"), max("h")).first();
      boolean agrees = p.rowCount() == agg.getLong(0)
          && p.column("u").min().getAsDouble() == agg.getDouble(1) && p.column("u").max().getAsDouble() == agg.getDouble(2)
          && p.column("g").min().getAsDouble() == agg.getDouble(3) && p.column("g").max().getAsDouble() == agg.getDouble(4)
          && p.column("h").min().getAsDouble() == agg.getDouble(5) && p.column("h").max().getAsDouble() == agg.getDouble(6);
      System.out.println("rows=" + p.rowCount());
      System.out.println("heap=" + Runtime.getRuntime().maxMemory());
      System.out.println("numbers=" + rows * 3 * Double.BYTES);
      System.out.println("agrees=" + agrees);
    } finally {
      spark.stop();
    }
  }
}
