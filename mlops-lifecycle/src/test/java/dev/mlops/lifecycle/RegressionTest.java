package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.regression.Regressor;

/** A regressor's life cycle on SQLite: RMSE, MAE and R² on the holdout, a search that minimizes, lower-is-better gates. */
class RegressionTest {
  @TempDir Path dir;
  private Tracker tracker;
  private Path incoming;

  @BeforeEach
  void open() {
    tracker = Stores.sqlite(dir);
    incoming = dir.resolve("incoming");
    Blobs.write(incoming, "batch-1", Lines.frame(400, 1, 0));
  }

  @AfterEach
  void close() {
    tracker.close();
  }

  private Lifecycle.Builder lifecycle() {
    return Lifecycle.builder(tracker, "lines")
        .data(DataSource.csv(incoming))
        .label(Lines.LABEL)
        .validateData(DataChecks.schema(Lines.SCHEMA))
        .split(Split.holdout(0.2).seed(7))
        .trainRegressor(Lines.trainer(0.5, 10));
  }

  @Test
  void aSearchPicksTheLowestRmseAndTheGateBoundsItFromAbove() {
    LifecycleResult r = lifecycle()
        .select(Search.grid("epochs", 1, 10).and("initialLearningRate", 0.01, 0.5).minimize("rmse").threads(2))
        .gate(Gate.atMost("rmse", 1.0).and(Gate.atLeast("r2", 0.9)))
        .build().runOnce();

    assertEquals(Outcome.PROMOTED, r.outcome(), r.reason());
    DecisionRecord record = r.record().orElseThrow();
    assertEquals(4, record.candidates().size());
    Candidate lowest = record.candidates().stream().min(Comparator.comparingDouble(c -> c.scores().get("rmse"))).orElseThrow();
    Candidate highest = record.candidates().stream().max(Comparator.comparingDouble(c -> c.scores().get("rmse"))).orElseThrow();
    assertTrue(lowest.chosen(), "the chosen trial has the lowest rmse: " + record.candidates());
    assertTrue(highest.scores().get("rmse") > lowest.scores().get("rmse") * 2, "the grid holds a clearly worse trial");
    assertEquals(List.of("mae", "r2", "rmse"), record.candidateScores().keySet().stream().sorted().toList());
    assertTrue(record.candidateScores().get("rmse") < 0.5, record.candidateScores().toString());
    assertTrue(record.candidateScores().get("r2") > 0.95, record.candidateScores().toString());
    assertTrue(record.candidateScores().get("mae") <= record.candidateScores().get("rmse") + 1e-12, "mae ≤ rmse always");
    assertEquals("≤ 1", record.gate().get(0).threshold());

    ModelVersion champion = tracker.registry().resolve("models:/lines@champion");
    try (ModelPackage pkg = tracker.registry().load(champion)) {
      double predicted = pkg.predictor(Regressor.class).predict(Map.of("a", 1.0, "b", 0.0, "c", 0.0, "d", 0.0))
          .getOutput().getValues()[0];
      assertEquals(4.0, predicted, 0.5, "the champion learned y = 3a - 2b + 0.5c + 1");
    }
    JsonNode stored = CanonicalJson.parse(tracker.readArtifact(record.passRunId(), "decision.json"));
    assertEquals("rmse", stored.get("selection").get("metric").asText());
    assertTrue(stored.get("evaluation").get("candidate").has("r2"));
  }

  @Test
  void beatsChampionOnRmseMeansALowerRmse() {
    Gate gate = Gate.beatsChampion("rmse", 0.0);
    assertEquals(Outcome.PROMOTED, lifecycle().gate(gate).build().runOnce().outcome());

    // a barely trained model: a higher rmse than the champion's on the same holdout
    LifecycleResult worse = lifecycle().trainRegressor(Lines.trainer(0.001, 1)).codeVersion("2").gate(gate).build().runOnce();
    assertEquals(Outcome.REJECTED, worse.outcome(), worse.reason());
    GateResult row = worse.record().orElseThrow().gate().get(0);
    assertTrue(row.candidate() > row.champion(), row.toString());
    assertTrue(row.note().startsWith("worse than the champion"), row.note());
    assertEquals(1, tracker.registry().resolve("models:/lines@champion").version());

    LifecycleResult better = lifecycle().trainRegressor(Lines.trainer(0.5, 30)).codeVersion("3").gate(gate).build().runOnce();
    GateResult again = better.record().orElseThrow().gate().get(0);
    assertEquals(again.candidate() <= again.champion(), better.outcome() == Outcome.PROMOTED, better.reason());
  }

