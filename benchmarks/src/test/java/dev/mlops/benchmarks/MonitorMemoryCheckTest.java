package dev.mlops.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MonitorMemoryCheckTest {
  @Test
  void aChildJvmStreamsRowsAndReportsItsHeap() throws Exception {
    MonitorMemoryCheck.Result r = MonitorMemoryCheck.inChildJvm(250_000, Duration.ofMinutes(2));
    assertEquals(250_000, r.rows());
    assertEquals(2, r.windows());
    assertTrue(r.maxHeapBytes() <= 256L << 20, r.toString());
    assertTrue(r.firstLiveBytes() > 0 && r.firstLiveBytes() <= r.maxLiveBytes(), r.toString());
    assertTrue(r.peakBytes() >= r.maxLiveBytes(), r.toString());
  }

  @Test
  void flatMeansTheLastLiveHeapIsCloseToTheFirst() {
    long mb = 1L << 20;
    assertTrue(new MonitorMemoryCheck.Result(10, 1, 1, 100 * mb, 256 * mb, 20 * mb, 27 * mb, 27 * mb).flat());
    assertTrue(!new MonitorMemoryCheck.Result(10, 1, 1, 100 * mb, 256 * mb, 20 * mb, 40 * mb, 40 * mb).flat());
  }
}
