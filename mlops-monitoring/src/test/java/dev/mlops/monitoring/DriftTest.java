package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The default test rule, overrides, the dataset verdict and the report's forms. */
class DriftTest {
  private static double[] uniform(int n, double from, double to, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = from + (to - from) * r.nextDouble();
    }
    return v;
  }

  private static double[] integers(int n, int distinct, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(distinct);
    }
    return v;
  }

  private static String defaultTest(double[] ref, double[] cur) {
    return Drift.between(Frames.numeric("x", ref), Frames.numeric("x", cur)).run().column("x").test();
  }

  @Test
  void defaultRuleForNumericColumns() {
    assertEquals("ks", defaultTest(uniform(1000, 0, 1, 1), uniform(50, 0, 1, 2)));
    assertEquals("chiSquare", defaultTest(integers(1000, 5, 1), integers(50, 5, 2)));
    assertEquals("chiSquare", defaultTest(integers(800, 3, 1), integers(50, 3, 2)));
    assertEquals("z", defaultTest(integers(800, 2, 1), integers(50, 2, 2)));
    assertEquals("wasserstein", defaultTest(uniform(1001, 0, 1, 1), uniform(50, 0, 1, 2)));
    assertEquals("jensenShannon", defaultTest(integers(1001, 5, 1), integers(50, 5, 2)));
    // u counts the values of both sides together.
    assertEquals("ks", defaultTest(integers(800, 4, 1), integers(50, 8, 2)));
  }

  @Test
  void defaultRuleForCategoricalColumns() {
    String[] small = new String[300];
    String[] large = new String[3000];
    String[] two = new String[300];
    for (int i = 0; i < large.length; i++) {
      large[i] = "c" + (i % 7);
    }
    for (int i = 0; i < small.length; i++) {
      small[i] = "c" + (i % 7);
      two[i] = i % 3 == 0 ? "yes" : "no";
    }
    assertEquals("chiSquare", Drift.between(Frames.categorical("c", small), Frames.categorical("c", small)).run()
        .column("c").test());
    assertEquals("z", Drift.between(Frames.categorical("c", two), Frames.categorical("c", two)).run()
        .column("c").test());
    assertEquals("jensenShannon", Drift.between(Frames.categorical("c", large), Frames.categorical("c", small)).run()
        .column("c").test());
  }

  private static Frame twoColumns(double[] a, String[] c) {
    return Frame.builder(Schema.of(Field.of("a", FieldType.DOUBLE), Field.of("c", FieldType.STRING)))
        .column("a", a).column("c", c).build();
  }

  private static String[] letters(int n, double shareOfA, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextDouble() < shareOfA ? "a" : r.nextBoolean() ? "b" : "c";
    }
    return out;
  }

  @Test
  void overridesWinInOrderColumnTypeRule() {
    Frame ref = twoColumns(uniform(2000, 0, 1, 1), letters(2000, 0.3, 2));
    Frame cur = twoColumns(uniform(2000, 0.2, 1.2, 3), letters(2000, 0.3, 4));
    DriftReport byType = Drift.between(ref, cur).numericTest(StatTest.psi()).categoricalTest(StatTest.hellinger())
        .run();
    assertEquals("psi", byType.column("a").test());
    assertEquals("hellinger", byType.column("c").test());
    DriftReport byColumn = Drift.between(ref, cur).numericTest(StatTest.psi())
        .test("a", StatTest.ks().threshold(0.01)).run();
    assertEquals("ks", byColumn.column("a").test());
    assertEquals(0.01, byColumn.column("a").threshold());
    assertTrue(byColumn.column("a").drifted());
    DriftReport reset = Drift.between(ref, cur).numericTest(StatTest.psi()).test("a", StatTest.ks()).defaults().run();
    assertEquals("wasserstein", reset.column("a").test());
    DriftReport lenient = Drift.between(ref, cur).test("a", StatTest.wasserstein().threshold(100)).run();
    assertFalse(lenient.column("a").drifted());
  }

  @Test
  void datasetDriftFollowsTheDriftedShare() {
    Frame ref = twoColumns(uniform(2000, 0, 1, 1), letters(2000, 0.3, 2));
    Frame cur = twoColumns(uniform(2000, 0.5, 1.5, 3), letters(2000, 0.3, 4));
    DriftReport half = Drift.between(ref, cur).run();
    assertTrue(half.column("a").drifted());
    assertFalse(half.column("c").drifted());
    assertEquals(0.5, half.driftedShare());
    assertTrue(half.datasetDrift());
    assertFalse(Drift.between(ref, cur).driftShare(0.75).run().datasetDrift());
    assertEquals("a", half.columns().get(0).column(), "drifted columns come first");
  }

  @Test
  void progressIsReportedPerColumn() {
    Frame ref = twoColumns(uniform(100, 0, 1, 1), letters(100, 0.3, 2));
    List<String> seen = new ArrayList<>();
    Drift.between(ref, ref).progress((column, done, total) -> seen.add(column + " " + done + "/" + total)).run();
    assertEquals(List.of("a 1/2", "c 2/2"), seen);
  }

  @Test
  void jsonCarriesEveryRowAndTheVerdict() {
    Frame ref = twoColumns(uniform(300, 0, 1, 1), letters(300, 0.3, 2));
    Frame cur = twoColumns(uniform(300, 0.3, 1.3, 3), letters(300, 0.6, 4));
    DriftReport r = Drift.between(ref, cur).run();
    JsonNode j = CanonicalJson.parse(r.toJson());
    assertEquals("exact", j.get("method").asText());
    assertEquals(r.datasetDrift(), j.get("datasetDrift").asBoolean());
    assertEquals(2, j.get("columns").size());
    JsonNode a = j.get("columns").get(0).get("column").asText().equals("a") ? j.get("columns").get(0)
        : j.get("columns").get(1);
    assertEquals("ks", a.get("test").asText());
    assertEquals(r.column("a").pValue().getAsDouble(), a.get("pValue").asDouble());
    assertEquals(r.column("a").statistic(), a.get("statistic").asDouble());
    assertTrue(r.summary().contains("columns drifted"));
  }

  @Test
  void profileComparisonSaysItUsedSketches() {
    double[] big = uniform(50_000, 0, 1, 5);
    Profile reference = Profile.of(Frames.numeric("x", big));
    Profile same = Profile.against(reference).of(Frames.numeric("x", uniform(20_000, 0, 1, 6)));
    Profile moved = Profile.against(reference).of(Frames.numeric("x", uniform(20_000, 0.3, 1.3, 7)));
    DriftReport calm = Drift.between(reference, same).run();
    DriftReport drifted = Drift.between(reference, moved).run();
    assertEquals("sketch", calm.method());
    assertEquals("wasserstein", calm.column("x").test());
    assertFalse(calm.column("x").drifted());
    assertTrue(drifted.column("x").drifted());
    // The sketch's deciles are within its rank error of the exact ones, so on a change that leaves
    // no bin empty the binned statistics agree closely.
    double[] skewed = uniform(20_000, 0, 1, 8);
    for (int i = 0; i < skewed.length; i++) {
      skewed[i] = Math.pow(skewed[i], 1.5);
    }
    double exactPsi = Drift.between(Frames.numeric("x", big), Frames.numeric("x", skewed))
        .test("x", StatTest.psi()).run().column("x").statistic();
    double sketchPsi = Drift.between(reference, Profile.against(reference).of(Frames.numeric("x", skewed)))
        .test("x", StatTest.psi()).run().column("x").statistic();
    assertEquals(exactPsi, sketchPsi, 0.25 * exactPsi);
  }

  @Test
  void ksOnLargeSketchesUsesAnEvenSampleOfEach() {
    Profile reference = Profile.of(Frames.numeric("x", uniform(50_000, 0, 1, 11)));
    Profile same = Profile.of(Frames.numeric("x", uniform(50_000, 0, 1, 12)));
    Profile moved = Profile.of(Frames.numeric("x", uniform(50_000, 0.05, 1.05, 13)));
    ColumnDrift calm = Drift.between(reference, same).test("x", StatTest.ks()).run().column("x");
    ColumnDrift shifted = Drift.between(reference, moved).test("x", StatTest.ks()).run().column("x");
    assertFalse(calm.drifted(), "p = " + calm.pValue());
    assertTrue(shifted.drifted(), "p = " + shifted.pValue());
    assertEquals(0.05, shifted.statistic(), 0.02);
  }
}
