package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.monitoring.Alert;
import dev.mlops.monitoring.MonitorState;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Schedules by an injected clock, new data by digest, drift and concept-drift alerts, and triggers folded during a pass. */
class TriggerTest extends StoreFixture {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T08:00:00Z"));

  @Override
  int firstBatchRows() {
    return 90;
  }

  private Lifecycle.Builder lifecycle(Trigger trigger) {
    return Lifecycle.builder(tracker, "blobs").data(DataSource.csv(incoming)).label(Blobs.LABEL)
        .train(Blobs.trainer(0.5, 2)).retrainWhen(trigger).clock(clock);
  }

  @Test
  void aScheduleFiresWhenItsPeriodHasPassedByTheLifeCyclesClock() {
    Lifecycle lc = lifecycle(Trigger.every(Duration.ofDays(7))).build();
    lc.tick();
    LifecycleResult first = lc.runPending().orElseThrow();
    assertEquals(Trigger.Kind.SCHEDULE, first.record().orElseThrow().trigger().kind());

    clock.advance(Duration.ofDays(6));
    lc.tick();
    assertEquals(Optional.empty(), lc.runPending(), "six days are not seven");
    clock.advance(Duration.ofDays(1));
    lc.tick();
    LifecycleResult weekly = lc.runPending().orElseThrow();
    assertEquals(Outcome.UNCHANGED, weekly.outcome(), "a scheduled pass on the same data does nothing");
  }

  @Test
  void aScheduleRemembersTheLastPassAcrossInstances() {
    lifecycle(Trigger.every(Duration.ofDays(7))).build().runOnce();
    Lifecycle restarted = lifecycle(Trigger.every(Duration.ofDays(7))).build();
    restarted.tick();
    assertEquals(Optional.empty(), restarted.runPending(), "the store's last pass began just now");
  }

  @Test
  void newDataFiresWhenTheSourcesDigestChanges() {
    Lifecycle lc = lifecycle(Trigger.newData()).build();
    lc.tick();
    assertEquals(Trigger.Kind.NEW_DATA, lc.runPending().orElseThrow().record().orElseThrow().trigger().kind());
    lc.tick();
    assertEquals(Optional.empty(), lc.runPending(), "the same digest is no new data");

    Blobs.write(incoming, "batch-2", Blobs.frame(30, 2, 0));
    lc.tick();
    LifecycleResult r = lc.runPending().orElseThrow();
    assertEquals(Trigger.Kind.NEW_DATA, r.record().orElseThrow().trigger().kind());
    assertTrue(r.record().orElseThrow().trigger().detail().contains("was sha256:"), r.record().orElseThrow().trigger().detail());
    assertEquals(120, r.record().orElseThrow().rows());
  }

  @Test
  void driftAndConceptDriftAlertsQueueAPassOnlyWhenDeclared() {
    Alert drift = new Alert(Alert.Kind.DATA_DRIFT, MonitorState.DRIFT, clock.instant(), "2 of 4 columns drifted", Optional.empty());
    Alert concept = new Alert(Alert.Kind.CONCEPT_DRIFT, MonitorState.DRIFT, clock.instant(), "ADWIN fired", Optional.empty());

    Lifecycle onlyDrift = lifecycle(Trigger.drift()).build();
    onlyDrift.onAlert(concept);
    assertEquals(Optional.empty(), onlyDrift.runPending(), "concept drift was not declared");
    onlyDrift.onAlert(drift);
    DecisionRecord record = onlyDrift.runPending().orElseThrow().record().orElseThrow();
    assertEquals(Trigger.Kind.DRIFT, record.trigger().kind());
    assertEquals("2 of 4 columns drifted", record.trigger().detail());

    Lifecycle both = lifecycle(Trigger.drift().or(Trigger.conceptDrift())).build();
    both.onAlert(concept);
    assertEquals(Trigger.Kind.CONCEPT_DRIFT, both.queue.poll().orElseThrow().kind());
  }

  @Test
  void triggersThatFireDuringAPassAreQueuedOnceNotPiledUp() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Lifecycle lc = lifecycle(Trigger.drift()).onStep(step -> {
      if (step.name().equals("ingest") && started.getCount() > 0) {
        started.countDown();
        await(release);
      }
    }).build();
    try (LifecycleDriver driver = lc.start(null, Duration.ofDays(1))) {
      assertTrue(lc.fire(TriggerEvent.onDemand("first", clock.instant())));
      assertTrue(started.await(30, TimeUnit.SECONDS));
      assertTrue(lc.fire(TriggerEvent.onDemand("second", clock.instant())), "queued behind the running pass");
      assertFalse(lc.fire(TriggerEvent.onDemand("third", clock.instant())), "folded into the queued one");
      assertFalse(lc.fire(TriggerEvent.onDemand("fourth", clock.instant())));
      release.countDown();
      driver.awaitIdle();

      assertEquals(2, driver.passes());
      assertEquals(2, driver.folded());
    }
    assertEquals(1, tracker.search("blobs").filter("tags.`mlops.lifecycle.kind` = 'pass'").list().size(),
        "the second pass found the first's inputs unchanged and started no run");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
