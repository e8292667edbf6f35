package dev.mlops.spark;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Monitoring of a Structured Streaming query: {@link #foreachBatch} profiles each micro-batch on
 * the cluster against the monitor's reference and hands the profile to
 * {@link Monitor#observeWindow}, so every non-empty micro-batch is one window of the
 * {@link Monitor}, with the same reports, state and {@code Alert}s as rows observed one by one.
 * Only the reference's columns are profiled (numeric ones as numbers, the others as text); a
 * batch that lacks one fails, naming it.
 * The function runs on the driver, where Spark calls {@code foreachBatch} functions.
 *
 * <pre>{@code
 * Monitor monitor = Monitor.builder(reference).onAlert(alert -> pager.send(alert.summary())).build();
 * StreamingQuery query = spark.readStream().format("kafka")…load()
 *     .selectExpr("cast(value as string) as json").select(from_json(col("json"), schema).as("r")).select("r.*")
 *     .writeStream()
 *     .foreachBatch(SparkMonitoring.foreachBatch(monitor))
 *     .start();
 * }</pre>
 */
public final class SparkMonitoring {
  private SparkMonitoring() {}

  /** The {@code foreachBatch} function that observes each micro-batch as one window of {@code monitor}. */
  public static VoidFunction2<Dataset<Row>, Long> foreachBatch(Monitor monitor) {
    Objects.requireNonNull(monitor, "monitor");
    SparkProfiler profiler = SparkProfiles.against(monitor.reference());
    return (batch, batchId) -> observe(monitor, profiler, batch);
  }

  /** Profiles one batch against the monitor's reference and observes it as a window. */
  public static void observe(Monitor monitor, Dataset<Row> batch) {
    observe(monitor, SparkProfiles.against(monitor.reference()), batch);
  }

  private static void observe(Monitor monitor, SparkProfiler profiler, Dataset<Row> batch) {
    monitor.observeWindow(profiler.of(batch, columnsOf(monitor.reference())));
  }

  /** The reference's columns as a schema: numeric ones read as numbers, the others as text. */
  private static Schema columnsOf(Profile reference) {
    List<Field> fields = new ArrayList<>();
    for (ColumnProfile c : reference.columns().values()) {
      fields.add(Field.optional(c.name(), c.isNumeric() ? FieldType.DOUBLE : FieldType.STRING));
    }
    return Schema.of(fields);
  }
}
