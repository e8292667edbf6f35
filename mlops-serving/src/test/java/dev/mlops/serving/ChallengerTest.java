package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Schema;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.ModelSignature;
import dev.mlops.packaging.Predictor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

/** Shadow and canary challengers beside the champion. */
class ChallengerTest {
  @TempDir Path dir;
  private FolderModelSource source;
  private ModelPackage champion;
  private ModelPackage challenger;

  @BeforeEach
  void register() {
    source = new FolderModelSource(dir);
    champion = TestModels.pkg("clf", "a", TestModels.RISING);
    challenger = TestModels.pkg("clf", "b", TestModels.DIAGONAL);
    source.register("clf", champion);
    source.register("clf", challenger);
    source.setAlias("clf", "champion", 1);
    source.setAlias("clf", "challenger", 2);
  }

  private ModelService.Builder builder() {
    return ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO);
  }

  @Test
  void shadowAnswersWithTheChampionAndCountsAgreement() {
    List<Map<String, Object>> rows = TestModels.rows(400, 9);
    Predictor<Label> main = champion.predictor(Label.class);
    Predictor<Label> other = challenger.predictor(Label.class);
    long expectedAgreed = rows.stream()
        .filter(r -> main.predict(r).getOutput().equals(other.predict(r).getOutput()))
        .count();
    assertTrue(expectedAgreed > 0 && expectedAgreed < rows.size(), "the two models should differ on some rows");
    try (ModelService service = builder().shadow("models:/clf@challenger").build()) {
      assertEquals("2", service.challenger().orElseThrow().version());
      for (Map<String, Object> row : rows) {
        ServedPrediction p = service.predict(row);
        assertEquals("1", p.model().version());
        assertEquals(main.predict(row).getOutput().getLabel(), p.output());
      }
      ChallengerStats stats = service.challengerStats().orElseThrow();
      assertEquals(rows.size(), stats.rows());
      assertEquals(rows.size(), stats.compared());
      assertEquals(expectedAgreed, stats.agreed());
      assertEquals(0, stats.toChallenger());
      assertEquals((double) expectedAgreed / rows.size(), stats.agreementRate(), 0.0);
    }
  }

  @Test
  void aShadowOfTheSameVersionAgreesAlways() {
    try (ModelService service = builder().shadow("models:/clf/1").build()) {
      TestModels.rows(50, 2).forEach(service::predict);
      assertEquals(1.0, service.challengerStats().orElseThrow().agreementRate(), 0.0);
    }
  }

  @Test
  void aCanaryAnswersItsShareAndTheSameSeedRoutesTheSameRows() {
    List<Map<String, Object>> rows = TestModels.rows(2000, 4);
    List<String> first = versions(rows, 0.25, 11);
    List<String> again = versions(rows, 0.25, 11);
    List<String> otherSeed = versions(rows, 0.25, 12);
    assertEquals(first, again);
    assertTrue(!first.equals(otherSeed), "another seed should route other rows");
    long toChallenger = first.stream().filter("2"::equals).count();
    // A binomial(2000, 0.25) count; the seed fixes it, the bound only guards the routing's fairness.
    assertTrue(Math.abs(toChallenger - 500) < 100, toChallenger + " of 2000 went to the challenger");
    assertTrue(versions(rows.subList(0, 200), 0.0, 11).stream().allMatch("1"::equals));
    assertTrue(versions(rows.subList(0, 200), 1.0, 11).stream().allMatch("2"::equals));
  }

  @Test
  void canaryAnswersComeFromTheModelTheyNameAndAreCounted() {
    Predictor<Label> other = challenger.predictor(Label.class);
    Predictor<Label> main = champion.predictor(Label.class);
    try (ModelService service = builder().canary("models:/clf@challenger", 0.5).seed(3).build()) {
      for (Map<String, Object> row : TestModels.rows(300, 8)) {
        ServedPrediction p = service.predict(row);
        Predictor<Label> expected = p.model().version().equals("2") ? other : main;
        assertEquals(expected.predict(row).getOutput().getLabel(), p.output());
      }
      ChallengerStats stats = service.challengerStats().orElseThrow();
      assertEquals(300, stats.rows());
      assertEquals(stats.toChallenger() / 300.0, stats.challengerShare(), 0.0);
      assertEquals(0, stats.compared());
    }
  }

  @Test
  void aChallengerThatCannotPredictNeverFailsARequest() {
    // The challenger's signature asks for an input the requests do not carry.
    ModelSignature needsX3 = ModelSignature.of(
        Schema.of(Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE), Field.of("x3", FieldType.DOUBLE)),
        Label.class, List.of("neg", "pos"));
    ModelPackage strict = ModelPackage.builder("clf").version("c").model(challenger.model()).signature(needsX3).build();
    source.register("clf", strict);
    source.setAlias("clf", "strict", 3);
    List<Map<String, Object>> rows = TestModels.rows(50, 6);
    try (ModelService canary = builder().canary("models:/clf@strict", 1.0).build();
         ModelService shadow = builder().shadow("models:/clf@strict").build()) {
      for (Map<String, Object> row : rows) {
        assertEquals("1", canary.predict(row).model().version());
        assertEquals("1", shadow.predict(row).model().version());
      }
      assertEquals(new ChallengerStats(50, 0, 0, 0, 50), canary.challengerStats().orElseThrow());
      assertEquals(new ChallengerStats(50, 0, 0, 0, 50), shadow.challengerStats().orElseThrow());
      assertTrue(Double.isNaN(shadow.challengerStats().orElseThrow().agreementRate()));
    }
  }

  @Test
  void theChallengerFollowsItsAliasToo() {
    try (ModelService service = builder().shadow("models:/clf@challenger").build()) {
      source.setAlias("clf", "challenger", 1);
      assertTrue(service.refresh());
      assertEquals("1", service.challenger().orElseThrow().version());
      assertEquals("1", service.current().version());
    }
  }

  private List<String> versions(List<Map<String, Object>> rows, double share, long seed) {
    try (ModelService service = builder().canary("models:/clf@challenger", share).seed(seed).build()) {
      List<String> out = new ArrayList<>();
      rows.forEach(r -> out.add(service.predict(r).model().version()));
      assertEquals(out.stream().filter("2"::equals).count(), service.challengerStats().orElseThrow().toChallenger());
      return out;
    }
  }
}
