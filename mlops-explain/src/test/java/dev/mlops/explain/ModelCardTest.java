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
import dev.mlops.monitoring.Drift;
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
    ModelPackage.Builder builder = ModelPackage.builder("iris").version("1").model(Models.logistic(train, "species"))
        .clock(Models.CLOCK);
    ModelPackage pkg = ExplainedPackage.importance(builder, train, "species").build();
    ModelVersion v;
    try (Run run = tracker.experiment("iris").run("logistic " + HOSTILE).start()) {
      run.param("trainer", "logistic").param("note", HOSTILE).metric("accuracy", 0.97);
      run.dataset("iris.csv", Digest.of(train.toCsv()), train.schema(), "training");
      run.model("model", pkg);
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
      assertTrue(html.contains("No drift report given") && html.contains("Not checked"), html);
      assertFalse(CanonicalJson.parse(card.toJson()).has("evaluation"));
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> ModelCard.builder(tracker, uri).evaluation(iris, "species").slices("region").build());
      assertTrue(e.getMessage().contains("'region'"), e.getMessage());
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
