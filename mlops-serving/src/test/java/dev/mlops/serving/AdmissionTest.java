package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which exchanges are admitted, turned away as overload, or turned away while draining. */
class AdmissionTest {
  private final Admission admission = new Admission(1, 2);
  private final BlockingQueue<Admission.Verdict> verdicts = new ArrayBlockingQueue<>(16);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void shutdown() {
    release.countDown();
    admission.shutdown();
  }

  private void submitBlocking() {
    admission.execute(() -> {
      verdicts.add(admission.verdict());
      await(release);
    });
  }

  private void submit() {
    admission.execute(() -> verdicts.add(admission.verdict()));
  }

  private Admission.Verdict next() throws InterruptedException {
    return verdicts.poll(30, TimeUnit.SECONDS);
  }

  @Test
  void overTheLimitIsOverloadedAndTheLimitCountsQueuedExchanges() throws Exception {
    submitBlocking();                 // runs on the one worker
    assertEquals(Admission.Verdict.ADMITTED, next());
    submit();                         // admitted: waits in the queue
    submit();                         // over the limit of two
    assertEquals(Admission.Verdict.OVERLOADED, next());
    release.countDown();
    assertEquals(Admission.Verdict.ADMITTED, next());
    submit();
    assertEquals(Admission.Verdict.ADMITTED, next());
  }

  @Test
  void drainingTurnsNewExchangesAwayAndWaitsForAdmittedOnes() throws Exception {
    submitBlocking();
    assertEquals(Admission.Verdict.ADMITTED, next());
    assertFalse(admission.drain(Duration.ZERO), "one exchange is still running");
    assertTrue(admission.draining());
    submit();
    assertEquals(Admission.Verdict.DRAINING, next());
    release.countDown();
    assertTrue(admission.drain(Duration.ofSeconds(30)));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
