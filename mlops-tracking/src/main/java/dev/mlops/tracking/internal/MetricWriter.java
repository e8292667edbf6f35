package dev.mlops.tracking.internal;

import dev.mlops.core.MlopsException;
import dev.mlops.core.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries metric points from training threads to the store. Asynchronous: a bounded
 * {@link MetricQueue}, one background thread that takes batches of up to {@value #MAX_BATCH}
 * points from it and writes each batch in one transaction through a {@link MetricAppender}, so
 * a caller pays for a queue insertion only. A full queue blocks the caller (never drops a
 * point); points leave the queue in the order they entered it, so the order per run and key is
 * kept. {@link #flush()} returns once every point submitted before it is committed, and
 * rethrows the first write error since the previous flush; {@link #flush(String)} rethrows only
 * an error in the points of that run. A failed batch is written again run by run, so that the
 * points of other runs are kept and the error is held for the run whose points failed, not for
 * whichever caller flushes next. Synchronous: each point is written by the caller.
 */
public final class MetricWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricWriter.class);
  private static final int MAX_BATCH = 10_000;

  private final TrackingStore store;
  private final MetricQueue queue;
  private final Thread thread;
  private final Object syncLock = new Object();
  private volatile boolean closed;
  // The first write failure of each run since it was last reported; only the writer thread adds.
  private final Map<String, MlopsException> failures = new ConcurrentHashMap<>();

  private MetricWriter(TrackingStore store, int capacity, boolean asynchronous) {
    this.store = store;
    if (asynchronous) {
      this.queue = new MetricQueue(capacity, MAX_BATCH);
      this.thread = new Thread(this::drain, "mlops-metric-writer");
      this.thread.setDaemon(true);
      this.thread.start();
    } else {
      this.queue = null;
      this.thread = null;
    }
  }

  /** A writer with a background thread and a queue of this many points. */
  public static MetricWriter asynchronous(TrackingStore store, int capacity) {
    return new MetricWriter(store, capacity, true);
  }

  /** A writer that writes on the caller's thread. */
  public static MetricWriter synchronous(TrackingStore store) {
    return new MetricWriter(store, 0, false);
  }

  /** Hands a point to the store; blocks while the queue is full. */
  public void submit(MetricPoint point) {
    if (closed) {
      throw closedFor("metric '" + point.key() + "'");
    }
    if (queue == null) {
      synchronized (syncLock) {
        store.logMetrics(List.of(point));
      }
      return;
    }
    try {
      if (!queue.put(point)) {
        throw closedFor("metric '" + point.key() + "'");
      }
    } catch (InterruptedException e) {
      throw interruptedWaitingForRoom(e);
    }
  }

  /** Hands several points to the store, in order. */
  public void submitAll(List<MetricPoint> points) {
    if (closed) {
      throw closedFor("metrics");
    }
    if (queue == null) {
      synchronized (syncLock) {
        store.logMetrics(points);
      }
      return;
    }
    try {
      if (!queue.putAll(points)) {
        throw closedFor("metrics");
      }
    } catch (InterruptedException e) {
      throw interruptedWaitingForRoom(e);
    }
  }

  private static IllegalStateException closedFor(String what) {
    return new IllegalStateException("the tracker is closed; open a new one to log " + what);
  }

  private static StoreUnavailableException interruptedWaitingForRoom(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new StoreUnavailableException("interrupted while waiting for room in the metric queue", e);
  }

  /**
   * Waits until every point submitted before this call is committed.
   *
   * @throws MlopsException the first write error since the previous flush
   */
  public void flush() {
    sync();
    rethrowPending();
  }

  /**
   * Waits until every point submitted before this call is committed.
   *
   * @throws MlopsException the first error in writing this run's points since it was last reported
   */
  public void flush(String runId) {
    sync();
    MlopsException failure = failures.remove(runId);
    if (failure != null) {
      throw failure;
    }
  }

  /** Waits until every point submitted before this call is committed, reporting no error. */
  public void sync() {
    if (queue == null || Thread.currentThread() == thread) {
      return;
    }
    if (closed || !thread.isAlive()) {
      throw new IllegalStateException("the tracker is closed; open a new one");
    }
    MetricQueue.Marker flush = new MetricQueue.Marker(new CompletableFuture<>(), false);
    queue.mark(flush);
    await(flush.done());
  }

  private static void await(CompletableFuture<Void> done) {
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for metrics to be written", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MlopsException m) {
        throw m;
      }
      throw new StoreUnavailableException("writing metrics failed: " + e.getCause(), e.getCause());
    }
  }

  private void drain() {
    MetricQueue.Marker stop;
    try (MetricAppender appender = store.metricAppender()) {
      stop = writeUntilStopped(appender);
    }
    // completed after the appender let go of its connection, so that a closed tracker holds none
    complete(stop.done());
  }

  private MetricQueue.Marker writeUntilStopped(MetricAppender appender) {
    while (true) {
      MetricQueue.Chunk chunk;
      try {
        chunk = queue.take();
      } catch (InterruptedException e) {
        // only close() may stop the writer, and it does so through the queue
        continue;
      }
      write(appender, chunk.points());
      queue.written();
      MetricQueue.Marker marker = chunk.marker();
      if (marker != null && marker.stop()) {
        return marker;
      }
      if (marker != null) {
        complete(marker.done());
      }
    }
  }

  private void write(MetricAppender appender, List<MetricPoint> batch) {
    if (batch.isEmpty()) {
      return;
    }
    MlopsException failure = tryAppend(appender, batch);
    if (failure == null) {
      return;
    }
    Map<String, List<MetricPoint>> byRun = new LinkedHashMap<>();
    for (MetricPoint p : batch) {
      byRun.computeIfAbsent(p.runId(), r -> new ArrayList<>()).add(p);
    }
    if (byRun.size() == 1) {
      fail(batch.get(0).runId(), batch.size(), failure);
      return;
    }
    // one run's bad points must not cost the other runs theirs, nor hand them its error
    for (Map.Entry<String, List<MetricPoint>> run : byRun.entrySet()) {
      MlopsException runFailure = tryAppend(appender, run.getValue());
      if (runFailure != null) {
        fail(run.getKey(), run.getValue().size(), runFailure);
      }
    }
  }

  private static MlopsException tryAppend(MetricAppender appender, List<MetricPoint> points) {
    try {
      appender.append(points);
      return null;
    } catch (MlopsException e) {
      return e;
    } catch (RuntimeException e) {
      return new StoreUnavailableException("could not write " + points.size() + " metric points: " + e, e);
    }
  }

  private void fail(String runId, int points, MlopsException e) {
    LOG.warn("could not write {} metric points of run {}: {}", points, runId, e.getMessage());
    failures.putIfAbsent(runId, e);
  }

  private void rethrowPending() {
    Iterator<MlopsException> pending = failures.values().iterator();
    if (pending.hasNext()) {
      MlopsException first = pending.next();
      failures.clear();
      throw first;
    }
  }

  private static void complete(CompletableFuture<Void> done) {
    done.complete(null);
  }

  /** Writes everything queued, stops the writer thread, and rethrows a pending write error. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (queue == null) {
      return;
    }
    MetricQueue.Marker stop = new MetricQueue.Marker(new CompletableFuture<>(), true);
    queue.mark(stop);
    await(stop.done());
    rethrowPending();
  }
}
