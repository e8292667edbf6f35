package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The streaming monitor: windows, alerts, concurrency, outcomes. */
class MonitorTest {
  private static final Schema SCHEMA =
      Schema.of(Field.optional("x", FieldType.DOUBLE), Field.optional("city", FieldType.STRING));

  private static Map<String, Object> row(SplittableRandom r, double shift) {
    Map<String, Object> row = new HashMap<>();
    row.put("x", r.nextDouble() + shift);
    row.put("city", r.nextDouble() < 0.5 ? "Lyon" : "Paris");
    return row;
  }

  private static Profile reference() {
    SplittableRandom r = new SplittableRandom(1);
    var b = Frame.builder(SCHEMA);
    for (int i = 0; i < 5_000; i++) {
      b.row(row(r, 0));
    }
    return Profile.of(b.build());
  }

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void countWindowsAreComparedAndDriftAlertsCarryTheReport() {
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    try (Monitor m = Monitor.builder(reference()).window(Window.ofCount(2_000)).onAlert(alerts::add).build()) {
      SplittableRandom r = new SplittableRandom(2);
      for (int i = 0; i < 2_000; i++) {
        m.observe(row(r, 0));
      }
      assertEquals(1, m.windowsClosed());
      assertEquals(MonitorState.STABLE, m.state());
      assertFalse(m.lastReport().orElseThrow().datasetDrift());
      assertTrue(alerts.isEmpty());
      for (int i = 0; i < 2_000; i++) {
        Map<String, Object> shifted = row(r, 0.5);
        shifted.put("city", "Marseille");
        m.observe(shifted);
      }
      assertEquals(2, m.windowsClosed());
      assertEquals(MonitorState.DRIFT, m.state());
      assertEquals(1, alerts.size());
      Alert a = alerts.get(0);
      assertEquals(Alert.Kind.DATA_DRIFT, a.kind());
      DriftReport report = a.report().orElseThrow();
      assertEquals("sketch", report.method());
      assertTrue(report.datasetDrift());
      assertEquals(1, report.quality().columns().stream().filter(q -> q.column().equals("city"))
          .findFirst().orElseThrow().newCategoryCount());
    }
  }

  @Test
  void timeWindowsCloseByTheInjectedClock() {
    ManualClock clock = new ManualClock();
    try (Monitor m = Monitor.builder(reference()).window(Window.ofDuration(Duration.ofMinutes(5))).clock(clock)
        .build()) {
      SplittableRandom r = new SplittableRandom(3);
      for (int i = 0; i < 600; i++) {
        m.observe(row(r, 0));
        clock.advance(Duration.ofSeconds(1));
      }
      assertEquals(1, m.windowsClosed());
      assertEquals(300, m.lastReport().orElseThrow().currentRows());
      assertEquals(300, m.openWindowRows());
    }
  }

  @Test
  void concurrentObserversLoseNoRow() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    try (Monitor m = Monitor.builder(reference()).window(Window.ofCount(777)).onAlert(a -> { }).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          long seed = t;
          done.add(pool.submit(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < perThread; i++) {
              m.observe(row(r, 0));
            }
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(threads * perThread, m.windowsClosed() * 777 + m.openWindowRows());
      assertEquals(777, m.lastReport().orElseThrow().currentRows());
    }
  }

