package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;

/** The steps of a pass, its gate, its caching and its decision record, on a SQLite store. */
class LifecycleTest extends StoreFixture {


  private Lifecycle.Builder lifecycle() {
    return Lifecycle.builder(tracker, "blobs")
        .data(DataSource.csv(incoming))
        .label(Blobs.LABEL)
        .validateData(DataChecks.schema(Blobs.SCHEMA).maxMissingShare(0.05))
        .split(Split.holdout(0.2).seed(7))
        .train(Blobs.trainer())
        .gate(Gate.atLeast("accuracy", 0.8).and(Gate.notWorseThanChampion("accuracy", 0.05)))
        .records(dir.resolve("decisions"));
  }

  @Test
  void theFirstPassRunsEveryStepAsANestedRunAndPromotes() throws Exception {
    LifecycleResult r = lifecycle().build().runOnce();

    assertEquals(Outcome.PROMOTED, r.outcome(), r.reason());
    DecisionRecord record = r.record().orElseThrow();
    assertEquals(List.of("ingest", "validate", "split", "select", "evaluate", "gate", "package", "register", "deploy"),
        record.steps().stream().map(StepRecord::name).toList());
    for (StepRecord step : record.steps()) {
      RunRecord run = tracker.getRun(step.runId());
      assertEquals(record.passRunId(), run.parentRunIdOrNull(), step.name());
      assertEquals(RunStatus.FINISHED, run.status(), step.name());
      assertTrue(run.startTime() <= run.endTimeOrNull(), step.name());
      assertEquals(step.name(), run.tags().get(Lifecycle.TAG_STEP));
    }
    RunRecord split = tracker.getRun(record.steps().get(2).runId());
    assertEquals(Map.of("holdout_share", "0.2", "seed", "7"), split.params(), "a step's values are in its run");
    assertEquals(120.0, split.metrics().get("train_rows").value());
    assertEquals("passed", tracker.getRun(record.steps().get(5).runId()).tags().get(Lifecycle.TAG_GATE));
    RunRecord pass = tracker.getRun(record.passRunId());
    assertEquals(Digest.ofFolder(incoming), pass.datasets().get(0).digest(), "the data digest is the pass's dataset input");
    assertEquals(Digest.ofFolder(incoming), record.dataDigest().orElseThrow());
    assertEquals(150, record.rows());
    assertEquals(30, record.holdoutRows());
    assertEquals(120, record.trainRows());

    ModelVersion champion = tracker.registry().resolve("models:/blobs@champion");
    assertEquals(1, champion.version());
    assertEquals(List.of("challenger", "champion"), champion.aliases());
    assertEquals(record.passRunId(), champion.tags().get(Lifecycle.VERSION_PASS));
    try (ModelPackage pkg = tracker.registry().load(champion)) {
      assertTrue(Pass.referenceProfile(pkg).isPresent(), "the package holds the reference profile of its training data");
      assertEquals(120, Pass.referenceProfile(pkg).get().rowCount());
      assertFalse(Pass.referenceProfile(pkg).get().columnNames().contains(Blobs.LABEL));
    }

    JsonNode stored = CanonicalJson.parse(tracker.readArtifact(record.passRunId(), "decision.json"));
    assertEquals("PROMOTED", stored.get("outcome").asText());
    assertEquals(1, stored.get("versions").get("champion_after").asInt());
    assertEquals(2, r.files().size());
    assertEquals(record.toJson(), Files.readString(r.files().get(0), StandardCharsets.UTF_8));
    assertTrue(Files.readString(r.files().get(1)).contains("<h2>Gate</h2>"));
  }

