package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.CanonicalJson;
import dev.mlops.core.ConflictException;
import dev.mlops.core.Digest;
import dev.mlops.core.Environment;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.GitState;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.Schema;
import dev.mlops.core.StoreUnavailableException;
import dev.mlops.packaging.ModelPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The behaviour every store must show, run against each real database by a subclass, and through
 * a tracking server by the server module's REST contract. A stored file that was changed is refused
 * by every store: a direct store's file is the store's only copy, and a server client's file is
 * its copy of what the server recorded, so something wrote where it should not have.
 */
abstract class TrackerContract implements StoreHardeningContract {
  static final Environment ENVIRONMENT = new Environment("17.0.15", "vendor", "Linux", "6.1", "amd64", "build-host",
      "alice", new GitState("0123456789abcdef0123456789abcdef01234567", "main", true), List.of());

  @TempDir Path temp;
  Tracker tracker;

  @Override
  public Tracker tracker() {
    return tracker;
  }

  @Override
  public Path temp() {
    return temp;
  }

  /** A plain JDBC URL for a tracker URI, to look at the tables directly. */
  abstract String jdbcUrl(String uri);

  @Override
  public Tracker.Builder builder(String uri) {
    return Tracker.builder(uri).clock(new TickingClock(1_700_000_000_000L)).environment(ENVIRONMENT)
        .environmentVariables(Map.of()).artifacts(temp.resolve("artifacts"));
  }

  /** Skips the test when the database under test is not available here. */
  void assumeAvailable() {}

  @BeforeEach
  void openTracker() {
    assumeAvailable();
    tracker = builder(uri()).build();
  }

  @AfterEach
  void closeTracker() {
    if (tracker != null) {
      tracker.close();
    }
  }

  static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---------------------------------------------------------------- experiments

  @Test
  void experimentIsCreatedOnceAndCarriesTags() {
    String name = unique("iris");
    Experiment first = tracker.experiment(name, Map.of("owner", "risk"));
    Experiment again = tracker.experiment(name);
    assertEquals(first.id(), again.id());
    assertEquals(Map.of("owner", "risk"), again.tags());
    again.tag("owner", "fraud").tag("stage", "dev");
    assertEquals(Map.of("owner", "fraud", "stage", "dev"), first.tags());
    assertEquals(name, tracker.experimentById(first.id()).name());
  }

  @Test
  void deletedExperimentRefusesRunsUntilRestored() {
    Experiment e = tracker.experiment(unique("deleted"));
    String before;
    try (Run run = e.run("before").start()) {
      before = run.id();
    }
    e.delete();
    assertTrue(e.isDeleted());
    InvalidInputException refused = assertThrows(InvalidInputException.class, () -> e.run("after").start());
    assertTrue(refused.getMessage().contains("restore"), refused.getMessage());
    assertEquals(before, tracker.getRun(before).runId(), "runs of a deleted experiment are kept");
    e.restore();
    assertFalse(e.isDeleted());
    try (Run run = e.run("after").start()) {
      assertEquals(e.id(), run.experimentId());
    }
  }

  // ---------------------------------------------------------------- run lifecycle

  @Test
  void closingARunFinishesIt() {
    Experiment e = tracker.experiment(unique("life"));
    Run run = e.run("r1").start();
    RunRecord running = tracker.getRun(run.id());
    assertEquals(RunStatus.RUNNING, running.status());
    assertTrue(running.endTime().isEmpty());
    assertEquals("r1", running.name());
    run.close();
    RunRecord done = tracker.getRun(run.id());
    assertEquals(RunStatus.FINISHED, done.status());
    assertTrue(done.endTime().getAsLong() > done.startTime());
    run.close();
    assertEquals(RunStatus.FINISHED, tracker.getRun(run.id()).status(), "a second close changes nothing");
  }

  @Test
  void endWithStatusIsKeptByALaterClose() {
    Experiment e = tracker.experiment(unique("life"));
    Run run = e.run(null).start();
    assertTrue(run.name().startsWith("run-"));
    run.end(RunStatus.KILLED);
    run.close();
    assertEquals(RunStatus.KILLED, tracker.getRun(run.id()).status());
    assertThrows(InvalidInputException.class, () -> e.run("x").start().end(RunStatus.RUNNING));
  }

  @Test
  void runBodyThatThrowsMarksTheRunFailedAndRethrows() {
    Experiment e = tracker.experiment(unique("body"));
    IllegalStateException boom = new IllegalStateException("diverged");
    String[] id = new String[1];
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tracker.run(e, "bad", run -> {
      id[0] = run.id();
      run.metric("loss", Double.NaN);
      throw boom;
    }));
    assertSame(boom, thrown);
    RunRecord failed = tracker.getRun(id[0]);
    assertEquals(RunStatus.FAILED, failed.status());
    assertTrue(Double.isNaN(failed.metrics().get("loss").value()));

