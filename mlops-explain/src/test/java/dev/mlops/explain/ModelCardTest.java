package dev.mlops.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.monitoring.Check;
import dev.mlops.monitoring.CheckReport;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.Condition;
import dev.mlops.monitoring.ConditionResult;
import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

class ModelCardTest {
  private static final String HOSTILE = "<script>alert('x')</script> & co";

  /** A champion registered from a tracked run, with importance in its package; the card's URI. */
  static String champion(Tracker tracker, Frame train) {
    return champion(tracker, train, run -> { });
  }

  /** As {@link #champion(Tracker, Frame)}, {@code logging} also logging on the champion's run. */
  static String champion(Tracker tracker, Frame train, java.util.function.Consumer<Run> logging) {
    ModelPackage.Builder builder = ModelPackage.builder("iris").version("1").model(Models.logistic(train, "species"))
        .clock(Models.CLOCK);
    ModelPackage pkg = ExplainedPackage.importance(builder, train, "species").build();
    ModelVersion v;
    try (Run run = tracker.experiment("iris").run("logistic " + HOSTILE).start()) {
      run.param("trainer", "logistic").param("note", HOSTILE).metric("accuracy", 0.97);
      run.dataset("iris.csv", Digest.of(train.toCsv()), train.schema(), "training");
      run.model("model", pkg);
      logging.accept(run);
      v = tracker.registry().register("iris", run, "model");
    }
    tracker.registry().setAlias("iris", "champion", v.version());
    tracker.registry().setVersionDescription("iris", v.version(), "Three species from four measurements " + HOSTILE);
    tracker.registry().setVersionTag("iris", v.version(), ModelCard.INTENDED_USE_TAG, "Teaching; not for botany " + HOSTILE);
    return "models:/iris@champion";
  }

