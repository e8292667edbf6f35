package dev.mlops.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.packaging.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.regression.Regressor;

/**
 * Importance and explanations on Fisher's Iris data against values computed independently: the
 * permutation importance recomputed with NumPy ({@code src/test/python/permutation_importance.py})
 * from the model's own predictions on every shuffled copy, and the exact weights of a linear model.
 */
class IrisReferenceTest {
  private static final Path FIXTURES = Path.of("src/test/resources/datasets");
  private static final int REPEATS = 5;
  private static final long SEED = 3;
  private static final Frame IRIS = Models.iris();
  private static final Frame MEASURES = IRIS.select("sepal_length", "sepal_width", "petal_length", "petal_width");
  private static final ModelPackage CLASSIFIER = Models.pack("iris", Models.logistic(IRIS, "species"));
  private static final ModelPackage REGRESSOR =
      Models.pack("iris-petal-width", Models.linearRegression(MEASURES, "petal_width"));

  @Test
  void classificationImportanceEqualsTheOneNumPyRecomputesFromThePredictions() throws IOException {
    check("classification", CLASSIFIER, IRIS, "species", List.of(ScoreMetric.ACCURACY, ScoreMetric.LOG_LOSS));
  }

  @Test
  void regressionImportanceEqualsTheOneNumPyRecomputesFromThePredictions() throws IOException {
    check("regression", REGRESSOR, MEASURES, "petal_width", List.of(ScoreMetric.MAE, ScoreMetric.RMSE, ScoreMetric.R2));
  }

  private static void check(String kind, ModelPackage pkg, Frame frame, String output, List<ScoreMetric> metrics)
      throws IOException {
    ObjectNode predictions = predictions(pkg, frame, output, metrics);
    Path shuffles = FIXTURES.resolve("iris-" + kind + "-shuffles.json");
    if (Boolean.getBoolean("explain.writeFixtures")) {
      Files.writeString(shuffles, CanonicalJson.toPrettyString(predictions) + "\n");
    }
    JsonNode committed = CanonicalJson.parse(Files.readAllBytes(shuffles));
    assertSameNumbers(committed, predictions, kind + " predictions");
    JsonNode reference = CanonicalJson.parse(Files.readAllBytes(FIXTURES.resolve("iris-" + kind + "-importance.json")));
    for (ScoreMetric metric : metrics) {
      FeatureImportance fi = Importance.permutation().metric(metric).repeats(REPEATS).seed(SEED)
          .compute(pkg.predictor(), frame, output);
      JsonNode expected = reference.get(metric.jsonName());
      assertEquals(expected.get("baseline").doubleValue(), fi.baseline(), 1e-12, metric.jsonName());
      assertEquals(expected.get("features").size(), fi.features().size());
      for (FeatureImportance.Feature f : fi.features()) {
        JsonNode e = expected.get("features").get(f.name());
        assertEquals(e.get("mean").doubleValue(), f.mean(), 1e-12, metric + " " + f.name());
        assertEquals(e.get("std").doubleValue(), f.std(), 1e-12, metric + " " + f.name());
      }
    }
  }

  /** The true outputs and the model's predictions on the data and on every shuffle the importance makes. */
  private static ObjectNode predictions(ModelPackage pkg, Frame frame, String output, List<ScoreMetric> metrics) {
    ObjectNode doc = CanonicalJson.object();
    metrics.forEach(m -> doc.withArray("metrics").add(m.jsonName()));
    Frame data = frame.select(pkg.signature().inputs().names());
    ArrayNode truth = doc.putArray("truth");
    for (int i = 0; i < frame.rowCount(); i++) {
      Object v = frame.column(output).value(i);
      if (v instanceof Double d) {
        truth.add(d);
      } else {
        truth.add((String) v);
      }
    }
    List<String> labels = pkg.signature().outputDomain();
    labels.forEach(doc.putArray("labels")::add);
    doc.set("baseline", predicted(pkg, data, labels));
    ArrayNode shuffles = doc.putArray("shuffles");
    for (int c = 0; c < data.columnCount(); c++) {
      for (int k = 0; k < REPEATS; k++) {
        Frame shuffled = PermutationImportance.shuffled(data, c, new SplittableRandom(PermutationImportance.mix(SEED, c, k)));
        ObjectNode s = predicted(pkg, shuffled, labels);
        s.put("column", data.columnNames().get(c)).put("repeat", k);
        shuffles.add(s);
      }
    }
    return doc;
  }

  private static ObjectNode predicted(ModelPackage pkg, Frame data, List<String> labels) {
    ObjectNode o = CanonicalJson.object();
    ArrayNode values = o.putArray("predicted");
    ArrayNode probabilities = o.putArray("probabilities");
    for (Prediction<?> p : pkg.predictor().predict(data)) {
      if (p.getOutput() instanceof Label label) {
        values.add(label.getLabel());
        ArrayNode row = probabilities.addArray();
        labels.forEach(l -> row.add(((Label) p.getOutputScores().get(l)).getScore()));
      } else {
        values.add(((Regressor) p.getOutput()).getValues()[0]);
      }
    }
    return o;
  }