  @Test
  void runsLeftRunningByADeadPassAreEndedKilledByTheNextAndItsRecordSaysSo() {
    // what a process killed mid-pass leaves: its pass run and a nested trial, RUNNING
    Run dead = tracker.experiment("blobs").run("pass of a dead process").tag(Lifecycle.TAG_NAME, "blobs")
        .tag(Lifecycle.TAG_KIND, "pass").start();
    Run deadTrial = tracker.experiment("blobs").run("trial 1").parent(dead).tag(Lifecycle.TAG_NAME, "blobs")
        .tag(Lifecycle.TAG_KIND, "trial").start();
    Run otherLifecycle = tracker.experiment("blobs").run("another life cycle's").tag(Lifecycle.TAG_NAME, "other")
        .tag(Lifecycle.TAG_KIND, "pass").start();

    LifecycleResult r = lifecycle().build().runOnce();

    assertEquals(Outcome.PROMOTED, r.outcome(), r.reason());
    for (Run left : List.of(dead, deadTrial)) {
      RunRecord now = tracker.getRun(left.id());
      assertEquals(RunStatus.KILLED, now.status(), left.name());
      assertTrue(now.tags().get(Lifecycle.TAG_INTERRUPTED).contains("pass " + r.record().orElseThrow().passRunId()));
    }
    assertEquals(RunStatus.RUNNING, tracker.getRun(otherLifecycle.id()).status(), "another life cycle's run is not ours");
    DecisionRecord record = r.record().orElseThrow();
    assertEquals(List.of(dead.id()), record.interrupted().stream().map(InterruptedRun::runId).toList(),
        "the record lists the interrupted pass, not its nested runs");
    assertEquals("pass", record.interrupted().get(0).kind());
    assertTrue(record.toHtml().contains(dead.id()));
    assertEquals(RunStatus.FINISHED, tracker.getRun(record.passRunId()).status());
    otherLifecycle.close();
  }

  @Test
  void aPassWithNothingChangedRegistersNothingAndStartsNoRun() {
    Lifecycle lc = lifecycle().build();
    LifecycleResult first = lc.runOnce();
    int runs = tracker.search("blobs").list().size();

    LifecycleResult again = lc.runOnce();

    assertEquals(Outcome.UNCHANGED, again.outcome());
    assertEquals(first.record().orElseThrow().passRunId(), again.earlierPassRunId().orElseThrow());
    assertEquals(runs, tracker.search("blobs").list().size(), "no run was started");
    assertEquals(1, tracker.registry().versions("blobs").size(), "no version was registered");
  }

  @Test
  void newDataRunsAgainAndTheCandidateIsGatedOnTheSameHoldoutAsTheChampion() {
    Lifecycle lc = lifecycle().build();
    lc.runOnce();
    Blobs.write(incoming, "batch-2", Blobs.frame(60, 2, 0));

    LifecycleResult r = lc.runOnce();

    DecisionRecord record = r.record().orElseThrow();
    assertEquals(Outcome.PROMOTED, r.outcome(), r.reason());
    assertEquals(1, record.championBefore().getAsInt());
    assertEquals(2, record.championAfter().getAsInt());
    // the champion's score, recomputed here on the holdout the split gives, is the one the gate compared
    Frame all = DataSource.csv(incoming).read();
    Split.Parts parts = Split.holdout(0.2).seed(7).apply(all);
    try (ModelPackage v1 = tracker.registry().load(tracker.registry().version("blobs", 1))) {
      List<String> predicted = v1.predictor(Label.class).predict(parts.holdout()).stream()
          .map(p -> p.getOutput().getLabel()).toList();
      long right = 0;
      for (int i = 0; i < predicted.size(); i++) {
        right += predicted.get(i).equals(parts.holdout().categorical(Blobs.LABEL).get(i)) ? 1 : 0;
      }
      assertEquals((double) right / predicted.size(), record.championScores().get("accuracy"), 1e-12);
    }
    GateResult change = record.gate().get(1);
    assertEquals("change", change.kind());
    assertEquals(record.championScores().get("accuracy"), change.champion(), 1e-12);
    assertEquals(record.candidateScores().get("accuracy"), change.candidate(), 1e-12);
  }

