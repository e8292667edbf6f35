package dev.mlops.serving;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor the HTTP server hands every exchange to, and the place where requests are
 * admitted or turned away. At most {@code maxConcurrent} exchanges are admitted at once
 * (running on the bounded worker pool or waiting in its queue); one more is run on a single
 * small rejection thread that only answers 503, so an overloaded server still says so instead
 * of dropping the connection. Once draining has begun, new exchanges are turned away the same
 * way, while those admitted before finish normally.
 */
final class Admission implements Executor {
  /** How the handler must treat the exchange it is running. */
  enum Verdict { ADMITTED, OVERLOADED, DRAINING }

  private static final int REJECTION_QUEUE = 256;

  private final int maxConcurrent;
  private final Semaphore permits;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor rejecter;
  private final ThreadLocal<Verdict> verdict = new ThreadLocal<>();
  private volatile boolean draining;

  Admission(int threads, int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
    this.permits = new Semaphore(maxConcurrent);
    this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(maxConcurrent),
        new ThreadFactoryBuilder().setNameFormat("mlops-scoring-%d").setDaemon(true).build());
    this.rejecter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(REJECTION_QUEUE),
        new ThreadFactoryBuilder().setNameFormat("mlops-scoring-reject-%d").setDaemon(true).build());
  }

  @Override
  public void execute(Runnable exchange) {
    if (!draining && permits.tryAcquire()) {
      try {
        workers.execute(() -> run(exchange, Verdict.ADMITTED, true));
      } catch (RejectedExecutionException e) {
        permits.release();
        throw e;
      }
    } else {
      // When even the rejection queue is full, the server closes the connection unanswered.
      Verdict v = draining ? Verdict.DRAINING : Verdict.OVERLOADED;
      rejecter.execute(() -> run(exchange, v, false));
    }
  }

  private void run(Runnable exchange, Verdict v, boolean admitted) {
    verdict.set(v);
    try {
      exchange.run();
    } finally {
      verdict.remove();
      if (admitted) {
        permits.release();
      }
    }
  }

  /** The verdict on the exchange the calling thread runs. */
  Verdict verdict() {
    Verdict v = verdict.get();
    return v == null ? Verdict.ADMITTED : v;
  }

  boolean draining() {
    return draining;
  }

  /**
   * Turns new exchanges away and waits until every admitted one has finished or the timeout
   * has passed.
   *
   * @return whether every admitted exchange finished in time
   */
  boolean drain(Duration timeout) throws InterruptedException {
    draining = true;
    if (permits.tryAcquire(maxConcurrent, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      permits.release(maxConcurrent);
      return true;
    }
    return false;
  }

  void shutdown() {
    workers.shutdownNow();
    rejecter.shutdownNow();
  }
}
