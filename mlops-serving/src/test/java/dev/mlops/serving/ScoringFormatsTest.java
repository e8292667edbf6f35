package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.ModelSignature;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

/** The scoring formats of {@code mlflow models serve}, over loopback with the JDK's HTTP client. */
class ScoringFormatsTest {
  private static final String JSON = "application/json";
  private static final String CSV = "text/csv";

  @TempDir static Path dir;
  private static ModelPackage pkg;
  private static ModelService service;
  private static ScoringServer server;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void serve() {
    pkg = TestModels.pkg("clf", "a", TestModels.DIAGONAL);
    service = TestModels.service(dir, TestModels.DIAGONAL);
    server = ScoringServer.builder(service).port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  private static HttpResponse<String> post(String body, String type) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/invocations")).header("Content-Type", type)
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String message(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith(JSON));
    return CanonicalJson.parse(r.body()).get("message").asText();
  }

  @Test
  void everyFormatGivesThePredictionsOfThePackagesPredictor() throws Exception {
    List<Map<String, Object>> rows = TestModels.rows(25, 5);
    ObjectNode split = TestModels.splitBody(rows);
    ArrayNode records = CanonicalJson.array();
    ObjectNode columns = CanonicalJson.object();
    StringBuilder csv = new StringBuilder("\"x2\",x1\r\n");
    for (Map<String, Object> row : rows) {
      records.addObject().put("x1", (Double) row.get("x1")).put("x2", (Double) row.get("x2"));
      columns.withArray("x1").add((Double) row.get("x1"));
      columns.withArray("x2").add((Double) row.get("x2"));
      csv.append(row.get("x2")).append(',').append(row.get("x1")).append("\r\n");
    }
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("dataframe_split", CanonicalJson.toString(split));
    bodies.put("dataframe_records", "{\"dataframe_records\":" + records + "}");
    bodies.put("instances as rows", "{\"instances\":" + records + "}");
    bodies.put("instances as columns", "{\"instances\":" + columns + "}");
    bodies.put("inputs as rows", "{\"inputs\":" + records + "}");
    bodies.put("inputs as columns", "{\"inputs\":" + columns + "}");
    List<String> expected = rows.stream().map(r -> pkg.predictor(Label.class).predict(r).getOutput().getLabel()).toList();
    for (Map.Entry<String, String> body : bodies.entrySet()) {
      assertPredicts(expected, post(body.getValue(), JSON), body.getKey());
    }
    assertPredicts(expected, post(csv.toString(), CSV), "text/csv");
    assertPredicts(expected, post(csv.toString(), "text/csv; charset=utf-8"), "text/csv with a charset");
  }

