package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.server.Permission;
import dev.mlops.server.Role;
import dev.mlops.server.Users;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI obeys per-experiment and per-model permissions: on a server whose default is
 * NO_PERMISSIONS, alice owns the fixture's experiment and model and bob his own; every page
 * (HTML and JSON) of alice's data leaves it out of bob's lists or refuses him with 403 until she
 * grants READ, and every form needs EDIT (MANAGE to delete or restore a run) as the API does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiPermissionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery";
  private static final String API = "/api/2.0/mlflow/";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  // the pages that list what the user may read; every other page refuses what they may not
  private static final Set<String> LISTS = Set.of("", "experiments", "models");

  private final HttpClient http = HttpClient.newHttpClient();
  private UiFixture fx;
  private String bobsExperiment;
  private String bobsRun;
  private final String bobsModel = "bobs-model";

  /** A form of the UI, the permission it needs on alice's data, and the answer without it. */
  private record Form(String path, String body, Permission needed, int refused) {
    Form(String path, String body, Permission needed) {
      this(path, body, needed, 403);
    }
  }

  @BeforeAll
  void start(@TempDir Path dir) {
    fx = new UiFixture(dir, Users.builder().password("alice", PASSWORD, Role.EDITOR)
        .password("bob", PASSWORD, Role.EDITOR).password("carol", PASSWORD, Role.READER)
        .password("root", PASSWORD, Role.ADMIN).build(),
        Permission.NO_PERMISSIONS);
    // the fixture's data was written past the server; an admin makes alice its owner
    grant("root", "experiments", "experiment_id", fx.experimentId, "alice", Permission.MANAGE);
    grant("root", "registered-models", "name", fx.modelName, "alice", Permission.MANAGE);
    bobsExperiment = api("bob", "experiments/create", "{\"name\":\"bobs-experiment\"}").get("experiment_id").asText();
    bobsRun = api("bob", "runs/create", "{\"experiment_id\":\"" + bobsExperiment + "\"}").at("/run/info/run_id")
        .asText();
    api("bob", "runs/log-metric", "{\"run_id\":\"" + bobsRun + "\",\"key\":\"loss\",\"value\":1,\"timestamp\":1,"
        + "\"step\":0}");
    api("bob", "registered-models/create", "{\"name\":\"" + bobsModel + "\"}");
  }

  @AfterAll
  void stop() {
    fx.close();
  }

  // Each page of the UI, by its template, at alice's data.
  private Map<String, String> routes() {
    String trial = fx.trialIds.get(1);
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("", "/ui/");
    routes.put("experiments", "/ui/experiments");
    routes.put("experiments/{id}", "/ui/experiments/" + fx.experimentId);
    routes.put("experiments/{id}/settings", "/ui/experiments/" + fx.experimentId + "/settings");
    routes.put("runs/{id}", "/ui/runs/" + trial);
    routes.put("runs/{id}/artifacts/{path...}", "/ui/runs/" + trial + "/artifacts/notes.txt");
    routes.put("runs/{id}/raw/{path...}", "/ui/runs/" + trial + "/raw/notes.txt");
    routes.put("compare", "/ui/compare?runs=" + String.join("&runs=", fx.trialIds));
    routes.put("models", "/ui/models");
    routes.put("models/{name}", "/ui/models/" + fx.modelName);
    routes.put("models/{name}/versions/{version}", "/ui/models/" + fx.modelName + "/versions/1");
    routes.put("models/{name}/versions/{version}/card", "/ui/models/" + fx.modelName + "/versions/2/card");
    routes.put("monitoring/{id}", "/ui/monitoring/" + fx.experimentId);
    routes.put(MetricSeries.PATH, MetricSeries.PATH + "?metric_key=loss&run_ids=" + trial);
    return routes;
  }

  private List<Form> forms() {
    String run = "/ui/runs/" + fx.trialIds.get(1);
    String experiment = "/ui/experiments/" + fx.experimentId;
    String model = "/ui/models/" + fx.modelName;
    String moved = "/ui/models/" + fx.modelName + "-by-bob";
    return List.of(new Form(run + "/tag", "key=reviewer&value=bob", Permission.EDIT),
        new Form(run + "/rename", "name=renamed-by-bob", Permission.EDIT),
        new Form(experiment + "/rename", "name=iris-by-bob", Permission.EDIT),
        new Form(experiment + "/tag", "key=reviewer&value=bob", Permission.EDIT),
        new Form(model + "/alias", "alias=bobs-pick&version=1", Permission.EDIT),
        new Form(model + "/alias", "alias=passing&version=2", Permission.EDIT),
        new Form(model + "/delete-alias", "alias=passing", Permission.EDIT),
        new Form(model + "/description", "description=by+bob", Permission.EDIT),
        new Form(model + "/versions/1/tag", "key=reviewer&value=bob", Permission.EDIT),
        new Form(model + "/versions/1/description", "description=v1+by+bob", Permission.EDIT),
        new Form(run + "/delete", "", Permission.MANAGE),
        new Form(run + "/restore", "", Permission.MANAGE),
        // the rename moves bob's permission with the model, so he may rename it back; refused, there is nothing there
        new Form(model + "/rename", "name=" + fx.modelName + "-by-bob", Permission.MANAGE),
        new Form(moved + "/rename", "name=" + fx.modelName, Permission.MANAGE, 404));
  }

  @Test
  void theRouteListNamesEveryPageOfTheUi() {
    Set<String> pages = UiHandler.PAGES.stream().map(UiRoute::template).collect(Collectors.toCollection(TreeSet::new));
    pages.add(MetricSeries.PATH);
    assertEquals(pages, new TreeSet<>(routes().keySet()), "a page of the UI is missing from this test's routes");
  }

  @Test
  void eachPageAndFormFollowsTheGrantFromNothingToManage() throws IOException {
    // the owner sees everything and her lists hold her data, not bob's
    for (Map.Entry<String, String> route : routes().entrySet()) {
      for (boolean json : new boolean[] {false, true}) {
        assertVisible("alice", route.getKey(), route.getValue(), json);
      }
    }
    assertFalse(listed("alice", "/ui/", bobsExperiment), "alice does not see bob's experiment");
    assertFalse(get("/ui/models", "alice").body().contains(bobsModel));
    assertEquals(403, get("/ui/runs/" + bobsRun, "alice").statusCode());
    assertEquals(1, json("/ui/runs/" + fx.trialIds.get(1), "alice").path("model_versions").size());

    // bob: alice's data absent from his lists, every other page 403, every form refused
    assertDeniedEverywhere();
    assertTrue(listed("bob", "/ui/", bobsExperiment), "bob sees his own experiment");
    assertTrue(get("/ui/models", "bob").body().contains(bobsModel), "bob sees his own model");
    String mixed = "/ui/compare?runs=" + bobsRun + "&runs=" + fx.trialIds.get(0);
    assertEquals(403, get(mixed, "bob").statusCode(), "one unreadable run refuses the comparison");
    assertFormsFollow(Permission.NO_PERMISSIONS);

    // READ on the experiment only: its runs show, the model they registered does not
    grant("alice", "experiments", "experiment_id", fx.experimentId, "bob", Permission.READ);
    assertVisible("bob", "runs/{id}", routes().get("runs/{id}"), true);
    assertEquals(0, json("/ui/runs/" + fx.trialIds.get(1), "bob").path("model_versions").size());
    assertEquals(200, get(mixed, "bob").statusCode());
    assertEquals(403, get("/ui/models/" + fx.modelName, "bob").statusCode());

    // READ on the model only: its version shows without what the run alone tells
    grant("alice", "experiments", "experiment_id", fx.experimentId, "bob", Permission.NO_PERMISSIONS);
    grant("alice", "registered-models", "name", fx.modelName, "bob", Permission.READ);
    JsonNode version = json(routes().get("models/{name}/versions/{version}"), "bob");
    assertFalse(version.has("model_card"), version.toString());
    assertTrue(json(routes().get("models/{name}/versions/{version}"), "alice").has("model_card"));
    assertEquals(403, get(routes().get("runs/{id}"), "bob").statusCode());
    // the generated card tells the run's params and metrics, so it is the run's to show
    assertFalse(json("/ui/models/" + fx.modelName + "/versions/2", "bob").has("model_card_url"));
    assertTrue(json("/ui/models/" + fx.modelName + "/versions/2", "alice").has("model_card_url"));
    assertEquals(403, get(routes().get("models/{name}/versions/{version}/card"), "bob").statusCode());
    // the versions' runs are named, but not linked, for who may not read them
    for (String page : List.of(routes().get("models/{name}"), routes().get("models/{name}/versions/{version}"))) {
      String html = get(page, "bob").body();
      assertFalse(html.contains("href=\"/ui/runs/"), "a link bob may not follow on " + page);
      assertTrue(html.contains("not visible to you"), page);
      assertTrue(get(page, "alice").body().contains("href=\"/ui/runs/" + fx.trialIds.get(1) + "\""), page);
    }

    // READ on both: every page shows, every form is still refused
    grant("alice", "experiments", "experiment_id", fx.experimentId, "bob", Permission.READ);
    String models = get(routes().get("models/{name}"), "bob").body();
    assertTrue(models.contains("href=\"/ui/runs/" + fx.trialIds.get(2) + "\"") && !models.contains("not visible"),
        models);
    for (Map.Entry<String, String> route : routes().entrySet()) {
      for (boolean json : new boolean[] {false, true}) {
        assertVisible("bob", route.getKey(), route.getValue(), json);
      }
    }
    assertFormsFollow(Permission.READ);

    // EDIT: tagging and moving an alias; deleting a run still needs MANAGE
    grant("alice", "experiments", "experiment_id", fx.experimentId, "bob", Permission.EDIT);
    grant("alice", "registered-models", "name", fx.modelName, "bob", Permission.EDIT);
    assertFormsFollow(Permission.EDIT);

    grant("alice", "experiments", "experiment_id", fx.experimentId, "bob", Permission.MANAGE);
    grant("alice", "registered-models", "name", fx.modelName, "bob", Permission.MANAGE);
    assertFormsFollow(Permission.MANAGE);
  }

  @Test
  void aReaderGetsNoFormAndIsRefusedWhateverHeIsGranted() {
    grant("root", "experiments", "experiment_id", fx.experimentId, "carol", Permission.MANAGE);
    grant("root", "registered-models", "name", fx.modelName, "carol", Permission.MANAGE);
    for (String page : List.of("runs/{id}", "experiments/{id}/settings", "models/{name}",
        "models/{name}/versions/{version}")) {
      HttpResponse<String> r = get(routes().get(page), "carol");
      assertEquals(200, r.statusCode(), page + ": " + r.body());
      assertFalse(r.body().contains("<form method=\"post\""), "a reader is shown a form on " + page);
      assertTrue(get(routes().get(page), "alice").body().contains("<form method=\"post\""), "alice's " + page);
    }
    String before = state();
    String token = token(get("/ui/runs/" + bobsRun, "bob").body());
    for (Form form : forms()) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(fx.url(form.path)))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form.body + "&csrf=" + token)), "carol");
      assertEquals(403, r.statusCode(), form.path + ": " + r.body());
    }
    assertEquals(before, state(), "a reader changed something");
  }

  // What the forms change, as one text to compare before and after.
  private String state() {
    try (Tracker t = Tracker.open(fx.store)) {
      RegisteredModel model = t.registry().model(fx.modelName);
      return List.of(t.getRun(fx.trialIds.get(1)).name(), t.getRun(fx.trialIds.get(1)).tags(),
          t.experimentById(fx.experimentId).name(), t.experimentById(fx.experimentId).tags(), model.aliases(),
          model.description(), t.registry().version(fx.modelName, 1).tags(), t.getRun(fx.trialIds.get(1)).deleted())
          .toString();
    }
  }

  private void assertDeniedEverywhere() throws IOException {
    for (Map.Entry<String, String> route : routes().entrySet()) {
      for (boolean json : new boolean[] {false, true}) {
        String path = withJson(route.getValue(), json);
        HttpResponse<String> r = get(path, "bob");
        if (LISTS.contains(route.getKey())) {
          assertEquals(200, r.statusCode(), path + ": " + r.body());
          assertFalse(r.body().contains(json ? "\"experiment_id\":\"" + fx.experimentId + "\""
              : "href=\"/ui/experiments/" + fx.experimentId + "\""), "alice's experiment is listed on " + path);
          assertFalse(r.body().contains(fx.modelName), "alice's model is listed on " + path);
          continue;
        }
        assertEquals(403, r.statusCode(), path + ": " + r.body());
        assertTrue(r.body().contains("has permission NO_PERMISSIONS on") && r.body().contains("needs READ"),
            path + ": " + r.body());
        assertFalse(r.body().contains("lr-0.1") || r.body().contains("converged"), "alice's data on " + path);
        if (json || route.getKey().equals(MetricSeries.PATH)) {
          assertEquals("PERMISSION_DENIED", JSON.readTree(r.body()).path("error_code").asText(), path);
        }
      }
    }
  }

  private void assertVisible(String user, String route, String path, boolean json) {
    HttpResponse<String> r = get(withJson(path, json), user);
    assertEquals(200, r.statusCode(), user + " on " + path + ": " + r.body());
    if (route.isEmpty() || route.equals("experiments")) {
      assertTrue(listed(user, path, fx.experimentId), user + " sees alice's experiment on " + path);
    } else if (route.equals("models")) {
      assertTrue(r.body().contains(fx.modelName), user + " sees alice's model on " + path);
    }
  }

  private void assertFormsFollow(Permission granted) {
    String token = token(get("/ui/runs/" + bobsRun, "bob").body());
    for (Form form : forms()) {
      HttpResponse<String> r = post(form.path, form.body + (form.body.isEmpty() ? "" : "&") + "csrf=" + token);
      int expected = granted.allows(form.needed) ? 303 : form.refused;
      assertEquals(expected, r.statusCode(), form.path + " with " + granted + ": " + r.body());
    }
    try (Tracker t = Tracker.open(fx.store)) {
      boolean edits = granted.allows(Permission.EDIT);
      assertEquals(edits ? "bob" : null, t.getRun(fx.trialIds.get(1)).tags().get("reviewer"));
      RegisteredModel model = t.registry().model(fx.modelName);
      assertEquals(edits, model.aliases().containsKey("bobs-pick"), model.aliases().toString());
      assertFalse(model.aliases().containsKey("passing"), "refused, or set and removed: " + model.aliases());
      assertEquals(edits ? "by bob" : "Classifies iris flowers <b>by</b> their measurements.", model.description());
      assertEquals(edits ? "bob" : null, t.registry().version(fx.modelName, 1).tags().get("reviewer"));
      assertEquals(edits ? "v1 by bob" : "", t.registry().version(fx.modelName, 1).description());
      assertEquals(edits ? "renamed-by-bob" : "lr-0.1", t.getRun(fx.trialIds.get(1)).name());
      assertEquals(edits ? "iris-by-bob" : "iris", t.experimentById(fx.experimentId).name());
      assertEquals(edits ? "bob" : null, t.experimentById(fx.experimentId).tags().get("reviewer"));
      assertFalse(t.getRun(fx.trialIds.get(1)).deleted(), "a refused delete, or a delete and its restore");
      assertTrue(t.registry().search(fx.modelName + "-by-bob").isEmpty(), "refused, or renamed and renamed back");
    }
  }

  private boolean listed(String user, String path, String experimentId) {
    JsonNode list = json(path, user).path("experiments");
    List<String> ids = new ArrayList<>();
    list.forEach(e -> ids.add(e.path("experiment_id").asText()));
    boolean html = get(path, user).body().contains("href=\"/ui/experiments/" + experimentId + "\"");
    assertEquals(ids.contains(experimentId), html, "the page and its JSON list the same experiments");
    return html;
  }

  private static String withJson(String path, boolean json) {
    return json ? path + (path.contains("?") ? "&" : "?") + "format=json" : path;
  }

  private JsonNode json(String path, String user) {
    HttpResponse<String> r = get(withJson(path, true), user);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String token(String page) {
    Matcher m = CSRF.matcher(page);
    assertTrue(m.find(), "the page has a form with a token");
    return m.group(1);
  }

  private void grant(String by, String kind, String idField, String id, String user, Permission p) {
    api(by, kind + "/permissions/create", "{\"" + idField + "\":\"" + id + "\",\"username\":\"" + user
        + "\",\"permission\":\"" + p + "\"}");
  }

  private JsonNode api(String user, String endpoint, String body) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(fx.url(API + endpoint)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), user);
    assertEquals(200, r.statusCode(), endpoint + ": " + r.body());
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> get(String path, String user) {
    return send(HttpRequest.newBuilder(URI.create(fx.url(path))).GET(), user);
  }

  private HttpResponse<String> post(String path, String form) {
    return send(HttpRequest.newBuilder(URI.create(fx.url(path)))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)),
        "bob");
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String user) {
    b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD)
        .getBytes(StandardCharsets.UTF_8)));
    return UiFixture.send(http, b);
  }
}
