package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/** The scoring server over loopback with the JDK's HTTP client. */
class ScoringServerTest {
  private static final int BODY_LIMIT = 4096;
  private static final String JSON = "application/json";

  @TempDir static Path dir;
  private static ModelPackage pkg;
  private static FolderModelSource source;
  private static ModelService service;
  private static ScoringServer server;
  private static HttpClient client;

  @BeforeAll
  static void serve() {
    source = new FolderModelSource(dir);
    pkg = TestModels.pkg("clf", "a", TestModels.DIAGONAL);
    source.register("clf", pkg);
    source.setAlias("clf", "champion", 1);
    service = ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).build();
    server = ScoringServer.builder(service).port(0).threads(2).maxBodyBytes(BODY_LIMIT).start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  @AfterEach
  void stillServing() throws Exception {
    HttpResponse<String> r = post("/invocations", "{\"dataframe_records\":[{\"x1\":1.0,\"x2\":1.0}]}", JSON);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("pos", json(r).get("predictions").get(0).asText());
  }

  static HttpResponse<String> post(String path, String body, String contentType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(JSON), r.headers().toString());
    return CanonicalJson.parse(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String code, String... mentions) {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode error = json(r);
    assertEquals(code, error.get("error_code").asText(), r.body());
    String message = error.get("message").asText();
    for (String m : mentions) {
      assertTrue(message.contains(m), "'" + message + "' should mention '" + m + "'");
    }
  }

  @Test
  void answersEqualTheInProcessPredictorsInBothFormats() throws Exception {
    List<Map<String, Object>> rows = TestModels.rows(40, 3);
    ObjectNode split = TestModels.splitBody(rows);
    ObjectNode records = CanonicalJson.object();
    ArrayNode list = records.putArray("dataframe_records");
    for (Map<String, Object> row : rows) {
      list.addObject().put("x1", (Double) row.get("x1")).put("x2", (Double) row.get("x2"));
    }
    Predictor<Label> predictor = pkg.predictor(Label.class);
    for (ObjectNode body : List.of(split, records)) {
      HttpResponse<String> r = post("/invocations", CanonicalJson.toString(body), JSON);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode answer = json(r);
      assertEquals(rows.size(), answer.get("predictions").size());
      assertEquals(rows.size(), answer.get("scores").size());
      for (int i = 0; i < rows.size(); i++) {
        Prediction<Label> expected = predictor.predict(rows.get(i));
        assertEquals(expected.getOutput().getLabel(), answer.get("predictions").get(i).asText());
        for (Map.Entry<String, Label> score : expected.getOutputScores().entrySet()) {
          assertEquals(score.getValue().getScore(), answer.get("scores").get(i).get(score.getKey()).doubleValue(), 0.0);
        }
      }
    }
  }

  @Test
  void integerValuesWidenToDoubleInputs() throws Exception {
    HttpResponse<String> r = post("/invocations", "{\"dataframe_split\":{\"columns\":[\"x1\",\"x2\"],\"data\":[[2,1]]}}", JSON);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("pos", json(r).get("predictions").get(0).asText());
  }

  @Test
  void malformedJsonIs400() throws Exception {
    assertError(post("/invocations", "{\"dataframe_split\": {", JSON), 400, "MALFORMED_REQUEST",
        "malformed JSON", "Unexpected end-of-input", "line 1, column 22");
  }

  @Test
  void anEmptyBodyIs400() throws Exception {
    assertError(post("/invocations", "", JSON), 400, "MALFORMED_REQUEST", "empty");
  }

  @Test
  void aBodyOfAnotherShapeIs400() throws Exception {
    assertError(post("/invocations", "{\"rows\":[[1,2]]}", JSON), 400, "MALFORMED_REQUEST",
        "dataframe_split", "dataframe_records", "instances", "inputs", "[rows]");
    assertError(post("/invocations", "{\"instances\":[[1,2]]}", JSON), 400, "MALFORMED_REQUEST",
        "\"instances\"[0]", "dataframe_split");
    assertError(post("/invocations", "{\"dataframe_split\":{\"columns\":[\"x1\",\"x2\"],\"data\":[[1]]}}", JSON),
        400, "MALFORMED_REQUEST", "data[0]", "2 values");
  }

