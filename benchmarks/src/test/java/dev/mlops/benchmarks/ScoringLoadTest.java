package dev.mlops.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoringLoadTest {
  @Test
  void aShortLoadIsAnsweredWithoutErrors() throws Exception {
    ScoringLoad.Result r = ScoringLoad.run(ScoringLoad.Settings.TINY);
    assertEquals(ScoringLoad.Settings.TINY.measuredRequests(), r.requests());
    assertEquals(0, r.errors());
    assertTrue(r.p50Millis() > 0 && r.p50Millis() <= r.p99Millis() && r.p99Millis() <= r.maxMillis(), r.toString());
  }
}
