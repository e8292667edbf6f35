package dev.mlops.serving;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Where requests are admitted or turned away. At most {@code maxConcurrent} requests are
 * admitted at once (reading their body, predicting or writing their answer); one more is turned
 * away as overload, so an overloaded server still answers 503 instead of queueing without bound.
 * Once draining has begun, new requests are turned away the same way, while those admitted
 * before finish normally. Thread-safe.
 */
final class Admission {
  /** What the server does with a request. */
  enum Verdict { ADMITTED, OVERLOADED, DRAINING }

  private final int maxConcurrent;
  private final Semaphore permits;
  private volatile boolean draining;

  Admission(int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
    this.permits = new Semaphore(maxConcurrent);
  }

  /** The verdict on a new request; an admitted one must be {@link #leave() left} exactly once. */
  Verdict enter() {
    if (draining) {
      return Verdict.DRAINING;
    }
    return permits.tryAcquire() ? Verdict.ADMITTED : Verdict.OVERLOADED;
  }

  /** Ends an admitted request. */
  void leave() {
    permits.release();
  }

  boolean draining() {
    return draining;
  }

  /**
   * Turns new requests away and waits until every admitted one has finished or the timeout
   * has passed.
   *
   * @return whether every admitted request finished in time
   */
  boolean drain(Duration timeout) throws InterruptedException {
    draining = true;
    if (permits.tryAcquire(maxConcurrent, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      permits.release(maxConcurrent);
      return true;
    }
    return false;
  }
}
