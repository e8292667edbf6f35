package dev.mlops.spark;

import dev.mlops.core.Schema;
import dev.mlops.monitoring.Profile;
import dev.mlops.spark.internal.ColumnPlan;
import dev.mlops.spark.internal.PartitionProfiler;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Profiles Spark data sets, optionally in the bins of a reference profile. Obtained from
 * {@link SparkProfiles#against(Profile)} or {@link SparkProfiles#profiler()}; immutable.
 *
 * <p>One pass over the data: each partition is profiled on its executor, block by block, and the
 * partition profiles are merged by a tree aggregation on the executors; only a few partial
 * profiles, never rows, reach the driver. Profiles merge exactly, so the result is the same, byte
 * for byte, whatever the partitioning, and equals {@link Profile#of} of the same rows in memory.
 *
 * <pre>{@code
 * Profile reference = Profile.fromJson(Files.readString(Path.of("reference-profile.json")));
 * Profile today = SparkProfiles.against(reference).of(spark.read().parquet("events/day=2026-12-01"));
 * DriftReport report = Drift.between(reference, today).run();
 * }</pre>
 */
public final class SparkProfiler {
  /** How deep the tree of merges is: two levels keep the driver's share to about √partitions profiles. */
  private static final int TREE_DEPTH = 2;

  private final Profile reference;

  SparkProfiler(Profile reference) {
    this.reference = reference;
  }

  /**
   * The profile of every column of {@code data}, read as {@link SparkProfiles} describes.
   *
   * @throws dev.mlops.core.InvalidInputException naming a column whose Spark type cannot be
   *     profiled, before any task starts
   */
  public Profile of(Dataset<Row> data) {
    Objects.requireNonNull(data, "data");
    return run(data, ColumnPlan.of(data.schema()));
  }

  /**
   * The profile of the columns of {@code schema}, in its order, each read as the schema's type
   * (a numeric column may be read as text for a string field; a long one as a double).
   *
   * @throws dev.mlops.core.InvalidInputException naming a column the data lacks or whose Spark
   *     type cannot give the schema's type, before any task starts
   */
  public Profile of(Dataset<Row> data, Schema schema) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(schema, "schema");
    return run(data, ColumnPlan.of(data.schema(), schema));
  }

  private Profile run(Dataset<Row> data, ColumnPlan plan) {
    String[] names = plan.names();
    Column[] selected = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      selected[i] = data.col(quoted(names[i]));
    }
    JavaRDD<InternalRow> rows = data.select(selected).queryExecution().toRdd().toJavaRDD();
    String referenceJson = reference == null ? null : reference.toJson();
    if (rows.getNumPartitions() == 0) {
      return PartitionProfiler.empty(plan, PartitionProfiler.profiler(referenceJson));
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    Broadcast<String> shared = referenceJson == null ? null : context.broadcast(referenceJson);
    try {
      String json = rows.mapPartitions(new PartitionProfiler(plan, shared))
          .treeReduce(PartitionProfiler.merge(), TREE_DEPTH);
      return PartitionProfiler.readTrusted(json);
    } finally {
      if (shared != null) {
        shared.destroy();
      }
    }
  }

  /** A column name as Spark's resolver reads it literally, dots and back-ticks included. */
  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
