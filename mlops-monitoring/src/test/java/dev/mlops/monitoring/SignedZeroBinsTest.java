package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A reference whose deciles fall on both -0.0 and 0.0 bins a window with one edge at zero, so the
 * window's profile reads back from its JSON: a partial profile sent between processes (as Spark's
 * executors send them) must survive the round trip.
 */
class SignedZeroBinsTest {
  @Test
  void bothZerosAmongTheDecilesAreOneEdge() {
    double[] values = new double[1000];
    for (int i = 0; i < 1000; i++) {
      values[i] = i < 200 ? -1 - i : i < 500 ? -0.0 : i < 800 ? 0.0 : i;
    }
    Profile reference = Profile.of(Frames.numeric("x", values));
    Profile window = Profile.against(reference).of(Frames.numeric("x", values));

    Profile readBack = Profile.fromJson(window.toJson());

    assertEquals(window, readBack);
    assertEquals(window.toJson(), readBack.toJson());
  }
}
