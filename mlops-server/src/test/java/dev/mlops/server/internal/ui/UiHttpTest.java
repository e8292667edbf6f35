package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.InvalidInputException;
import dev.mlops.server.Permission;
import dev.mlops.server.Role;
import dev.mlops.server.Users;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.ServerTestPackages;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI over HTTP, without a browser: its policy and escaping on every page, the JSON of each
 * page, CSRF tokens and roles on forms, downsampled metric histories, and artifacts served
 * only as what they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery";
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=\"/ui/static/)");
  private static final Pattern EVENT_ATTRIBUTE = Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private UiFixture fx;
  private UiFixture guarded;

  @BeforeAll
  void start(@TempDir Path dir) {
    fx = new UiFixture(dir.resolve("open"), null);
    // everyone may edit everything, so that the forms are refused by role alone
    guarded = new UiFixture(dir.resolve("guarded"), Users.builder().password("ana", PASSWORD, Role.READER)
        .password("eve", PASSWORD, Role.EDITOR).password("max", PASSWORD, Role.EDITOR).build(), Permission.EDIT);
  }

  @AfterAll
  void stop() {
    fx.close();
    guarded.close();
  }

  private HttpResponse<String> get(UiFixture f, String path, String user) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url("/").replaceAll("/$", "") + path)).GET();
    return send(user == null ? b : b.header("Authorization", basic(user)));
  }

  private HttpResponse<String> post(UiFixture f, String path, String form, String user) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url(path)))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    return send(user == null ? b : b.header("Authorization", basic(user)));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    return UiFixture.send(http, b);
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  private List<String> pages(UiFixture f) {
    String trial = f.trialIds.get(1);
    return List.of("/ui/", "/ui/?deleted=1", "/ui/experiments/" + f.experimentId, "/ui/experiments/" + f.experimentId
        + "?filter=metrics.loss%20%3E%3E%201", "/ui/runs/" + trial, "/ui/runs/" + f.injectedId, "/ui/runs/" + trial
        + "/artifacts/notes.txt", "/ui/runs/" + trial + "/artifacts/data/sample.csv", "/ui/runs/" + trial
        + "/artifacts/config.json", "/ui/runs/" + trial + "/artifacts/drift-report.html", "/ui/compare?runs="
        + String.join("&runs=", f.trialIds) + "&runs=" + f.injectedId, "/ui/models", "/ui/models/" + f.modelName,
        "/ui/models/" + f.modelName + "/versions/1", "/ui/models/" + f.modelName + "/versions/2", "/ui/monitoring/"
        + f.experimentId, "/ui/experiments/" + f.experimentId + "/settings", "/ui/runs/nope");
  }

  @Test
  void everyPageCarriesTheStrictPolicyAndNoValueBecomesMarkup() {
    for (String page : pages(fx)) {
      HttpResponse<String> r = get(fx, page, null);
      assertEquals(page.endsWith("nope") ? 404 : 200, r.statusCode(), page + ": " + r.body());
      assertEquals(UiHandler.POLICY, r.headers().firstValue("Content-Security-Policy").orElse(""), page);
      assertTrue(r.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self';"));
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), page);
      String body = r.body();
      assertFalse(INLINE_SCRIPT.matcher(body).find(), "a script that is not the UI's own on " + page);
      assertFalse(EVENT_ATTRIBUTE.matcher(body).find(), "an event handler attribute on " + page);
      assertFalse(body.contains(UiFixture.SCRIPT_NAME) || body.contains("<img src=x"), page);
      assertFalse(body.contains("<b>by</b>") || body.contains("<b>virginica</b>"), page);
    }
    String run = get(fx, "/ui/runs/" + fx.injectedId, null).body();
    assertTrue(run.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), run);
    assertTrue(run.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), run);
  }

  @Test
  void everyPageIsAlsoJson() throws IOException {
    for (String page : pages(fx)) {
      HttpResponse<String> r = get(fx, page + (page.contains("?") ? "&" : "?") + "format=json", null);
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), page);
      JSON.readTree(r.body());
    }
    JsonNode runs = JSON.readTree(get(fx, "/ui/experiments/" + fx.experimentId + "?format=json", null).body());
    assertEquals(6, runs.path("runs").size());
    JsonNode bad = JSON.readTree(get(fx, "/ui/experiments/" + fx.experimentId
        + "?format=json&filter=metrics.loss%20%3E%3E%201", null).body());
    assertEquals(14, bad.path("filter_error_position").asInt(), bad.toString());
    JsonNode compare = JSON.readTree(get(fx, "/ui/compare?format=json&runs=" + String.join("&runs=", fx.trialIds),
        null).body());
    assertEquals("7", compare.path("equal_params").path("seed").asText(), compare.toString());
    assertEquals(fx.trialIds.get(2), compare.path("best").path("loss").asText(), compare.toString());
    JsonNode version = JSON.readTree(get(fx, "/ui/models/" + fx.modelName + "/versions/1?format=json", null).body());
    List<String> kinds = new ArrayList<>();
    version.path("lineage").forEach(n -> kinds.add(n.path("kind").asText()));
    assertEquals(List.of("dataset", "run", "package", "version", "alias"), kinds);
    JsonNode missing = JSON.readTree(get(fx, "/ui/runs/nope?format=json", null).body());
    assertEquals("RESOURCE_DOES_NOT_EXIST", missing.path("error_code").asText(), missing.toString());
  }

  private static String token(String page) {
    Matcher m = CSRF.matcher(page);
    assertTrue(m.find(), "the page has a form with a token");
    return m.group(1);
  }

  private String tag(UiFixture f, String key) {
    try (Tracker t = Tracker.open(f.store)) {
      return t.getRun(f.longId).tags().get(key);
    }
  }

  @Test
  void aFormChangesNothingWithoutItsToken() {
    String path = "/ui/runs/" + fx.longId + "/tag";
    assertEquals(403, post(fx, path, "key=stage&value=forged", null).statusCode());
    assertEquals(403, post(fx, path, "key=stage&value=forged&csrf=not-the-token", null).statusCode());
    assertEquals(null, tag(fx, "stage"));
    String page = get(fx, "/ui/runs/" + fx.longId, null).body();
    HttpResponse<String> ok = post(fx, path, "key=stage&value=reviewed&csrf=" + token(page), null);
    assertEquals(303, ok.statusCode(), ok.body());
    assertEquals("/ui/runs/" + fx.longId, ok.headers().firstValue("Location").orElse(""));
    assertEquals("reviewed", tag(fx, "stage"));
    assertEquals(400, post(fx, path, "key=..%2Fbad&value=x&csrf=" + token(page), null).statusCode());
  }

  @Test
  void aGeneratedModelCardIsServedAsARawSandboxedPageWithoutScript() throws IOException {
    String path = "/ui/models/" + fx.modelName + "/versions/2/card";
    HttpResponse<String> card = get(fx, path, null);
    assertEquals(200, card.statusCode(), card.body());
    assertEquals(UiHandler.RAW_POLICY, card.headers().firstValue("Content-Security-Policy").orElse(""));
    assertTrue(card.body().contains("Model card: " + fx.modelName + " version 2"), card.body());
    assertTrue(card.body().contains("Classifies iris flowers &lt;b&gt;by&lt;/b&gt;"), "the card escapes the registry's text");
    assertFalse(INLINE_SCRIPT.matcher(card.body()).find() || card.body().contains("<script"), card.body());
    JsonNode json = JSON.readTree(get(fx, path + "?format=json", null).body());
    assertEquals(2, json.path("model").path("version").asInt(), json.toString());
    assertEquals(path, JSON.readTree(get(fx, "/ui/models/" + fx.modelName + "/versions/2?format=json", null).body())
        .path("model_card_url").asText());
    assertFalse(JSON.readTree(get(fx, "/ui/models/" + fx.modelName + "/versions/1?format=json", null).body())
        .has("model_card_url"), "v1's run logged a card, which is shown instead");
  }

  @Test
  void aGeneratedModelCardShowsTheDriftAndQualityReportsLoggedOnItsRunAndSaysWhenThereAreNone() throws IOException {
    String path = "/ui/models/" + fx.modelName + "/versions/2/card";
    JsonNode logged;
    try (Tracker t = Tracker.open(fx.store)) {
      logged = JSON.readTree(t.readArtifact(fx.trialIds.get(2), "quality-report.json"));
    }
    JsonNode json = JSON.readTree(get(fx, path + "?format=json", null).body());
    JsonNode drift = json.path("drift");
    assertTrue(drift.path("datasetDrift").asBoolean(), drift.toString());
    assertEquals("drift-report.json", drift.at("/source/path").asText());
    assertEquals(1, drift.path("driftedColumns").size(), "sepal_length drifted, species did not: " + drift);
    assertEquals("sepal_length", drift.at("/driftedColumns/0/column").asText());
    assertEquals(0.05 + 0.1 * 2, drift.at("/driftedColumns/0/statistic").doubleValue());
    JsonNode checks = json.at("/quality/checks");
    assertFalse(json.at("/quality/passed").asBoolean());
    assertEquals(logged.path("conditions").size(), checks.size());
    for (int i = 0; i < checks.size(); i++) {
      JsonNode c = logged.path("conditions").get(i);
      assertEquals(c.path("value").asText(), checks.get(i).path("value").asText());
      assertEquals(c.path("passed").asBoolean(), checks.get(i).path("passed").asBoolean());
      assertEquals(c.path("actual").doubleValue(), checks.get(i).path("actual").doubleValue());
    }
    String html = get(fx, path, null).body();
    assertTrue(html.contains("<td>sepal_length</td><td>wasserstein</td><td>0.25</td>"), html);
    assertTrue(html.contains("<td>accuracy</td><td>\u2265 0.75</td><td>0.6</td><td class=\"bad\">failed</td>"), html);
    assertTrue(html.contains("<td>f1:" + UiFixture.SCRIPT_NAME.replace("<", "&lt;").replace(">", "&gt;")), html);
    assertFalse(html.contains("<script"), html);

    String bare;
    try (Tracker t = Tracker.open(fx.store)) {
      try (Run run = t.experiment("unmonitored").run("no-reports").start()) {
        bare = run.id();
        run.model("model", ServerTestPackages.forRun("unmonitored-model", run.id()));
      }
      t.registry().register("unmonitored-model", bare, "model");
    }
    String none = get(fx, "/ui/models/unmonitored-model/versions/1/card", null).body();
    assertTrue(none.contains("No drift report is logged on the version's run or given")
        && none.contains("No quality check is logged on the version's run or given"), none);
    JsonNode noneJson = JSON.readTree(get(fx, "/ui/models/unmonitored-model/versions/1/card?format=json", null).body());
    assertFalse(noneJson.has("drift") || noneJson.has("quality"), noneJson.toString());
  }

  @Test
  void withUsersPagesNeedCredentialsAndFormsAWriterWithTheirOwnToken() {
    HttpResponse<String> anonymous = get(guarded, "/ui/", null);
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"mlops\""));
    assertEquals(401, get(guarded, MetricSeries.PATH + "?run_ids=" + guarded.longId + "&metric_key=loss", null)
        .statusCode());
    String readerPage = get(guarded, "/ui/runs/" + guarded.longId, "ana").body();
    assertTrue(readerPage.contains("<span class=\"user\">ana</span>"), readerPage);
    assertFalse(readerPage.contains("<form method=\"post\""), "a reader is shown no form");
    String path = "/ui/runs/" + guarded.longId + "/tag";
    String editorPage = get(guarded, "/ui/runs/" + guarded.longId, "eve").body();
    assertEquals(403, post(guarded, path, "key=stage&value=x&csrf=" + token(editorPage), "ana").statusCode(),
        "a reader may not change anything");
    String otherPage = get(guarded, "/ui/runs/" + guarded.longId, "max").body();
    assertEquals(403, post(guarded, path, "key=stage&value=x&csrf=" + token(otherPage), "eve").statusCode(),
        "one user's token is not another's");
    assertEquals(null, tag(guarded, "stage"));
    assertEquals(303, post(guarded, path, "key=stage&value=ok&csrf=" + token(editorPage), "eve").statusCode());
    assertEquals("ok", tag(guarded, "stage"));
    String modelPage = get(guarded, "/ui/models/" + guarded.modelName, "eve").body();
    assertEquals(303, post(guarded, "/ui/models/" + guarded.modelName + "/alias", "alias=staging&version=1&csrf="
        + token(modelPage), "eve").statusCode());
    assertTrue(get(guarded, "/ui/models/" + guarded.modelName, "ana").body().contains("@staging"));
  }

  @Test
  void metricHistoriesAreDownsampledOnTheServerWithinTheAskedRange() throws IOException {
    String base = MetricSeries.PATH + "?run_ids=" + fx.longId + "&metric_key=loss";
    JsonNode all = JSON.readTree(get(fx, base + "&max_results=500", null).body());
    assertEquals(500, all.path("metrics").size());
    assertEquals(UiFixture.LONG_POINTS, all.path("total_points").path(fx.longId).asInt());
    assertEquals(0, all.path("metrics").get(0).path("step").asLong());
    assertEquals(UiFixture.LONG_POINTS - 1, all.path("metrics").get(499).path("step").asLong());
    boolean spike = false;
    for (JsonNode m : all.path("metrics")) {
      spike |= m.path("step").asLong() == 77_777;
    }
    assertTrue(spike, "the one outlier survives downsampling");
    JsonNode range = JSON.readTree(get(fx, base + "&max_results=100&start_step=1000&end_step=1999", null).body());
    assertEquals(100, range.path("metrics").size());
    for (JsonNode m : range.path("metrics")) {
      long step = m.path("step").asLong();
      assertTrue(step >= 1000 && step <= 1999, "step " + step);
    }
    JsonNode two = JSON.readTree(get(fx, MetricSeries.PATH + "?metric_key=loss&run_ids=" + String.join("&run_ids=",
        fx.trialIds), null).body());
    assertEquals(90, two.path("metrics").size(), "three histories of 30 points, whole");
    assertEquals(400, get(fx, base + "&max_results=" + (MetricSeries.MAX_POINTS + 1), null).statusCode());
    assertEquals(400, get(fx, MetricSeries.PATH + "?metric_key=loss", null).statusCode());
    assertEquals(404, get(fx, MetricSeries.PATH + "?metric_key=loss&run_ids=nope", null).statusCode());
  }

  @Test
  void artifactsAreServedOnlyAsWhatTheyAreAndNothingOutsideTheRun() {
    String raw = "/ui/runs/" + fx.trialIds.get(1) + "/raw/";
    HttpResponse<String> html = get(fx, raw + "drift-report.html", null);
    assertEquals(200, html.statusCode());
    assertEquals(UiHandler.RAW_POLICY, html.headers().firstValue("Content-Security-Policy").orElse(""));
    assertTrue(html.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("sandbox;"));
    assertEquals("image/png", get(fx, raw + "plot.png", null).headers().firstValue("Content-Type").orElse(""));
    assertTrue(get(fx, raw + "data/sample.csv", null).headers().firstValue("Content-Type").orElse("")
        .startsWith("text/plain"));
    assertEquals("attachment", get(fx, raw + "model/" + dev.mlops.tracking.ModelRegistry.PACKAGE_FILE, null)
        .headers().firstValue("Content-Disposition").orElse("none"));
    for (String escape : List.of("%2e%2e/%2e%2e/mlops.db", "..%2f..%2fmlops.db", "../../../../mlops.db",
        "data/../../../mlops.db", "%252e%252e/mlops.db")) {
      HttpResponse<String> r = get(fx, raw + escape, null);
      assertNotEquals(200, r.statusCode(), escape);
      assertFalse(r.body().startsWith("SQLite format"), escape);
    }
    try (Tracker t = Tracker.open(fx.store); Run run = t.experiment("iris").run("escape").start()) {
      assertThrows(InvalidInputException.class, () -> run.text("../../x", "outside"));
    }
  }
}
