package dev.mlops.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
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
 * Per-experiment and per-registered-model permissions between users: the creator manages, others
 * read by default, grants through MLflow's permission endpoints, admins may do everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionsTest {
  private static final String API = "/api/2.0/mlflow/";
  private String alice;
  private String bob;
  private String root;
  private String viewer;
  private TrackingServer server;
  private Api api;

  @BeforeAll
  void start(@TempDir Path folder) {
    String store = "sqlite:" + folder.resolve("mlops.db");
    alice = TrackingServer.createToken(store, "alice", Role.EDITOR);
    bob = TrackingServer.createToken(store, "bob", Role.EDITOR);
    root = TrackingServer.createToken(store, "root", Role.ADMIN);
    viewer = TrackingServer.createToken(store, "viewer", Role.READER);
    // the tokens in the store are the server's users: no Users are given
    server = TrackingServer.builder(store).artifacts(folder.resolve("a")).host("0.0.0.0").port(0).start();
    api = new Api(URI.create("http://127.0.0.1:" + server.port()));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Api.Answer call(String token, String method, String path, String body) {
    return api.call(method, path, body, "Bearer " + token);
  }

  private Api.Answer post(String token, String endpoint, String body) {
    return call(token, "POST", API + endpoint, body);
  }

  private JsonNode ok(String token, String endpoint, String body) {
    Api.Answer a = post(token, endpoint, body);
    assertEquals(200, a.status(), endpoint + ": " + a.text());
    return a.json();
  }

  private static void assertDenied(Api.Answer a) {
    assertEquals(403, a.status(), a.text());
    assertEquals("PERMISSION_DENIED", a.json().get("error_code").asText());
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void anotherUsersExperimentIsReadableButItsWritesAre403UntilGranted() {
    String experiment = ok(alice, "experiments/create", "{\"name\":\"" + unique("alices") + "\"}")
        .get("experiment_id").asText();
    String id = "{\"experiment_id\":\"" + experiment + "\"}";
    String run = ok(alice, "runs/create", id).at("/run/info/run_id").asText();
    String metric = "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":1,\"timestamp\":1}";
    assertEquals(200, call(bob, "GET", API + "experiments/get?experiment_id=" + experiment, "").status(),
        "others read by default");
    assertDenied(post(bob, "runs/create", id));
    assertDenied(post(bob, "runs/log-metric", metric));
    assertDenied(call(bob, "PUT", "/api/2.0/mlflow-artifacts/artifacts/" + experiment + "/" + run + "/x.txt", "x"));
    assertDenied(post(bob, "experiments/permissions/create", "{\"experiment_id\":\"" + experiment
        + "\",\"username\":\"bob\",\"permission\":\"MANAGE\"}"));
    ok(alice, "runs/log-metric", metric);

    JsonNode grant = ok(alice, "experiments/permissions/create", "{\"experiment_id\":\"" + experiment
        + "\",\"username\":\"bob\",\"permission\":\"EDIT\"}");
    assertEquals("EDIT", grant.at("/experiment_permission/permission").asText());
    ok(bob, "runs/create", id);
    ok(bob, "runs/log-metric", metric);
    assertDenied(post(bob, "experiments/delete", id));
    assertDenied(post(bob, "runs/delete", "{\"run_id\":\"" + run + "\"}"));
    assertEquals("EDIT", call(alice, "GET", API + "experiments/permissions/get?experiment_id=" + experiment
        + "&username=bob", "").json().at("/experiment_permission/permission").asText());

    assertEquals(200, call(alice, "DELETE", API + "experiments/permissions/delete", "{\"experiment_id\":\""
        + experiment + "\",\"username\":\"bob\"}").status());
    assertDenied(post(bob, "runs/log-metric", metric));
    assertEquals(404, call(alice, "GET", API + "experiments/permissions/get?experiment_id=" + experiment
        + "&username=bob", "").status());
    ok(root, "runs/log-metric", metric);
    ok(root, "experiments/delete", id);
    ok(alice, "experiments/restore", id);
  }

  @Test
  void noPermissionsHidesAnExperimentFromGetsAndSearches() {
    String name = unique("hidden");
    String experiment = ok(alice, "experiments/create", "{\"name\":\"" + name + "\"}").get("experiment_id").asText();
    String filter = "{\"filter\":\"name = '" + name + "'\"}";
    assertEquals(1, ok(viewer, "experiments/search", filter).path("experiments").size());
    ok(alice, "experiments/permissions/create", "{\"experiment_id\":\"" + experiment
        + "\",\"username\":\"viewer\",\"permission\":\"NO_PERMISSIONS\"}");
    assertDenied(call(viewer, "GET", API + "experiments/get?experiment_id=" + experiment, ""));
    assertDenied(call(viewer, "GET", API + "experiments/get-by-name?experiment_name=" + name, ""));
    assertDenied(post(viewer, "runs/search", "{\"experiment_ids\":[\"" + experiment + "\"]}"));
    assertEquals(0, ok(viewer, "experiments/search", filter).path("experiments").size());
    assertEquals(1, ok(bob, "experiments/search", filter).path("experiments").size());
    Api.Answer bad = post(alice, "experiments/permissions/update", "{\"experiment_id\":\"" + experiment
        + "\",\"username\":\"viewer\",\"permission\":\"OWNER\"}");
    assertEquals(405, bad.status(), "update is MLflow's PATCH");
    Api.Answer wrong = call(alice, "PATCH", API + "experiments/permissions/update", "{\"experiment_id\":\""
        + experiment + "\",\"username\":\"viewer\",\"permission\":\"OWNER\"}");
    assertEquals(400, wrong.status(), wrong.text());
    assertTrue(wrong.json().get("message").asText().contains("OWNER"));
  }

  @Test
  void aRegisteredModelIsManagedByItsCreatorAndItsPermissionsFollowARename() {
    String model = unique("model");
    ok(alice, "registered-models/create", "{\"name\":\"" + model + "\"}");
    String tag = "{\"name\":\"" + model + "\",\"key\":\"team\",\"value\":\"risk\"}";
    assertEquals(200, call(bob, "GET", API + "registered-models/get?name=" + model, "").status());
    assertDenied(post(bob, "registered-models/set-tag", tag));
    assertDenied(call(bob, "PATCH", API + "registered-models/update", "{\"name\":\"" + model
        + "\",\"description\":\"x\"}"));
    ok(alice, "registered-models/permissions/create", "{\"name\":\"" + model + "\",\"username\":\"bob\","
        + "\"permission\":\"EDIT\"}");
    ok(bob, "registered-models/set-tag", tag);
    String renamed = unique("renamed");
    assertDenied(post(bob, "registered-models/rename", "{\"name\":\"" + model + "\",\"new_name\":\"" + renamed
        + "\"}"));
    ok(alice, "registered-models/rename", "{\"name\":\"" + model + "\",\"new_name\":\"" + renamed + "\"}");
    ok(bob, "registered-models/set-tag", "{\"name\":\"" + renamed + "\",\"key\":\"team\",\"value\":\"ops\"}");
    assertDenied(call(bob, "DELETE", API + "registered-models/delete", "{\"name\":\"" + renamed + "\"}"));
    List<String> seen = new ArrayList<>();
    call(viewer, "GET", API + "registered-models/search?filter=" + java.net.URLEncoder.encode("name = '" + renamed
        + "'", java.nio.charset.StandardCharsets.UTF_8), "").json().path("registered_models")
        .forEach(m -> seen.add(m.get("name").asText()));
    assertEquals(List.of(renamed), seen, "others read by default");
    ok(alice, "registered-models/permissions/create", "{\"name\":\"" + renamed + "\",\"username\":\"viewer\","
        + "\"permission\":\"NO_PERMISSIONS\"}");
    assertTrue(call(viewer, "GET", API + "registered-models/search?filter=" + java.net.URLEncoder.encode("name = '"
        + renamed + "'", java.nio.charset.StandardCharsets.UTF_8), "").json().path("registered_models").isEmpty(),
        "a search leaves out what the caller may not read");
    assertEquals(200, call(alice, "DELETE", API + "registered-models/delete", "{\"name\":\"" + renamed + "\"}")
        .status());
  }
}
