package dev.mlops.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.ServerTestPackages;
import dev.mlops.tracking.Tracker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per golden fixture under {@code src/test/resources/mlflow}: each fixture is a request
 * written from MLflow's REST reference and protos (its source is noted in the file) and the
 * shape of MLflow's answer: status, field names, JSON types ({@code "<string>"},
 * {@code "<number>"}, {@code "<boolean>"}) and exact values (error codes, echoed ids). Before
 * each fixture a fresh experiment gets a run with a metric ({@code loss} at steps 0 and 1), a
 * param ({@code lr=0.1}), a tag and an artifact ({@code plots/roc.txt}); before each registry
 * fixture a run's package is registered as version 1 of a fresh model, with alias {@code champion},
 * model tag {@code team} and version tag {@code validated}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndpointFixturesContract {
  private TrackingServer server;
  private Tracker tracker;
  private Api api;
  private final AtomicInteger counter = new AtomicInteger();

  /** The tracking URI of a fresh store. */
  abstract String storeUri(Path folder);

  /** Releases the store, after the server closed it. */
  void dropStore() {}

  @BeforeAll
  void start(@TempDir Path folder) {
    String uri = storeUri(folder);
    server = TrackingServer.builder(uri).artifacts(folder.resolve("artifacts")).port(0).start();
    tracker = Tracker.builder(uri).artifacts(folder.resolve("artifacts")).synchronous(true).build();
    api = new Api(server.uri());
  }

  @AfterAll
  void stop() {
    if (tracker != null) {
      tracker.close();
    }
    if (server != null) {
      server.close();
    }
    dropStore();
  }

  @TestFactory
  Stream<DynamicTest> everyFixture() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/mlflow").toURI());
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 55, "fixtures found: " + files.size());
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private void check(Path file) throws IOException {
    JsonNode fixture = Api.JSON.readTree(file.toFile());
    assertFalse(fixture.path("source").asText().isBlank(), "every fixture names its MLflow source");
    Map<String, String> vars = setUp(file.getFileName().toString().replace(".json", ""));
    String path = substitute(fixture.get("path").asText(), vars);
    Api.Answer answer;
    if (fixture.get("method").asText().equals("GET")) {
      String query = substitute(fixture.path("query").asText(""), vars);
      answer = api.get(path + (query.isEmpty() ? "" : "?" + query));
    } else {
      answer = api.send(HttpRequest.newBuilder(server.uri().resolve(path)).method(fixture.get("method").asText(),
          HttpRequest.BodyPublishers.ofString(substitute(fixture.get("request").toString(), vars))));
    }
    assertEquals(fixture.get("status").asInt(), answer.status(), answer.text());
    assertEquals("application/json", answer.response().headers().firstValue("Content-Type").orElse(""));
    JsonNode expected = Api.JSON.readTree(substitute(fixture.get("response").toString(), vars));
    matches("$", expected, answer.json());
  }

  private Map<String, String> setUp(String name) {
    return name.startsWith("registered-models") || name.startsWith("model-versions") ? setUpModel(name)
        : setUpRun(name);
  }

  // A model registered at version 1 from a run's package, with alias champion and a tag on each.
  private Map<String, String> setUpModel(String name) {
    Map<String, String> vars = new HashMap<>();
    String model = "fxm-" + name + "-" + counter.incrementAndGet();
    try (Run run = tracker.experiment("fx-" + model).run("packager").start()) {
      run.model("model", ServerTestPackages.forRun(model, run.id()));
      vars.put("run_id", run.id());
    }
    api.ok("/api/2.0/mlflow/model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/"
        + vars.get("run_id") + "/model\"}");
    api.ok("/api/2.0/mlflow/registered-models/alias", "{\"name\":\"" + model
        + "\",\"alias\":\"champion\",\"version\":\"1\"}");
    api.ok("/api/2.0/mlflow/registered-models/set-tag", "{\"name\":\"" + model
        + "\",\"key\":\"team\",\"value\":\"risk\"}");
    api.ok("/api/2.0/mlflow/model-versions/set-tag", "{\"name\":\"" + model
        + "\",\"version\":\"1\",\"key\":\"validated\",\"value\":\"yes\"}");
    vars.put("model_name", model);
    vars.put("unique", "fxm-new-" + counter.incrementAndGet());
    return vars;
  }

  // An experiment with a run holding a metric, a param, a tag and an artifact, all written over REST.
  private Map<String, String> setUpRun(String name) {
    String experimentName = "fx-" + name + "-" + counter.incrementAndGet();
    String experimentId = api.ok("/api/2.0/mlflow/experiments/create",
        "{\"name\":\"" + experimentName + "\",\"tags\":[{\"key\":\"team\",\"value\":\"risk\"}]}").get("experiment_id")
        .asText();
    String runId = api.ok("/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"" + experimentId
        + "\",\"run_name\":\"fixture-run\",\"start_time\":1700000000000}").at("/run/info/run_id").asText();
    api.ok("/api/2.0/mlflow/runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":["
        + "{\"key\":\"loss\",\"value\":0.7,\"timestamp\":1700000000001,\"step\":0},"
        + "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1700000000002,\"step\":1}],"
        + "\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}],\"tags\":[{\"key\":\"team\",\"value\":\"risk\"}]}");
    Api.Answer put = api.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId
        + "/plots/roc.txt", HttpRequest.BodyPublishers.ofString("hello"));
    assertEquals(200, put.status(), put.text());
    Map<String, String> vars = new HashMap<>();
    vars.put("experiment_name", experimentName);
    vars.put("experiment_id", experimentId);
    vars.put("run_id", runId);
    vars.put("unique", "fx-new-" + counter.incrementAndGet());
    return vars;
  }

  private static String substitute(String text, Map<String, String> vars) {
    String out = text;
    for (Map.Entry<String, String> e : vars.entrySet()) {
      out = out.replace("${" + e.getKey() + "}", e.getValue());
    }
    return out;
  }

  static void matches(String where, JsonNode expected, JsonNode actual) {
    if (actual == null || actual.isMissingNode()) {
      throw new AssertionError(where + " is missing");
    }
    if (expected.isObject()) {
      assertTrue(actual.isObject(), where + " should be an object: " + actual);
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        matches(where + "." + e.getKey(), e.getValue(), ((ObjectNode) actual).get(e.getKey()));
      }
    } else if (expected.isArray()) {
      assertTrue(actual.isArray(), where + " should be a list: " + actual);
      if (!expected.isEmpty()) {
        assertFalse(actual.isEmpty(), where + " should not be empty");
        for (int i = 0; i < actual.size(); i++) {
          matches(where + "[" + i + "]", expected.get(0), actual.get(i));
        }
      } else {
        assertTrue(actual.isEmpty(), where + " should be empty: " + actual);
      }
    } else if (expected.isTextual() && expected.asText().equals("<string>")) {
      assertTrue(actual.isTextual(), where + " should be a string: " + actual);
    } else if (expected.isTextual() && expected.asText().equals("<number>")) {
      assertTrue(actual.isNumber() || List.of("NaN", "Infinity", "-Infinity").contains(actual.asText()),
          where + " should be a number: " + actual);
    } else if (expected.isTextual() && expected.asText().equals("<boolean>")) {
      assertTrue(actual.isBoolean(), where + " should be a boolean: " + actual);
    } else {
      assertEquals(expected, actual, where);
    }
  }
}