  private static void assertPredicts(List<String> expected, HttpResponse<String> r, String format) {
    assertEquals(200, r.statusCode(), format + ": " + r.body());
    JsonNode predictions = CanonicalJson.parse(r.body()).get("predictions");
    assertEquals(expected.size(), predictions.size(), format);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), predictions.get(i).asText(), format + " row " + i);
    }
  }

  @Test
  void csvCellsAreReadByTheSignatureAndBadOnesNamed() throws Exception {
    assertEquals(200, post("x1,x2\n2,1\n", CSV).statusCode(), "whole numbers widen to double inputs");
    assertTrue(message(post("x1,x2\n2,\n", CSV), 422).contains("missing required inputs [x2]"), "an empty cell is missing");
    String high = message(post("x1,x2\nhigh,1\n", CSV), 422);
    assertTrue(high.contains("row 0") && high.contains("'x1'") && high.contains("'high'"), high);
    String ragged = message(post("x1,x2\n1,2\n1,2,3\n", CSV), 400);
    assertTrue(ragged.contains("malformed CSV") && ragged.contains("line 3"), ragged);
    assertTrue(message(post("", CSV), 400).contains("empty"));
    assertTrue(message(post("x1,x2\n", CSV), 400).contains("no rows"));
  }

  @Test
  void anUnknownColumnIsNamedWithWhatItWasProbablyMeantToBe() throws Exception {
    String m = message(post("{\"dataframe_records\":[{\"x1\":1.0,\"x_2\":1.0}]}", JSON), 422);
    assertTrue(m.startsWith("unknown input 'x_2'; did you mean 'x2'? missing required inputs [x2]"), m);
    String csv = message(post("x1,X2_\n1,1\n", CSV), 422);
    assertTrue(csv.startsWith("unknown input 'X2_'; did you mean 'x2'?"), csv);
    assertEquals(200, post("{\"dataframe_records\":[{\"x1\":1.0,\"x2\":1.0,\"x_2\":5}]}", JSON).statusCode(),
        "an extra column is ignored when nothing is missing, as MLflow ignores it");
  }

  @Test
  void theSuggestionIsTheClosestInputOfTheSignature() {
    ModelSignature iris = ModelSignature.of(Schema.of(Field.of("sepal_length", FieldType.DOUBLE),
        Field.of("sepal_width", FieldType.DOUBLE), Field.of("petal_length", FieldType.DOUBLE),
        Field.of("petal_width", FieldType.DOUBLE)), Label.class, List.of("setosa"));
    InvalidInputException missing = new InvalidInputException("missing required inputs [sepal_length]");
    InvalidInputException e = UnknownInputs.explain(missing,
        Map.of("sepal_lenght", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2), iris);
    assertEquals("unknown input 'sepal_lenght'; did you mean 'sepal_length'? missing required inputs [sepal_length]", e.getMessage());
    assertEquals(missing, UnknownInputs.explain(missing, Map.of("sepal_width", 1.0), iris), "nothing unknown, nothing added");
    assertEquals(2, UnknownInputs.distance("sepal_lenght", "sepal_length"));
    assertEquals(0, UnknownInputs.distance("X1", "x1"));
    assertEquals(3, UnknownInputs.distance("", "abc"));
  }

  @Test
  void numbersBeyondTheRangeOfADoubleAre422NamingTheColumn() throws Exception {
    String huge = "1" + "0".repeat(400);
    for (String number : List.of("1e400", "-1e400", "1E+999", huge)) {
      for (String body : List.of("{\"dataframe_records\":[{\"x1\":" + number + ",\"x2\":1.0}]}",
          "{\"dataframe_split\":{\"columns\":[\"x1\",\"x2\"],\"data\":[[" + number + ",1.0]]}}",
          "{\"inputs\":{\"x1\":[" + number + "],\"x2\":[1.0]}}")) {
        String m = message(post(body, JSON), 422);
        assertTrue(m.contains("input 'x1' is") && m.contains("Infinity") && m.contains("finite"), m);
      }
      String m = message(post("x1,x2\n" + number + ",1\n", CSV), 422);
      assertTrue(m.contains("input 'x1' is") && m.contains("finite"), m);
    }
  }

  @Test
  void malformedJsonNamesLineAndColumnAndNoParserInternals() throws Exception {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("an object left open", "{\n  \"dataframe_split\": {\n    \"columns\": [\"x1\", \"x2\"]\n");
    bodies.put("a bad token", "{\"dataframe_records\": [{\"x1\": tru}]}");
    bodies.put("trailing text", "{\"dataframe_records\": []} and more");
    bodies.put("nesting 5,000 deep", "[".repeat(5_000));
    bodies.put("a control character", "{\"dataframe_records\u0001\": []}");
    bodies.put("a number too long", "{\"dataframe_records\":[{\"x1\":" + "9".repeat(2_000) + ".5}]}");
    bodies.put("a lone quote", "\"");
    for (Map.Entry<String, String> body : bodies.entrySet()) {
      String m = message(post(body.getValue(), JSON), 400);
      assertTrue(m.contains("malformed JSON") && m.matches(".* at line \\d+, column \\d+"), body.getKey() + ": " + m);
      for (String internal : List.of("Source", "REDACTED", "StreamRead", "`", "fasterxml", "jackson", "Exception")) {
        assertFalse(m.toLowerCase(Locale.ROOT).contains(internal.toLowerCase(Locale.ROOT)), body.getKey() + ": " + m);
      }
    }
    String open = message(post(bodies.get("an object left open"), JSON), 400);
    assertTrue(open.contains("line 4, column 1"), open);
  }
}
