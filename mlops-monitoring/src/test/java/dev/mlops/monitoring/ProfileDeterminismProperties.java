package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Profiles are functions of the multiset of rows: the same rows in any order, split into any
 * number of parts and merged in any order, give byte-identical JSON. Each try draws a frame from
 * a seed (0 to 3,000 rows, so both columns that keep their values and columns held only by the
 * sketch occur; values of every magnitude from subnormals to ±1.7e308, both zeros, NaN, ±Inf, a
 * column of few values, a categorical column), a random permutation, random cut points and a
 * random merge tree with random operand order.
 */
class ProfileDeterminismProperties {
  private static final Schema SCHEMA = Schema.of(Field.optional("x", FieldType.DOUBLE),
      Field.optional("k", FieldType.DOUBLE), Field.optional("c", FieldType.STRING));

  static Frame frame(long seed, int rows) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[rows];
    double[] k = new double[rows];
    String[] c = new String[rows];
    for (int i = 0; i < rows; i++) {
      x[i] = value(r);
      k[i] = r.nextInt(10) == 0 ? Double.NaN : r.nextInt(5);
      c[i] = r.nextInt(8) == 0 ? null : "c" + r.nextInt(30);
    }
    return Frame.builder(SCHEMA).column("x", x).column("k", k).column("c", c).build();
  }

  private static double value(SplittableRandom r) {
    return switch (r.nextInt(12)) {
      case 0 -> Double.NaN;
      case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> r.nextBoolean() ? 0.0 : -0.0;
      case 3 -> (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble();
      case 4 -> (r.nextBoolean() ? 1 : -1) * Double.MIN_VALUE * r.nextInt(1000);
      case 5 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(2000) - 1000);
      default -> r.nextGaussian() * 10 + 3;
    };
  }

  /** Rows {@code order[from..to)} of a frame. */
  static Frame rows(Frame f, int[] order, int from, int to) {
    double[] x = new double[to - from];
    double[] k = new double[to - from];
    String[] c = new String[to - from];
    for (int i = from; i < to; i++) {
      x[i - from] = f.numeric("x").get(order[i]);
      k[i - from] = f.numeric("k").get(order[i]);
      c[i - from] = f.categorical("c").get(order[i]);
    }
    return Frame.builder(SCHEMA).column("x", x).column("k", k).column("c", c).build();
  }

  static int[] permutation(int n, SplittableRandom r) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The frame permuted, cut into parts, each profiled by {@code profiler}, merged in a random tree. */
  static Profile inParts(Frame f, Profiler profiler, int parts, SplittableRandom r) {
    int n = f.rowCount();
    int[] order = permutation(n, r);
    int[] cuts = new int[parts + 1];
    for (int i = 1; i < parts; i++) {
      cuts[i] = r.nextInt(n + 1);
    }
    cuts[parts] = n;
    Arrays.sort(cuts);
    List<Profile> pending = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      pending.add(profiler.of(rows(f, order, cuts[i], cuts[i + 1])));
    }
    while (pending.size() > 1) {
      Profile a = pending.remove(r.nextInt(pending.size()));
      Profile b = pending.remove(r.nextInt(pending.size()));
      pending.add(r.nextBoolean() ? a.merge(b) : b.merge(a));
    }
    return pending.get(0);
  }

  @Property(tries = 150, seed = "7301")
  void anyPermutationAndPartitionMergedInAnyOrderGivesTheSameJsonBytes(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3_000) int rows, @ForAll @IntRange(min = 1, max = 9) int parts) {
    Frame f = frame(seed, rows);
    String whole = Profile.of(f).toJson();
    Profile merged = inParts(f, Profile.profiler(), parts, new SplittableRandom(seed ^ 0x5DEECE66DL));
    assertEquals(whole, merged.toJson());
    assertEquals(whole, Profile.fromJson(whole).toJson());
    // Row by row, as a monitor adds them, in another order.
    ProfileAccumulator rowByRow = ProfileAccumulator.forFrame(f, java.util.Map.of());
    for (int i : permutation(rows, new SplittableRandom(seed + 7))) {
      rowByRow.addRow(f.row(i));
    }
    assertEquals(whole, rowByRow.freeze().toJson());
  }

  @Property(tries = 60, seed = "7302")
  void binnedProfilesAgainstAReferenceAreAlsoByteIdentical(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3_000) int rows, @ForAll @IntRange(min = 1, max = 6) int parts) {
    Profile reference = Profile.of(frame(seed + 1, 1 + (int) Math.floorMod(seed, 2_500L)));
    Profiler in = Profile.against(reference);
    Frame f = frame(seed, rows);
    String whole = in.of(f).toJson();
    assertEquals(whole, inParts(f, in, parts, new SplittableRandom(seed)).toJson());
  }

  @Property(tries = 100, seed = "7303")
  void meanAndVarianceAreTheCorrectlyRoundedExactOnes(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2_000) int rows) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[rows];
    for (int i = 0; i < rows; i++) {
      x[i] = r.nextInt(4) == 0 ? Math.scalb(r.nextDouble() - 0.5, r.nextInt(200) - 100) : r.nextGaussian() * 1e3;
    }
    ColumnProfile p = Profile.of(Frames.numeric("x", x)).column("x");
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (double v : x) {
      sum = sum.add(new java.math.BigDecimal(v));
    }
    java.math.BigDecimal n = java.math.BigDecimal.valueOf(rows);
    java.math.MathContext mc = new java.math.MathContext(60);
    java.math.BigDecimal mean = sum.divide(n, mc);
    assertEquals(mean.doubleValue(), p.mean().getAsDouble(), 0.0);
    java.math.BigDecimal m2 = java.math.BigDecimal.ZERO;
    java.math.BigDecimal exactMean = sum.divide(n, new java.math.MathContext(400));
    for (double v : x) {
      java.math.BigDecimal d = new java.math.BigDecimal(v).subtract(exactMean);
      m2 = m2.add(d.multiply(d));
    }
    double variance = m2.divide(n, mc).doubleValue();
    assertTrue(Math.abs(variance - p.variance().getAsDouble()) <= 2 * Math.ulp(variance),
        variance + " vs " + p.variance().getAsDouble());
  }
}
