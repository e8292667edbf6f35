package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Conditions: which failed, by how much, in the report, its JSON and its HTML, and the exit status. */
class CheckTest {
  /** 1,000 rows: age (10 % missing in the current data when {@code current}), income, label, prediction. */
  private static Frame frame(long seed, boolean current) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1_000;
    double[] age = new double[n];
    double[] income = new double[n];
    String[] label = new String[n];
    String[] predicted = new String[n];
    for (int i = 0; i < n; i++) {
      age[i] = current && i % 10 == 0 ? Double.NaN : 20 + r.nextDouble() * 50 + (current ? 15 : 0);
      income[i] = r.nextDouble() * 1_000;
      label[i] = r.nextBoolean() ? "yes" : "no";
      // right 95 % of the time on the reference, 80 % on the current data
      predicted[i] = r.nextDouble() < (current ? 0.8 : 0.95) ? label[i] : label[i].equals("yes") ? "no" : "yes";
    }
    return Frame.builder(Schema.of(Field.optional("age", FieldType.DOUBLE), Field.optional("income", FieldType.DOUBLE),
            Field.optional("label", FieldType.STRING), Field.optional("predicted", FieldType.STRING)))
        .column("age", age).column("income", income).column("label", label).column("predicted", predicted).build();
  }

  private static Check check() {
    return Check.between(frame(1, false), frame(2, true)).target("label").prediction("predicted");
  }

  @Test
  void failedConditionsSayWhichAndByHowMuch() {
    CheckReport report = check()
        .condition("accuracy", Condition.atLeast(0.9))
        .driftedShare(Condition.atMost(0.3))
        .column("age").missingShare(Condition.atMost(0.05))
        .condition("recall:yes", Condition.atLeast(0.5))
        .run();
    assertFalse(report.passed());
    assertEquals(1, report.exitStatus());
    double accuracy = report.currentClassification().orElseThrow().accuracy();
    assertTrue(accuracy < 0.85 && accuracy > 0.75, "accuracy " + accuracy);
    assertTrue(report.referenceClassification().orElseThrow().accuracy() > 0.9);
    List<ConditionResult> results = report.conditions();
    assertEquals(List.of("accuracy", "drifted_share", "missing_share:age", "recall:yes"),
        results.stream().map(ConditionResult::value).toList());
    ConditionResult acc = results.get(0);
    assertFalse(acc.passed());
    assertEquals(0.9 - accuracy, acc.shortfall(), 1e-12);
    assertTrue(acc.message().contains("needs ≥ 0.9: failed by"), acc.message());
    ConditionResult drifted = results.get(1);
    assertEquals(0.5, drifted.actual(), 0.0, "age drifted, income did not");
    assertEquals(0.2, drifted.shortfall(), 1e-12);
    ConditionResult missing = results.get(2);
    assertEquals(0.1, missing.actual(), 1e-12);
    assertEquals(0.05, missing.shortfall(), 1e-12);
    assertTrue(results.get(3).passed());
    assertEquals(3, report.failures().size());

    JsonNode json = CanonicalJson.parse(report.toJson());
    assertFalse(json.get("passed").asBoolean());
    assertEquals(0.05, json.get("conditions").get(2).get("shortfall").asDouble(), 1e-12);
    assertEquals("≤ 0.05", json.get("conditions").get(2).get("condition").asText());
    assertTrue(json.get("currentClassification").get("confusion").isArray());
    assertEquals("label", json.get("targetDrift").get("column").asText());
    String html = report.toHtml();
    assertTrue(html.contains("3 of 4 conditions failed"), html);
    assertTrue(html.contains("<tr class=\"failed\"><td>missing_share:age</td><td>≤ 0.05</td><td class=\"n\">0.1</td>"),
        html);
    assertTrue(html.contains("Confusion matrix, current"));
  }

  @Test
  void conditionsThatHoldPassAndExitWithZero() {
    CheckReport report = check().condition("accuracy >= 0.7").condition("log_loss <= 1")
        .condition("drifted_share ≤ 0.5").run();
    assertFalse(report.conditions().get(1).passed(), "no scores: the log loss has no value");
    assertTrue(report.conditions().get(1).message().contains("scores(...)"), report.conditions().get(1).message());
    CheckReport passing = check().condition("accuracy >= 0.7").condition("drifted_share <= 0.5")
        .condition("f1 >= 0.5").run();
    assertTrue(passing.passed(), passing.failures().toString());
    assertEquals(0, passing.exitStatus());
    assertTrue(passing.toHtml().contains("all 3 conditions passed"));
  }

  @Test
  void regressionValuesCanBeConditioned() {
    double[] y = {1, 2, 3, 4, 5, 6};
    double[] yhat = {1.5, 2, 2.5, 4, 6, 6};
    Frame f = Frame.builder(Schema.of(Field.optional("y", FieldType.DOUBLE), Field.optional("yhat", FieldType.DOUBLE),
        Field.optional("x", FieldType.DOUBLE))).column("y", y).column("yhat", yhat).column("x", y).build();
    CheckReport report = Check.between(f, f).target("y").prediction("yhat").condition("mae <= 0.25")
        .condition("rmse <= 1").condition("accuracy >= 0.5").run();
    assertEquals(1.0 / 3, report.conditions().get(0).actual(), 1e-12);
    assertEquals(1.0 / 3 - 0.25, report.conditions().get(0).shortfall(), 1e-12);
    assertTrue(report.conditions().get(1).passed());
    assertFalse(report.conditions().get(2).passed(), "no classification on a numeric target");
    assertTrue(report.toHtml().contains("Regression quality"));
  }

  @Test
  void badConditionsAreRefusedWithTheirText() {
    InvalidInputException unknown = assertThrows(InvalidInputException.class,
        () -> check().condition("acuracy", Condition.atLeast(0.9)));
    assertTrue(unknown.getMessage().contains("'acuracy'") && unknown.getMessage().contains("accuracy"),
        unknown.getMessage());
    InvalidInputException text = assertThrows(InvalidInputException.class, () -> check().condition("accuracy > 0.9"));
    assertTrue(text.getMessage().contains("'accuracy > 0.9'"), text.getMessage());
    assertThrows(InvalidInputException.class, () -> check().condition("missing_share:", Condition.atMost(1)));
    assertThrows(InvalidInputException.class, () -> Condition.between(2, 1));
    assertThrows(InvalidInputException.class, () -> Check.between(frame(1, false), frame(2, true)).target("nope").run());
  }

  @Test
  void tooManyClassesAreRefusedBeforeTheConfusionMatrixIsAllocated() {
    String[] truth = new String[ClassificationQuality.MAX_CLASSES + 1];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = "c" + i;
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ClassificationQuality.of(truth, truth, java.util.Map.of()));
    assertTrue(e.getMessage().contains("1001 classes"), e.getMessage());
  }
}
