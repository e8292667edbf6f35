package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classification and regression quality against the values of the committed NumPy script
 * (src/test/resources/fixtures/quality.py, scikit-learn's definitions written out) to 1e-12,
 * computed directly and through a {@link Check} on frames.
 */
class QualityFixtureTest {
  private static final double TOLERANCE = 1e-12;

  private static JsonNode fixtures() {
    try (InputStream in = QualityFixtureTest.class.getResourceAsStream("/fixtures/quality.json")) {
      return CanonicalJson.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<JsonNode> classification() {
    List<JsonNode> all = new ArrayList<>();
    fixtures().get("classification").forEach(all::add);
    return all.stream();
  }

  static Stream<JsonNode> regression() {
    List<JsonNode> all = new ArrayList<>();
    fixtures().get("regression").forEach(all::add);
    return all.stream();
  }

  private static String[] strings(JsonNode array) {
    String[] out = new String[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).isNull() ? null : array.get(i).asText();
    }
    return out;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).isNull() ? Double.NaN : array.get(i).asDouble();
    }
    return out;
  }

  private static Map<String, double[]> scores(JsonNode c) {
    Map<String, double[]> scores = new TreeMap<>();
    if (c.has("scores")) {
      c.get("scores").properties().forEach(e -> scores.put(e.getKey(), doubles(e.getValue())));
    }
    return scores;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classification")
  void classificationEqualsTheFixture(JsonNode c) {
    ClassificationQuality direct = ClassificationQuality.of(strings(c.get("truth")), strings(c.get("predicted")),
        scores(c));
    assertClassification(c, direct);
    assertClassification(c, throughCheck(c).currentClassification().orElseThrow());
  }

  private static CheckReport throughCheck(JsonNode c) {
    String[] truth = strings(c.get("truth"));
    List<Field> fields = new ArrayList<>(List.of(Field.optional("label", FieldType.STRING),
        Field.optional("predicted", FieldType.STRING), Field.optional("x", FieldType.DOUBLE)));
    Map<String, double[]> scores = scores(c);
    scores.keySet().forEach(k -> fields.add(Field.optional("score_" + k, FieldType.DOUBLE)));
    double[] x = new double[truth.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 7;
    }
    FrameBuilder b = Frame.builder(Schema.of(fields)).column("label", truth)
        .column("predicted", strings(c.get("predicted"))).column("x", x);
    scores.forEach((k, v) -> b.column("score_" + k, v));
    Frame frame = b.build();
    Check check = Check.between(frame, frame).target("label").prediction("predicted");
    if (!scores.isEmpty()) {
      check.scores("score_");
    }
    CheckReport report = check.run();
    assertEquals(List.of("x"), report.drift().columns().stream().map(ColumnDrift::column).toList(),
        "target, prediction and scores are not features");
    return report;
  }

  private static void assertClassification(JsonNode c, ClassificationQuality q) {
    String name = c.get("name").asText();
    assertEquals(List.of(strings(c.get("classes"))), q.classes(), name);
    assertEquals(c.get("accuracy").asDouble(), q.accuracy(), TOLERANCE, name + " accuracy");
    for (String k : q.classes()) {
      assertEquals(c.get("precision").get(k).asDouble(), q.precision().get(k), TOLERANCE, name + " precision " + k);
      assertEquals(c.get("recall").get(k).asDouble(), q.recall().get(k), TOLERANCE, name + " recall " + k);
      assertEquals(c.get("f1").get(k).asDouble(), q.f1().get(k), TOLERANCE, name + " f1 " + k);
    }
    assertEquals(c.get("precisionMacro").asDouble(), q.precisionMacro(), TOLERANCE, name);
    assertEquals(c.get("recallMacro").asDouble(), q.recallMacro(), TOLERANCE, name);
    assertEquals(c.get("f1Macro").asDouble(), q.f1Macro(), TOLERANCE, name);
    long[][] confusion = q.confusion();
    for (int i = 0; i < confusion.length; i++) {
      long[] expected = new long[confusion.length];
      for (int j = 0; j < expected.length; j++) {
        expected[j] = c.get("confusion").get(i).get(j).asLong();
      }
      assertArrayEquals(expected, confusion[i], name + " confusion row " + i);
    }
    assertEquals(c.has("logLoss"), q.logLoss().isPresent(), name);
    if (c.has("logLoss")) {
      assertEquals(c.get("logLoss").asDouble(), q.logLoss().getAsDouble(), TOLERANCE, name + " log loss");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regression")
  void regressionEqualsTheFixture(JsonNode c) {
    double[] truth = doubles(c.get("truth"));
    double[] predicted = doubles(c.get("predicted"));
    assertRegression(c, RegressionQuality.of(truth, predicted));
    Frame frame = Frame.builder(Schema.of(Field.optional("y", FieldType.DOUBLE), Field.optional("yhat", FieldType.DOUBLE)))
        .column("y", truth).column("yhat", predicted).build();
    assertRegression(c, Check.between(frame, frame).target("y").prediction("yhat").run().currentRegression()
        .orElseThrow());
  }

  private static void assertRegression(JsonNode c, RegressionQuality q) {
    String name = c.get("name").asText();
    double scale = Math.max(1, Math.abs(c.get("mape").asDouble()));
    assertEquals(c.get("mae").asDouble(), q.mae(), TOLERANCE, name + " mae");
    assertEquals(c.get("rmse").asDouble(), q.rmse(), TOLERANCE, name + " rmse");
    assertEquals(c.get("mape").asDouble(), q.mape(), TOLERANCE * scale, name + " mape");
    assertEquals(c.get("r2").asDouble(), q.r2(), TOLERANCE, name + " r2");
    assertEquals(c.get("meanError").asDouble(), q.meanError(), TOLERANCE, name + " mean error");
    assertEquals(c.get("errorStd").asDouble(), q.errorStd(), TOLERANCE, name + " error std");
    assertArrayEquals(doubles(c.get("errorQuantiles")), q.errorQuantiles(), TOLERANCE, name + " quantiles");
    assertTrue(q.rows() + q.skipped() == c.get("truth").size(), name);
  }
}
