package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.Drift;
import dev.mlops.packaging.Lineage;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Reproduction;
import dev.mlops.packaging.ReproductionReport;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Runs the quickstart once in a temporary folder and checks everything it says it wrote. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuickstartTest {
  /** The measurements the quickstart shifts; written out here so that a change there shows. */
  private static final Set<String> SHIFTED = Set.of("petal_length", "sepal_width");
  private static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

  private Path dir;
  private Path out;
  private String printed;

  @BeforeAll
  void runQuickstart(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    out = dir.resolve("quickstart");
    printed = runMain(out);
  }

  private static String runMain(Path folder) throws Exception {
    return Printed.by(Quickstart::main, folder.toString());
  }

  @Test
  void twoFinishedRunsWithParamsEpochMetricsEvaluationAndProvenance() {
    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      List<RunRecord> runs = tracker.search("iris").list();
      assertEquals(2, runs.size(), runs.toString());
      assertEquals(2, runs.stream().map(r -> r.params().get("learning_rate")).distinct().count());
      for (RunRecord run : runs) {
        assertEquals(RunStatus.FINISHED, run.status());
        assertTrue(run.metrics().keySet().containsAll(List.of("accuracy", "macro_f1", "test_accuracy", "test_log_loss")),
            run.metrics().keySet().toString());
        List<Metric> history = tracker.metricHistory(run.runId(), "test_log_loss");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), history.stream().map(Metric::step).toList());
        assertTrue(run.params().containsKey("trainer.class"), run.params().toString());
        assertTrue(run.params().containsKey("data.resource-hash"), run.params().toString());
        assertFalse(run.datasets().isEmpty());
        assertTrue(tracker.readArtifact(run.runId(), "tribuo/provenance.json").length > 0);
      }
    }
  }

  /** The columns a drift report's JSON marks as drifted. */
  static Set<String> driftedColumns(Path reportJson) throws Exception {
    Set<String> drifted = new TreeSet<>();
    CanonicalJson.parse(Files.readAllBytes(reportJson)).get("columns").forEach(c -> {
      if (c.get("drifted").asBoolean()) {
        drifted.add(c.get("column").asText());
      }
    });
    return drifted;
  }

  private static RunRecord mostAccurate(Tracker tracker) {
    return tracker.search("iris").list().stream()
        .max(Comparator.comparingDouble(r -> r.metrics().get("accuracy").value()))
        .orElseThrow();
  }

  @Test
  void theMoreAccurateRunsPackageIsRegisteredAsTheChampion() {
    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      RunRecord best = mostAccurate(tracker);
      ModelRegistry registry = tracker.registry();
      ModelVersion champion = registry.resolve("models:/iris-classifier@champion");
      assertEquals(1, champion.version());
      assertEquals(List.of("champion"), champion.aliases());
      assertEquals(best.runId(), champion.runIdOrNull());
      assertEquals(1, registry.versions("iris-classifier").size());
      assertEquals(List.of(champion.uri()), registry.versionsOfRun(best.runId()).stream().map(ModelVersion::uri).toList());
      assertEquals(champion.packageDigest(), ModelPackage.read(champion.packagePath()).digest());
      assertEquals(champion.packageDigest(), ModelPackage.read(out.resolve("iris-classifier.mlpkg")).digest());
    }
  }

  @Test
  void thePackageVerifiesCarriesItsLineageAndIsReproduced() {
    ModelPackage pkg = ModelPackage.read(out.resolve("iris-classifier.mlpkg"));
    RunRecord best;
    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      best = mostAccurate(tracker);
    }
    Lineage lineage = pkg.lineage().orElseThrow();
    assertEquals(best.runId(), lineage.runId());
    assertEquals(best.metrics().get("accuracy").value(), lineage.metrics().get("accuracy"));
    assertEquals(Set.copyOf(FEATURES), Set.copyOf(pkg.signature().inputs().names()));
    assertTrue(pkg.inputExample().isPresent());

    ReproductionReport reproduction = Reproduction.of(pkg).run();
    assertEquals(ReproductionReport.Status.REPRODUCED, reproduction.status(), reproduction.toString());
    assertEquals(out.resolve("data/train.csv").toString(), reproduction.dataFile());
  }

  @Test
  void theDriftReportNamesExactlyTheShiftedColumns() throws Exception {
    Path json = out.resolve("drift-report.json");
    assertEquals(SHIFTED, driftedColumns(json));
    assertEquals(4, CanonicalJson.parse(Files.readAllBytes(json)).get("columns").size());

    // The same verdict computed again from the data the quickstart wrote.
    Frame reference = Frame.readCsv(out.resolve("data/train.csv")).select(FEATURES);
    Frame current = Frame.readCsv(out.resolve("data/current.csv")).select(FEATURES);
    Set<String> again = Drift.between(reference, current).defaults().run().columns().stream()
        .filter(ColumnDrift::drifted).map(ColumnDrift::column).collect(Collectors.toSet());
    assertEquals(SHIFTED, again);

    String html = Files.readString(out.resolve("drift-report.html"));
    assertTrue(html.startsWith("<!DOCTYPE html") || html.startsWith("<html"), html.substring(0, 40));
    SHIFTED.forEach(c -> assertTrue(html.contains(c), c));
  }

  @Test
  void theModelCardDocumentsTheChampionWithItsLineageAndTheMeasuredDrift() throws Exception {
    String html = Files.readString(out.resolve("model-card.html"));
    assertTrue(html.startsWith("<!DOCTYPE html"), html.substring(0, 40));
    assertTrue(html.contains("iris-classifier"), "names the model");
    assertTrue(html.contains("<svg"), "draws the importance");
    assertTrue(html.contains("REPRODUCED"), "carries the reproduction status");
    SHIFTED.forEach(c -> assertTrue(html.contains(c), c));
    assertTrue(!html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained");
  }

  @Test
  void theDriftVerdictsDoNotHingeOnTheThreshold() throws Exception {
    // The KS p-values sit far from 0.05 on both sides, so the split and the shift give this
    // verdict with room to spare.
    CanonicalJson.parse(Files.readAllBytes(out.resolve("drift-report.json"))).get("columns").forEach(c -> {
      double p = c.get("pValue").asDouble();
      String column = c.get("column").asText();
      assertEquals("ks", c.get("test").asText());
      assertTrue(SHIFTED.contains(column) ? p < 1e-6 : p > 0.5, column + ": p = " + p);
    });
  }

  @Test
  void theLifeCyclePromotesThenRetrainsOnTheDriftAlertAndPrintsItsDecisionRecords() throws Exception {
    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      List<RunRecord> passes = tracker.search(Quickstart.AUTOMATED)
          .filter("tags.`mlops.lifecycle.kind` = 'pass'").orderBy("attributes.start_time ASC").list();
      assertEquals(List.of("ON_DEMAND", "DRIFT"), passes.stream().map(r -> r.tags().get("mlops.lifecycle.trigger")).toList());
      assertEquals("PROMOTED", passes.get(0).tags().get("mlops.lifecycle.outcome"));
      JsonNode second = CanonicalJson.parse(tracker.readArtifact(passes.get(1).runId(), "decision.json"));
      assertEquals(150, second.get("data").get("rows").asInt(), "the drifted batch joined the first");
      assertTrue(second.get("trigger").get("detail").asText().contains("dataset drift"), second.get("trigger").toString());
      JsonNode change = second.get("gate").get(1);
      assertEquals(second.get("evaluation").get("champion").get("accuracy").asDouble(), change.get("champion").asDouble(),
          "the gate compared the champion's score on the same holdout");
      String outcome = second.get("outcome").asText();
      int champion = tracker.registry().resolve("models:/" + Quickstart.AUTOMATED + "@champion").version();
      assertEquals(outcome.equals("PROMOTED") ? 2 : 1, champion, outcome);
      assertTrue(printed.contains("pass on DRIFT (dataset drift"), printed);
      for (RunRecord pass : passes) {
        Path html = out.resolve("decisions").resolve(pass.runId() + ".html");
        assertTrue(Files.isRegularFile(html), html.toString());
        assertTrue(printed.contains("    " + html), printed);
      }
    }
  }

  @Test
  void theSummaryNamesEveryFileItWrote() throws Exception {
    for (String file : List.of("mlops.db", "iris-classifier.mlpkg", "drift-report.html", "drift-report.json",
        "comparison.html", "model-card.html", "data/train.csv", "data/test.csv", "data/current.csv")) {
      Path path = out.resolve(file);
      assertTrue(Files.isRegularFile(path), path.toString());
      assertTrue(printed.contains("  " + path + "\n") || printed.contains("  " + path + System.lineSeparator()), printed);
    }
    String summary = printed.substring(printed.indexOf("Wrote ("));
    try (var walk = Files.walk(out)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        if (file.getFileName().toString().equals(OutputFolder.MARKER)) {
          continue;
        }
        Path top = out.resolve(out.relativize(file).getName(0));
        assertTrue(summary.contains(file.toString()) || summary.contains(top + java.io.File.separator + " ("),
            file + " is in the summary:\n" + summary);
      }
    }
    assertTrue(printed.contains("REPRODUCED"), printed);
  }

  @Test
  void aSecondRunInTheSameFolderStartsAfresh() throws Exception {
    Path again = dir.resolve("again");
    runMain(again);
    runMain(again);
    try (Tracker tracker = Tracker.open("sqlite:" + again.resolve("mlops.db"))) {
      assertEquals(2, tracker.search("iris").list().size());
    }
  }

  @Test
  void aFolderWithOtherFilesIsLeftAlone() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Path precious = Files.writeString(foreign.resolve("notes.txt"), "keep me");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Quickstart.main(new String[] {foreign.toString()}));
    assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
    assertEquals("keep me", Files.readString(precious));
  }
}
