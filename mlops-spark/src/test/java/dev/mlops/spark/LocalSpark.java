package dev.mlops.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark of a test JVM, two worker threads, started on first use and shared by every
 * test class (Spark allows one context per JVM, and starting it costs seconds).
 */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession session() {
    return Holder.SESSION;
  }

  private static final class Holder {
    static final SparkSession SESSION = SparkSession.builder()
        .master("local[2]")
        .appName("mlops-spark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }
}
