package dev.mlops.lifecycle;

import static dev.mlops.lifecycle.OnlineCriteria.agreement;
import static dev.mlops.monitoring.Condition.atLeast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Frame;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.Profile;
import dev.mlops.serving.ModelService;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shadow and canary trials judged by a review, promotion on online criteria, and rollback on monitored quality. */
class DeployTest extends StoreFixture {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T08:00:00Z"));


  private Lifecycle lifecycle(Deploy deploy) {
    return Lifecycle.builder(tracker, "blobs").data(DataSource.csv(incoming)).label(Blobs.LABEL)
        .train(Blobs.trainer()).gate(Gate.atLeast("accuracy", 0.8)).deploy(deploy).clock(clock).build();
  }

  private static List<Map<String, Object>> requests(Frame frame) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < frame.rowCount(); i++) {
      Map<String, Object> row = frame.row(i);
      row.remove(Blobs.LABEL);
      rows.add(row);
    }
    return rows;
  }

  @Test
  void aShadowChallengerIsPromotedByAReviewOnceItsTrialTimeIsUpAndItAgreesWithTheChampion() {
    lifecycle(Deploy.immediately()).runOnce();
    Blobs.write(incoming, "batch-2", Blobs.frame(60, 2, 0));
    Lifecycle shadow = lifecycle(Deploy.shadow(Duration.ofHours(1)).minRows(20).promoteIf(agreement(atLeast(0.8))));

    LifecycleResult pass = shadow.runOnce();

    assertEquals(Outcome.ON_TRIAL, pass.outcome(), pass.reason());
    assertEquals(1, tracker.registry().resolve("models:/blobs@champion").version());
    assertEquals(2, tracker.registry().resolve("models:/blobs@challenger").version());
    try (ModelService service = ModelService.builder(tracker, "models:/blobs@champion")
        .shadow("models:/blobs@challenger").pollEvery(Duration.ZERO).build()) {
      service.predict(requests(Blobs.frame(30, 9, 0)));
      assertEquals(Outcome.KEPT, shadow.review(service).outcome(), "the trial's hour is not up");
      clock.advance(Duration.ofHours(1));

      LifecycleResult review = shadow.review(service);

      assertEquals(Outcome.PROMOTED, review.outcome(), review.reason());
      assertEquals(2, tracker.registry().resolve("models:/blobs@champion").version());
      DecisionRecord record = review.record().orElseThrow();
      assertEquals(Trigger.Kind.REVIEW, record.trigger().kind());
      assertEquals("agreement", record.gate().get(0).metric());
      assertTrue(record.gate().get(0).candidate() >= 0.8);
      assertEquals(Outcome.KEPT, shadow.review(service).outcome(), "a promoted challenger is not judged again");
    }
  }

  @Test
  void aCanaryWhoseLabelledAccuracyMissesTheCriterionIsRejectedAndTheChampionStays() {
    lifecycle(Deploy.immediately()).runOnce();
    Blobs.write(incoming, "batch-2", Blobs.frame(60, 2, 0));
    Lifecycle canary = lifecycle(Deploy.canary(0.5, Duration.ZERO).minRows(10)
        .promoteIf(OnlineCriteria.accuracy(atLeast(0.9))));
    assertEquals(Outcome.ON_TRIAL, canary.runOnce().outcome());
    Profile reference = Profile.of(Blobs.frame(60, 3, 0).select("a", "b", "c", "d"));
    try (Monitor monitor = Monitor.builder(reference).build();
        ModelService service = ModelService.builder(tracker, "models:/blobs@champion")
            .canary("models:/blobs@challenger", 0.5).monitor(monitor).pollEvery(Duration.ZERO).build()) {
      service.predict(requests(Blobs.frame(30, 9, 0)));
      assertTrue(service.challengerStats().orElseThrow().toChallenger() > 0, "the canary answered some rows");
      for (int i = 0; i < 20; i++) {
        monitor.observeOutcome("x", i % 2 == 0 ? "x" : "y");
      }

      LifecycleResult review = canary.review(service);

      assertEquals(Outcome.REJECTED, review.outcome(), review.reason());
      assertTrue(review.reason().contains("accuracy 0.5"), review.reason());
      assertEquals(1, tracker.registry().resolve("models:/blobs@champion").version());
      assertEquals("rejected", tracker.registry().version("blobs", 2).tags().get(Lifecycle.VERSION_STATE));
      assertEquals(1, tracker.registry().resolve("models:/blobs@challenger").version(),
          "the challenger slot follows the champion again");
    }
  }

  @Test
  void aChallengerIsPromotedOnlyWhenAgreementAndLabelledAccuracyBothHold() {
    lifecycle(Deploy.immediately()).runOnce();
    Blobs.write(incoming, "batch-2", Blobs.frame(60, 2, 0));
    Lifecycle shadow = lifecycle(Deploy.shadow(Duration.ZERO).minRows(10)
        .promoteIf(agreement(atLeast(0.5)).and(OnlineCriteria.accuracy(atLeast(0.9)))));
    shadow.runOnce();
    Profile reference = Profile.of(Blobs.frame(60, 3, 0).select("a", "b", "c", "d"));
    try (Monitor monitor = Monitor.builder(reference).build();
        ModelService service = ModelService.builder(tracker, "models:/blobs@champion")
            .shadow("models:/blobs@challenger").monitor(monitor).pollEvery(Duration.ZERO).build()) {
      service.predict(requests(Blobs.frame(30, 9, 0)));
      for (int i = 0; i < 20; i++) {
        monitor.observeOutcome("x", "x");
      }

      LifecycleResult review = shadow.review(service);

      assertEquals(Outcome.PROMOTED, review.outcome(), review.reason());
      assertEquals(List.of("agreement", "accuracy"), review.record().orElseThrow().gate().stream()
          .map(GateResult::metric).toList());
      assertEquals(1.0, review.record().orElseThrow().gate().get(1).candidate());
    }
  }

  @Test
  void aPromotedModelWhoseMonitoredAccuracyFallsBelowTheGateIsRolledBack() {
    Lifecycle lc = lifecycle(Deploy.immediately());
    lc.runOnce();
    Blobs.write(incoming, "batch-2", Blobs.frame(60, 2, 0));
    assertEquals(Outcome.PROMOTED, lc.runOnce().outcome());
    Profile reference = Profile.of(Blobs.frame(60, 3, 0).select("a", "b", "c", "d"));
    try (Monitor monitor = Monitor.builder(reference).build();
        ModelService service = ModelService.builder(tracker, "models:/blobs@champion").monitor(monitor)
            .pollEvery(Duration.ZERO).build()) {
      for (int i = 0; i < 10; i++) {
        monitor.observeOutcome("x", "x");
      }
      assertEquals(Outcome.KEPT, lc.review(service).outcome(), "accuracy 1.0 holds the gate");
      for (int i = 0; i < 40; i++) {
        monitor.observeOutcome("x", "y");
      }

      LifecycleResult review = lc.review(service);

      assertEquals(Outcome.ROLLED_BACK, review.outcome(), review.reason());
      assertEquals(1, tracker.registry().resolve("models:/blobs@champion").version());
      assertEquals("rolled_back", tracker.registry().version("blobs", 2).tags().get(Lifecycle.VERSION_STATE));
      assertEquals(2, review.record().orElseThrow().championBefore().getAsInt());
      assertEquals(1, review.record().orElseThrow().championAfter().getAsInt());
      assertEquals(Outcome.KEPT, lc.review(service).outcome(), "version 1 was not promoted by a pass, so it stays");
    }
  }
}
