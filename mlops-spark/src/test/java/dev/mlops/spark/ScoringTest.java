package dev.mlops.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.Schema;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.ModelSignature;
import dev.mlops.packaging.Predictor;
import dev.mlops.spark.internal.PackagedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Batch scoring gives, row for row, what the in-memory {@link Predictor} gives (label, every
 * class score, or the signature's error message), whatever the partitioning; a tampered package is
 * refused on the driver before any job runs; the data's columns are checked on the driver.
 */
class ScoringTest {
  static final Schema INPUTS = Schema.of(Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE),
      Field.of("region", FieldType.STRING));
  static final StructType DATA = new StructType()
      .add("id", DataTypes.LongType)
      .add("x1", DataTypes.DoubleType)
      .add("x2", DataTypes.IntegerType)
      .add("region", DataTypes.StringType)
      .add("note", DataTypes.StringType);

  @TempDir static Path dir;
  static Path packageFile;

  @BeforeAll
  static void writePackage() {
    packageFile = dir.resolve("model.mlpkg");
    trainedPackage(1_000, 3).writeTo(packageFile);
  }

  static ModelPackage trainedPackage(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double x1 = r.nextDouble(-3, 3);
      double x2 = r.nextInt(-3, 4);
      boolean east = r.nextBoolean();
      Label label = new Label(x1 - x2 + (east ? 1 : -1) > 0 ? "pos" : "neg");
      examples.add(new ArrayExample<>(label, new String[] {"x1", "x2", east ? "region@east" : "region@west"},
          new double[] {x1, x2, 1}));
    }
    Model<Label> model = new LogisticRegressionTrainer().train(new MutableDataset<>(
        new ListDataSource<>(examples, new LabelFactory(), new SimpleDataSourceProvenance("generated", new LabelFactory()))));
    return ModelPackage.builder("scoring-test").version("1").model(model)
        .signature(ModelSignature.of(INPUTS, Label.class, List.of("neg", "pos"))).build();
  }

  /** Rows of the data schema, a few breaking the signature (x1 null or infinite). */
  static List<Row> rows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      Double x1 = switch (r.nextInt(20)) {
        case 0 -> null;
        case 1 -> Double.POSITIVE_INFINITY;
        default -> r.nextDouble(-3, 3);
      };
      rows.add(RowFactory.create(i, x1, r.nextInt(-3, 4), r.nextBoolean() ? "east" : "north", "n" + i));
    }
    return rows;
  }

  @Test
  void scoresEqualTheInMemoryPredictorOnAnyPartitioning() {
    List<Row> rows = rows(600, 11);
    Predictor<Label> predictor;
    try (ModelPackage pkg = ModelPackage.read(packageFile)) {
      predictor = pkg.predictor(Label.class);
    }
    SparkScoring scoring = SparkScoring.of(packageFile);
    assertEquals(List.of("prediction", "score_neg", "score_pos", "prediction_error"), scoring.addedColumns());
    int errors = 0;
    for (int partitions : new int[] {1, 7}) {
      Dataset<Row> data = LocalSpark.session().createDataFrame(rows, DATA).repartition(partitions);
      List<Row> scored = scoring.transform(data).orderBy("id").collectAsList();
      assertEquals(rows.size(), scored.size());
      errors = 0;
      for (Row s : scored) {
        Row in = rows.get((int) s.getLong(0));
        for (int c = 0; c < DATA.size(); c++) {
          assertEquals(in.get(c), s.get(c), "input column " + c + " is passed through");
        }
        Map<String, Object> row = new HashMap<>();
        row.put("x1", in.get(1));
        row.put("x2", in.get(2));
        row.put("region", in.get(3));
        try {
          Prediction<Label> p = predictor.predict(row);
          assertEquals(p.getOutput().getLabel(), s.getString(5));
          assertEquals(p.getOutputScores().get("neg").getScore(), s.getDouble(6));
          assertEquals(p.getOutputScores().get("pos").getScore(), s.getDouble(7));
          assertNull(s.get(8));
        } catch (InvalidInputException e) {
          errors++;
          assertNull(s.get(5));
          assertNull(s.get(6));
          assertNull(s.get(7));
          assertEquals(e.getMessage(), s.getString(8));
        }
      }
    }
    assertTrue(errors > 0 && errors < rows.size() / 5, "some rows break the signature: " + errors);
  }

  @Test
  void failFastFailsTheJobNamingTheInput() {
    Dataset<Row> data = LocalSpark.session().createDataFrame(rows(200, 5), DATA);
    SparkScoring strict = SparkScoring.of(packageFile).failFast();
    SparkException e = assertThrows(SparkException.class, () -> strict.transform(data).collectAsList());
    assertTrue(e.getMessage().contains("x1"), e.getMessage());
  }

  @Test
  void aTamperedPackageIsRefusedOnTheDriverBeforeAnyJob() throws IOException {
    byte[] bytes = Files.readAllBytes(packageFile);
    int at = indexOf(bytes, "\"outputType\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(at > 0);
    bytes[at + 1] ^= 1;
    Path tampered = Files.write(dir.resolve("tampered.mlpkg"), bytes);
    SparkContext sc = LocalSpark.session().sparkContext();
    sc.setJobGroup("tampered-package", "scoring a tampered package", false);
    try {
      assertThrows(IntegrityException.class, () -> SparkScoring.of(tampered).transform(
          LocalSpark.session().createDataFrame(rows(10, 1), DATA)).collectAsList());
      assertEquals(0, sc.statusTracker().getJobIdsForGroup("tampered-package").length);
    } finally {
      sc.clearJobGroup();
    }
  }

  @Test
  void theVerifiedBytesAreScoredEvenIfTheFileChangesAfterwards() throws IOException {
    Path file = Files.copy(packageFile, dir.resolve("replaced.mlpkg"));
    SparkScoring scoring = SparkScoring.of(file);
    Files.write(file, new byte[] {1, 2, 3});
    List<Row> scored = scoring.transform(LocalSpark.session().createDataFrame(rows(50, 2), DATA)).collectAsList();
    assertEquals(50, scored.size());
    assertNotNull(scored.stream().filter(r -> r.isNullAt(8)).findFirst().orElseThrow().getString(5));
  }

  @Test
  void columnsAreCheckedOnTheDriver() {
    SparkScoring scoring = SparkScoring.of(packageFile);
    Dataset<Row> data = LocalSpark.session().createDataFrame(rows(5, 1), DATA);
    InvalidInputException lacking = assertThrows(InvalidInputException.class, () -> scoring.transform(data.drop("x1", "region")));
    assertTrue(lacking.getMessage().contains("[x1, region]"), lacking.getMessage());
    InvalidInputException wrongType = assertThrows(InvalidInputException.class,
        () -> scoring.transform(data.withColumn("region", data.col("x2"))));
    assertTrue(wrongType.getMessage().contains("'region' is Spark int"), wrongType.getMessage());
    InvalidInputException taken = assertThrows(InvalidInputException.class,
        () -> scoring.transform(data.withColumnRenamed("note", "prediction")));
    assertTrue(taken.getMessage().contains("'prediction'"), taken.getMessage());
    assertArrayEquals(new String[] {"id", "x1", "x2", "region", "note", "p", "score_neg", "score_pos", "p_error"},
        scoring.predictionColumn("p").transform(data).schema().fieldNames());
  }

  @Test
  void theModelIsLoadedOncePerExecutorJvm() throws IOException {
    PackagedModel model = new PackagedModel(Files.readAllBytes(packageFile), "model.mlpkg",
        SparkScoring.of(packageFile).digest(), LoadOptions.defaults());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
    Broadcast<PackagedModel> shared = jsc.broadcast(model);
    List<Integer> loaded = jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
        .map(i -> System.identityHashCode(shared.value().predictor())).distinct().collect();
    assertEquals(1, loaded.size(), "one predictor for the 8 tasks of this JVM");
    shared.destroy();
  }

  @Test
  void anExecutorRefusesBytesThatAreNotThePackageTheDriverVerified() throws IOException {
    PackagedModel other = new PackagedModel(Files.readAllBytes(packageFile), "model.mlpkg",
        "sha256:" + "0".repeat(64), LoadOptions.defaults());
    IntegrityException e = assertThrows(IntegrityException.class, other::predictor);
    assertTrue(e.getMessage().contains("not the sha256:000"), e.getMessage());
  }

  @Test
  void registryUrisAreResolvedElsewhere() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> SparkScoring.of("models:/churn@champion"));
    assertTrue(e.getMessage().contains("models:/churn@champion"), e.getMessage());
    assertEquals(SparkScoring.of(packageFile.toUri().toString()).addedColumns(), SparkScoring.of(packageFile.toString()).addedColumns());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
