package dev.mlops.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.ServerTestPackages;
import dev.mlops.tracking.Tracker;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the searching, renaming and deleting endpoints do to the store, beyond the shape of their
 * answers the fixtures pin: each write is read back through other endpoints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointSemanticsTest {
  private static final String API = "/api/2.0/mlflow/";
  private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
  private Path folder;
  private TrackingServer server;
  private Tracker tracker;
  private Api api;

  @BeforeAll
  void start(@TempDir Path dir) {
    folder = dir;
    String uri = "sqlite:" + dir.resolve("mlops.db");
    server = TrackingServer.builder(uri).artifacts(dir.resolve("artifacts")).port(0).start();
    tracker = Tracker.builder(uri).artifacts(dir.resolve("artifacts")).synchronous(true).build();
    api = new Api(server.uri());
  }

  @AfterAll
  void stop() {
    tracker.close();
    server.close();
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String experiment(String name, String team) {
    return api.ok(API + "experiments/create", "{\"name\":\"" + name + "\",\"tags\":[{\"key\":\"team\",\"value\":\""
        + team + "\"}]}").get("experiment_id").asText();
  }

  private List<String> searchNames(String body) {
    JsonNode answer = api.ok(API + "experiments/search", body);
    List<String> names = new ArrayList<>();
    answer.path("experiments").forEach(e -> names.add(e.get("name").asText()));
    return names;
  }

  @Test
  void experimentSearchFiltersOrdersPagesAndHonoursTheViewType() {
    String p = unique("xs");
    experiment(p + "-a", "risk");
    experiment(p + "-B", "fraud");
    String c = experiment(p + "-c", "risk");
    api.ok(API + "experiments/delete", "{\"experiment_id\":\"" + c + "\"}");
    String like = "\"filter\":\"name LIKE '" + p + "%'\"";
    assertEquals(List.of(p + "-a", p + "-B"), searchNames("{" + like + ",\"order_by\":[\"name DESC\"]}"));
    assertEquals(List.of(p + "-B", p + "-a"), searchNames("{" + like + ",\"order_by\":[\"experiment_id DESC\"]}"));
    assertEquals(List.of(p + "-B", p + "-a", p + "-c"), searchNames("{\"filter\":\"name ILIKE '" + p
        + "-%'\",\"view_type\":\"ALL\",\"order_by\":[\"name\"]}"), "ILIKE ignores case; ALL shows deleted ones");
    assertEquals(List.of(p + "-c"), searchNames("{" + like + ",\"view_type\":\"DELETED_ONLY\"}"));
    assertEquals(List.of(p + "-a"), searchNames("{\"filter\":\"name LIKE '" + p + "%' AND tags.team = 'risk'\"}"));
    assertEquals(List.of(p + "-B"), searchNames("{\"filter\":\"name LIKE '" + p + "%' and tags.team != 'risk'\"}"));
    assertEquals(List.of(), searchNames("{\"filter\":\"name LIKE '" + p + "%' AND creation_time > 4102444800000\"}"));
    assertEquals(2, searchNames("{\"filter\":\"name LIKE '" + p + "%' AND creation_time >= 0\"}").size());

    JsonNode first = api.ok(API + "experiments/search", "{" + like + ",\"order_by\":[\"name\"],\"max_results\":1}");
    assertEquals(p + "-B", first.at("/experiments/0/name").asText());
    String token = first.get("next_page_token").asText();
    JsonNode second = api.ok(API + "experiments/search", "{" + like + ",\"order_by\":[\"name\"],\"max_results\":1,"
        + "\"page_token\":\"" + token + "\"}");
    assertEquals(p + "-a", second.at("/experiments/0/name").asText());
    assertFalse(second.has("next_page_token"), "the last page has no token");

    String query = URLEncoder.encode("name = '" + p + "-a'", StandardCharsets.UTF_8);
    assertEquals(p + "-a", api.get(API + "experiments/search?filter=" + query).json().at("/experiments/0/name")
        .asText(), "GET reads the same parameters from the query");
    for (String bad : List.of("{\"filter\":\"metrics.x > 1\"}", "{\"filter\":\"name > 'a'\"}",
        "{\"filter\":\"creation_time LIKE '1'\"}", "{\"filter\":\"name = 'a' OR name = 'b'\"}",
        "{\"order_by\":[\"params.x\"]}", "{\"max_results\":50001}", "{\"view_type\":\"SOME\"}")) {
      Api.Answer a = api.post(API + "experiments/search", bad);
      assertEquals(400, a.status(), bad + ": " + a.text());
      assertEquals("INVALID_PARAMETER_VALUE", a.json().get("error_code").asText(), bad);
    }
  }

  @Test
  void renamingAnExperimentMovesItsNameAndRefusesATakenOne() {
    String old = unique("before");
    String id = experiment(old, "risk");
    String taken = unique("taken");
    experiment(taken, "risk");
    String renamed = unique("after");
    api.ok(API + "experiments/update", "{\"experiment_id\":\"" + id + "\",\"new_name\":\"" + renamed + "\"}");
    assertEquals(id, api.get(API + "experiments/get-by-name?experiment_name=" + renamed).json()
        .at("/experiment/experiment_id").asText());
    assertEquals(404, api.get(API + "experiments/get-by-name?experiment_name=" + old).status());
    Api.Answer clash = api.post(API + "experiments/update", "{\"experiment_id\":\"" + id + "\",\"new_name\":\""
        + taken + "\"}");
    assertEquals(400, clash.status());
    assertEquals("RESOURCE_ALREADY_EXISTS", clash.json().get("error_code").asText());
    assertEquals(renamed, tracker.experimentById(id).name(), "a refused rename changes nothing");
    assertEquals(400, api.post(API + "experiments/update", "{\"experiment_id\":\"" + id + "\",\"new_name\":\""
        + "n".repeat(501) + "\"}").status());
  }

  @Test
  void deletingARunTagRemovesItOnceThenIsNotFound() {
    Run run = tracker.experiment(unique("tags")).run("r").tag("stage", "dev").tag("team", "risk").start();
    String body = "{\"run_id\":\"" + run.id() + "\",\"key\":\"stage\"}";
    api.ok(API + "runs/delete-tag", body);
    assertFalse(tracker.getRun(run.id()).tags().containsKey("stage"));
    assertEquals("risk", tracker.getRun(run.id()).tags().get("team"), "other tags stay");
    Api.Answer again = api.post(API + "runs/delete-tag", body);
    assertEquals(404, again.status());
    assertEquals("RESOURCE_DOES_NOT_EXIST", again.json().get("error_code").asText());
    run.close();
  }

  @Test
  void renamingARunChangesItsNameAndKeepsItsStatus() {
    Run run = tracker.experiment(unique("names")).run("before").start();
    api.ok(API + "runs/update", "{\"run_id\":\"" + run.id() + "\",\"run_name\":\"after\"}");
    assertEquals("after", tracker.getRun(run.id()).name());
    assertEquals(dev.mlops.tracking.RunStatus.RUNNING, tracker.getRun(run.id()).status());
    assertEquals(400, api.post(API + "runs/update", "{\"run_id\":\"" + run.id() + "\",\"run_name\":\""
        + "n".repeat(251) + "\"}").status());
    assertEquals("after", tracker.getRun(run.id()).name(), "a refused name changes nothing");
    run.close();
  }

  private String registerFromRun(String model) {
    String runId;
    try (Run run = tracker.experiment(unique("pkg")).run("packager").start()) {
      run.model("model", ServerTestPackages.forRun(model, run.id()));
      runId = run.id();
    }
    return api.ok(API + "model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + runId
        + "/model\"}").at("/model_version/version").asText();
  }

  private void champion(String model, int version) {
    api.ok(API + "registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\""
        + version + "\"}");
  }

  private Api.Answer delete(String path, String body) {
    return api.send("DELETE", path, HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void aModelCreatedWithoutAVersionGetsItsFirstVersionLater() {
    String model = unique("empty");
    api.ok(API + "registered-models/create", "{\"name\":\"" + model + "\",\"description\":\"d\","
        + "\"tags\":[{\"key\":\"team\",\"value\":\"risk\"}]}");
    JsonNode got = api.get(API + "registered-models/get?name=" + model).json().get("registered_model");
    assertEquals("d", got.get("description").asText());
    assertTrue(got.get("latest_versions").isEmpty());
    assertEquals("risk", tracker.registry().model(model).tags().get("team"));
    Api.Answer again = api.post(API + "registered-models/create", "{\"name\":\"" + model + "\"}");
    assertEquals("RESOURCE_ALREADY_EXISTS", again.json().get("error_code").asText());
    assertEquals(404, api.get(API + "registered-models/alias?name=" + model + "&alias=champion").status());
    assertEquals("1", registerFromRun(model));
    assertEquals("d", tracker.registry().model(model).description(), "registering keeps the model's description");
    assertEquals(400, api.post(API + "registered-models/create", "{\"name\":\"a/b\"}").status());
  }

  @Test
  void renamingAModelMovesItsVersionsTagsAndAliases() {
    String model = unique("old");
    registerFromRun(model);
    registerFromRun(model);
    champion(model, 2);
    api.ok(API + "registered-models/set-tag", "{\"name\":\"" + model + "\",\"key\":\"team\",\"value\":\"risk\"}");
    api.ok(API + "model-versions/set-tag", "{\"name\":\"" + model + "\",\"version\":\"1\",\"key\":\"ok\","
        + "\"value\":\"yes\"}");
    String renamed = unique("new");
    JsonNode answer = api.ok(API + "registered-models/rename", "{\"name\":\"" + model + "\",\"new_name\":\""
        + renamed + "\"}").get("registered_model");
    assertEquals(renamed, answer.get("name").asText());
    assertEquals("2", answer.at("/latest_versions/0/version").asText());
    assertEquals(404, api.get(API + "registered-models/get?name=" + model).status());
    assertEquals(2, tracker.registry().resolve("models:/" + renamed + "@champion").version());
    assertEquals("yes", tracker.registry().version(renamed, 1).tags().get("ok"));
    assertEquals("risk", tracker.registry().model(renamed).tags().get("team"));
    assertEquals(2, tracker.registry().versions(renamed).size());
    assertEquals(tracker.registry().version(renamed, 1).packageDigest(),
        tracker.registry().load("models:/" + renamed + "/1").digest(), "the package still loads and verifies");

    String other = unique("other");
    registerFromRun(other);
    Api.Answer clash = api.post(API + "registered-models/rename", "{\"name\":\"" + renamed + "\",\"new_name\":\""
        + other + "\"}");
    assertEquals("RESOURCE_ALREADY_EXISTS", clash.json().get("error_code").asText());
    assertEquals(2, tracker.registry().versions(renamed).size(), "a refused rename changes nothing");
    assertEquals(404, api.post(API + "registered-models/rename", "{\"name\":\"" + unique("none") + "\","
        + "\"new_name\":\"" + unique("x") + "\"}").status());
  }

  @Test
  void deletingAVersionDropsItsAliasesAndNeverReusesItsNumber() {
    String model = unique("versions");
    registerFromRun(model);
    registerFromRun(model);
    champion(model, 2);
    assertEquals(200, delete(API + "model-versions/delete", "{\"name\":\"" + model + "\",\"version\":\"2\"}").status());
    assertEquals(404, api.get(API + "model-versions/get?name=" + model + "&version=2").status());
    assertEquals(404, api.get(API + "registered-models/alias?name=" + model + "&alias=champion").status());
    assertEquals(1, tracker.registry().resolve("models:/" + model + "@latest").version(), "latest is the newest left");
    assertEquals("1", api.get(API + "registered-models/get?name=" + model).json()
        .at("/registered_model/latest_versions/0/version").asText());
    assertEquals("3", registerFromRun(model), "number 2 is not given out again");
    assertEquals(404, delete(API + "model-versions/delete", "{\"name\":\"" + model + "\",\"version\":\"2\"}").status());
  }

  @Test
  void deletingAModelRemovesEveryVersionAndFreesTheName() {
    String model = unique("gone");
    registerFromRun(model);
    champion(model, 1);
    assertEquals(200, delete(API + "registered-models/delete", "{\"name\":\"" + model + "\"}").status());
    assertEquals(404, api.get(API + "registered-models/get?name=" + model).status());
    JsonNode versions = api.get(API + "model-versions/search?filter=" + URLEncoder.encode("name = '" + model + "'",
        StandardCharsets.UTF_8)).json();
    assertTrue(versions.path("model_versions").isEmpty(), versions.toString());
    assertEquals(404, delete(API + "registered-models/delete", "{\"name\":\"" + model + "\"}").status());
    assertEquals("1", registerFromRun(model), "the name is free again and numbering starts over");
  }

  @Test
  void deletingAnArtifactThroughTheProxyForgetsItAndRemovesItsFile() throws Exception {
    Run run = tracker.experiment(unique("files")).run("r").start();
    String base = PROXY + run.experimentId() + "/" + run.id() + "/";
    for (String path : List.of("keep.txt", "plots/a.txt", "plots/b.txt", "plotsx.txt")) {
      assertEquals(200, api.send("PUT", base + path, HttpRequest.BodyPublishers.ofString(path)).status());
    }
    Path stored = folder.resolve("artifacts").resolve(run.experimentId()).resolve(run.id());
    assertTrue(Files.exists(stored.resolve("plots/a.txt")));
    assertEquals(200, delete(base + "plots", "").status());
    assertEquals(List.of("keep.txt", "plotsx.txt"), tracker.getRun(run.id()).artifacts().stream()
        .map(a -> a.path()).toList(), "the folder goes, a sibling sharing its prefix stays");
    assertFalse(Files.exists(stored.resolve("plots/a.txt")));
    assertEquals(404, api.get(base + "plots/a.txt").status());
    assertEquals(200, delete(base + "keep.txt", "").status());
    assertEquals(List.of("plotsx.txt"), tracker.getRun(run.id()).artifacts().stream().map(a -> a.path()).toList());
    assertEquals(200, delete(base + "keep.txt", "").status(), "as MLflow's proxy, nothing there is no error");
    assertEquals(404, delete(PROXY + run.experimentId() + "/" + "0".repeat(32) + "/x", "").status());
    run.close();
  }
}
