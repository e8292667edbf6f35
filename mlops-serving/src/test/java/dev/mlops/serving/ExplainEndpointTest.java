package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.explain.Explanation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /invocations?explain=true} over loopback gives what {@link ModelService#explain} gives in process. */
class ExplainEndpointTest {
  @TempDir static Path dir;
  private static ModelService service;
  private static ScoringServer server;
  private static HttpClient client;

  @BeforeAll
  static void serve() {
    FolderModelSource source = new FolderModelSource(dir);
    source.register("clf", TestModels.pkg("clf", "a", TestModels.DIAGONAL));
    source.setAlias("clf", "champion", 1);
    service = ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).build();
    server = ScoringServer.builder(service).port(0).threads(2).start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  private static HttpResponse<String> post(String query, List<Map<String, Object>> rows) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/invocations" + query))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CanonicalJson.toString(TestModels.splitBody(rows)))).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void explainedAnswersOverLoopbackEqualTheServicesInProcess() throws Exception {
    List<Map<String, Object>> rows = TestModels.rows(25, 8);
    HttpResponse<String> r = post("?explain=true&top=2", rows);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = CanonicalJson.parse(r.body());
    List<ExplainedPrediction> local = service.explain(rows);
    assertEquals(rows.size(), answer.get("explanations").size());
    for (int i = 0; i < rows.size(); i++) {
      Explanation e = local.get(i).explanation();
      assertEquals(local.get(i).prediction().output(), answer.get("predictions").get(i).asText());
      assertEquals(CanonicalJson.toString(e.toJsonNode(2)), CanonicalJson.toString(answer.get("explanations").get(i)));
      assertEquals(2, answer.get("explanations").get(i).get("contributions").size());
      assertEquals("linear", e.method());
      assertEquals(e.score(), e.total(), 1e-12);
    }
    assertEquals(local.get(0).explanation(), service.explain(rows.get(0)).explanation());
  }

  @Test
  void withoutExplainTheAnswerHasNoExplanationsAndBadParametersAreRefusedByName() throws Exception {
    List<Map<String, Object>> rows = TestModels.rows(3, 9);
    JsonNode plain = CanonicalJson.parse(post("", rows).body());
    assertFalse(plain.has("explanations"));
    JsonNode off = CanonicalJson.parse(post("?explain=false", rows).body());
    assertEquals(plain, off);
    HttpResponse<String> bad = post("?explain=yes", rows);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("INVALID_PARAMETER_VALUE") && bad.body().contains("'explain'")
        && bad.body().contains("'yes'"), bad.body());
    HttpResponse<String> top = post("?explain=true&top=0", rows);
    assertEquals(400, top.statusCode());
    assertTrue(top.body().contains("'top'") && top.body().contains("'0'"), top.body());
    JsonNode defaults = CanonicalJson.parse(post("?explain=true", rows).body());
    assertEquals(2, defaults.get("explanations").get(0).get("contributions").size(), "both inputs, fewer than 5");
  }
}