  @Test
  void aCandidateThatFailsTheGateIsRejectedWithTheReasonAndNotRegistered() {
    lifecycle().build().runOnce();
    Blobs.write(incoming, "batch-2", Blobs.frame(60, 2, 0));
    Lifecycle strict = lifecycle().gate(Gate.atLeast("accuracy", 0.5).and(Gate.beatsChampion("accuracy", 0.5))).build();

    LifecycleResult r = strict.runOnce();

    assertEquals(Outcome.REJECTED, r.outcome());
    assertTrue(r.reason().contains("accuracy") && r.reason().contains("FAIL"), r.reason());
    DecisionRecord record = r.record().orElseThrow();
    assertTrue(record.gate().get(0).passed());
    assertFalse(record.gate().get(1).passed());
    assertFalse(record.gatePassed());
    assertEquals(List.of("ingest", "validate", "split", "select", "evaluate", "gate"),
        record.steps().stream().map(StepRecord::name).toList());
    assertEquals(1, tracker.registry().versions("blobs").size());
    assertEquals(1, tracker.registry().resolve("models:/blobs@champion").version());
  }

  @Test
  void dataThatFailsItsChecksStopsThePassBeforeTraining() throws Exception {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("b.csv"), "a,b,c,d,kind\n1,2,3,4,x\n,2,3,4,y\n,2,3,4,z\n1,2,3,4,x\n");
    Lifecycle lc = lifecycle().data(DataSource.csv(bad)).build();

    LifecycleResult r = lc.runOnce();

