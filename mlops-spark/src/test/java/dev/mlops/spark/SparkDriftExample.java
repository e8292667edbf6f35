package dev.mlops.spark;

import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark example: generates a reference of 10 million rows and a current data set of 10
 * million rows whose income and region shifted, profiles the reference on {@code local[*]},
 * compares the current rows with it and writes the reference profile, the drift report's JSON and
 * its HTML page into the folder given as the first argument.
 *
 * <pre>{@code
 * mvn -q -B -pl mlops-spark -am -Pspark-example process-test-classes   # writes mlops-spark/target/spark-example
 * }</pre>
 */
public final class SparkDriftExample {
  static final long ROWS = 10_000_000;

  private SparkDriftExample() {}

  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "spark-example");
    SparkSession spark = SparkSession.builder().master("local[*]").appName("mlops-spark-example")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      long start = System.nanoTime();
      DriftReport report = run(spark, ROWS, out);
      System.out.printf("%s%nprofiled 2 × %,d rows in %.1f s; wrote %s%n", report.summary(), ROWS,
          (System.nanoTime() - start) / 1e9, out.toAbsolutePath());
    } finally {
      spark.stop();
    }
  }

  /** Generates, profiles and compares {@code rows} rows per side, writing the files into {@code out}. */
  static DriftReport run(SparkSession spark, long rows, Path out) {
    Dataset<Row> reference = generated(spark, rows, 0, 1);
    Dataset<Row> current = generated(spark, rows, 0.15, 2);
    Profile referenceProfile = SparkProfiles.of(reference);
    DriftReport report = SparkDrift.between(referenceProfile, current).run();
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("reference-profile.json"), referenceProfile.toJson());
      Files.writeString(out.resolve("drift.json"), report.toJson());
      report.writeHtml(out.resolve("drift.html"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return report;
  }

  /** Customers: age and tenure stable, income and the share of the north region moved by {@code shift}. */
  static Dataset<Row> generated(SparkSession spark, long rows, double shift, int seed) {
    return spark.range(0, rows, 1, 16).selectExpr(
        "cast(18 + rand(" + seed + ") * 60 as int) as age",
        "cast(rand(" + (seed + 10) + ") * 120 as int) as tenure_months",
        "exp(10 + " + shift + " + randn(" + (seed + 20) + ") * 0.5) as income",
        "if(rand(" + (seed + 30) + ") < 0.02, null, rand(" + (seed + 40) + ") * 100) as score",
        "case when rand(" + (seed + 50) + ") < " + (0.3 + shift) + " then 'north' when rand(" + (seed + 60)
            + ") < 0.5 then 'south' else 'east' end as region",
        "rand(" + (seed + 70) + ") < 0.1 as churned");
  }
}
