package dev.mlops.lifecycle;

import dev.mlops.serving.ModelService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started {@link Lifecycle}: one thread runs the queued passes one after another, and a tick
 * checks the schedule and the data and reviews the service. A trigger that fires while a pass
 * runs waits as the one pending pass; more triggers meanwhile are folded into it. Close it to stop.
 *
 * <pre>{@code
 * try (LifecycleDriver driver = lifecycle.start(service, Duration.ofMinutes(5))) {
 *   driver.awaitIdle();            // e.g. in a test: until no pass is queued or running
 * }
 * }</pre>
 */
public final class LifecycleDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleDriver.class);

  private final Lifecycle lifecycle;
  private final Thread worker;
  private final ScheduledExecutorService ticker;
  private final AtomicLong passes = new AtomicLong();

  LifecycleDriver(Lifecycle lifecycle, ModelService service, Duration every) {
    if (every.isNegative() || every.isZero()) {
      throw new dev.mlops.core.InvalidInputException("a driver ticks at a positive interval; got " + every);
    }
    this.lifecycle = lifecycle;
    lifecycle.queue.reopen();
    this.worker = new Thread(this::work, "mlops-lifecycle-" + lifecycle.name());
    worker.setDaemon(true);
    worker.start();
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mlops-lifecycle-tick-" + lifecycle.name());
      t.setDaemon(true);
      return t;
    });
    long millis = every.toMillis();
    ticker.scheduleWithFixedDelay(() -> tick(service), millis, millis, TimeUnit.MILLISECONDS);
  }

  private void tick(ModelService service) {
    try {
      lifecycle.tick();
      if (service != null && !service.isClosed()) {
        lifecycle.review(service);
      }
    } catch (RuntimeException e) {
      LOG.warn("life cycle {}: a tick failed: {}", lifecycle.name(), e.toString());
    }
  }

  private void work() {
    while (true) {
      Optional<TriggerEvent> event;
      try {
        event = lifecycle.queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (event.isEmpty()) {
        return;
      }
      try {
        lifecycle.runOnce(event.get());
      } catch (RuntimeException e) {
        LOG.warn("life cycle {}: the pass for {} failed: {}", lifecycle.name(), event.get(), e.toString());
      } finally {
        passes.incrementAndGet();
        lifecycle.queue.done();
      }
    }
  }

  /** How many passes the driver ran (finished or failed). */
  public long passes() {
    return passes.get();
  }

  /** How many triggers were folded into a pending pass instead of starting one. */
  public long folded() {
    return lifecycle.queue.folded();
  }

  /** Waits until no pass is queued or running. */
  public void awaitIdle() throws InterruptedException {
    lifecycle.queue.awaitIdle();
  }

  /** Stops ticking, lets a running pass finish, and drops a queued one. */
  @Override
  public void close() {
    ticker.shutdownNow();
    lifecycle.queue.close();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