  @Test
  void aMissingRequiredColumnIs422NamingIt() throws Exception {
    assertError(post("/invocations", "{\"dataframe_records\":[{\"x1\":1.0}]}", JSON), 422, "INVALID_PARAMETER_VALUE",
        "missing required inputs [x2]");
  }

  @Test
  void aWrongTypeIs422NamingTheColumnAndTypes() throws Exception {
    assertError(post("/invocations", "{\"dataframe_records\":[{\"x1\":\"high\",\"x2\":1.0}]}", JSON), 422,
        "INVALID_PARAMETER_VALUE", "'x1'", "double", "string");
    assertError(post("/invocations", "{\"dataframe_records\":[{\"x1\":[1],\"x2\":1.0}]}", JSON), 422,
        "INVALID_PARAMETER_VALUE", "'x1'", "[1]");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String big = "{\"dataframe_records\":[" + "{\"x1\":1.0,\"x2\":1.0},".repeat(400) + "{\"x1\":1.0,\"x2\":1.0}]}";
    assertTrue(big.length() > BODY_LIMIT);
    assertError(post("/invocations", big, JSON), 413, "REQUEST_TOO_LARGE", Integer.toString(BODY_LIMIT));
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws Exception {
    byte[] big = ("{\"dataframe_records\":[" + "{\"x1\":1.0,\"x2\":1.0},".repeat(400) + "{}]}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/invocations"))
        .header("Content-Type", JSON)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
        .build();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertError(r, 413, "REQUEST_TOO_LARGE", "limit of " + BODY_LIMIT);
    assertEquals("close", r.headers().firstValue("Connection").orElse(""), r.headers().toString());
  }

  @Test
  void aBodyThatIsNeitherJsonNorCsvIs415() throws Exception {
    for (String type : List.of("application/jsonx", "text/plain", "application/json-patch+json", "text/csvx")) {
      assertError(post("/invocations", "{\"dataframe_records\":[{\"x1\":1.0,\"x2\":1.0}]}", type), 415,
          "UNSUPPORTED_MEDIA_TYPE", type, "application/json", "text/csv");
    }
    HttpResponse<String> withParameters = post("/invocations", "{\"dataframe_records\":[{\"x1\":1.0,\"x2\":1.0}]}",
        "Application/JSON; charset=utf-8");
    assertEquals(200, withParameters.statusCode(), withParameters.body());
  }

  @Test
  void anUnknownPathIs404() throws Exception {
    assertError(send("GET", "/predict"), 404, "ENDPOINT_NOT_FOUND", "/predict", "/invocations");
  }