  @Test
  void theCandidateCarriesItsImportanceAndTheRecordWeighsTheDriftByIt() {
    DataChecks checks = DataChecks.schema(Lines.SCHEMA).maxDriftedShare(0.9);
    LifecycleResult first = lifecycle().validateData(checks).build().runOnce();
    DecisionRecord record = first.record().orElseThrow();
    ModelVersion v1 = tracker.registry().resolve("models:/lines@champion");
    FeatureImportance champion;
    try (ModelPackage pkg = tracker.registry().load(v1)) {
      champion = pkg.importance().orElseThrow(() -> new AssertionError("the package carries its importance"));
    }
    assertEquals("permutation", champion.method());
    assertEquals(champion, record.candidateImportance().orElseThrow());
    // y = 3a - 2b + 0.5c + 1: a matters most, then b, then c; d is noise
    assertEquals(List.of("a", "b", "c", "d"), record.topFeatures().stream().map(FeatureImportance.Feature::name).toList());
    assertEquals(List.of(), record.driftedColumns(), "no champion yet, so no drift check");
    JsonNode top = CanonicalJson.parse(record.toJson()).get("explanation").get("top_features");
    assertEquals("a", top.get(0).get("name").asText());
    assertEquals(champion.share(List.of("a")), top.get(0).get("share").asDouble(), 1e-12);
    assertTrue(record.toHtml().contains("What the candidate relies on"));

    Blobs.write(incoming, "batch-2", Lines.frame(400, 2, 3.0));   // column a moves by three standard deviations
    LifecycleResult second = lifecycle().validateData(checks).build().runOnce();
    DecisionRecord drifted = second.record().orElseThrow();
    assertTrue(drifted.driftedColumns().contains("a"), drifted.dataChecks().toString());
    assertFalse(drifted.driftedColumns().contains("d"), drifted.dataChecks().toString());
    assertEquals(champion.share(drifted.driftedColumns()), drifted.driftedImportanceShare().orElseThrow(), 1e-12,
        "the share of the champion's importance in the drifted columns");
    assertTrue(drifted.driftedImportanceShare().getAsDouble() > 0.5, "a carries most of the importance");
    FeatureImportance candidate = drifted.candidateImportance().orElseThrow();
    assertEquals(candidate.share(drifted.driftedColumns()), drifted.candidateDriftedImportanceShare().orElseThrow(), 1e-12);
    JsonNode drift = CanonicalJson.parse(tracker.readArtifact(drifted.passRunId(), "decision.json"))
        .get("explanation").get("drift");
    assertEquals("a", drift.get("drifted_columns").get(0).asText());
    assertEquals(drifted.driftedImportanceShare().getAsDouble(), drift.get("champion_importance_share").asDouble(), 1e-12);
    String html = drifted.toHtml();
    assertTrue(html.contains("of the champion&#39;s importance") || html.contains("of the champion's importance"), html);
    assertTrue(drifted.dataChecks().stream().anyMatch(c -> c.check().equals("drifted_share")
        && c.detail().contains("importance")), "the check's summary weighs the drift by the champion's importance");
  }

  @Test
  void aSearchWithoutAMetricMinimizesRmse() {
    LifecycleResult r = lifecycle().select(Search.grid("epochs", 1, 10)).build().runOnce();
    DecisionRecord record = r.record().orElseThrow();
    Candidate chosen = record.candidates().stream().filter(Candidate::chosen).findFirst().orElseThrow();
    for (Candidate c : record.candidates()) {
      assertTrue(chosen.scores().get("rmse") <= c.scores().get("rmse"), record.candidates().toString());
    }
    assertEquals("rmse", CanonicalJson.parse(record.toJson()).get("selection").get("metric").asText());
  }

  @Test
  void classificationMetricsAndLabelsAreRefusedForARegressor() {
    InvalidInputException gate = assertThrows(InvalidInputException.class,
        () -> lifecycle().gate(Gate.atLeast("accuracy", 0.9)).build());
    assertTrue(gate.getMessage().contains("'accuracy'") && gate.getMessage().contains("rmse"), gate.getMessage());
    InvalidInputException search = assertThrows(InvalidInputException.class,
        () -> lifecycle().select(Search.grid("epochs", 1, 2).maximize("accuracy")).build());
    assertTrue(search.getMessage().contains("regressor"), search.getMessage());

    // a classifier on a numeric label fails its label check rather than training
    LifecycleResult wrongKind = Lifecycle.builder(tracker, "lines-as-classes").data(DataSource.csv(incoming))
        .label(Lines.LABEL).train(Blobs.trainer()).build().runOnce();
    assertEquals(Outcome.INVALID_DATA, wrongKind.outcome());
    assertTrue(wrongKind.reason().contains("regressor"), wrongKind.reason());
  }

  @Test
  void regressionScoresAreThoseOfTheirDefinitions() {
    Map<String, Double> s = Scores.regression(new double[] {1, 2, 3}, new double[] {1, 2, 5});
    assertEquals(Math.sqrt(4.0 / 3), s.get("rmse"), 1e-12);
    assertEquals(2.0 / 3, s.get("mae"), 1e-12);
    assertEquals(1 - 4.0 / 2, s.get("r2"), 1e-12, "1 - SS_res / SS_tot, negative for a model worse than the mean");
    assertEquals(1.0, Scores.regression(new double[] {2, 2}, new double[] {2, 2}).get("r2"));
    assertEquals(0.0, Scores.regression(new double[] {2, 2}, new double[] {2, 3}).get("r2"));
    assertFalse(Scores.higherIsBetter("rmse") || Scores.higherIsBetter("mae"));
    assertTrue(Scores.higherIsBetter("r2"));
  }
}