  private static void assertSameNumbers(JsonNode expected, JsonNode actual, String where) {
    if (expected.isNumber()) {
      assertEquals(expected.doubleValue(), actual.doubleValue(), 1e-12 * Math.max(1, Math.abs(expected.doubleValue())),
          where);
    } else if (expected.isContainerNode()) {
      assertEquals(expected.size(), actual.size(), where);
      if (expected.isArray()) {
        for (int i = 0; i < expected.size(); i++) {
          assertSameNumbers(expected.get(i), actual.get(i), where + "[" + i + "]");
        }
      } else {
        expected.fieldNames().forEachRemaining(f -> assertSameNumbers(expected.get(f), actual.get(f), where + "." + f));
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }

  @Test
  void linearRegressionContributionsAreItsExactWeightsTimesTheValues() {
    AbstractLinearSGDModel<?> model = (AbstractLinearSGDModel<?>) REGRESSOR.model();
    DenseMatrix w = model.getWeightsCopy();
    ImmutableFeatureMap features = model.getFeatureIDMap();
    Explainer explainer = Explainer.of(REGRESSOR);
    for (int i = 0; i < IRIS.rowCount(); i += 7) {
      Map<String, Object> row = MEASURES.row(i);
      Explanation e = explainer.explain(row);
      double predicted = ((Regressor) REGRESSOR.predictor().predict(row).getOutput()).getValues()[0];
      assertEquals(predicted, e.score(), 1e-12);
      assertEquals(predicted, e.total(), 1e-12);
      for (Contribution c : e.contributions()) {
        double exact = w.get(0, features.getID(c.input())) * (Double) row.get(c.input());
        assertEquals(exact, c.contribution(), 1e-15, c.input());
      }
    }
  }

  /**
   * The local surrogate, run on a model that is exactly linear, must find its weights: each
   * contribution is weight × (value − training mean), and base + Σ is the prediction.
   */
  @Test
  void theLocalSurrogateOfALinearModelRecoversItsExactWeights() {
    AbstractLinearSGDModel<?> model = (AbstractLinearSGDModel<?>) REGRESSOR.model();
    DenseMatrix w = model.getWeightsCopy();
    ImmutableFeatureMap features = model.getFeatureIDMap();
    FeatureInputs inputs = new FeatureInputs(REGRESSOR.signature());
    for (int i = 0; i < IRIS.rowCount(); i += 11) {
      Map<String, Object> row = MEASURES.row(i);
      Prediction<?> p = REGRESSOR.predictor().predict(row);
      Map<String, String> values = new java.util.LinkedHashMap<>();
      REGRESSOR.signature().inputs().names().forEach(n -> values.put(n, row.get(n).toString()));
      Explanation e = SurrogateContributions.explain(model, p, "petal_width", "petal_width", inputs, values, 5, 500);
      assertEquals(1, e.fidelity().getAsDouble(), 1e-9, e.toString());
      assertEquals(e.score(), e.total(), 1e-9);
      for (Contribution c : e.contributions()) {
        double mean = Surrogate.moments(features.get(c.input()), Surrogate.totalExamples(features))[0];
        double exact = w.get(0, features.getID(c.input())) * ((Double) row.get(c.input()) - mean);
        assertEquals(exact, c.contribution(), 1e-6 * Math.max(1, Math.abs(exact)), c.input() + " (the ridge of 1e-8 shrinks slopes slightly)");
      }
    }
  }

  @Test
  void theModelsOwnImportanceIsTheSumOfItsAbsoluteWeightsPerInput() {
    FeatureImportance fi = Importance.ofModel(CLASSIFIER);
    AbstractLinearSGDModel<?> model = (AbstractLinearSGDModel<?>) CLASSIFIER.model();
    DenseMatrix w = model.getWeightsCopy();
    ImmutableFeatureMap features = model.getFeatureIDMap();
    assertEquals("linear-weights", fi.method());
    for (FeatureImportance.Feature f : fi.features()) {
      double sum = 0;
      for (int label = 0; label < w.getDimension1Size(); label++) {
        sum += Math.abs(w.get(label, features.getID(f.name())));
      }
      assertEquals(sum, f.mean(), 1e-12, f.name());
    }
    FeatureImportance tree = Importance.ofModel(Models.pack("iris-tree", Models.tree(IRIS, "species")));
    assertEquals("split-importance", tree.method());
    assertTrue(tree.names().indexOf("petal_length") < 2 || tree.names().indexOf("petal_width") < 2, tree.toString());
  }
}