  @ParameterizedTest
  @CsvSource({"GET,/invocations,POST", "PUT,/invocations,POST", "POST,/health,'GET, HEAD'", "DELETE,/metrics,'GET, HEAD'"})
  void aWrongMethodIs405WithAllow(String method, String path, String allowed) throws Exception {
    HttpResponse<String> r = send(method, path);
    assertError(r, 405, "METHOD_NOT_ALLOWED", method, path);
    assertEquals(allowed, r.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void healthAndVersionDescribeTheServedModel() throws Exception {
    HttpResponse<String> health = send("GET", "/health");
    assertEquals(200, health.statusCode());
    JsonNode status = json(health);
    assertEquals("serving", status.get("status").asText());
    assertEquals(1, status.get("registry_version").intValue(), "the registry's number, as a number");
    assertTrue(status.get("registry_version").isIntegralNumber());
    assertEquals("a", status.get("package_version").asText(), "the package's own version string");
    assertTrue(status.path("version").isMissingNode(), "no field that could be either");
    JsonNode version = json(send("GET", "/version"));
    assertEquals("clf", version.get("name").asText());
    assertEquals("1", version.get("version").asText());
    assertEquals(1, version.get("registry_version").intValue());
    assertEquals("a", version.get("package_version").asText());
    assertEquals(pkg.digest().toString(), version.get("package_digest").asText());
    assertEquals("models:/clf@champion", version.get("uri").asText());
  }

  @Test
  void aHostRegistryReceivesTheMetersAndMetricsServesItWhenItHoldsAPrometheusOne() throws Exception {
    CompositeMeterRegistry host = new CompositeMeterRegistry();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    host.add(prometheus);
    try (ModelService hosted = ModelService.builder(source, "models:/clf@champion")
            .pollEvery(Duration.ZERO).meterRegistry(host).build();
         ScoringServer s = ScoringServer.builder(hosted).port(0).start()) {
      client.send(HttpRequest.newBuilder(s.uri().resolve("/invocations"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"dataframe_records\":[{\"x1\":1.0,\"x2\":1.0}]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      String text = client.send(HttpRequest.newBuilder(s.uri().resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(text.contains("mlops_predictions_total{label=\"pos\",model=\"clf\",version=\"1\"} 1"), text);
      assertEquals(1.0, prometheus.get(ServiceMeters.PREDICTIONS).counter().count());
    }
    SimpleMeterRegistry plain = new SimpleMeterRegistry();
    try (ScoringServer s = ScoringServer.builder(service).port(0).meterRegistry(plain).start()) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(s.uri().resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertError(r, 404, "ENDPOINT_NOT_FOUND", "host's meter registry", "PrometheusMeterRegistry");
      // A request is counted once its answer is written, just after the client has read it.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (plain.find(ServingMetrics.REQUESTS).tag("status", "404").timer() == null && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, plain.get(ServingMetrics.REQUESTS).tag("endpoint", "/metrics").tag("status", "404").timer().count());
    }
    assertTrue(plain.getMeters().isEmpty(), "a closed server takes its meters out of the host's registry");
  }

  @Test
  void headOfHealthAnswersItsHeadersWithoutABody() throws Exception {
    HttpResponse<String> head = send("HEAD", "/health");
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertTrue(head.headers().firstValue("Content-Type").orElseThrow().startsWith(JSON));
    int length = Integer.parseInt(head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(send("GET", "/health").body().getBytes(StandardCharsets.UTF_8).length, length);
  }

  @Test
  void metricsArePrometheusTextWithScoringAndHealthApart() throws Exception {
    post("/invocations", "{\"dataframe_records\":[{\"x1\":1.0}]}", JSON);
    post("/invocations", "{\"dataframe_records\":[{\"x1\":1.0,\"x2\":1.0},{\"x1\":-2.0,\"x2\":-1.0}]}", JSON);
    send("GET", "/health");
    send("GET", "/no/such/path");
    String port = "port=\"" + server.port() + "\"";
    List<String> expected = List.of(
        "# TYPE mlops_http_requests_seconds histogram",
        "mlops_http_requests_seconds_count{endpoint=\"/invocations\"," + port + ",status=\"200\"} ",
        "mlops_http_requests_seconds_count{endpoint=\"/invocations\"," + port + ",status=\"422\"} ",
        "mlops_http_requests_seconds_count{endpoint=\"/health\"," + port + ",status=\"200\"} ",
        "mlops_http_requests_seconds_count{endpoint=\"other\"," + port + ",status=\"404\"} ",
        "mlops_http_requests_seconds_bucket{endpoint=\"/invocations\"," + port + ",status=\"200\",le=\"+Inf\"} ",
        "mlops_predictions_total{label=\"neg\",model=\"clf\",version=\"1\"} ",
        "mlops_predictions_total{label=\"pos\",model=\"clf\",version=\"1\"} ",
        "mlops_model_info{name=\"clf\",package_digest=\"" + pkg.digest() + "\",package_version=\"a\",role=\"champion\","
            + "uri=\"models:/clf@champion\",version=\"1\"} 1",
        "mlops_model_swaps_total{role=\"champion\"} 0",
        "mlops_model_refresh_failures_total{role=\"champion\"} 0",
        "mlops_model_refresh_failing 0");
    // A request is counted once its answer is written, just after its client has read it: look again, bounded.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> r = send("GET", "/metrics");
    while (!expected.stream().allMatch(r.body()::contains) && System.nanoTime() < deadline) {
      r = send("GET", "/metrics");
    }
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
    String text = r.body();
    for (String e : expected) {
      assertTrue(text.contains(e), "metrics should contain '" + e + "':\n" + text);
    }
    assertTrue(!text.contains("/no/such/path"), "a client's path never becomes a series");
  }
}
