package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A window observed whole, as a profile, is reported and alerts exactly as the same rows observed
 * one by one in a window of their count.
 */
class MonitorWindowTest {
  private static final Schema SCHEMA = Schema.of(Field.optional("x", FieldType.DOUBLE), Field.optional("city", FieldType.STRING));
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);

  private static Frame frame(int n, double shift, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    FrameBuilder b = Frame.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      b.row(r.nextGaussian() + shift, r.nextDouble() < 0.5 + shift / 10 ? "Lyon" : "Paris");
    }
    return b.build();
  }

  @Test
  void aWholeWindowAlertsAsItsRowsWould() {
    Profile reference = Profile.of(frame(3_000, 0, 1));
    for (double shift : new double[] {0, 0.4, 2}) {
      Frame window = frame(800, shift, 7);
      List<Alert> byRows = new ArrayList<>();
      List<Alert> whole = new ArrayList<>();
      try (Monitor rows = Monitor.builder(reference).window(Window.ofCount(800)).clock(CLOCK).onAlert(byRows::add).build();
          Monitor windows = Monitor.builder(reference).clock(CLOCK).onAlert(whole::add).build()) {
        for (int i = 0; i < window.rowCount(); i++) {
          rows.observe(window.row(i));
        }
        windows.observeWindow(Profile.against(windows.reference()).of(window));
        assertEquals(rows.state(), windows.state(), "shift " + shift);
        assertEquals(rows.windowsClosed(), windows.windowsClosed());
        assertEquals(0, windows.openWindowRows());
        assertEquals(rows.lastReport().orElseThrow().toJson(), windows.lastReport().orElseThrow().toJson());
        assertEquals(byRows.size(), whole.size());
        for (int i = 0; i < byRows.size(); i++) {
          assertEquals(byRows.get(i).kind(), whole.get(i).kind());
          assertEquals(byRows.get(i).state(), whole.get(i).state());
          assertEquals(byRows.get(i).summary(), whole.get(i).summary());
        }
      }
      if (shift == 2) {
        assertEquals(MonitorState.DRIFT, whole.get(0).state());
      }
    }
  }

  @Test
  void aWindowNotBinnedAgainstTheReferenceIsRefused() {
    Profile reference = Profile.of(frame(3_000, 0, 1));
    try (Monitor monitor = Monitor.builder(reference).build()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> monitor.observeWindow(Profile.of(frame(100, 0, 2))));
      assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("Profile.against"), e.getMessage());
      monitor.observeWindow(Profile.against(reference).of(frame(0, 0, 2)));
      assertEquals(0, monitor.windowsClosed());
    }
  }

  @Test
  void aClosedMonitorRefusesWindows() {
    Profile reference = Profile.of(frame(100, 0, 1));
    Monitor monitor = Monitor.builder(reference).build();
    monitor.close();
    assertThrows(IllegalStateException.class, () -> monitor.observeWindow(Profile.against(reference).of(frame(10, 0, 3))));
  }
}
