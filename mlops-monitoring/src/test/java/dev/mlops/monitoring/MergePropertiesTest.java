package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Merge laws of profiles, and that profiling in parts gives the verdicts of profiling whole. */
class MergePropertiesTest {
  private static final Schema SCHEMA = Schema.of(
      Field.optional("x", FieldType.DOUBLE),
      Field.optional("k", FieldType.DOUBLE),
      Field.optional("c", FieldType.STRING));

  @Provide
  Arbitrary<Frame> frames() {
    Arbitrary<Double> x = Arbitraries.oneOf(
        Arbitraries.doubles().between(-1e3, 1e3),
        Arbitraries.just(Double.NaN),
        Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    Arbitrary<Double> k = Arbitraries.integers().between(0, 4).map(i -> i == 4 ? Double.NaN : (double) i);
    Arbitrary<String> c = Arbitraries.oneOf(Arbitraries.of("a", "b", "c", "d"), Arbitraries.just(null));
    Arbitrary<Object[]> row = Combinators.combine(x, k, c).as((a, b, d) -> new Object[] {a, b, d});
    return row.list().ofMinSize(0).ofMaxSize(120).map(rows -> {
      double[] xs = new double[rows.size()];
      double[] ks = new double[rows.size()];
      String[] cs = new String[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        xs[i] = (Double) rows.get(i)[0];
        ks[i] = (Double) rows.get(i)[1];
        cs[i] = (String) rows.get(i)[2];
      }
      return Frame.builder(SCHEMA).column("x", xs).column("k", ks).column("c", cs).build();
    });
  }

  @Property(tries = 60)
  void mergeIsCommutative(@ForAll("frames") Frame a, @ForAll("frames") Frame b) {
    Profile pa = Profile.of(a);
    Profile pb = Profile.of(b);
    assertSameProfile(pa.merge(pb), pb.merge(pa));
  }

  @Property(tries = 60)
  void mergeIsAssociative(@ForAll("frames") Frame a, @ForAll("frames") Frame b, @ForAll("frames") Frame c) {
    Profile pa = Profile.of(a);
    Profile pb = Profile.of(b);
    Profile pc = Profile.of(c);
    assertSameProfile(pa.merge(pb).merge(pc), pa.merge(pb.merge(pc)));
  }

  @Property(tries = 60)
  void binnedProfilesMergeExactly(@ForAll("frames") Frame ref, @ForAll("frames") Frame a, @ForAll("frames") Frame b,
      @ForAll("frames") Frame c) {
    Profile reference = Profile.of(ref);
    Profiler in = Profile.against(reference);
    Profile pa = in.of(a);
    Profile pb = in.of(b);
    Profile pc = in.of(c);
    assertSameProfile(pa.merge(pb).merge(pc), pc.merge(pa.merge(pb)));
  }

  /** Counts, categories and bins exactly; moments to 1e-9 relative. */
  static void assertSameProfile(Profile p, Profile q) {
    assertEquals(p.rowCount(), q.rowCount());
    assertEquals(new TreeMap<>(p.columns()).keySet(), new TreeMap<>(q.columns()).keySet());
    for (String name : p.columnNames()) {
      ColumnProfile a = p.column(name);
      ColumnProfile b = q.column(name);
      assertEquals(a.count(), b.count(), name);
      assertEquals(a.missing(), b.missing(), name);
      assertEquals(a.nonFinite(), b.nonFinite(), name);
      assertEquals(a.categories(), b.categories(), name);
      assertEquals(a.otherCount(), b.otherCount(), name);
      assertEquals(a.distinctValues(), b.distinctValues(), name);
      assertEquals(a.binning(), b.binning(), name);
      if (a.binning() != null) {
        assertEquals(List.of(box(a.binCounts())), List.of(box(b.binCounts())), name);
      }
      if (a.isNumeric() && a.count() > 0) {
        assertEquals(a.min().getAsDouble(), b.min().getAsDouble(), 0.0, name);
        assertEquals(a.max().getAsDouble(), b.max().getAsDouble(), 0.0, name);
        assertRelative(a.mean().getAsDouble(), b.mean().getAsDouble(), name + " mean");
        assertRelative(a.variance().getAsDouble(), b.variance().getAsDouble(), name + " variance");
        // Parts this small are held exactly by the sketch, so the merged sketches agree item for item.
        assertEquals(a.quantile(0.5), b.quantile(0.5), name + " median");
      }
    }
  }

  private static List<Long> box(long[] v) {
    List<Long> out = new ArrayList<>();
    for (long x : v) {
      out.add(x);
    }
    return out;
  }

  private static void assertRelative(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
  }

  @Property(tries = 40)
  void splittingAndMergingGivesTheVerdictsOfTheWhole(@ForAll("frames") Frame ref, @ForAll("frames") Frame cur,
      @ForAll @IntRange(min = 1, max = 6) int parts) {
    Profile reference = Profile.of(ref);
    Profiler in = Profile.against(reference);
    Profile whole = in.of(cur);
    Profile merged = null;
    int n = cur.rowCount();
    for (int i = 0; i < parts; i++) {
      Profile part = in.of(cur.slice(n * i / parts, n * (i + 1) / parts));
      merged = merged == null ? part : merged.merge(part);
    }
    Profile wholeReference = null;
    for (int i = 0; i < parts; i++) {
      Profile part = Profile.of(ref.slice(ref.rowCount() * i / parts, ref.rowCount() * (i + 1) / parts));
      wholeReference = wholeReference == null ? part : wholeReference.merge(part);
    }
    assertEquals(verdicts(Drift.between(reference, whole).run()), verdicts(Drift.between(reference, merged).run()));
    assertEquals(verdicts(Drift.between(reference, whole).run()),
        verdicts(Drift.between(wholeReference, whole).run()));
  }

  /**
   * Beyond what a sketch holds exactly, binned tests still agree exactly: the current windows are
   * counted in the reference's bins, and counts add up the same way in any split.
   */
  @Property(tries = 15)
  void largeFramesSplitAnyWayGiveTheSameBinnedStatistics(@ForAll @IntRange(min = 2_000, max = 6_000) int rows,
      @ForAll @IntRange(min = 2, max = 7) int parts, @ForAll long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    double[] ref = new double[rows];
    double[] cur = new double[rows];
    for (int i = 0; i < rows; i++) {
      ref[i] = r.nextDouble();
      cur[i] = r.nextDouble() * (1 + (seed & 1) * 0.3);
    }
    Profile reference = Profile.of(Frames.numeric("x", ref));
    Profiler in = Profile.against(reference);
    Frame current = Frames.numeric("x", cur);
    Profile merged = null;
    for (int i = 0; i < parts; i++) {
      Profile part = in.of(current.slice(rows * i / parts, rows * (i + 1) / parts));
      merged = merged == null ? part : part.merge(merged);
    }
    Profile whole = in.of(current);
    for (StatTest test : List.of(StatTest.psi(), StatTest.jensenShannon(), StatTest.hellinger(),
        StatTest.chiSquare())) {
      ColumnDrift a = Drift.between(reference, whole).test("x", test).run().column("x");
      ColumnDrift b = Drift.between(reference, merged).test("x", test).run().column("x");
      assertEquals(a.statistic(), b.statistic(), 0.0, test.name());
      assertEquals(a.drifted(), b.drifted(), test.name());
    }
  }

  private static Map<String, Object> verdicts(DriftReport r) {
    Map<String, Object> out = new TreeMap<>();
    for (ColumnDrift c : r.columns()) {
      out.put(c.column(), c.test() + " " + c.drifted() + " " + c.tested() + " "
          + String.format("%.9f", c.statistic()));
    }
    out.put("dataset", r.datasetDrift());
    return out;
  }
}
