package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.MlopsException;
import dev.mlops.monitoring.Profile;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each focused example runs in a temporary folder and leaves what it says it does. */
class ExamplesTest {
  @TempDir Path dir;

  @Test
  void theModelCardOfTheChampionCarriesItsImportanceLineageAndDrift() throws Exception {
    String printed = Printed.by(ModelCardExample::main, dir.toString());
    assertTrue(printed.contains("permutation importance"), printed);
    assertTrue(printed.contains("of the importance"), printed);
    com.fasterxml.jackson.databind.JsonNode card =
        dev.mlops.core.CanonicalJson.parse(Files.readAllBytes(dir.resolve("model-card.json")));
    assertEquals("iris-classifier", card.at("/model/name").asText());
    assertEquals("permutation", card.at("/importance/method").asText());
    assertEquals("REPRODUCED", card.at("/reproduction/status").asText());
    assertTrue(card.at("/drift/summary").asText().contains("of the importance"));
    assertEquals(5, card.at("/lineage").size(), card.at("/lineage").toString());
    String html = Files.readString(dir.resolve("model-card.html"));
    assertTrue(html.contains("<svg") && html.contains("Teaching the model life cycle"), html);
  }

  @Test
  void framesAndDigests() throws Exception {
    String printed = Printed.by(FramesAndDigestsExample::main);
    assertTrue(printed.contains("setosa rows: 50"), printed);
    assertTrue(printed.contains("content digest: sha256:"), printed);
  }

  @Test
  void trackingLogsASweepWithNestedTrialsAndFindsTheGoodOnes() throws Exception {
    String printed = Printed.by(TrackingExample::main, dir.toString());
    try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("mlops.db"))) {
      RunRecord sweep = tracker.search("iris-sweep").filter("tags.kind = 'sweep'").list().get(0);
      List<RunRecord> trials = tracker.search("iris-sweep").filter("tags.kind = 'trial'").list();
      assertEquals(4, trials.size());
      for (RunRecord trial : trials) {
        assertEquals(sweep.runId(), trial.parentRunIdOrNull());
        assertEquals(6, tracker.metricHistory(trial.runId(), "test_accuracy").size());
        String matrix = new String(tracker.readArtifact(trial.runId(), "confusion-matrix.txt"), StandardCharsets.UTF_8);
        assertTrue(matrix.contains("Iris-setosa"), matrix);
      }
      long good = trials.stream().filter(t -> t.metrics().get("accuracy").value() >= 0.9).count();
      assertTrue(printed.startsWith(good + " trials reached an accuracy of 0.9 or more"), printed);
    }
  }

  @Test
  void packagingRebuildsByteForByteRefusesATamperedCopyAndReproduces() throws Exception {
    String printed = Printed.by(PackagingExample::main, dir.toString());
    ModelPackage pkg = ModelPackage.read(dir.resolve("iris-classifier.mlpkg"));
    assertEquals(Set.of("notes.txt"), pkg.artifacts().keySet());
    assertThrows(MlopsException.class, () -> ModelPackage.read(dir.resolve("tampered.mlpkg")));
    assertTrue(printed.contains("rebuilt byte for byte: true"), printed);
    assertTrue(printed.contains("reproduction: REPRODUCED"), printed);
    assertTrue(printed.contains("after a row was added to the training file: DATA_CHANGED"), printed);
  }

  @Test
  void monitoringFindsTheShiftInBatchesAndInTheStream() throws Exception {
    String printed = Printed.by(MonitoringExample::main, dir.toString());
    assertEquals(90, Profile.fromJson(Files.readString(dir.resolve("reference-profile.json"))).rowCount());
    assertEquals(Set.of("petal_length", "sepal_width"), QuickstartTest.driftedColumns(dir.resolve("drift-report.json")));
    assertTrue(printed.contains("after 1 windows the monitor is STABLE"), printed);
    assertTrue(printed.contains("after 2 windows the monitor is DRIFT"), printed);
  }

  @Test
  void servingAnswersOverHttpAndFollowsTheAliasWhenItMoves() throws Exception {
    String printed = Printed.by(ServingExample::main, dir.toString());
    try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("mlops.db"))) {
      ModelVersion champion = tracker.registry().resolve("models:/iris-classifier@champion");
      assertEquals(2, champion.version());
      assertEquals(List.of("challenger", "champion"), champion.aliases());
    }
    assertTrue(printed.contains("champion moved to version 2; swapped: true"), printed);
    assertEquals(2, printed.lines().filter(l -> l.startsWith("POST /invocations -> {\"predictions\":[\"Iris-setosa\"")).count(),
        printed);
    assertTrue(printed.contains("GET /metrics      -> mlops_model_info{"), printed);
  }

  @Test
  void rollbackMovesTheChampionBackWhenTheLabelsShowThePromotedModelBelowTheGate() throws Exception {
    String printed = Printed.by(RollbackExample::main, dir.toString());
    try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("mlops.db"))) {
      ModelVersion champion = tracker.registry().resolve("models:/iris-rollback@champion");
      assertEquals(1, champion.version());
      assertEquals("rolled_back", tracker.registry().version("iris-rollback", 2).tags().get("mlops.lifecycle.state"));
    }
    assertTrue(printed.contains("ROLLED_BACK: version 2 scored"), printed);
    assertTrue(printed.contains("the service now serves version 1"), printed);
    assertEquals(3, printed.lines().filter(l -> l.startsWith("  decision record: ") && l.endsWith(".html")).count(), printed);
  }
}
