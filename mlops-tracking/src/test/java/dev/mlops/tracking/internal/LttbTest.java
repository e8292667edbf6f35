package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Largest-triangle downsampling: how many points it keeps, which ones, and that spikes survive. */
class LttbTest {
  @Property(tries = 200)
  void keepsTheEndsAndAscendingPositionsOneFromEachBucket(@ForAll @IntRange(min = 0, max = 3000) int n,
      @ForAll @IntRange(min = 3, max = 500) int threshold, @ForAll long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = random.nextDouble() < 0.01 ? Double.NaN : random.nextGaussian();
    }
    int[] kept = Lttb.indices(x, y, threshold);
    assertEquals(Math.min(n, threshold), kept.length);
    if (n > 0) {
      assertEquals(0, kept[0]);
      assertEquals(n - 1, kept[kept.length - 1]);
    }
    for (int i = 1; i < kept.length; i++) {
      assertTrue(kept[i] > kept[i - 1], "positions ascend");
    }
  }

  @Test
  void aSpikeInAMillionPointsSurvives() {
    int n = 1_000_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.sin(i / 1000.0);
    }
    y[654_321] = 50;
    int[] kept = Lttb.indices(x, y, 1000);
    assertTrue(java.util.Arrays.stream(kept).anyMatch(i -> i == 654_321), "the spike is kept");
  }

  @Test
  void shortSeriesAreKeptWholeAndBadArgumentsRefused() {
    assertArrayEquals(new int[] {0, 1, 2}, Lttb.indices(new double[3], new double[3], 10));
    assertThrows(InvalidInputException.class, () -> Lttb.indices(new double[3], new double[2], 10));
    assertThrows(InvalidInputException.class, () -> Lttb.indices(new double[3], new double[3], 2));
  }
}
