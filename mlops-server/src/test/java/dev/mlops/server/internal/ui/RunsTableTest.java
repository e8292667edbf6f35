package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The runs table's duration column: seconds to one decimal under ten seconds, then whole units. */
class RunsTableTest {
  @Test
  void shortDurationsAreTenthsOfASecondRoundedHalfUp() {
    for (long millis = 0; millis < 10_000; millis++) {
      assertEquals(String.format(Locale.ROOT, "%.1fs", millis / 1000.0), RunsTable.duration(millis), "at " + millis);
    }
  }

  @Test
  void longerDurationsAreWholeSecondsMinutesAndHours() {
    assertEquals("10s", RunsTable.duration(10_000));
    assertEquals("59s", RunsTable.duration(59_999));
    assertEquals("1m 0s", RunsTable.duration(60_000));
    assertEquals("59m 59s", RunsTable.duration(3_599_999));
    assertEquals("2h 3m", RunsTable.duration(2 * 3_600_000 + 3 * 60_000 + 59_000));
  }
}
