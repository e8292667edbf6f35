package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The sketch's quantiles are within {@link Profile#SKETCH_RELATIVE_ACCURACY} of the exact ones:
 * for every rank on a grid of 201, the profile's quantile differs from the smallest value whose
 * share of values at most it reaches the rank by at most that fraction of it. Each try draws a
 * column of 1,025 to 30,000 values (beyond what a profile keeps, so the sketch answers) from one
 * of five shapes: normal, log-normal over many decades, mixed-sign uniform with zeros, heavy ties,
 * and a scatter of magnitudes from 1e-300 to 1e300; half the tries profile it in parts and merge.
 */
class SketchAccuracyProperties {
  @Property(tries = 150, seed = "9001")
  void everyQuantileIsWithinTheStatedRelativeAccuracy(@ForAll long seed,
      @ForAll @IntRange(min = Profile.EXACT_LIMIT + 1, max = 30_000) int n, @ForAll @IntRange(min = 0, max = 4) int shape,
      @ForAll boolean inParts) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = switch (shape) {
        case 0 -> r.nextGaussian() * 5 + 1;
        case 1 -> Math.exp(r.nextGaussian() * 10);
        case 2 -> r.nextInt(10) == 0 ? 0.0 : r.nextDouble(-100, 100);
        case 3 -> r.nextInt(7) - 3;
        default -> (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-300, 300));
      };
    }
    Profile p;
    if (inParts) {
      int cut = r.nextInt(n + 1);
      p = Profile.of(Frames.numeric("x", Arrays.copyOfRange(x, 0, cut)))
          .merge(Profile.of(Frames.numeric("x", Arrays.copyOfRange(x, cut, n))));
    } else {
      p = Profile.of(Frames.numeric("x", x));
    }
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    ColumnProfile c = p.column("x");
    for (int k = 0; k <= 200; k++) {
      double rank = k / 200.0;
      double exact = sorted[Math.max(0, (int) Math.ceil(rank * n) - 1)];
      double estimate = c.quantile(rank).getAsDouble();
      double bound = Profile.SKETCH_RELATIVE_ACCURACY * Math.abs(exact) * (1 + 1e-12);
      assertTrue(Math.abs(estimate - exact) <= bound,
          "rank " + rank + ": exact " + exact + ", sketch " + estimate + ", allowed " + bound);
    }
  }
}
