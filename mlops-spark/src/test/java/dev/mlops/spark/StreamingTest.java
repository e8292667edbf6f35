package dev.mlops.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Alert;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.MonitorState;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming query whose micro-batches are monitored through {@code foreachBatch} raises the
 * alerts, in the same order and with the same reports, that a {@link Monitor} raises on the same
 * rows observed one by one in windows of a batch's size.
 */
class StreamingTest {
  private static final Schema SCHEMA = Schema.of(Field.optional("x", FieldType.DOUBLE), Field.optional("city", FieldType.STRING));
  private static final StructType SPARK_SCHEMA = new StructType()
      .add("x", DataTypes.DoubleType).add("city", DataTypes.StringType).add("extra", DataTypes.LongType);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);
  private static final int BATCH = 400;

  @TempDir Path dir;

  private static Frame frame(int n, double shift, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    FrameBuilder b = Frame.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      b.row(r.nextGaussian() + shift, r.nextDouble() < 0.5 + shift / 8 ? "Lyon" : "Paris");
    }
    return b.build();
  }

  @Test
  void microBatchesAlertAsAMonitorOfTheirRows() throws Exception {
    Profile reference = Profile.of(frame(3_000, 0, 1));
    double[] shifts = {0, 1.5, 3};
    Path input = Files.createDirectories(dir.resolve("input"));
    List<Frame> batches = new ArrayList<>();
    for (int b = 0; b < shifts.length; b++) {
      Frame f = frame(BATCH, shifts[b], 10 + b);
      batches.add(f);
      StringBuilder csv = new StringBuilder("x,city,extra\n");
      for (int i = 0; i < f.rowCount(); i++) {
        csv.append(String.format(Locale.ROOT, "%s,%s,%d%n", f.numeric("x").get(i), f.categorical("city").get(i), i));
      }
      Path file = Files.writeString(input.resolve("batch-" + b + ".csv"), csv);
      Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-05-01T00:00:00Z").plusSeconds(b)));
    }

    List<Alert> expected = new ArrayList<>();
    try (Monitor rows = Monitor.builder(reference).window(Window.ofCount(BATCH)).clock(CLOCK).onAlert(expected::add).build()) {
      for (Frame f : batches) {
        for (int i = 0; i < f.rowCount(); i++) {
          rows.observe(f.row(i));
        }
      }
    }

    List<Alert> alerts = new ArrayList<>();
    try (Monitor monitor = Monitor.builder(reference).clock(CLOCK).onAlert(alerts::add).build()) {
      StreamingQuery query = LocalSpark.session().readStream().schema(SPARK_SCHEMA).option("header", "true")
          .option("maxFilesPerTrigger", 1).csv(input.toString())
          .writeStream()
          .option("checkpointLocation", dir.resolve("checkpoint").toString())
          .trigger(Trigger.AvailableNow())
          .foreachBatch(SparkMonitoring.foreachBatch(monitor))
          .start();
      query.awaitTermination();
      assertEquals(shifts.length, monitor.windowsClosed());
    }

    assertTrue(expected.size() >= 2, "the shifted batches drift: " + expected.size());
    assertEquals(MonitorState.DRIFT, expected.get(expected.size() - 1).state());
    assertEquals(expected.size(), alerts.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).kind(), alerts.get(i).kind());
      assertEquals(expected.get(i).state(), alerts.get(i).state());
      assertEquals(expected.get(i).summary(), alerts.get(i).summary());
      assertEquals(expected.get(i).report().orElseThrow().toJson(), alerts.get(i).report().orElseThrow().toJson());
    }
  }

}
