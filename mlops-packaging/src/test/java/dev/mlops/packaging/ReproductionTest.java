package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;
import org.junit.jupiter.api.io.TempDir;

class ReproductionTest {

  private static ModelPackage packageOf(Model<?> model, boolean withExample) {
    ModelPackage.Builder b = ModelPackage.builder("repro").version("1").model(model).environment(PackageFixture.ENVIRONMENT);
    if (withExample) {
      b.inputExample(TrainedModels.example(20, 11));
    }
    return b.build();
  }

  @Test
  void aModelTrainedFromACsvFileIsReproduced(@TempDir Path dir) {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 250, 5);
    ModelPackage pkg = packageOf(TrainedModels.fromCsv(csv), true);

    ReproductionReport report = Reproduction.of(pkg).run();

    assertEquals(ReproductionReport.Status.REPRODUCED, report.status(), report.toString());
    assertEquals(csv.toString(), report.dataFile());
    assertEquals(Digest.ofFile(csv), report.currentHash());
    assertEquals(List.of(), report.differences());
    assertTrue(report.reason().contains("the 20 rows of the input example"), report.reason());
    JsonNode json = CanonicalJson.parse(report.toJson());
    assertEquals("REPRODUCED", json.get("status").asText());
  }

  @Test
  void theTrainersInvocationCountIsRestored(@TempDir Path dir) throws Exception {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 250, 6);
    LogisticRegressionTrainer trainer = new LogisticRegressionTrainer();
    MutableDataset<Label> data = new MutableDataset<>(
        new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label"));
    Model<Label> first = trainer.train(data);
    Model<Label> second = trainer.train(data);
    // The second call shuffles differently, so the models differ: only a restored count reproduces it.
    ModelPackage firstPkg = packageOf(first, true);
    var example = firstPkg.inputExample().orElseThrow();
    assertTrue(Reproduction.firstDifference(
        firstPkg.predictor().predict(example), packageOf(second, true).predictor().predict(example), csv.toString(), Digest.ofFile(csv)).isPresent());

    ReproductionReport report = Reproduction.of(packageOf(second, true)).run();
    assertEquals(ReproductionReport.Status.REPRODUCED, report.status(), report.toString());
  }

  @Test
  void everyTrainerInsideAnEnsembleGetsItsInvocationCountBack(@TempDir Path dir) throws Exception {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 200, 12);
    BaggingTrainer<Label> bagging = new BaggingTrainer<>(new LogisticRegressionTrainer(), new VotingCombiner(), 3);
    MutableDataset<Label> data = new MutableDataset<>(new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label"));
    bagging.train(data);
    Model<Label> second = bagging.train(data);

    ReproductionReport report = Reproduction.of(packageOf(second, true)).run();

    assertEquals(ReproductionReport.Status.REPRODUCED, report.status(), report.toString());
  }

  @Test
  void differentPredictionsNameTheFirstDifferingRow(@TempDir Path dir) {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 250, 5);
    ModelPackage a = packageOf(TrainedModels.fromCsv(csv), true);
    ModelPackage b = packageOf(TrainedModels.inMemory(250, 5), true);
    var example = a.inputExample().orElseThrow();
    ReproductionReport report = Reproduction.firstDifference(
        a.predictor().predict(example), b.predictor().predict(example), csv.toString(), Digest.ofFile(csv)).orElseThrow();
    assertEquals(ReproductionReport.Status.NOT_REPRODUCIBLE, report.status());
    assertEquals(0, report.firstDifferingRow());
    assertTrue(report.reason().startsWith("different predictions: row 0 was "), report.reason());
    assertEquals(0, CanonicalJson.parse(report.toJson()).get("firstDifferingRow").asInt());
    assertTrue(report.toString().contains("first differing row: 0"), report.toString());
  }

  @Test
  void withoutAnInputExampleTheTrainingDataIsCompared(@TempDir Path dir) {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 200, 8);
    ReproductionReport report = Reproduction.of(packageOf(TrainedModels.fromCsv(csv), false)).run();
    assertEquals(ReproductionReport.Status.REPRODUCED, report.status(), report.toString());
    assertTrue(report.reason().contains("the training data"), report.reason());
  }

  @Test
  void oneChangedValueInTheCsvIsDataChanged(@TempDir Path dir) throws Exception {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 250, 5);
    ModelPackage pkg = packageOf(TrainedModels.fromCsv(csv), true);
    Digest before = Digest.ofFile(csv);
    List<String> lines = Files.readAllLines(csv);
    String[] cells = lines.get(10).split(",");
    cells[0] = cells[0] + "1";
    lines.set(10, String.join(",", cells));
    Files.write(csv, lines);

    ReproductionReport report = Reproduction.of(pkg).run();

    assertEquals(ReproductionReport.Status.DATA_CHANGED, report.status(), report.toString());
    assertEquals(csv.toString(), report.dataFile());
    assertEquals(before, report.recordedHash());
    assertEquals(Digest.ofFile(csv), report.currentHash());
    assertTrue(report.toString().contains(before.toString()) && report.toString().contains(Digest.ofFile(csv).toString()));
    JsonNode json = CanonicalJson.parse(report.toJson());
    assertEquals(before.toString(), json.get("recordedHash").asText());
    assertEquals(csv.toString(), json.get("dataFile").asText());
  }

  @Test
  void aModelTrainedFromAnInMemoryDataSetIsNotReproducible() {
    ReproductionReport report = Reproduction.of(packageOf(TrainedModels.inMemory(200, 3), true)).run();
    assertEquals(ReproductionReport.Status.NOT_REPRODUCIBLE, report.status());
    assertTrue(report.reason().startsWith("unsupported data source: the model was trained on data from "), report.reason());
    assertTrue(report.reason().contains("in-memory"), report.reason());
  }

  @Test
  void aDeletedDataFileIsNotReproducible(@TempDir Path dir) throws Exception {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 200, 5);
    ModelPackage pkg = packageOf(TrainedModels.fromCsv(csv), true);
    Files.delete(csv);
    ReproductionReport report = Reproduction.of(pkg).run();
    assertEquals(ReproductionReport.Status.NOT_REPRODUCIBLE, report.status());
    assertEquals("the training data '" + csv + "' no longer exists", report.reason());
  }

  @Test
  void aNarrowAllowListStopsTheRebuild(@TempDir Path dir) {
    Path csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 200, 5);
    ModelPackage pkg = packageOf(TrainedModels.fromCsv(csv), true);
    LoadOptions narrow = new LoadOptions(List.of("org.tribuo.classification."), 10, 1 << 20);
    ReproductionReport report = Reproduction.of(pkg).withOptions(narrow).run();
    assertEquals(ReproductionReport.Status.NOT_REPRODUCIBLE, report.status());
    assertTrue(report.reason().contains("does not allow"), report.reason());
  }
}
