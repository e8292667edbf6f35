package dev.mlops.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.packaging.ModelPackage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/** On data whose label depends on x0 and x1 only, importance and explanations must say so. */
class TwoOfTenTest {
  private static final Frame TRAIN = Models.twoOfTen(2_000, 1);
  private static final Frame TEST = Models.twoOfTen(1_000, 2);
  private static final ModelPackage LOGISTIC = Models.pack("two-of-ten", Models.logistic(TRAIN, "label"));
  private static final ModelPackage TREE = Models.pack("two-of-ten-tree", Models.tree(TRAIN, "label"));
  private static final ModelPackage MACHINE = Models.pack("two-of-ten-fm", Models.factorizationMachine(TRAIN, "label"));

  @Test
  void permutationImportanceRanksTheTwoFeaturesFirstAndTheOthersNearZero() {
    for (ModelPackage pkg : List.of(LOGISTIC, TREE)) {
      for (ScoreMetric metric : List.of(ScoreMetric.ACCURACY, ScoreMetric.LOG_LOSS)) {
        FeatureImportance fi = Importance.permutation().metric(metric).repeats(5).seed(11)
            .compute(pkg.predictor(Label.class), TEST, "label");
        assertEquals(List.of("x0", "x1"), fi.names().subList(0, 2).stream().sorted().toList(), pkg + " " + fi);
        assertTrue(fi.features().get(1).mean() > 0.1, fi.toString());
        for (FeatureImportance.Feature f : fi.features().subList(2, 10)) {
          assertTrue(Math.abs(f.mean()) <= Math.max(3 * f.std(), 0.01), pkg + " " + metric + ": " + f);
        }
        assertEquals(metric.jsonName(), fi.metric());
        assertEquals(5, fi.repeats());
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameImportanceWhateverTheParallelism() {
    FeatureImportance one = Importance.permutation().seed(5).parallelism(1)
        .compute(LOGISTIC.predictor(Label.class), TEST.slice(0, 300), "label");
    FeatureImportance four = Importance.permutation().seed(5).parallelism(4)
        .compute(LOGISTIC.predictor(Label.class), TEST.slice(0, 300), "label");
    assertEquals(one, four);
    FeatureImportance other = Importance.permutation().seed(6).parallelism(4)
        .compute(LOGISTIC.predictor(Label.class), TEST.slice(0, 300), "label");
    assertNotEquals(one, other);
  }

  @Test
  void linearContributionsSumToTheScoreWhoseSoftmaxIsTheModelsProbabilities() {
    Explainer explainer = Explainer.of(LOGISTIC);
    assertEquals("linear", explainer.method());
    for (int i = 0; i < 50; i++) {
      Map<String, Object> row = TEST.row(i);
      Prediction<Label> p = LOGISTIC.predictor(Label.class).predict(row);
      Map<String, Double> scores = new HashMap<>();
      for (String label : List.of("yes", "no")) {
        Explanation e = explainer.explain(row, label);
        assertEquals(e.score(), e.total(), 1e-12 * Math.max(1, Math.abs(e.score())), e.toString());
        scores.put(label, e.score());
      }
      double denominator = Math.exp(scores.get("yes")) + Math.exp(scores.get("no"));
      for (String label : List.of("yes", "no")) {
        assertEquals(p.getOutputScores().get(label).getScore(), Math.exp(scores.get(label)) / denominator, 1e-9);
      }
      Explanation predicted = explainer.explain(row);
      assertEquals(p.getOutput().getLabel(), predicted.output());
      assertTrue(List.of("x0", "x1").contains(predicted.top(1).get(0).input())
          || Math.abs(predicted.top(1).get(0).contribution()) < 0.5, predicted.toString());
    }
  }

  @Test
  void limeExplanationsAreStableUnderAFixedSeedOnAnyThread() throws Exception {
    Explainer lime = Explainer.of(MACHINE).withSeed(42);
    assertEquals("lime", lime.method());
    Map<String, Object> row = TEST.row(3);
    Explanation first = lime.explain(row);
    Explanation again = lime.explain(row);
    Explanation elsewhere = CompletableFuture.supplyAsync(() -> lime.explain(row)).get();
    assertEquals(first, again);
    assertEquals(first, elsewhere);
    assertTrue(first.fidelity().isPresent() && first.fidelity().getAsDouble() <= 1, first.toString());
    assertEquals(10, first.contributions().size());
    assertTrue(List.of("x0", "x1").contains(first.top(1).get(0).input()), first.toString());
    assertNotEquals(first, lime.withSeed(43).explain(row));
  }

  @Test
  void aClassifierWithoutProbabilitiesIsExplainedByAStableLocalSurrogateOfItsLabelScore() {
    Explainer surrogate = Explainer.of(TREE).withSeed(9);
    assertEquals("surrogate", surrogate.method());
    Map<String, Object> row = TEST.row(5);
    Explanation e = surrogate.explain(row);
    assertEquals(e, surrogate.explain(row));
    assertEquals(TREE.predictor(Label.class).predict(row).getOutputScores().get(e.output()).getScore(), e.score());
    assertTrue(List.of("x0", "x1").containsAll(e.top(2).stream().map(Contribution::input).toList()), e.toString());
  }
}
