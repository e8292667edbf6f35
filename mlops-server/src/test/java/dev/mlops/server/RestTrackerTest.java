package dev.mlops.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.NotFoundException;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunPage;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.ServerTestPackages;
import dev.mlops.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public tracking API through {@code Tracker.open("http://…")} against the server over SQLite on loopback. */
class RestTrackerTest {
  @TempDir Path folder;
  private TrackingServer server;
  private Tracker tracker;

  @BeforeEach
  void start() {
    server = serverOn(0);
    tracker = Tracker.builder(server.uri().toString()).artifacts(folder.resolve("staging"))
        .environmentVariables(Map.of()).build();
  }

  private TrackingServer serverOn(int port) {
    return TrackingServer.builder("sqlite:" + folder.resolve("mlops.db")).artifacts(folder.resolve("artifacts"))
        .port(port).start();
  }

  @AfterEach
  void stop() {
    tracker.close();
    server.close();
  }

  @Test
  void runsParamsTagsMetricsAndDatasetsRoundTrip() {
    Experiment iris = tracker.experiment("iris", Map.of("team", "risk"));
    assertEquals(iris.id(), tracker.experiment("iris").id(), "an experiment is created once");
    String id;
    try (Run run = iris.run("logreg").tag("stage", "dev").start()) {
      id = run.id();
      run.param("lr", 0.1);
      for (int step = 0; step < 2500; step++) {
        run.metric("loss", 1.0 / (step + 1), step, 1_000 + step);
      }
      run.metric("odd", Double.NaN);
      run.dataset("train", Digest.of("rows"), null, "training");
      try (Run child = iris.run("child").parent(run).start()) {
        assertEquals(id, tracker.getRun(child.id()).parentRunIdOrNull());
      }
    }
    RunRecord r = tracker.getRun(id);
    assertEquals(RunStatus.FINISHED, r.status());
    assertEquals("0.1", r.params().get("lr"));
    assertEquals("dev", r.tags().get("stage"));
    assertEquals(new Metric(1.0 / 2500, 3_499, 2_499), r.metrics().get("loss"));
    assertTrue(Double.isNaN(r.metrics().get("odd").value()));
    assertEquals("training", r.datasets().get(0).context());
    List<Metric> history = tracker.metricHistory(id, "loss");
    assertEquals(2500, history.size(), "every point, in three log-batch chunks and two history pages");
    for (int step = 0; step < 2500; step++) {
      assertEquals(step, history.get(step).step());
    }
  }

