package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.Schema;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The edge cases of drift comparisons: each a defined result or a clear error. */
class EdgeCaseTest {
  private static double[] normal(int n, double mean, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      double w = r.nextDouble();
      v[i] = mean + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }
    return v;
  }

  @Test
  void emptyCurrentWindowIsUntestedNotDrifted() {
    Frame ref = Frames.numeric("x", normal(500, 0, 1));
    Frame empty = Frames.numeric("x", new double[0]);
    for (DriftReport r : new DriftReport[] {
        Drift.between(ref, empty).run(),
        Drift.between(Profile.of(ref), Profile.against(Profile.of(ref)).of(empty)).run()}) {
      ColumnDrift x = r.column("x");
      assertFalse(x.tested());
      assertFalse(x.drifted());
      assertTrue(x.note().orElseThrow().contains("no finite values"), x.note().orElseThrow());
      assertTrue(Double.isNaN(x.statistic()));
      assertFalse(r.datasetDrift());
      assertEquals(0, r.driftedShare());
    }
  }

  @Test
  void allMissingColumnIsReportedAsMissingShare() {
    double[] nan = new double[300];
    Arrays.fill(nan, Double.NaN);
    DriftReport r = Drift.between(Frames.numeric("x", normal(300, 0, 2)), Frames.numeric("x", nan)).run();
    assertFalse(r.column("x").tested());
    assertEquals(1.0, r.quality().columns().get(0).currentMissingShare());
    assertEquals(0.0, r.quality().columns().get(0).referenceMissingShare());
    Profile p = Profile.of(Frames.numeric("x", nan));
    assertEquals(0, p.column("x").count());
    assertEquals(300, p.column("x").missing());
    assertTrue(p.column("x").mean().isEmpty());
    assertEquals(p, Profile.fromJson(p.toJson()));
  }

  @Test
  void constantColumnUsesTheStdFloorAndPerValueBins() {
    double[] constant = new double[2000];
    Arrays.fill(constant, 3.0);
    double[] shifted = new double[2000];
    Arrays.fill(shifted, 3.0);
    Arrays.fill(shifted, 0, 500, 4.0);
    DriftReport r = Drift.between(Frames.numeric("x", constant), Frames.numeric("x", shifted)).run();
    assertEquals("jensenShannon", r.column("x").test());
    assertTrue(r.column("x").drifted());
    ColumnDrift w = Drift.between(Frames.numeric("x", constant), Frames.numeric("x", shifted))
        .test("x", StatTest.wasserstein()).run().column("x");
    assertEquals(0.25 / 0.001, w.statistic(), 1e-9);
  }

  @Test
  void singleRowIsTested() {
    DriftReport r = Drift.between(Frames.numeric("x", new double[] {1.0}), Frames.numeric("x", new double[] {2.0}))
        .run();
    ColumnDrift x = r.column("x");
    assertEquals("z", x.test());
    assertTrue(x.tested());
    assertTrue(x.pValue().isPresent());
    Profile single = Profile.of(Frames.numeric("x", new double[] {5.0}));
    assertEquals(0.0, single.column("x").variance().getAsDouble());
    assertEquals(5.0, single.column("x").quantile(0.5).getAsDouble());
  }

  @Test
  void infinitiesAreKeptOutOfTheTestsAndCounted() {
    double[] ref = normal(400, 0, 3);
    double[] cur = normal(400, 0, 4);
    cur[0] = Double.POSITIVE_INFINITY;
    cur[1] = Double.NEGATIVE_INFINITY;
    DriftReport r = Drift.between(Frames.numeric("x", ref), Frames.numeric("x", cur)).run();
    assertTrue(Double.isFinite(r.column("x").statistic()));
    assertEquals(2, r.quality().columns().get(0).currentNonFinite());
    Profile p = Profile.of(Frames.numeric("x", cur));
    assertEquals(2, p.column("x").nonFinite());
    assertEquals(398, p.column("x").count());
    assertTrue(Double.isFinite(p.column("x").max().getAsDouble()));
    DriftReport sketch = Drift.between(Profile.of(Frames.numeric("x", ref)), p).run();
    assertEquals(2, sketch.quality().columns().get(0).currentNonFinite());
    assertTrue(Double.isFinite(sketch.column("x").statistic()));
  }

  @Test
  void columnsAddedMissingOrRetypedAreReported() {
    Schema refSchema = Schema.of(Field.of("a", FieldType.DOUBLE), Field.of("b", FieldType.DOUBLE),
        Field.of("t", FieldType.DOUBLE));
    Schema curSchema = Schema.of(Field.of("a", FieldType.DOUBLE), Field.of("t", FieldType.STRING),
        Field.of("new", FieldType.STRING));
    Frame ref = Frame.builder(refSchema).row(1.0, 2.0, 3.0).row(2.0, 3.0, 4.0).build();
    Frame cur = Frame.builder(curSchema).row(1.0, "x", "y").row(5.0, "z", "w").build();
    for (DriftReport r : new DriftReport[] {Drift.between(ref, cur).run(),
        Drift.between(Profile.of(ref), Profile.of(cur)).run()}) {
      assertEquals(java.util.List.of("b"), r.quality().missingColumns());
      assertEquals(java.util.List.of("new"), r.quality().addedColumns());
      assertEquals(java.util.List.of("t"), r.quality().typeMismatches());
      assertEquals(1, r.columns().size());
      assertThrows(NotFoundException.class, () -> r.column("new"));
      assertTrue(r.toJson().contains("\"addedColumns\":[\"new\"]"));
    }
  }

  @Test
  void hundredThousandCategoriesGiveADefinedResult() {
    int n = 100_000;
    String[] ref = new String[n];
    String[] cur = new String[n];
    for (int i = 0; i < n; i++) {
      ref[i] = "id-" + i;
      cur[i] = "id-" + (i + n / 2);
    }
    DriftReport exact = Drift.between(Frames.categorical("c", ref), Frames.categorical("c", cur)).run();
    ColumnDrift c = exact.column("c");
    assertEquals("jensenShannon", c.test());
    assertTrue(c.drifted());
    assertEquals(n / 2, exact.quality().columns().get(0).newCategoryCount());
    assertEquals(ColumnQuality.LISTED_CATEGORIES, exact.quality().columns().get(0).newCategories().size());
    assertTrue(c.histogram().labels().size() <= Histogram.MAX_BARS);

    Profile reference = Profile.of(Frames.categorical("c", ref));
    assertEquals(Profile.CATEGORY_LIMIT, reference.column("c").categories().size());
    assertEquals(n - Profile.CATEGORY_LIMIT, reference.column("c").otherCount());
    Profile current = Profile.against(reference).of(Frames.categorical("c", cur));
    DriftReport sketch = Drift.between(reference, current).run();
    assertEquals("sketch", sketch.method());
    assertTrue(sketch.column("c").tested());
    assertEquals(reference, Profile.fromJson(reference.toJson()));
  }

  @Test
  void testsThatDoNotFitTheColumnAreNotedNotThrown() {
    Frame ref = Frames.categorical("c", new String[] {"a", "b", "c", "a"});
    Frame cur = Frames.categorical("c", new String[] {"a", "b", "b", "c"});
    ColumnDrift ks = Drift.between(ref, cur).test("c", StatTest.ks()).run().column("c");
    assertFalse(ks.tested());
    assertTrue(ks.note().orElseThrow().contains("numeric"));
    ColumnDrift z = Drift.between(ref, cur).test("c", StatTest.z()).run().column("c");
    assertTrue(z.note().orElseThrow().contains("at most two"));
  }

  @Test
  void badSettingsAreRefusedWithTheirValue() {
    Frame f = Frames.numeric("x", new double[] {1, 2, 3});
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Drift.between(f, f).test("nope", StatTest.psi()).run());
    assertTrue(e.getMessage().contains("'nope'"));
    assertThrows(InvalidInputException.class, () -> StatTest.ks().threshold(1.5));
    assertThrows(InvalidInputException.class, () -> StatTest.psi().threshold(-1));
    assertThrows(InvalidInputException.class, () -> Drift.between(f, f).driftShare(0));
    assertThrows(InvalidInputException.class, () -> Window.ofCount(0));
    assertThrows(InvalidInputException.class, () -> Profile.of(f).column("x").quantile(2));
  }
}