  @Test
  @SuppressWarnings("try") // the monitor is closed inside the block to check that it then refuses rows
  void aBadRowIsRefusedWholeAndNotCounted() {
    try (Monitor m = Monitor.builder(reference()).window(Window.ofCount(10)).build()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> m.observe(Map.of("x", "not a number", "city", "Lyon")));
      assertTrue(e.getMessage().contains("not a number"));
      assertEquals(0, m.openWindowRows());
      m.observe(Map.of("x", "0.5", "city", "Lyon"));
      m.observe(Map.of("unknown", 1));
      assertEquals(2, m.openWindowRows());
      m.close();
      assertThrows(IllegalStateException.class, () -> m.observe(Map.of("x", 1)));
    }
  }

  @Test
  void aClosedMonitorRefusesEveryObservationAndStillAnswersItsReaders() {
    Monitor m = Monitor.builder(reference()).window(Window.ofCount(2)).outcomeWindow(4).build();
    SplittableRandom r = new SplittableRandom(9);
    m.observe(row(r, 0));
    m.observe(row(r, 0));
    m.observe(row(r, 0));
    m.observeOutcome("yes", "yes");
    m.observeOutcome(1.0, 1.5);
    m.close();
    m.close();
    List<IllegalStateException> refusals = List.of(
        assertThrows(IllegalStateException.class, () -> m.observe(row(r, 0))),
        assertThrows(IllegalStateException.class, () -> m.observeOutcome("yes", "no")),
        assertThrows(IllegalStateException.class, () -> m.observeOutcome(1.0, 2.0)));
    for (IllegalStateException e : refusals) {
      assertTrue(e.getMessage().startsWith("the monitor is closed; build a new one"), e.getMessage());
    }
    assertEquals(1, m.windowsClosed());
    assertEquals(1, m.openWindowRows());
    assertTrue(m.lastReport().isPresent());
    assertEquals(1.0, m.accuracy().getAsDouble());
    assertEquals(0.5, m.meanAbsoluteError().getAsDouble(), 1e-12);
    assertDoesNotThrow(m::state);
  }

  @Test
  void conceptDriftFromClassificationOutcomes() {
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    try (Monitor m = Monitor.builder(reference()).outcomeWindow(500).onAlert(alerts::add).build()) {
      assertTrue(m.accuracy().isEmpty());
      SplittableRandom r = new SplittableRandom(4);
      for (int i = 0; i < 3_000; i++) {
        m.observeOutcome("yes", r.nextDouble() < 0.1 ? "no" : "yes");
      }
      assertEquals(MonitorState.STABLE, m.state());
      assertEquals(0.9, m.accuracy().getAsDouble(), 0.05);
      for (int i = 0; i < 1_000; i++) {
        m.observeOutcome("yes", r.nextDouble() < 0.4 ? "no" : "yes");
      }
      assertTrue(alerts.stream().anyMatch(a -> a.kind() == Alert.Kind.CONCEPT_DRIFT));
      assertEquals(0.6, m.accuracy().getAsDouble(), 0.07);
    }
  }

  @Test
  void regressionOutcomesGiveTheWindowedMeanAbsoluteError() {
    try (Monitor m = Monitor.builder(reference()).outcomeWindow(4).build()) {
      m.observeOutcome(1.0, 2.0);
      m.observeOutcome(1.0, 1.5);
      assertEquals(0.75, m.meanAbsoluteError().getAsDouble(), 1e-12);
      for (int i = 0; i < 4; i++) {
        m.observeOutcome(3.0, 3.25);
      }
      assertEquals(0.25, m.meanAbsoluteError().getAsDouble(), 1e-12);
      assertThrows(InvalidInputException.class, () -> m.observeOutcome(Double.NaN, 1.0));
    }
  }

  @Test
  void chosenDetectorsAndDriftSettingsAreUsed() {
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    try (Monitor m = Monitor.builder(reference()).detectors(ConceptDriftDetector::pageHinkley)
        .window(Window.ofCount(1_000)).drift(d -> d.test("x", StatTest.psi().threshold(10)))
        .onAlert(alerts::add).build()) {
      SplittableRandom r = new SplittableRandom(6);
      for (int i = 0; i < 4_000; i++) {
        m.observeOutcome("a", r.nextDouble() < (i < 2_000 ? 0.1 : 0.5) ? "b" : "a");
      }
      assertTrue(alerts.stream().allMatch(a -> a.summary().startsWith("pageHinkley")));
      assertFalse(alerts.isEmpty());
      for (int i = 0; i < 1_000; i++) {
        m.observe(row(r, 0.4));
      }
      ColumnDrift x = m.lastReport().orElseThrow().column("x");
      assertEquals("psi", x.test());
      assertFalse(x.drifted());
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Monitor.builder(reference()).drift(d -> d.test("nope", StatTest.psi())).build());
    assertTrue(e.getMessage().contains("'nope'"));
  }

  @Test
  void aFailingAlertListenerDoesNotBreakObservation() {
    try (Monitor m = Monitor.builder(reference()).window(Window.ofCount(500))
        .onAlert(a -> { throw new IllegalStateException("listener down"); }).build()) {
      SplittableRandom r = new SplittableRandom(5);
      for (int i = 0; i < 1_000; i++) {
        m.observe(row(r, 3));
      }
      assertEquals(2, m.windowsClosed());
      assertEquals(MonitorState.DRIFT, m.state());
    }
  }
}
