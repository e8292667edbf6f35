package dev.mlops.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Profile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The same rows, shuffled and spread over 1, 3, 17 and 64 partitions, give byte-identical profile
 * JSON, equal to {@link Profile#of} of a frame of those rows in memory, and the same drift report
 * JSON as the in-memory profile path. Up to 2,500 rows per side, so that columns beyond
 * {@link Profile#EXACT_LIMIT} (held by the sketch) occur as well as exact ones, with many
 * partitions empty or nearly so.
 */
class PartitioningProperties {
  private static final int[] PARTITIONS = {1, 3, 17, 64};

  @Property(tries = 6)
  void profilesAndDriftDoNotDependOnPartitioning(@ForAll long seed, @ForAll @IntRange(max = 2_500) int referenceRows,
      @ForAll @IntRange(max = 2_500) int currentRows) {
    GeneratedRows reference = GeneratedRows.of(seed, referenceRows, 0);
    GeneratedRows current = GeneratedRows.of(seed + 1, currentRows, 2.5);
    Profile referenceInMemory = Profile.of(reference.frame);
    Profile currentInMemory = Profile.against(referenceInMemory).of(current.frame);
    String expectedReport = Drift.between(referenceInMemory, currentInMemory).run().toJson();

    Random shuffle = new Random(seed);
    for (int partitions : PARTITIONS) {
      Dataset<Row> ref = shuffled(reference, partitions, shuffle);
      Dataset<Row> cur = shuffled(current, partitions, shuffle);
      Profile referenceOnSpark = SparkProfiles.of(ref);
      assertEquals(referenceInMemory.toJson(), referenceOnSpark.toJson(), partitions + " partitions");
      assertEquals(currentInMemory.toJson(), SparkProfiles.against(referenceInMemory).of(cur).toJson(),
          partitions + " partitions, against the reference");
      assertEquals(expectedReport, SparkDrift.between(referenceOnSpark, cur).run().toJson(),
          partitions + " partitions, drift");
    }
    int partitions = PARTITIONS[shuffle.nextInt(PARTITIONS.length)];
    DriftReport bothOnSpark =
        SparkDrift.between(shuffled(reference, partitions, shuffle), shuffled(current, partitions, shuffle)).run();
    assertEquals(expectedReport, bothOnSpark.toJson(), partitions + " partitions, drift between data sets");
  }

  /** The rows in a random order, cut into {@code partitions} slices. */
  static Dataset<Row> shuffled(GeneratedRows g, int partitions, Random shuffle) {
    List<Row> rows = new ArrayList<>(g.rows);
    Collections.shuffle(rows, shuffle);
    SparkSession spark = LocalSpark.session();
    JavaRDD<Row> sliced = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions);
    return spark.createDataFrame(sliced, GeneratedRows.SPARK_SCHEMA);
  }
}
