package dev.mlops.spark;

import dev.mlops.core.Schema;
import dev.mlops.monitoring.Profile;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Profiles of Spark data sets: the same {@link Profile} as {@code Profile.of} on a frame, computed
 * where the data lives. The entry point of this module's monitoring side.
 *
 * <p>Spark types are read as a {@code Frame} would hold them: byte, short, integer and long as
 * long numbers; float, double and decimal as doubles; date as days since 1970-01-01 and
 * timestamp (with or without a time zone) as microseconds since 1970-01-01T00:00Z, both long
 * numbers; boolean as a two-valued categorical column; string, char and varchar as categorical.
 * Null and NaN are missing values. Other types (binary, arrays, maps, structs, intervals, …) are
 * refused, naming the column, before any task starts: drop them or cast them in Spark.
 *
 * <p>The profile does not depend on the partitioning: the same rows in 1 or 64 partitions, in any
 * order, give byte-identical {@link Profile#toJson() JSON}, equal to {@code Profile.of} of a frame
 * of those rows.
 *
 * <pre>{@code
 * Dataset<Row> training = spark.read().parquet("training");
 * Profile reference = SparkProfiles.of(training);
 * Files.writeString(Path.of("reference-profile.json"), reference.toJson());
 * Profile today = SparkProfiles.against(reference).of(spark.read().parquet("scored/today"));
 * DriftReport report = SparkDrift.between(reference, today).run();
 * }</pre>
 */
public final class SparkProfiles {
  private SparkProfiles() {}

  /** The profile of every column of {@code data}, to be used as a reference. */
  public static Profile of(Dataset<Row> data) {
    return profiler().of(data);
  }

  /** The profile of the columns of {@code schema} (e.g. a model signature's inputs), in its order. */
  public static Profile of(Dataset<Row> data, Schema schema) {
    return profiler().of(data, schema);
  }

  /** A profiler of reference profiles. */
  public static SparkProfiler profiler() {
    return new SparkProfiler(null);
  }

  /**
   * A profiler that counts numeric columns in the reference's bins, so that the result compares
   * with the reference bin by bin, as {@link Profile#against(Profile)} does in memory.
   */
  public static SparkProfiler against(Profile reference) {
    return new SparkProfiler(Objects.requireNonNull(reference, "reference"));
  }
}
