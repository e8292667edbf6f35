package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

class ModelPackageRoundTripTest {
  private static Model<Label> model;
  private static Path csv;

  @BeforeAll
  static void train(@TempDir Path dir) {
    csv = TrainedModels.writeCsv(dir.resolve("train.csv"), 300, 7);
    model = TrainedModels.fromCsv(csv);
  }

  private static ModelPackage.Builder builder(Path dir) throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");
    return ModelPackage.builder("churn")
        .version("1")
        .model(model)
        .inputExample(TrainedModels.example(5, 3))
        .artifact("docs/notes.txt", notes)
        .metadata("team", "risk")
        .lineage("run-42", "churn", Map.of("accuracy", 0.91, "loss", Double.NaN))
        .clock(Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC));
  }

  @Test
  void loadedModelPredictsTheExampleLikeTheOriginal(@TempDir Path dir) throws Exception {
    ModelPackage pkg = builder(dir).build();
    Path file = dir.resolve("churn.mlpkg");
    pkg.writeTo(file);

    ModelPackage loaded = ModelPackage.read(file);

    assertEquals(pkg.digest(), loaded.digest());
    assertEquals("churn", loaded.name());
    assertEquals("1", loaded.version());
    assertEquals(pkg.signature(), loaded.signature());
    assertEquals(pkg.inputExample(), loaded.inputExample());
    assertEquals(pkg.lineage(), loaded.lineage());
    assertEquals(pkg.environment(), loaded.environment());
    assertEquals(pkg.provenance(), loaded.provenance());
    assertEquals(List.of("docs/notes.txt"), List.copyOf(loaded.artifacts().keySet()));
    assertEquals("hello", loaded.artifacts().get("docs/notes.txt").asCharSource(StandardCharsets.UTF_8).read());
    assertEquals(Instant.parse("2026-03-01T10:15:30Z"), loaded.manifest().createdAt());
    assertArrayEquals(Files.readAllBytes(file), loaded.toBytes());

    List<Prediction<Label>> before = pkg.predictor(Label.class).predict(pkg.inputExample().orElseThrow());
    List<Prediction<Label>> after = loaded.predictor(Label.class).predict(loaded.inputExample().orElseThrow());
    assertEquals(5, after.size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i).getOutput(), after.get(i).getOutput());
      assertEquals(before.get(i).getOutput().getScore(), after.get(i).getOutput().getScore());
      assertEquals(before.get(i).getOutputScores().keySet(), after.get(i).getOutputScores().keySet());
      assertTrue(after.get(i).hasProbabilities());
    }
  }

  @Test
  void inferredSignatureNamesEveryFeatureAndLabel() {
    ModelSignature s = ModelSignature.infer(model);
    assertEquals(Schema.of(Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE)), s.inputs());
    assertEquals(Label.class.getName(), s.outputType());
    assertEquals(List.of("neg", "pos"), s.outputDomain());
    assertEquals(s, ModelSignature.fromJson(s.toJson()));
  }

  @Test
  void digestIgnoresTheCreationTime(@TempDir Path dir) throws Exception {
    ModelPackage a = builder(dir).build();
    ModelPackage b = builder(dir).clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
    assertEquals(a.digest(), b.digest());
    assertTrue(!java.util.Arrays.equals(a.toBytes(), b.toBytes()));
  }

  @Test
  void askingForTheWrongOutputTypeIsRefused(@TempDir Path dir) throws Exception {
    ModelPackage pkg = builder(dir).build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> pkg.predictor(Regressor.class));
    assertTrue(e.getMessage().contains("predicts org.tribuo.classification.Label, not org.tribuo.regression.Regressor"), e.getMessage());
  }

  @Test
  void unsafeArtifactPathsAreRefusedWhenBuilding(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("f"), "x");
    for (String bad : List.of("../evil", "/abs", "a\\b", "a//b", "./a")) {
      assertThrows(InvalidInputException.class, () -> ModelPackage.builder("m").artifact(bad, f), bad);
    }
  }

  @Test
  void missingVersionOrModelIsExplained() {
    InvalidInputException noVersion = assertThrows(InvalidInputException.class, () -> ModelPackage.builder("m").model(model).build());
    assertEquals("package m needs a version; call version(\"1\")", noVersion.getMessage());
    InvalidInputException noModel = assertThrows(InvalidInputException.class, () -> ModelPackage.builder("m").version("1").build());
    assertEquals("package m needs a model; call model(trainedModel)", noModel.getMessage());
  }
}