  @Test
  void batchesArriveInTheOrderLoggedAndEdgeAndRandomDoublesComeBackExact() {
    // more points than one drained chunk, so that several log-batches are in the pipeline one after another
    double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 1e-300,
        9007199254740993.0, 2.2250738585072014E-308};
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    double[] values = new double[23_456];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < edges.length ? edges[i] : i % 3 == 0 ? Double.longBitsToDouble(random.nextLong())
          : random.nextDouble() * Math.pow(10, random.nextInt(-20, 20));
    }
    String id;
    try (Run run = tracker.experiment("order").run("a").start()) {
      id = run.id();
      for (double v : values) {
        // one step and one time for all: only the order of arrival orders the history and picks the latest
        run.metric("x", v, 0, 7);
      }
    }
    List<Metric> history = tracker.metricHistory(id, "x");
    assertEquals(values.length, history.size());
    for (int i = 0; i < values.length; i++) {
      assertEquals(Double.doubleToLongBits(values[i]), Double.doubleToLongBits(history.get(i).value()),
          "point " + i + ": " + values[i] + " came back as " + history.get(i).value());
    }
    assertEquals(Double.doubleToLongBits(values[values.length - 1]),
        Double.doubleToLongBits(tracker.getRun(id).metrics().get("x").value()), "the last point logged is the latest");
  }

  @Test
  void searchFiltersOrdersAndPagesOverRest() {
    Experiment e = tracker.experiment("search");
    for (int i = 0; i < 5; i++) {
      try (Run run = e.run("r" + i).start()) {
        run.param("i", i).metric("score", i).tag("group", i % 2 == 0 ? "even" : "odd");
      }
    }
    List<RunRecord> even = tracker.search("search").filter("tags.group = 'even' and metrics.score >= 1")
        .orderBy("metrics.score DESC").list();
    assertEquals(List.of("r4", "r2"), even.stream().map(RunRecord::name).toList());
    RunPage first = tracker.search(e).orderBy("params.i ASC").limit(2).page();
    assertEquals(List.of("r0", "r1"), first.runs().stream().map(RunRecord::name).toList());
    RunPage second = tracker.search(e).orderBy("params.i ASC").limit(2).pageToken(first.nextPageToken().get()).page();
    assertEquals(List.of("r2", "r3"), second.runs().stream().map(RunRecord::name).toList());
  }

  @Test
  void artifactsUploadThroughTheProxyWithTheirDigestChecked() {
    Run run = tracker.experiment("files").run("a").start();
    run.text("notes/readme.txt", "hello");
    RunRecord r = tracker.getRun(run.id());
    assertEquals(Digest.of("hello".getBytes(StandardCharsets.UTF_8)), r.artifacts().get(0).sha256());
    assertEquals("hello", new String(tracker.readArtifact(run.id(), "notes/readme.txt"), StandardCharsets.UTF_8));
    assertEquals(r.artifacts(), tracker.search("files").list().get(0).artifacts(), "searches carry artifacts too");
    run.close();
  }

  @Test
  void badInputAndMissingThingsAreTheLibrarysExceptions() {
    Run run = tracker.experiment("bad").run("a").start();
    run.param("lr", "0.1");
    assertThrows(MlopsException.class, () -> run.param("lr", "0.2"));
    assertEquals("0.1", tracker.getRun(run.id()).params().get("lr"));
    assertThrows(InvalidInputException.class, () -> tracker.search("bad").filter("metrics.x <<< 1").list());
    assertThrows(NotFoundException.class, () -> tracker.getRun("0123456789abcdef0123456789abcdef"));
    assertThrows(NotFoundException.class, () -> tracker.search("no-such-experiment"));
    assertThrows(NotFoundException.class, () -> tracker.registry().model("iris"));
    run.close();
  }

  @Test
  void theRegistryWorksOverRestAndEveryPackageIsVerifiedWhereItIsLoaded() throws Exception {
    String runId;
    try (Run run = tracker.experiment("registry").run("train").start()) {
      run.dataset("rows", Digest.of("rows"), null, "training");
      run.model("model", ServerTestPackages.forRun("iris", run.id()));
      runId = run.id();
    }
    ModelRegistry registry = tracker.registry();
    ModelVersion v1 = registry.register("iris", runId, "model");
    assertEquals(1, v1.version());
    assertEquals(List.of("rows"), v1.datasets().stream().map(d -> d.name()).toList(), "lineage crosses the wire");
    registry.setAlias("iris", "champion", 1);
    registry.setModelTag("iris", "team", "risk");
    registry.setVersionDescription("iris", 1, "first");
    Path file = folder.resolve("iris.mlpkg");
    ServerTestPackages.forRun("iris", null).writeTo(file);
    ModelVersion v2 = registry.register("iris", file);
    assertEquals(2, v2.version());
    assertTrue(v2.runId().isEmpty());

    // another machine: its own local folder, nothing of the packages in it
    try (Tracker other = Tracker.builder(server.uri().toString()).artifacts(folder.resolve("elsewhere"))
        .environmentVariables(Map.of()).build()) {
      ModelRegistry remote = other.registry();
      ModelVersion champion = remote.resolve("models:/iris@champion");
      assertEquals(v1.packageDigest(), champion.packageDigest());
      assertEquals(v1.packageDigest(), remote.load(champion).digest(), "downloaded and verified");
      assertEquals(v2.packageDigest(), remote.load("models:/iris@latest").digest());
      assertEquals(Map.of("team", "risk"), remote.model("iris").tags());
      assertEquals(2, remote.model("iris").latestVersion());
      assertEquals("first", remote.version("iris", 1).description());
      assertEquals(List.of(v1.version()), remote.versionsOfRun(runId).stream().map(ModelVersion::version).toList());
      assertEquals(List.of("iris"), remote.search("ir%").stream().map(RegisteredModel::name).toList());
      assertEquals(3, remote.register("iris", runId, "model").version(), "the run's package, checked here too");
      ServerTestPackages.forRun("other", null).writeTo(champion.packagePath());
      assertThrows(IntegrityException.class, () -> remote.load(champion), "a changed local copy is refused");
      remote.deleteAlias("iris", "champion");
      assertThrows(NotFoundException.class, () -> registry.resolve("models:/iris@champion"));
    }
  }

  @Test
  void deletedRunsLeaveSearchesUntilRestored() {
    Experiment e = tracker.experiment("deleting");
    Run run = e.run("gone").start();
    run.close();
    tracker.deleteRun(run.id());
    assertTrue(tracker.search(e).list().isEmpty());
    assertTrue(tracker.getRun(run.id()).deleted());
    tracker.restoreRun(run.id());
    assertFalse(tracker.search(e).list().isEmpty());
  }

  @Test
  void aBatchSentAgainAfterARestartIsAcknowledgedWithoutBeingWrittenTwice() {
    Run run = tracker.experiment("repeat").run("a").start();
    String body = "{\"run_id\":\"" + run.id() + "\",\"metrics\":[{\"key\":\"x\",\"value\":1,\"timestamp\":5,"
        + "\"step\":0}],\"tags\":[{\"key\":\"t\",\"value\":\"1\"}]}";
    java.util.function.IntSupplier send = () -> new Api(server.uri()).send(java.net.http.HttpRequest.newBuilder(
        server.uri().resolve("/api/2.0/mlflow/runs/log-batch")).header("Mlops-Batch-Id", "batch-1")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))).status();
    assertEquals(200, send.getAsInt());
    int port = server.port();
    server.close();
    server = serverOn(port);
    assertEquals(200, send.getAsInt(), "the repeat is acknowledged");
    assertEquals(1, tracker.metricHistory(run.id(), "x").size(), "the store remembered the batch across the restart");
    assertEquals(200, new Api(server.uri()).post("/api/2.0/mlflow/runs/log-batch", body).status());
    assertEquals(2, tracker.metricHistory(run.id(), "x").size(), "without an id a batch is written each time");
    run.close();
  }

  @Test
  void metricsLoggedWhileTheServerRestartsAreWrittenOnceAfterFlush() throws Exception {
    Run run = tracker.experiment("restart").run("a").start();
    run.metric("loss", 0, 0);
    run.flush();
    int port = server.port();
    server.close();
    CompletableFuture<TrackingServer> restarted = CompletableFuture.supplyAsync(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return serverOn(port);
    });
    for (int step = 1; step < 100; step++) {
      run.metric("loss", step, step);
    }
    run.flush();
    server = restarted.get();
    List<Metric> history = tracker.metricHistory(run.id(), "loss");
    assertEquals(100, history.size(), "retried until the server was back, each point once");
    run.close();
  }
}
