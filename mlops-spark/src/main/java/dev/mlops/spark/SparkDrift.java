package dev.mlops.spark;

import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.Profile;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Drift between Spark data sets, or between a reference {@link Profile} and a data set: both sides
 * are profiled on the cluster ({@link SparkProfiles}), the current side in the reference's bins,
 * and compared as {@link Drift#between(Profile, Profile)} compares profiles in memory. The
 * answer is the monitoring module's {@link Drift} builder, so per-column tests, the dataset drift
 * share and the report ({@code DriftReport}, with its data-quality part) are the in-memory ones;
 * the report is the same, byte for byte in its JSON, as the in-memory profile path on the same
 * rows, whatever the partitioning.
 *
 * <pre>{@code
 * DriftReport report = SparkDrift.between(spark.table("training"), spark.table("scored_today"))
 *     .test("age", StatTest.psi().threshold(0.2))
 *     .run();
 * report.datasetDrift();
 * report.quality().columns();            // missing shares, new categories, out-of-range values
 * Files.writeString(Path.of("drift.json"), report.toJson());
 * }</pre>
 */
public final class SparkDrift {
  private SparkDrift() {}

  /** The drift of {@code current} from {@code reference}, both profiled on the cluster. */
  public static Drift between(Dataset<Row> reference, Dataset<Row> current) {
    return between(SparkProfiles.of(Objects.requireNonNull(reference, "reference")), current);
  }

  /** The drift of {@code current}, profiled on the cluster in the bins of {@code reference}. */
  public static Drift between(Profile reference, Dataset<Row> current) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(current, "current");
    return Drift.between(reference, SparkProfiles.against(reference).of(current));
  }

  /** The drift between two profiles, however they were computed: {@link Drift#between(Profile, Profile)}. */
  public static Drift between(Profile reference, Profile current) {
    return Drift.between(reference, current);
  }

  /** The drift of a profile from a reference data set, which is profiled on the cluster. */
  public static Drift between(Dataset<Row> reference, Profile current) {
    return Drift.between(SparkProfiles.of(Objects.requireNonNull(reference, "reference")), current);
  }
}