    RunRecord ok = tracker.run(e, "good", run -> run.param("lr", 0.1));
    assertEquals(RunStatus.FINISHED, ok.status());
    assertEquals("0.1", ok.params().get("lr"));
  }

  @Test
  void nestedRunsPointToTheirParent() {
    Experiment e = tracker.experiment(unique("nested"));
    try (Run parent = e.run("sweep").start()) {
      try (Run child = e.run("trial").parent(parent).tag("kind", "trial").start()) {
        RunRecord record = tracker.getRun(child.id());
        assertEquals(parent.id(), record.parentRunId().orElseThrow());
        assertEquals("trial", record.tags().get("kind"));
        assertEquals(List.of(child.id()), tracker.search(e).filter("tags.mlops.parentRunId = '" + parent.id() + "'")
            .list().stream().map(RunRecord::runId).toList());
      }
      assertTrue(tracker.getRun(parent.id()).parentRunId().isEmpty());
      assertThrows(NotFoundException.class, () -> e.run("orphan").parent("0".repeat(32)).start());
    }
  }

  @Test
  void systemTagsComeFromTheEnvironment() {
    try (Run run = tracker.experiment(unique("env")).run("r").start()) {
      Map<String, String> tags = tracker.getRun(run.id()).tags();
      assertEquals("alice", tags.get(Run.TAG_USER));
      assertEquals("17.0.15", tags.get(Run.TAG_JAVA_VERSION));
      assertEquals("0123456789abcdef0123456789abcdef01234567", tags.get(Run.TAG_GIT_COMMIT));
      assertEquals("main", tags.get(Run.TAG_GIT_BRANCH));
      assertEquals("true", tags.get(Run.TAG_GIT_DIRTY));
      assertEquals(TrackerContract.class.getName(), tags.get(Run.TAG_SOURCE));
    }
  }

  // ---------------------------------------------------------------- params, tags, metrics

  @Test
  void paramsAreWriteOnce() {
    try (Run run = tracker.experiment(unique("params")).run("r").start()) {
      run.param("lr", 0.1).param("lr", "0.1").params(Map.of("epochs", 5, "optimizer", "adam"));
      ConflictException conflict = assertThrows(ConflictException.class, () -> run.param("lr", 0.2));
      assertTrue(conflict.getMessage().contains("'0.1'") && conflict.getMessage().contains("'0.2'"),
          conflict.getMessage());
      Map<String, Object> mixed = new LinkedHashMap<>();
      mixed.put("batch", 32);
      mixed.put("epochs", 6);
      assertThrows(ConflictException.class, () -> run.params(mixed));
      assertEquals(Map.of("lr", "0.1", "epochs", "5", "optimizer", "adam"), tracker.getRun(run.id()).params(),
          "a conflicting batch writes nothing");
    }
  }

  @Test
  void aBatchWithinMlflowsLimitsIsStoredWhenItReturnsAfterTheRunsQueuedPointsOrNotAtAll() {
    try (Run run = tracker.experiment(unique("batch")).run("r").start()) {
      // enough queued points that the background writer is still writing them when the batch comes
      int queued = 20_000;
      for (int i = 0; i < queued; i++) {
        run.metric("acc", i);
      }
      run.param("lr", 0.1);
      run.logBatch(Map.of("acc", -1.0, "f1", 0.4), Map.of("epochs", 5), Map.of("stage", "trial"));

      RunRecord stored = tracker.getRun(run.id());
      assertEquals(Map.of("lr", "0.1", "epochs", "5"), stored.params());
      assertEquals("trial", stored.tags().get("stage"));
      assertEquals(0.4, stored.metrics().get("f1").value(), "written before logBatch returned, with no flush");
      List<Double> history = tracker.metricHistory(run.id(), "acc").stream().map(Metric::value).toList();
      assertEquals(queued + 1, history.size());
      assertEquals(-1.0, history.get(queued), "the points queued before the batch come first");
      for (int i = 0; i < queued; i++) {
        assertEquals(i, history.get(i), "point " + i);
      }

      assertThrows(ConflictException.class, () -> run.logBatch(Map.of("loss", 1.0), Map.of("lr", 0.2), Map.of("x", "y")));
      Map<String, Double> badKey = new LinkedHashMap<>();
      badKey.put("loss", 1.0);
      badKey.put("../up", 2.0);
      assertThrows(InvalidInputException.class, () -> run.logBatch(badKey, Map.of(), Map.of("x", "y")));
      Map<String, String> tooMany = new LinkedHashMap<>();
      for (int i = 0; i <= 100; i++) {
        tooMany.put("x" + i, "y");
      }
      InvalidInputException limit = assertThrows(InvalidInputException.class,
          () -> run.logBatch(Map.of("loss", 1.0), Map.of(), tooMany), "MLflow's limits, on every store");
      assertTrue(limit.getMessage().contains("101"), limit.getMessage());
      run.flush();
      RunRecord after = tracker.getRun(run.id());
      assertFalse(after.metrics().containsKey("loss"), "a refused batch writes none of its metrics");
      assertFalse(after.tags().containsKey("x") || after.tags().containsKey("x0"), "nor its tags");
      assertEquals(stored.params(), after.params());
      run.close();
      assertThrows(InvalidInputException.class, () -> run.logBatch(Map.of("late", 1.0), Map.of(), Map.of()));
    }
  }

  @Test
  void aRecordedRunIsStoredEndedWithItsValuesStartedWhenItsBuilderWasMadeAndARefusedOneStoresNoRun() {
    Experiment e = tracker.experiment(unique("recorded"));
    try (Run sweep = e.run("sweep").start()) {
      Run.Builder trial = e.run("trial").parent(sweep).tag("kind", "trial");
      Run meanwhile = e.run("meanwhile").start();
      meanwhile.close();
      Run done = trial.record(RunStatus.FINISHED, Map.of("accuracy", 0.9, "f1", 0.8), Map.of("lr", 0.1, "epochs", 5));

      RunRecord stored = tracker.getRun(done.id());
      RunRecord other = tracker.getRun(meanwhile.id());
      assertEquals(RunStatus.FINISHED, stored.status());
      assertTrue(stored.startTime() < other.startTime() && stored.endTimeOrNull() > other.endTimeOrNull(),
          "started when the builder was made, ended when recorded: " + stored.startTime() + ".." + stored.endTimeOrNull()
              + " around " + other.startTime() + ".." + other.endTimeOrNull());
      assertEquals(Map.of("lr", "0.1", "epochs", "5"), stored.params());
      assertEquals(0.9, stored.metrics().get("accuracy").value());
      assertEquals(0.8, stored.metrics().get("f1").value());
      assertEquals(sweep.id(), stored.parentRunIdOrNull());
      assertEquals("trial", stored.tags().get("kind"));
      assertEquals("alice", stored.tags().get(Run.TAG_USER), "with the system tags a started run has");
      assertThrows(InvalidInputException.class, () -> done.metric("late", 1.0), "a recorded run has ended");

      Run failed = e.run("failed").parent(sweep).record(RunStatus.FAILED, Map.of(), Map.of("lr", 0.5));
      assertEquals(RunStatus.FAILED, tracker.getRun(failed.id()).status());
      assertEquals(Map.of("lr", "0.5"), tracker.getRun(failed.id()).params());

      Map<String, Double> badKey = new LinkedHashMap<>();
      badKey.put("loss", 1.0);
      badKey.put("../up", 2.0);
      Map<String, Object> tooMany = new LinkedHashMap<>();
      for (int i = 0; i <= 100; i++) {
        tooMany.put("p" + i, i);
      }
      assertThrows(InvalidInputException.class, () -> e.run("refused").record(RunStatus.RUNNING, Map.of(), Map.of()));
      assertThrows(InvalidInputException.class, () -> e.run("refused").record(RunStatus.FINISHED, badKey, Map.of()));
      assertThrows(InvalidInputException.class, () -> e.run("refused").record(RunStatus.FINISHED, Map.of(), tooMany));
      assertThrows(NotFoundException.class, () -> e.run("refused").parent("f".repeat(32))
          .record(RunStatus.FINISHED, Map.of("loss", 1.0), Map.of()));
      assertEquals(List.of("failed", "meanwhile", "sweep", "trial"),
          tracker.search(e).list().stream().map(RunRecord::name).sorted().toList(), "a refused record stores no run");
    }
  }

  @Test
  void endingWithALastBatchStoresItAndEndsTheRunOrNeitherWhenTheBatchIsRefused() {
    Experiment e = tracker.experiment(unique("ended-with"));
    Run run = e.run("r").start();
    run.param("lr", 0.1).metric("loss", 2.0, 1);
    run.metric("loss", 1.5, 2);
    run.end(RunStatus.FINISHED, Map.of("accuracy", 0.93), Map.of("epochs", 5), Map.of("stage", "final"));
    RunRecord stored = tracker.getRun(run.id());
    assertEquals(RunStatus.FINISHED, stored.status());
    assertEquals(Map.of("lr", "0.1", "epochs", "5"), stored.params());
    assertEquals(0.93, stored.metrics().get("accuracy").value());
    assertEquals(1.5, stored.metrics().get("loss").value(), "the queued points are written before it");
    assertEquals(List.of(2.0, 1.5), tracker.metricHistory(run.id(), "loss").stream().map(Metric::value).toList());
    assertEquals("final", stored.tags().get("stage"));
    assertTrue(stored.endTimeOrNull() != null && stored.endTimeOrNull() >= stored.startTime());
    assertThrows(InvalidInputException.class, () -> run.end(RunStatus.FINISHED, Map.of(), Map.of(), Map.of("late", "x")),
        "an ended run takes no last batch");

    Run refused = e.run("refused").start();
    refused.param("lr", 0.1);
    assertThrows(ConflictException.class, () -> refused.end(RunStatus.FINISHED, Map.of("accuracy", 0.5),
        Map.of("lr", 0.2), Map.of("stage", "final")));
    RunRecord open = tracker.getRun(refused.id());
    assertEquals(RunStatus.RUNNING, open.status(), "a refused batch leaves the run open");
    assertFalse(open.metrics().containsKey("accuracy") || open.tags().containsKey("stage"), "and writes none of it");
    assertEquals(Map.of("lr", "0.1"), open.params());
    assertThrows(InvalidInputException.class, () -> refused.end(RunStatus.RUNNING, Map.of(), Map.of(), Map.of()));
    refused.metric("loss", 3.0);
    refused.end(RunStatus.FAILED);
    RunRecord failed = tracker.getRun(refused.id());
    assertEquals(RunStatus.FAILED, failed.status(), "the caller ends it otherwise");
    assertEquals(3.0, failed.metrics().get("loss").value(), "and the run still takes values until then");
  }

  @Test
  void dataSetsDeclaredOnTheBuilderAreStoredWithTheStartedOrRecordedRun() {
    Schema schema = Schema.of(Field.of("age", FieldType.DOUBLE), Field.of("city", FieldType.STRING));
    Digest digest = Digest.of("rows");
    Experiment e = tracker.experiment(unique("builder-inputs"));
    List<DatasetInput> expected = List.of(new DatasetInput("customers", digest, schema, "training"),
        new DatasetInput("holdout", digest, null, "evaluation"));
    try (Run started = e.run("started").dataset("customers", digest, schema, "training")
        .dataset("holdout", digest, null, "evaluation").start()) {
      assertEquals(expected, tracker.getRun(started.id()).datasets());
    }
    Run recorded = e.run("recorded").dataset("customers", digest, schema, "training")
        .dataset("holdout", digest, null, "evaluation").record(RunStatus.FINISHED, Map.of("rows", 40), Map.of());
    RunRecord stored = tracker.getRun(recorded.id());
    assertEquals(expected, stored.datasets());
    assertEquals(RunStatus.FINISHED, stored.status());
    assertThrows(InvalidInputException.class, () -> e.run("bad").dataset("../up", digest, schema, "training"),
        "a bad name is refused when declared");
    assertThrows(NullPointerException.class, () -> e.run("bad").dataset("customers", null, schema, "training"));
  }

  @Test
  void tagsAreLastWriteWins() {
    try (Run run = tracker.experiment(unique("tags")).run("r").start()) {
      run.tag("team", "risk").tag("team", "fraud").tags(Map.of("a", "1", "b", "2"));
      Map<String, String> tags = tracker.getRun(run.id()).tags();
      assertEquals("fraud", tags.get("team"));
      assertEquals("1", tags.get("a"));
    }
  }

  @Test
  void metricsKeepEveryPointExactly() {
    double[] values = {0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
        Double.MIN_VALUE, -Double.MAX_VALUE, 1e-300, 0.1 + 0.2};
    try (Run run = tracker.experiment(unique("metrics")).run("r").start()) {
      for (int i = 0; i < values.length; i++) {
        run.metric("m", values[i], i, 1000L + i);
      }
      run.metric("m", 7.0, 3, 5000L);
      run.flush();
      List<Metric> history = tracker.metricHistory(run.id(), "m");
      assertEquals(values.length + 1, history.size());
      for (int i = 0; i < values.length; i++) {
        assertEquals(Double.doubleToLongBits(values[i]), Double.doubleToLongBits(history.get(i).value()), "point " + i);
        assertEquals(i, history.get(i).step());
        assertEquals(1000L + i, history.get(i).timestamp());
      }
      assertEquals(new Metric(7.0, 5000L, 3), history.get(values.length));
      Metric latest = tracker.getRun(run.id()).metrics().get("m");
      assertEquals(values.length - 1, latest.step(), "the latest point is the one with the highest step");
      assertEquals(0.1 + 0.2, latest.value());
      assertTrue(tracker.metricHistory(run.id(), "absent").isEmpty());
    }
  }

  @Test
  void latestMetricPrefersHigherStepThenLaterTimestamp() {
    try (Run run = tracker.experiment(unique("latest")).run("r").start()) {
      run.metric("acc", 0.9, 5, 100).metric("acc", 0.1, 2, 900).metric("acc", 0.95, 5, 200).metric("acc", 0.8, 5, 150);
      run.metrics(Map.of("a", 1, "b", 2.5), 7);
      RunRecord record = run.record();
      assertEquals(new Metric(0.95, 200, 5), record.metrics().get("acc"));
      assertEquals(2.5, record.metric("b").orElseThrow());
      assertEquals(7, record.metrics().get("a").step());
    }
  }

  @Test
  void flushedMetricsSurviveReopening() {
    String runId;
    Tracker async = builder(uri()).queueCapacity(16).build();
    try {
      Run run = async.experiment(unique("durable")).run("r").start();
      runId = run.id();
      for (int i = 0; i < 1000; i++) {
        run.metric("loss", 1.0 / (i + 1), i);
      }
      run.flush();
    } finally {
      async.close();
    }
    try (Tracker reopened = builder(uri()).build()) {
      List<Metric> history = reopened.metricHistory(runId, "loss");
      assertEquals(1000, history.size());
      for (int i = 0; i < 1000; i++) {
        assertEquals(1.0 / (i + 1), history.get(i).value());
        assertEquals(i, history.get(i).step());
      }
    }
  }

  @Test
  void eightThreadsLoggingIntoOneRunLoseNothing() throws Exception {
    int threads = 8;
    int points = 10_000;
    Run run = tracker.experiment(unique("threads")).run("r").start();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < points; i++) {
            run.metric("x", thread * 1_000_000.0 + i, i);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    run.close();
    List<Metric> history = tracker.metricHistory(run.id(), "x");
    assertEquals(threads * points, history.size());
    Set<Double> seen = new HashSet<>();
    long[] lastPerThread = new long[threads];
    java.util.Arrays.fill(lastPerThread, -1);
    for (Metric m : history) {
      assertTrue(seen.add(m.value()), "point " + m.value() + " stored twice");
      int thread = (int) (m.value() / 1_000_000);
      long i = (long) (m.value() % 1_000_000);
      assertEquals(i, m.step());
      assertTrue(i > lastPerThread[thread], "points of one thread keep their order");
      lastPerThread[thread] = i;
    }
  }

  // ---------------------------------------------------------------- artifacts and inputs

  @Test
  void artifactsAreCopiedDigestedAndVerifiedOnRead() throws Exception {
    Path file = temp.resolve("confusion.txt");
    Files.writeString(file, "tp fp\nfn tn\n");
    try (Run run = tracker.experiment(unique("artifacts")).run("r").start()) {
      run.artifact(file).artifact(file, "plots/copy.txt").text("notes/readme.md", "# hello")
          .json("config.json", Map.of("b", 2, "a", List.of(1, 2)));
      RunRecord record = tracker.getRun(run.id());
      assertEquals(List.of("config.json", "confusion.txt", "notes/readme.md", "plots/copy.txt"),
          record.artifacts().stream().map(ArtifactInfo::path).toList());
      ArtifactInfo copy = record.artifacts().get(3);
      assertEquals(Digest.ofFile(file), copy.sha256());
      assertEquals(Files.size(file), copy.size());
      assertArrayEquals(Files.readAllBytes(file), tracker.readArtifact(run.id(), "plots/copy.txt"));
      assertEquals("{\"a\":[1,2],\"b\":2}",
          new String(tracker.readArtifact(run.id(), "config.json"), StandardCharsets.UTF_8));

      Path stored = tracker.artifactRoot().resolve(run.experimentId()).resolve(run.id()).resolve("plots/copy.txt");
      Files.writeString(stored, "tampered");
      IntegrityException tampered = assertThrows(IntegrityException.class,
          () -> tracker.readArtifact(run.id(), "plots/copy.txt"));
      assertTrue(tampered.getMessage().contains("plots/copy.txt"), tampered.getMessage());
      assertThrows(NotFoundException.class, () -> tracker.readArtifact(run.id(), "nothing.txt"));
    }
  }

  @Test
  void datasetsAreRecordedWithSchemaAndContext() {
    Schema schema = Schema.of(Field.of("age", FieldType.DOUBLE), Field.of("city", FieldType.STRING));
    Digest digest = Digest.of("rows");
    try (Run run = tracker.experiment(unique("inputs")).run("r").start()) {
      run.dataset("customers", digest, schema, "training").dataset("customers", digest, schema, "training")
          .dataset("holdout", digest, null, "evaluation");
      List<DatasetInput> inputs = tracker.getRun(run.id()).datasets();
      assertEquals(List.of(new DatasetInput("customers", digest, schema, "training"),
          new DatasetInput("holdout", digest, null, "evaluation")), inputs);
    }
  }

  // ---------------------------------------------------------------- Tribuo

  private Path csv(String name, String header, java.util.function.IntFunction<String> row) throws Exception {
    StringBuilder text = new StringBuilder(header).append('\n');
    for (int i = 0; i < 40; i++) {
      text.append(row.apply(i)).append('\n');
    }
    Path file = temp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void logTribuoRecordsTrainerDataEvaluationAndProvenance() throws Exception {
    Path data = csv("train.csv", "x1,x2,label", i -> (i % 2 == 0 ? i : -i) + "," + (i * 0.5) + "," + (i % 2 == 0 ? "yes" : "no"));
    MutableDataset<Label> dataset = new MutableDataset<>(
        new CSVLoader<>(new LabelFactory()).loadDataSource(data, "label"));
    Model<Label> model =
        new LogisticRegressionTrainer().train(dataset);
    LabelEvaluation evaluation =
        new LabelEvaluator().evaluate(model, dataset);
    try (Run run = tracker.experiment(unique("tribuo")).run("logreg").start()) {
      run.logTribuo(model, evaluation);
      RunRecord record = run.record();
      Map<String, String> params = record.params();
      assertEquals(LogisticRegressionTrainer.class.getName(), params.get("trainer.class"));
      assertEquals("12345", params.get("trainer.seed"));
      assertEquals("5", params.get("trainer.epochs"));
      assertEquals("org.tribuo.math.optimisers.AdaGrad", params.get("trainer.optimiser.class"));
      assertEquals(data.toString(), params.get("data.source.dataPath"));
      assertEquals(Digest.ofFile(data).hex(), params.get("data.resource-hash").toLowerCase(Locale.ROOT));
      assertEquals("40", params.get("data.num-examples"));
      assertEquals("2", params.get("data.num-features"));
      assertEquals("org.tribuo.data.csv.CSVDataSource", params.get("data.source"));
      DatasetInput input = record.datasets().get(0);
      assertEquals("training", input.context());
      assertEquals(Digest.ofFile(data), input.digest(), "the data set digest is Tribuo's resource-hash of the file");
      assertEquals(List.of("x1", "x2"), input.schema().names());
      assertEquals(evaluation.accuracy(), record.metric("accuracy").orElseThrow());
      assertEquals(evaluation.macroAveragedF1(), record.metric("macro_f1").orElseThrow());
      Label yes = new Label("yes");
      assertEquals(evaluation.precision(yes), record.metric("precision/yes").orElseThrow());
      assertEquals(evaluation.recall(yes), record.metric("recall/yes").orElseThrow());
      String json = new String(tracker.readArtifact(run.id(), "tribuo/provenance.json"), StandardCharsets.UTF_8);
      assertTrue(CanonicalJson.parse(json).isArray());
      assertTrue(json.contains("LogisticRegressionTrainer") && json.contains("resource-hash"), json);
    }
  }

  @Test
  void logTribuoRecordsRegressionErrors() throws Exception {
    Path data = csv("reg.csv", "x,y", i -> i + "," + (2.0 * i + 1));
    MutableDataset<Regressor> dataset = new MutableDataset<>(
        new CSVLoader<>(new RegressionFactory()).loadDataSource(data, "y"));
    Model<Regressor> model = new LinearSGDTrainer(
        new SquaredLoss(), new AdaGrad(0.1), 5, 7L)
        .train(dataset);
    RegressionEvaluation evaluation =
        new RegressionEvaluator().evaluate(model, dataset);
    try (Run run = tracker.experiment(unique("tribuo-reg")).run("sgd").start()) {
      run.logTribuo(model, evaluation);
      RunRecord record = run.record();
      assertEquals("7", record.params().get("trainer.seed"));
      assertEquals(evaluation.averageRMSE(), record.metric("rmse").orElseThrow());
      assertEquals(evaluation.averageMAE(), record.metric("mae").orElseThrow());
      assertEquals(evaluation.averageR2(), record.metric("r2").orElseThrow());
      assertEquals(List.of("tribuo/provenance.json"), record.artifacts().stream().map(ArtifactInfo::path).toList());
    }
  }

  // ---------------------------------------------------------------- search and compare

  private List<String> names(List<RunRecord> runs) {
    return runs.stream().map(RunRecord::name).toList();
  }

  private Experiment searchFixture(String name) {
    Experiment e = tracker.experiment(name);
    double[] acc = {0.80, 0.95, 0.91, 0.99};
    String[] lr = {"0.1", "0.1", "0.01", "0.1"};
    String[] team = {"Risk", "risk", "fraud", "RISK-2"};
    for (int i = 0; i < acc.length; i++) {
      try (Run run = e.run("run" + i).tag("team", team[i]).start()) {
        run.param("lr", lr[i]).metric("acc", 0.1, 0).metric("acc", acc[i], 1);
        if (i == 3) {
          run.end(RunStatus.FAILED);
        }
      }
    }
    return e;
  }

  @Test
  void searchFiltersOnMetricsParamsTagsAndAttributes() {
    String name = unique("search");
    Experiment e = searchFixture(name);
    assertEquals(List.of("run1", "run3"), names(tracker.search(name)
        .filter("metrics.acc > 0.9 and params.lr = '0.1'").orderBy("attributes.run_name").list()));
    assertEquals(List.of("run3", "run1", "run2", "run0"), names(tracker.search(e).orderBy("metrics.acc DESC").list()));
    assertEquals(List.of("run0"), names(tracker.search(name).filter("metrics.acc <= 0.8").list()));
    assertEquals(List.of("run2"), names(tracker.search(name).filter("params.lr != '0.1'").list()));
    assertEquals(List.of("run1"), names(tracker.search(name).filter("tags.team = 'risk'").list()));
    assertEquals(List.of("run1"), names(tracker.search(name).filter("tags.team LIKE 'ri%'").list()));
    assertEquals(List.of("run0", "run1", "run3"),
        names(tracker.search(name).filter("tags.team ILIKE 'ri%'").orderBy("attributes.run_name ASC").list()));
    assertEquals(List.of("run3"), names(tracker.search(name).filter("attributes.status = 'FAILED'").list()));
    assertEquals(List.of("run2"), names(tracker.search(name).filter("attributes.run_name = 'run2'").list()));
    assertEquals(List.of("run0", "run1", "run2"),
        names(tracker.search(name).filter("attributes.status != 'FAILED'").orderBy("params.lr DESC", "metrics.acc ASC")
            .list()));
    String id2 = tracker.search(name).filter("attributes.run_name = 'run2'").list().get(0).runId();
    String id0 = tracker.search(name).filter("attributes.run_name = 'run0'").list().get(0).runId();
    assertEquals(Set.of("run0", "run2"), Set.copyOf(names(tracker.search(name)
        .filter("attributes.run_id IN ('" + id0 + "', '" + id2 + "')").list())));
    assertEquals(2, tracker.search(name).filter("attributes.run_id NOT IN ('" + id0 + "', '" + id2 + "')").list().size());
    long start = tracker.getRun(id2).startTime();
    assertTrue(names(tracker.search(name).filter("attributes.start_time >= " + start).list()).contains("run2"));
    assertTrue(tracker.search(name).filter("metrics.missing > 0").list().isEmpty());
  }

  @Test
  void searchPagesThroughResults() {
    String name = unique("pages");
    Experiment e = tracker.experiment(name);
    for (int i = 0; i < 7; i++) {
      try (Run run = e.run(String.format("r%02d", i)).start()) {
        run.metric("i", i);
      }
    }
    List<String> seen = new ArrayList<>();
    RunPage page = tracker.search(name).orderBy("metrics.i ASC").limit(3).page();
    seen.addAll(names(page.runs()));
    while (page.nextPageToken().isPresent()) {
      page = tracker.search(name).orderBy("metrics.i ASC").limit(3).pageToken(page.nextPageToken().get()).page();
      seen.addAll(names(page.runs()));
    }
    assertEquals(List.of("r00", "r01", "r02", "r03", "r04", "r05", "r06"), seen);
    assertThrows(InvalidInputException.class, () -> tracker.search(name).pageToken("not a token"));
    assertThrows(InvalidInputException.class, () -> tracker.search(name).limit(0));
  }

  @Test
  void searchSpansSeveralExperiments() {
    Experiment a = tracker.experiment(unique("span-a"));
    Experiment b = tracker.experiment(unique("span-b"));
    tracker.run(a, "in-a", r -> r.metric("acc", 0.5));
    tracker.run(b, "in-b", r -> r.metric("acc", 0.7));
    assertEquals(List.of("in-b", "in-a"), names(tracker.search(a, b).orderBy("metrics.acc DESC").list()));
    assertEquals(List.of("in-a"), names(tracker.search(a.name()).list()));
  }

  @Test
  void deletedRunsLeaveSearchesAndRefuseWritesUntilRestored() {
    String name = unique("delete-runs");
    Experiment e = tracker.experiment(name);
    Run kept = e.run("kept").start();
    Run gone = e.run("gone").start();
    tracker.deleteRun(gone.id());
    assertEquals(List.of("kept"), names(tracker.search(name).list()));
    assertEquals(2, tracker.search(name).includeDeleted(true).list().size());
    assertTrue(tracker.getRun(gone.id()).deleted());
    assertThrows(InvalidInputException.class, () -> gone.param("a", 1));
    tracker.restoreRun(gone.id());
    gone.param("a", 1);
    assertEquals(2, tracker.search(name).list().size());
    kept.close();
    gone.close();
  }

  @Test
  void aRunNoObjectHoldsIsTaggedAndEndedById() {
    Experiment e = tracker.experiment(unique("terminate"));
    Run left = e.run("left running").start();
    tracker.setTag(left.id(), "why", "its process died");
    tracker.setTerminated(left.id(), RunStatus.KILLED);
    RunRecord r = tracker.getRun(left.id());
    assertEquals(RunStatus.KILLED, r.status());
    assertEquals("its process died", r.tags().get("why"));
    assertTrue(r.endTime().isPresent());
    assertThrows(InvalidInputException.class, () -> tracker.setTerminated(left.id(), RunStatus.RUNNING));
    assertThrows(NotFoundException.class, () -> tracker.setTerminated("f".repeat(32), RunStatus.KILLED));
  }

  @Test
  void compareShowsDifferingParamsAndMetrics() {
    Experiment e = tracker.experiment(unique("compare"));
    RunRecord a = tracker.run(e, "a", r -> r.params(Map.of("lr", "0.1", "seed", "1")).metric("acc", 0.9));
    RunRecord b = tracker.run(e, "b<script>", r -> r.params(Map.of("lr", "0.2", "seed", "1")).metric("acc", 0.75));
    RunComparison c = tracker.compare(a, b);
    assertEquals(List.of("lr"), c.differingParams());
    assertEquals(List.of("acc"), c.metricKeys());
    String text = c.toString();
    assertTrue(text.contains("params.lr") && text.contains("0.2") && text.contains("metrics.acc"), text);
    assertFalse(text.contains("params.seed"), text);
    assertTrue(text.contains("1 param is equal in every run and hidden: seed=1"), text);
    assertEquals(Map.of("seed", "1"), c.equalParams());
    assertEquals(a.runId(), c.best("acc").orElseThrow().runId());
    String html = c.toHtml();
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"), html);
    assertTrue(html.contains("<table") && html.contains("b&lt;script&gt;") && !html.contains("<script"), html);
    assertTrue(html.contains("<td class=\"num best\">0.9 \u2605</td>"), html);
    assertTrue(html.contains("hidden: seed=1"), html);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badKeysAreRefusedAndNothingIsWritten() {
    try (Run run = tracker.experiment(unique("bad")).run("r").start()) {
      for (String key : List.of("", "a*b", "../../etc/passwd", "/abs", "a//b", "x".repeat(251), "a/./b", "tab\tkey")) {
        assertThrows(InvalidInputException.class, () -> run.param(key, 1), "param " + key);
        assertThrows(InvalidInputException.class, () -> run.metric(key, 1), "metric " + key);
        assertThrows(InvalidInputException.class, () -> run.tag(key, "v"), "tag " + key);
      }
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("good", 1);
      params.put("bad key!", 2);
      assertThrows(InvalidInputException.class, () -> run.params(params));
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("good", 1.0);
      metrics.put("../up", 2.0);
      assertThrows(InvalidInputException.class, () -> run.metrics(metrics, 0));
      assertThrows(InvalidInputException.class, () -> run.param("long", "v".repeat(6001)));
      assertThrows(InvalidInputException.class, () -> run.tag("long", "v".repeat(5001)));
      assertThrows(InvalidInputException.class, () -> run.param("null", null));
      RunRecord record = run.record();
      assertTrue(record.params().isEmpty(), record.params().toString());
      assertTrue(record.metrics().isEmpty(), record.metrics().toString());
      assertFalse(record.tags().containsKey("long"));
    }
  }

  @Test
  void artifactPathsThatLeaveTheRunAreRefused() throws Exception {
    Path file = temp.resolve("f.txt");
    Files.writeString(file, "x");
    try (Run run = tracker.experiment(unique("traversal")).run("r").start()) {
      for (String path : List.of("../../etc/passwd", "/etc/passwd", "a/../../b", "a\\..\\b", "", "./a", "c:/x")) {
        assertThrows(InvalidInputException.class, () -> run.artifact(file, path), path);
        assertThrows(InvalidInputException.class, () -> run.text(path, "x"), path);
      }
      assertThrows(InvalidInputException.class, () -> tracker.readArtifact(run.id(), "../../etc/passwd"));
      NotFoundException missing = assertThrows(NotFoundException.class, () -> run.artifact(temp.resolve("nope.bin")));
      assertTrue(missing.getMessage().contains("nope.bin"), missing.getMessage());
      assertThrows(InvalidInputException.class, () -> run.artifact(temp));
      assertTrue(tracker.getRun(run.id()).artifacts().isEmpty());
      assertFalse(Files.exists(temp.resolve("etc")));
    }
  }

  @Test
  void writesAfterEndAreRefused() {
    Run run = tracker.experiment(unique("ended")).run("r").start();
    run.close();
    for (Runnable write : List.<Runnable>of(() -> run.param("a", 1), () -> run.metric("m", 1), () -> run.tag("t", "v"),
        () -> run.text("a.txt", "x"), () -> run.metrics(Map.of("m", 1), 0))) {
      InvalidInputException e = assertThrows(InvalidInputException.class, write::run);
      assertTrue(e.getMessage().contains("ended FINISHED"), e.getMessage());
    }
    RunRecord record = tracker.getRun(run.id());
    assertTrue(record.params().isEmpty() && record.metrics().isEmpty() && record.artifacts().isEmpty());
  }

  @Test
  void unknownExperimentsAndRunsAreNotFound() {
    assertThrows(NotFoundException.class, () -> tracker.search(unique("nothing")));
    assertThrows(NotFoundException.class, () -> tracker.experimentById("999999999"));
    assertThrows(NotFoundException.class, () -> tracker.experimentById("abc"));
    String unknown = "f".repeat(32);
    NotFoundException e = assertThrows(NotFoundException.class, () -> tracker.getRun(unknown));
    assertTrue(e.getMessage().contains(unknown));
    assertThrows(NotFoundException.class, () -> tracker.metricHistory(unknown, "loss"));
    assertThrows(NotFoundException.class, () -> tracker.deleteRun(unknown));
    assertThrows(InvalidInputException.class, () -> tracker.experiment(" "));
  }

  @Test
  void malformedFiltersShowThePosition() {
    String name = unique("filters");
    tracker.experiment(name);
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
        () -> tracker.search(name).filter("metrics.acc > 0.9 and params.lr ~ '0.1'"));
    assertEquals(32, e.position());
    assertTrue(e.getMessage().contains("metrics.acc > 0.9 and params.lr ~ '0.1'"), e.getMessage());
    assertThrows(FilterSyntaxException.class, () -> tracker.search(name).filter("metrics.acc > 0.9 or params.a = '1'"));
    assertThrows(FilterSyntaxException.class, () -> tracker.search(name).orderBy("metrics.acc SIDEWAYS"));
  }

  @Test
  void flushRethrowsAWriteErrorOnceAndSynchronousModeThrowsAtOnce() throws Exception {
    String fresh = freshUri();
    try (Tracker async = builder(fresh).build(); Tracker sync = builder(fresh).synchronous(true).build()) {
      Run run = async.experiment("broken").run("r").start();
      Run syncRun = sync.experiment("broken").run("s").start();
      try (Connection c = DriverManager.getConnection(jdbcUrl(fresh)); Statement s = c.createStatement()) {
        s.execute("DROP TABLE metrics");
      }
      run.metric("loss", 1.0);
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, run::flush);
      assertTrue(e.getMessage().contains("metrics"), e.getMessage());
      run.flush();
      assertThrows(StoreUnavailableException.class, () -> syncRun.metric("loss", 1.0));
    }
  }

  @Test
  void theWriterWritesAgainOnceAFailedTableIsBack() throws Exception {
    String fresh = freshUri();
    try (Tracker async = builder(fresh).build();
        Connection c = DriverManager.getConnection(jdbcUrl(fresh)); Statement s = c.createStatement()) {
      Run run = async.experiment("recovering").run("r").start();
      run.metric("loss", 3.0, 0);
      run.flush();
      s.execute("ALTER TABLE metrics RENAME TO metrics_away");
      run.metric("loss", 2.0, 1);
      assertThrows(StoreUnavailableException.class, run::flush);
      s.execute("ALTER TABLE metrics_away RENAME TO metrics");
      run.metric("loss", 1.0, 2).metric("loss", 0.5, 3);
      run.flush();
      // the batch that failed is lost (and was reported); the ones after it are written
      assertEquals(List.of("3.0@0", "1.0@2", "0.5@3"),
          async.metricHistory(run.id(), "loss").stream().map(m -> m.value() + "@" + m.step()).toList());
    }
  }

  // ---------------------------------------------------------------- model registry

  private RunRecord trainingRun(Experiment e, String name) {
    return tracker.run(e, name, run -> run
        .dataset("customers", Digest.of(name + " rows"), Schema.of(Field.of("x1", FieldType.DOUBLE)), "training")
        .model("model", TestPackages.pkg("churn", "1", run.id())));
  }

  @Test
  void registeringARunsPackageNumbersVersionsAndRecordsLineageBothWays() {
    String model = unique("churn");
    Experiment e = tracker.experiment(unique("registry"));
    RunRecord first = trainingRun(e, "first");
    RunRecord second = trainingRun(e, "second");
    ModelPackage pkg = TestPackages.pkg("churn", "1", first.runId());

    ModelVersion v1 = tracker.registry().register(model, first.runId(), "model");
    ModelVersion v2 = tracker.registry().register(model, second.runId(), "model");
    assertEquals(1, v1.version());
    assertEquals(2, v2.version());
    assertEquals(first.runId(), v1.runId().orElseThrow());
    assertEquals("model", v1.artifactName().orElseThrow());
    assertEquals(pkg.digest(), v1.packageDigest(), "the digest recorded when the run logged the package");
    assertEquals(pkg.signature(), v1.signature());
    assertEquals(List.of(new DatasetInput("customers", Digest.of("first rows"), Schema.of(Field.of("x1", FieldType.DOUBLE)),
        "training")), v1.datasets());
    assertEquals(Digest.of("second rows"), v2.datasets().get(0).digest());
    assertEquals(pkg.digest(), ModelPackage.read(v1.packagePath()).digest());
    assertEquals(pkg.digest(), tracker.registry().load("models:/" + model + "/1").digest());
    assertEquals(List.of("model/" + ModelRegistry.PACKAGE_FILE), tracker.getRun(first.runId()).artifacts().stream()
        .map(ArtifactInfo::path).toList());
    assertEquals("models:/" + model + "/2", v2.uri());

    assertEquals(List.of(1, 2), tracker.registry().versions(model).stream().map(ModelVersion::version).toList());
    assertEquals(List.of(v1), tracker.registry().versionsOfRun(first.runId()));
    assertEquals(v2, tracker.registry().version(model, 2));
    RegisteredModel registered = tracker.registry().model(model);
    assertEquals(2, registered.latestVersion());
    assertEquals(model, registered.name());
    assertEquals("", registered.description());
    assertTrue(tracker.registry().versionsOfRun(trainingRun(e, "unregistered").runId()).isEmpty());
  }

  @Test
  void aVersionRegisteredWithTagsCarriesThemFromTheStartAndABadTagRegistersNothing() {
    String model = unique("tagged");
    RunRecord run = trainingRun(tracker.experiment(unique("registry")), "tagged");
    Map<String, String> tags = Map.of("pass", "p-1", "gate", "passed");

    ModelVersion v1 = tracker.registry().register(model, run.runId(), "model", tags);
    assertEquals(tags, v1.tags(), "in the registered version");
    assertEquals(tags, tracker.registry().version(model, 1).tags(), "and as stored");
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("fine", "1");
    bad.put("../up", "2");
    assertThrows(InvalidInputException.class, () -> tracker.registry().register(model, run.runId(), "model", bad));
    assertEquals(List.of(1), tracker.registry().versions(model).stream().map(ModelVersion::version).toList(),
        "a refused tag registers no version");
    assertEquals(Map.of(), tracker.registry().register(model, run.runId(), "model").tags());
  }

  @Test
  @SuppressWarnings("try") // the run is closed inside the block to check what a closed run refuses
  void loggingAPackageAgainIsIdempotentAndAnotherPackageUnderTheSameNameConflicts() throws Exception {
    try (Run run = tracker.experiment(unique("log-model")).run("r").start()) {
      ModelPackage pkg = TestPackages.pkg("churn", "1", run.id());
      run.model("model", pkg).model("model", pkg);
      ConflictException conflict = assertThrows(ConflictException.class,
          () -> run.model("model", TestPackages.pkg("churn", "2", run.id())));
      assertTrue(conflict.getMessage().contains(pkg.digest().toString()), conflict.getMessage());
      Path other = temp.resolve("other.bin");
      Files.writeString(other, "not a package");
      assertThrows(ConflictException.class, () -> run.artifact(other, "model/" + ModelRegistry.PACKAGE_FILE));
      assertThrows(ConflictException.class, () -> run.text("model/" + ModelRegistry.PACKAGE_FILE, "x"));
      run.text("notes/" + ModelRegistry.PACKAGE_FILE, "a plain artifact of that file name");
      assertEquals(2, tracker.getRun(run.id()).artifacts().size());
      assertEquals(pkg.digest(), tracker.registry().register(unique("kept"), run, "model").packageDigest());
      assertThrows(InvalidInputException.class, () -> run.model("../up", pkg));
      run.close();
      assertThrows(InvalidInputException.class, () -> run.model("later", pkg));
    }
  }

  @Test
  void aPackageTheStoreRefusesLeavesNoFileBehind() throws Exception {
    Run run = tracker.experiment(unique("refused-package")).run("r").start();
    tracker.deleteRun(run.id());
    assertThrows(InvalidInputException.class, () -> run.model("model", TestPackages.pkg("churn", "1", run.id())));
    Path folder = tracker.artifactRoot().resolve(run.experimentId()).resolve(run.id()).resolve("model");
    if (Files.exists(folder)) {
      try (var left = Files.list(folder)) {
        assertEquals(List.of(), left.toList(), "neither the package nor a temporary file is left");
      }
    }
    tracker.restoreRun(run.id());
    assertTrue(tracker.getRun(run.id()).artifacts().isEmpty());
    assertThrows(NotFoundException.class, () -> tracker.registry().register(unique("refused"), run.id(), "model"));
    run.close();
  }

  @Test
  void registeringAFileCopiesItAndLinksTheRunItsLineageNames() throws Exception {
    String model = unique("from-file");
    RunRecord run = trainingRun(tracker.experiment(unique("registry-file")), "trained");
    Path file = TestPackages.file(temp, "churn", "7", run.runId());
    ModelVersion v = tracker.registry().register(model, file);
    assertEquals(1, v.version());
    assertEquals(run.runId(), v.runId().orElseThrow(), "the package's lineage names a run of this tracker");
    assertTrue(v.artifactName().isEmpty());
    assertEquals(1, v.datasets().size());
    assertTrue(v.packagePath().startsWith(tracker.artifactRoot()), v.packagePath().toString());
    Files.delete(file);
    assertEquals(v.packageDigest(), ModelPackage.read(v.packagePath()).digest(), "the registry keeps its own copy");

    ModelVersion foreign = tracker.registry().register(model, TestPackages.file(temp, "churn", "8", "f".repeat(32)));
    assertEquals(2, foreign.version());
    assertTrue(foreign.runId().isEmpty() && foreign.datasets().isEmpty(), "a run this tracker does not know is no lineage");
    assertEquals(List.of(v), tracker.registry().versionsOfRun(run.runId()));
  }

  @Test
  void aliasesMoveAndResolve() {
    String model = unique("aliases");
    ModelRegistry registry = tracker.registry();
    for (int i = 0; i < 3; i++) {
      registry.register(model, TestPackages.file(temp, "churn", Integer.toString(i), null));
    }
    registry.setAlias(model, "champion", 1);
    registry.setAlias(model, "challenger", 2);
    assertEquals(1, registry.resolve("models:/" + model + "@champion").version());
    assertEquals(List.of("champion"), registry.version(model, 1).aliases());
    registry.setAlias(model, "champion", 2);
    assertEquals(2, registry.resolve("models:/" + model + "@champion").version());
    assertEquals(List.of("challenger", "champion"), registry.version(model, 2).aliases());
    assertTrue(registry.version(model, 1).aliases().isEmpty());
    assertEquals(Map.of("champion", 2, "challenger", 2), registry.model(model).aliases());
    assertEquals(3, registry.resolve("models:/" + model + "/3").version());
    assertEquals(3, registry.resolve("models:/" + model + "@latest").version());

    registry.deleteAlias(model, "challenger");
    NotFoundException gone = assertThrows(NotFoundException.class,
        () -> registry.resolve("models:/" + model + "@challenger"));
    assertTrue(gone.getMessage().contains("challenger") && gone.getMessage().contains("[champion]"), gone.getMessage());
    assertThrows(NotFoundException.class, () -> registry.deleteAlias(model, "challenger"));
    assertEquals(Map.of("champion", 2), registry.model(model).aliases());
  }

  @Test
  void modelsAreCreatedRenamedAndDeletedWithTheirVersionsTagsAndAliases() {
    ModelRegistry registry = tracker.registry();
    String model = unique("lifecycle");
    RegisteredModel empty = registry.create(model, "predicts churn", Map.of("team", "risk"));
    assertEquals(0, empty.latestVersion());
    assertEquals(Map.of("team", "risk"), empty.tags());
    assertThrows(ConflictException.class, () -> registry.create(model, "", Map.of()));
    NotFoundException noVersions = assertThrows(NotFoundException.class, () -> registry.resolve("models:/" + model
        + "@latest"));
    assertTrue(noVersions.getMessage().contains("no versions"), noVersions.getMessage());
    for (int i = 0; i < 3; i++) {
      registry.register(model, TestPackages.file(temp, "churn", Integer.toString(i), null));
    }
    registry.setAlias(model, "champion", 3);
    registry.setVersionTag(model, 3, "validated", "yes");
    registry.deleteVersion(model, 3);
    assertThrows(NotFoundException.class, () -> registry.version(model, 3));
    assertTrue(registry.model(model).aliases().isEmpty(), "the alias went with its version");
    assertEquals(2, registry.resolve("models:/" + model + "@latest").version());
    assertEquals(4, registry.register(model, TestPackages.file(temp, "churn", "4", null)).version(),
        "a deleted number is not given out again");
    assertThrows(NotFoundException.class, () -> registry.deleteVersion(model, 3));

    String renamed = unique("renamed");
    registry.setAlias(model, "champion", 2);
    RegisteredModel moved = registry.rename(model, renamed);
    assertEquals(Map.of("champion", 2), moved.aliases());
    assertEquals("predicts churn", moved.description());
    assertEquals(List.of(1, 2, 4), registry.versions(renamed).stream().map(ModelVersion::version).toList());
    assertEquals(2, registry.resolve("models:/" + renamed + "@champion").version());
    assertEquals(registry.version(renamed, 4).packageDigest(), registry.load("models:/" + renamed + "/4").digest());
    assertThrows(NotFoundException.class, () -> registry.model(model));
    String other = unique("other");
    registry.create(other, "", Map.of());
    assertThrows(ConflictException.class, () -> registry.rename(renamed, other));
    assertThrows(InvalidInputException.class, () -> registry.rename(renamed, "a/b"));
    assertEquals(3, registry.versions(renamed).size(), "a refused rename changes nothing");

    registry.delete(renamed);
    assertThrows(NotFoundException.class, () -> registry.model(renamed));
    assertThrows(NotFoundException.class, () -> registry.delete(renamed));
    assertEquals(1, registry.register(renamed, TestPackages.file(temp, "churn", "1", null)).version(),
        "the name is free again");
  }

  @Test
  void reservedAndMalformedAliasesAreRefusedAndNothingIsWritten() {
    String model = unique("reserved");
    tracker.registry().register(model, TestPackages.file(temp, "churn", "1", null));
    for (String alias : List.of("latest", "LATEST", "v1", "V12", "v0", "", "two words", "a/b", "a@b", "x".repeat(256))) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> tracker.registry().setAlias(model, alias, 1), alias);
      assertTrue(e.getMessage().contains("'" + alias + "'"), e.getMessage());
    }
    tracker.registry().setAlias(model, "v1-candidate", 1);
    tracker.registry().setAlias(model, "x".repeat(255), 1);
    assertEquals(Set.of("v1-candidate", "x".repeat(255)), tracker.registry().model(model).aliases().keySet());
  }

  @Test
  void invalidModelNamesAreRefusedBeforeAnythingIsWritten() {
    Path file = TestPackages.file(temp, "churn", "1", null);
    for (String name : List.of("", "a/b", "a@b", "../x", "n".repeat(251), "tab\tname")) {
      assertThrows(InvalidInputException.class, () -> tracker.registry().register(name, file), name);
    }
    assertFalse(Files.exists(tracker.artifactRoot().resolve("registry")), "no package was copied");
    assertTrue(tracker.registry().search("%").stream().noneMatch(m -> m.name().equals("a/b")));
  }

  @Test
  void unknownModelsVersionsAliasesAndRunsAreNotFound() {
    String model = unique("known");
    ModelRegistry registry = tracker.registry();
    registry.register(model, TestPackages.file(temp, "churn", "1", null));
    String unknown = unique("unknown");
    for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
        () -> registry.model(unknown),
        () -> registry.versions(unknown),
        () -> registry.resolve("models:/" + unknown + "@champion"),
        () -> registry.resolve("models:/" + unknown + "/1"),
        () -> registry.resolve("models:/" + unknown + "@latest"),
        () -> registry.setAlias(unknown, "champion", 1),
        () -> registry.deleteAlias(unknown, "champion"),
        () -> registry.setModelTag(unknown, "team", "risk"),
        () -> registry.setModelDescription(unknown, "text"),
        () -> registry.setVersionTag(unknown, 1, "team", "risk"))) {
      NotFoundException e = assertThrows(NotFoundException.class, call);
      assertTrue(e.getMessage().contains(unknown), e.getMessage());
    }
    NotFoundException noVersion = assertThrows(NotFoundException.class, () -> registry.resolve("models:/" + model + "/9"));
    assertTrue(noVersion.getMessage().contains("no version 9"), noVersion.getMessage());
    assertThrows(NotFoundException.class, () -> registry.setAlias(model, "champion", 9));
    assertThrows(NotFoundException.class, () -> registry.setVersionDescription(model, 9, "text"));
    assertThrows(NotFoundException.class, () -> registry.resolve("models:/" + model + "@champion"));
    assertThrows(NotFoundException.class, () -> registry.versionsOfRun("0".repeat(32)));
    assertThrows(NotFoundException.class, () -> registry.register(model, "0".repeat(32), "model"));
    for (String uri : List.of("", "models:/", "models:/" + model, "models:/" + model + "/0", "models:/" + model + "/x",
        "runs:/" + model + "/1", "models:/" + model + "@", "models:/" + model + "@a b")) {
      assertThrows(InvalidInputException.class, () -> registry.resolve(uri), uri);
    }
    assertEquals(1, registry.model(model).latestVersion());
    assertTrue(registry.model(model).aliases().isEmpty());
  }

  @Test
  void tamperedOrMissingPackagesAreRefusedAndNothingIsWritten() throws Exception {
    String model = unique("tampered");
    ModelRegistry registry = tracker.registry();
    Path tampered = TestPackages.file(temp, "churn", "1", null);
    TestPackages.tamper(tampered);
    assertThrows(IntegrityException.class, () -> registry.register(model, tampered));
    NotFoundException missing = assertThrows(NotFoundException.class,
        () -> registry.register(model, temp.resolve("absent.mlpkg")));
    assertTrue(missing.getMessage().contains("absent.mlpkg"), missing.getMessage());
    assertThrows(NotFoundException.class, () -> registry.model(model), "no model was created");
    try (var copies = Files.list(tracker.artifactRoot().resolve("registry"))) {
      assertEquals(List.of(), copies.toList(), "the refused copy was removed");
    }

    RunRecord run = trainingRun(tracker.experiment(unique("tampered-run")), "r");
    NotFoundException notLogged = assertThrows(NotFoundException.class, () -> registry.register(model, run.runId(), "other"));
    assertTrue(notLogged.getMessage().contains("'other'"), notLogged.getMessage());
    Path stored = tracker.artifactRoot().resolve(run.experimentId()).resolve(run.runId()).resolve("model")
        .resolve(ModelRegistry.PACKAGE_FILE);
    TestPackages.tamper(stored);
    assertThrows(IntegrityException.class, () -> registry.register(model, run.runId(), "model"));
    TestPackages.pkg("churn", "2", null).writeTo(stored);
    IntegrityException replaced = assertThrows(IntegrityException.class, () -> registry.register(model, run.runId(), "model"));
    assertTrue(replaced.getMessage().contains("replaced"), replaced.getMessage());
    assertThrows(NotFoundException.class, () -> registry.model(model));
    assertTrue(registry.versionsOfRun(run.runId()).isEmpty());
  }

  @Test
  void loadingAVersionVerifiesItsStoredPackageAgainstTheRecordedDigest() {
    String model = unique("load");
    ModelRegistry registry = tracker.registry();
    ModelVersion v = registry.register(model, TestPackages.file(temp, "churn", "1", null));
    registry.setAlias(model, "champion", 1);
    assertEquals(v.packageDigest(), registry.load("models:/" + model + "@champion").digest());
    TestPackages.pkg("churn", "other", null).writeTo(v.packagePath());
    IntegrityException replaced = assertThrows(IntegrityException.class, () -> registry.load(v));
    assertTrue(replaced.getMessage().contains(v.packageDigest().toString()), replaced.getMessage());
    TestPackages.tamper(v.packagePath());
    assertThrows(IntegrityException.class, () -> registry.load(v));
    assertThrows(NotFoundException.class, () -> registry.load("models:/" + model + "/2"));
  }

  @Test
  void tagsAndDescriptionsOnModelsAndVersionsAndSearch() {
    String prefix = unique("search");
    ModelRegistry registry = tracker.registry();
    Path file = TestPackages.file(temp, "churn", "1", null);
    registry.register(prefix + "-churn", file);
    registry.register(prefix + "-fraud", file);
    registry.register(prefix + "-Churn-eu", file);
    registry.setModelTag(prefix + "-churn", "team", "risk");
    registry.setModelTag(prefix + "-churn", "team", "retention");
    registry.setModelTag(prefix + "-fraud", "team", "risk");
    registry.setModelTag(prefix + "-fraud", "tier", "1");
    registry.setModelDescription(prefix + "-churn", "predicts churn");
    registry.setVersionTag(prefix + "-churn", 1, "validated", "yes");
    registry.setVersionTag(prefix + "-churn", 1, "stale", "x");
    registry.deleteVersionTag(prefix + "-churn", 1, "stale");
    registry.deleteVersionTag(prefix + "-churn", 1, "never-set");
    registry.setVersionDescription(prefix + "-churn", 1, "first cut");

    RegisteredModel churn = registry.model(prefix + "-churn");
    assertEquals(Map.of("team", "retention"), churn.tags());
    assertEquals("predicts churn", churn.description());
    ModelVersion v = registry.version(prefix + "-churn", 1);
    assertEquals(Map.of("validated", "yes"), v.tags());
    assertEquals("first cut", v.description());

    java.util.function.Function<List<RegisteredModel>, List<String>> namesOf =
        models -> models.stream().map(RegisteredModel::name).toList();
    assertEquals(List.of(prefix + "-Churn-eu", prefix + "-churn", prefix + "-fraud"), namesOf.apply(registry.search(prefix + "%")));
    assertEquals(List.of(prefix + "-churn"), namesOf.apply(registry.search(prefix + "-ch%")), "LIKE is case-sensitive");
    assertEquals(List.of(prefix + "-fraud"), namesOf.apply(registry.search(prefix + "%", Map.of("team", "risk"))));
    assertEquals(List.of(prefix + "-fraud"), namesOf.apply(registry.search(null, Map.of("team", "risk", "tier", "1")))
        .stream().filter(n -> n.startsWith(prefix)).toList());
    assertEquals(List.of(prefix + "-fraud"), namesOf.apply(registry.search(prefix + "-_raud")));
    assertTrue(registry.search(prefix + "%", Map.of("team", "nobody")).isEmpty());

    registry.deleteModelTag(prefix + "-churn", "team");
    assertTrue(registry.model(prefix + "-churn").tags().isEmpty());
    registry.setModelDescription(prefix + "-churn", "");
    assertEquals("", registry.model(prefix + "-churn").description());
    assertThrows(InvalidInputException.class, () -> registry.setModelTag(prefix + "-churn", "../bad", "v"));
    assertThrows(InvalidInputException.class, () -> registry.setVersionDescription(prefix + "-churn", 1, "d".repeat(5001)));
    assertThrows(InvalidInputException.class, () -> registry.setModelDescription(prefix + "-churn", null));
    assertEquals("first cut", registry.version(prefix + "-churn", 1).description());
  }

  @Test
  void concurrentRegistrationsGetDistinctGapFreeNumbers() throws Exception {
    String model = unique("concurrent");
    Path file = TestPackages.file(temp, "churn", "1", null);
    int threads = 4;
    int each = 5;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Tracker> trackers = new ArrayList<>();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Integer>>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Tracker own = builder(uri()).build();
        trackers.add(own);
        done.add(pool.submit(() -> {
          start.await();
          List<Integer> got = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            got.add(own.registry().register(model, file).version());
          }
          return got;
        }));
      }
      start.countDown();
      Set<Integer> numbers = new HashSet<>();
      for (Future<List<Integer>> f : done) {
        for (int n : f.get()) {
          assertTrue(numbers.add(n), "version " + n + " given twice");
        }
      }
      Set<Integer> expected = new HashSet<>();
      for (int n = 1; n <= threads * each; n++) {
        expected.add(n);
      }
      assertEquals(expected, numbers);
      assertEquals(threads * each, tracker.registry().model(model).latestVersion());
    } finally {
      pool.shutdown();
      trackers.forEach(Tracker::close);
    }
  }

  // ---------------------------------------------------------------- opening

  @Test
  void unknownUrisAreRefused() {
    for (String bad : List.of("mysql://db/x", "sqlite:", "sqlite::memory:", "")) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tracker.open(bad));
      assertTrue(e.getMessage().contains("sqlite:"), e.getMessage());
    }
    assertThrows(InvalidInputException.class, () -> Tracker.builder(uri()).queueCapacity(0));
  }

  @Test
  void twoTrackersOpeningANewDatabaseAtOnceMigrateItOnce() throws Exception {
    String fresh = freshUri();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      Callable<String> open = () -> {
        start.await();
        try (Tracker t = builder(fresh).build()) {
          return t.experiment("shared").id();
        }
      };
      Future<String> a = pool.submit(open);
      Future<String> b = pool.submit(open);
      start.countDown();
      assertEquals(a.get(), b.get());
    } finally {
      pool.shutdown();
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl(fresh));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT version, COUNT(*) FROM mlops_schema_version GROUP BY version ORDER BY version")) {
      for (int version = 1; version <= 8; version++) {
        assertTrue(rs.next());
        assertEquals(version, rs.getInt(1));
        assertEquals(1, rs.getInt(2), "version " + version + " applied once");
      }
      assertFalse(rs.next());
    }
  }

  @Test
  void closedTrackerRefusesWork() {
    Tracker t = builder(uri()).build();
    Experiment e = t.experiment(unique("closed"));
    Run open = e.run("open").start();
    t.close();
    t.close();
    assertThrows(IllegalStateException.class, () -> t.experiment("x"));
    assertThrows(IllegalStateException.class, () -> e.run("r").start());
    assertThrows(IllegalStateException.class, t::flush);
    assertThrows(IllegalStateException.class, () -> t.search(e).list());
    assertThrows(IllegalStateException.class, t::registry);
    assertThrows(IllegalStateException.class, () -> open.metric("loss", 1.0));
    assertThrows(IllegalStateException.class, open::flush);
  }
}
