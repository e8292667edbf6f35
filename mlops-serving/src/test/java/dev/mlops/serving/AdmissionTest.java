package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which requests are admitted, turned away as overload, or turned away while draining. */
class AdmissionTest {
  private final Admission admission = new Admission(2);

  @Test
  void overTheLimitIsOverloadedUntilAnAdmittedRequestLeaves() {
    assertEquals(Admission.Verdict.ADMITTED, admission.enter());
    assertEquals(Admission.Verdict.ADMITTED, admission.enter());
    assertEquals(Admission.Verdict.OVERLOADED, admission.enter());
    admission.leave();
    assertEquals(Admission.Verdict.ADMITTED, admission.enter());
  }

  @Test
  void drainingTurnsNewRequestsAwayAndWaitsForAdmittedOnes() throws Exception {
    assertEquals(Admission.Verdict.ADMITTED, admission.enter());
    assertFalse(admission.drain(Duration.ZERO), "one request is still running");
    assertTrue(admission.draining());
    assertEquals(Admission.Verdict.DRAINING, admission.enter());
    admission.leave();
    assertTrue(admission.drain(Duration.ofSeconds(30)));
  }
}