    assertEquals(Outcome.INVALID_DATA, r.outcome());
    assertTrue(r.reason().contains("missing_share of a"), r.reason());
    assertEquals(List.of("ingest", "validate"), r.record().orElseThrow().steps().stream().map(StepRecord::name).toList());
    assertThrows(dev.mlops.core.NotFoundException.class, () -> tracker.registry().model("blobs"));
  }

  @Test
  void aBatchThatDriftedFromTheChampionsReferenceFailsTheDriftCheck() {
    Lifecycle lc = lifecycle().validateData(DataChecks.schema(Blobs.SCHEMA).maxDriftedShare(0.25)).build();
    lc.runOnce();
    Blobs.write(incoming, "batch-1", Blobs.frame(150, 1, 4.0));

    LifecycleResult r = lc.runOnce();

    assertEquals(Outcome.INVALID_DATA, r.outcome(), r.reason());
    DataCheckResult drift = r.record().orElseThrow().dataChecks().stream()
        .filter(c -> c.check().equals("drifted_share")).findFirst().orElseThrow();
    assertEquals(0.5, drift.value(), 1e-12, "a and b of the four features drifted");
    assertFalse(drift.passed());
  }

  @Test
  void aMissingLabelColumnIsInvalidData() throws Exception {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("b.csv"), "a,b\n1,2\n3,4\n");
    LifecycleResult r = lifecycle().validateData(DataChecks.none()).data(DataSource.csv(other)).build().runOnce();
    assertEquals(Outcome.INVALID_DATA, r.outcome());
    assertTrue(r.reason().contains("label column is missing"), r.reason());
  }

  @Test
  void aGridSearchLogsEachTrialAsANestedRunAndChoosesTheBestAlikeOnOneOrTwoThreads() {
    Search grid = Search.grid("initialLearningRate", 0.001, 0.5).and("epochs", 1, 5).maximize("accuracy");
    DecisionRecord one = lifecycle().select(grid.threads(1)).build().runOnce().record().orElseThrow();
    tracker.close();
    tracker = Tracker.builder("sqlite:" + dir.resolve("second.db")).synchronous(true).build();
    DecisionRecord two = lifecycle().select(grid.threads(2)).build().runOnce().record().orElseThrow();

    assertEquals(4, one.candidates().size());
    assertEquals(one.candidates().stream().map(Candidate::scores).toList(),
        two.candidates().stream().map(Candidate::scores).toList(), "trials do not depend on the thread count");
    assertEquals(one.candidates().stream().map(c -> List.of(c.settings(), c.chosen())).toList(),
        two.candidates().stream().map(c -> List.of(c.settings(), c.chosen())).toList(), "nor does the choice");
    assertEquals(one.candidateScores(), two.candidateScores(), "the chosen model is the same model");
    String select = one.steps().get(3).runId();
    double best = one.candidates().stream().mapToDouble(c -> c.scores().get("accuracy")).max().orElseThrow();
    Candidate chosen = two.candidates().stream().filter(Candidate::chosen).findFirst().orElseThrow();
    assertEquals(best, chosen.scores().get("accuracy"));
    assertEquals(1, one.candidates().stream().filter(Candidate::chosen).count());
    assertEquals(Map.of("epochs", "1", "initialLearningRate", "0.001"), one.candidates().get(0).settings());
    List<RunRecord> trials = tracker.search("blobs").filter("tags.`mlops.lifecycle.kind` = 'trial'").list();
    assertEquals(4, trials.size());
    assertTrue(trials.stream().allMatch(t -> t.parentRunIdOrNull().equals(two.steps().get(3).runId())));
    for (Candidate c : two.candidates()) {
      RunRecord trial = tracker.getRun(c.runId());
      assertEquals(RunStatus.FINISHED, trial.status());
      assertEquals(c.settings(), trial.params(), "a trial's run holds its settings");
      assertEquals(c.scores().get("accuracy"), trial.metrics().get("accuracy").value(), "and its scores");
    }
    assertTrue(tracker.getRun(chosen.runId()).params().get("initialLearningRate") != null);
    assertFalse(select.equals(two.steps().get(3).runId()));
  }

  @Test
  void aRandomSearchDrawsTheSameTrialsForTheSameSeed() {
    Search a = Search.random(3, 42).uniform("initialLearningRate", 0.01, 1.0).and("epochs", 2, 4);
    assertEquals(a.trials(), Search.random(3, 42).uniform("initialLearningRate", 0.01, 1.0).and("epochs", 2, 4).trials());
    assertFalse(a.trials().equals(Search.random(3, 43).uniform("initialLearningRate", 0.01, 1.0).and("epochs", 2, 4).trials()));
    DecisionRecord r = lifecycle().select(a).build().runOnce().record().orElseThrow();
    assertEquals(3, r.candidates().size());
    assertEquals(a.trials().get(0), r.candidates().get(0).settings());
  }

  @Test
  void anUnknownSearchFieldIsRefusedWhenTheLifeCycleIsBuiltNamingTheFields() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> lifecycle().select(Search.grid("learningRate", 0.1)).build());
    assertTrue(e.getMessage().contains("optimiser.initialLearningRate") && e.getMessage().contains("learningRate"),
        e.getMessage());
  }

  @Test
  void aStepWhoseInputsAreUnchangedReusesItsOutputAndSaysSo() {
    lifecycle().build().runOnce();
    // another gate is another pass, but training sees the same data, split and trainer
    LifecycleResult r = lifecycle().gate(Gate.atLeast("accuracy", 0.7)).build().runOnce();

    StepRecord select = r.record().orElseThrow().steps().get(3);
    assertEquals("select", select.name());
    assertTrue(select.cached(), select.note());
    assertTrue(select.note().contains("reused"), select.note());
    assertEquals("true", tracker.getRun(select.runId()).tags().get("mlops.lifecycle.cached"));
    assertFalse(r.record().orElseThrow().steps().get(0).cached());
  }

  @Test
  void aDeclarationWithoutDataLabelOrTrainerIsRefused() {
    assertThrows(InvalidInputException.class, () -> Lifecycle.builder(tracker, "x").label("k").train(Blobs.trainer()).build());
    assertThrows(InvalidInputException.class,
        () -> Lifecycle.builder(tracker, "x").data(DataSource.csv(incoming)).train(Blobs.trainer()).build());
    assertThrows(InvalidInputException.class,
        () -> Lifecycle.builder(tracker, "x").data(DataSource.csv(incoming)).label("k").build());
  }

  @Test
  void aTrainingFunctionTrainsWithoutSearch() {
    LifecycleResult r = lifecycle().train("sgd-5", data -> Blobs.trainer().train(data)).build().runOnce();
    assertEquals(Outcome.PROMOTED, r.outcome(), r.reason());
    assertThrows(InvalidInputException.class, () -> lifecycle().train("f", data -> null)
        .select(Search.grid("epochs", 1, 2)).build());
  }
}