  @Test
  void theCardHoldsEverySectionAndEscapesEveryValue(@TempDir Path dir) throws Exception {
    Frame iris = Models.iris();
    try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("mlops.db"))) {
      String uri = champion(tracker, iris);
      ModelCard card = ModelCard.builder(tracker, uri).trainingData(iris).evaluation(iris, "species").slices("species")
          .drift(Drift.between(iris, iris).run()).clock(Models.CLOCK).build();
      JsonNode json = CanonicalJson.parse(card.toJson());
      assertEquals("iris", card.name());
      assertEquals(1, card.version());
      assertTrue(json.at("/model/description").asText().contains(HOSTILE));
      assertTrue(json.at("/model/intendedUse").asText().startsWith("Teaching"));
      assertEquals("champion", json.at("/model/aliases/0").asText());
      assertEquals("permutation", card.importance().orElseThrow().method());
      try (ModelPackage pkg = tracker.registry().load(uri)) {
        assertEquals(pkg.importance().orElseThrow(), card.importance().orElseThrow(), "the package's recorded importance");
        assertEquals(pkg.digest().toString(), json.at("/package/digest").asText());
      }
      assertEquals(Digest.of(iris.toCsv()).toString(), json.at("/trainingData/datasets/0/digest").asText());
      assertEquals(150, json.at("/trainingData/profile/0/count").asLong());
      assertEquals("logistic", json.at("/run/params/trainer").asText());
      assertEquals(0.97, json.at("/run/metrics/accuracy").doubleValue());
      JsonNode overall = json.at("/evaluation/overall");
      assertTrue(overall.path("accuracy").doubleValue() > 0.9, overall.toString());
      assertEquals(3, overall.path("perClass").size());
      assertEquals(50, json.at("/evaluation/slices/species/Iris-setosa/rows").asLong());
      assertEquals(1.0, json.at("/evaluation/slices/species/Iris-setosa/accuracy").doubleValue());
      assertEquals(4, json.at("/signature/inputs").size());
      assertTrue(card.toHtml().contains("Output: <code>org.tribuo.classification.Label</code>, domain Iris-setosa"));
      assertEquals(
          java.util.List.of("data", "run", "package", "version", "alias"),
          java.util.stream.StreamSupport.stream(json.get("lineage").spliterator(), false)
              .map(l -> l.path("kind").asText()).toList());
      assertFalse(json.at("/drift/datasetDrift").asBoolean());
      assertEquals(Models.CLOCK.instant().toString(), json.at("/generatedAt").asText());

      String html = card.toHtml();
      assertFalse(html.contains("<script"), "nothing from the registry may reach the page unescaped");
      assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
      assertFalse(html.contains("src=") || html.contains("href=") || html.contains("<link") || html.contains("@import")
          || html.contains("url("), "self-contained: no external resource");
      FeatureImportance fi = card.importance().orElseThrow();
      assertEquals(fi.features().size(), count(html, "<rect x=\"170\""), "one bar per feature");
      String chart = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
      assertTrue(chart.indexOf(">" + fi.names().get(0) + "<") < chart.indexOf(">" + fi.names().get(3) + "<"),
          "the most important feature on top");
      Path file = dir.resolve("card.html");
      card.writeHtml(file);
      assertEquals(html, Files.readString(file));
    }
  }

  @Test
  void aCardWithoutExtrasStillNamesTheModelAndSaysWhatIsMissing(@TempDir Path dir) {
    Frame iris = Models.iris();
    try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("mlops.db"))) {
      String uri = champion(tracker, iris);
      ModelCard card = ModelCard.of(tracker, uri);
      String html = card.toHtml();
      assertTrue(html.contains("No drift report is logged on the version's run or given")
          && html.contains("No quality check is logged on the version's run or given") && html.contains("Not checked"),
          html);
      assertFalse(CanonicalJson.parse(card.toJson()).has("evaluation"));
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> ModelCard.builder(tracker, uri).evaluation(iris, "species").slices("region").build());
      assertTrue(e.getMessage().contains("'region'"), e.getMessage());
    }
  }

  @Test
  void theCardShowsTheDriftAndQualityReportsLoggedOnTheVersionsRun(@TempDir Path dir) {
    Frame iris = Models.iris();
    Frame setosa = species(iris, "Iris-setosa");
    Frame virginica = species(iris, "Iris-virginica");
    FeatureImportance importance;
    try (ModelPackage pkg = ModelPackage.builder("iris").version("1").model(Models.logistic(iris, "species"))
        .clock(Models.CLOCK).build()) {
      importance = Importance.ofModel(pkg);
    }
    DriftReport drift = Drift.between(setosa, virginica).importance(importance).run();
    CheckReport check = Check.between(setosa, virginica).driftedShare(Condition.atMost(0.1))
        .column("sepal_width").missingShare(Condition.atMost(0.05)).run();
    try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("mlops.db"))) {
      String uri = champion(tracker, iris, run -> run.text("monitoring/drift-" + HOSTILE + ".json", drift.toJson())
          .text("quality-report.json", check.toJson()).text("check-notes.json", "not json {"));
      ModelCard card = ModelCard.of(tracker, uri);
      JsonNode json = CanonicalJson.parse(card.toJson());

      JsonNode d = json.path("drift");
      assertTrue(d.path("datasetDrift").asBoolean(), d.toString());
      assertEquals("monitoring/drift-" + HOSTILE + ".json", d.at("/source/path").asText());
      assertEquals(drift.driftedImportanceShare().getAsDouble(), d.path("driftedImportanceShare").doubleValue());
      var drifted = drift.columns().stream().filter(ColumnDrift::drifted).toList();
      assertEquals(drifted.size(), d.path("driftedColumns").size());
      ColumnDrift first = drifted.get(0);
      JsonNode shown = d.path("driftedColumns").get(0);
      assertEquals(first.column(), shown.path("column").asText());
      assertEquals(first.statistic(), shown.path("statistic").doubleValue());
      assertEquals(importance.share(java.util.List.of(first.column())), shown.path("importanceShare").doubleValue());

      JsonNode q = json.path("quality");
      assertFalse(q.path("passed").asBoolean(), "the drifted share is above its bound");
      assertEquals(check.conditions().size(), q.path("checks").size());
      for (int i = 0; i < check.conditions().size(); i++) {
        ConditionResult c = check.conditions().get(i);
        JsonNode s = q.path("checks").get(i);
        assertEquals(c.value(), s.path("value").asText());
        assertEquals(c.passed(), s.path("passed").asBoolean());
        assertEquals(c.actual(), s.path("actual").doubleValue());
      }

      String html = card.toHtml();
      assertFalse(html.contains("<script"), "a hostile artifact name is shown as text");
      assertTrue(html.contains("<td>" + first.column() + "</td>"), html);
      assertTrue(html.contains(ModelCardHtml.number(first.statistic())), html);
      assertTrue(html.contains("<td>drifted_share</td><td>\u2264 0.1</td><td>" + ModelCardHtml.number(1.0)
          + "</td><td class=\"bad\">failed</td>"), html);
      assertTrue(html.contains("<td>missing_share:sepal_width</td>"), html);
      assertFalse(html.contains("No drift report is logged"), html);
    }
  }

  private static Frame species(Frame iris, String species) {
    return iris.filter(i -> species.equals(iris.column("species").value(i)));
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
