package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FeatureImportanceProperties {

  @Provide
  Arbitrary<FeatureImportance> importances() {
    Arbitrary<FeatureImportance.Feature> feature = Combinators.combine(
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
        Arbitraries.doubles().between(-1, 1),
        Arbitraries.doubles().between(0, 1)).as(FeatureImportance.Feature::new);
    return Combinators.combine(
        Arbitraries.of("permutation", "linear-weights"),
        Arbitraries.of("accuracy", "rmse"),
        Arbitraries.doubles().between(-5, 5),
        Arbitraries.integers().between(1, 10),
        feature.list().ofMaxSize(12).uniqueElements(FeatureImportance.Feature::name))
        .as(FeatureImportance::new);
  }

  @Property
  void jsonRoundTripsExactly(@ForAll("importances") FeatureImportance fi) {
    FeatureImportance back = FeatureImportance.fromJson(fi.toJson());
    assertEquals(fi, back);
    assertEquals(fi.toJson(), back.toJson());
  }

  @Property
  void featuresAreSortedMostImportantFirstAndSharesAddUp(@ForAll("importances") FeatureImportance fi) {
    for (int i = 1; i < fi.features().size(); i++) {
      assertTrue(fi.features().get(i - 1).mean() >= fi.features().get(i).mean());
    }
    double all = fi.share(fi.names());
    assertTrue(fi.total() == 0 ? all == 0 : Math.abs(all - 1) < 1e-12, "share of all features " + all);
  }

  /** Any text is read as an importance or refused with the library's exception, never anything else. */
  @Property(tries = 300)
  void readingMutatedJsonFailsOnlyWithInvalidInput(@ForAll("importances") FeatureImportance fi, @ForAll long seed) {
    char[] text = fi.toJson().toCharArray();
    java.util.Random random = new java.util.Random(seed);
    for (int k = 0; k < 1 + random.nextInt(4); k++) {
      text[random.nextInt(text.length)] = "{}[]\",:0-e.ax\\ ".charAt(random.nextInt(15));
    }
    try {
      FeatureImportance.fromJson(new String(text));
    } catch (InvalidInputException expected) {
      // refused with a message; nothing else may escape
    }
  }

  @Example
  void shareIgnoresNegativeNoiseAndUnknownNames() {
    FeatureImportance fi = new FeatureImportance("permutation", "accuracy", 0.9, 3, new ArrayList<>(List.of(
        new FeatureImportance.Feature("b", 0.3, 0.01),
        new FeatureImportance.Feature("a", 0.1, 0.01),
        new FeatureImportance.Feature("c", -0.02, 0.01))));
    assertEquals(List.of("b", "a", "c"), fi.names());
    assertEquals(0.4, fi.total(), 1e-15);
    assertEquals(0.75, fi.share(List.of("b", "zzz")), 1e-15);
    assertEquals(0, fi.share(List.of("c")));
  }

  @Example
  void refusesDuplicatesAndBadNumbersNamingThem() {
    InvalidInputException twice = assertThrows(InvalidInputException.class, () -> new FeatureImportance(
        "permutation", "accuracy", 1, 1,
        List.of(new FeatureImportance.Feature("x", 1, 0), new FeatureImportance.Feature("x", 2, 0))));
    assertTrue(twice.getMessage().contains("'x'"), twice.getMessage());
    InvalidInputException nan = assertThrows(InvalidInputException.class,
        () -> FeatureImportance.fromJson("{\"method\":\"m\",\"metric\":\"a\",\"baseline\":1,\"repeats\":1,"
            + "\"features\":[{\"name\":\"x\",\"mean\":1,\"std\":-1}]}"));
    assertTrue(nan.getMessage().contains("-1"), nan.getMessage());
  }
}
