package dev.mlops.tracking.internal;

import dev.mlops.core.MlopsException;
import dev.mlops.core.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries metric points from training threads to the store. Asynchronous: a bounded queue, one
 * background thread that drains it in batches and writes each batch in one transaction, so a
 * caller pays for a queue insertion only. A full queue blocks the caller (never drops a point);
 * points leave the queue in the order they entered it, so the order per run and key is kept.
 * {@link #flush()} returns once every point submitted before it is committed, and rethrows the
 * first write error since the previous flush. Synchronous: each point is written by the caller.
 */
public final class MetricWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricWriter.class);
  private static final int MAX_BATCH = 10_000;

  private final TrackingStore store;
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final Object syncLock = new Object();
  private volatile boolean closed;
  // The first write failure since the last flush; only the writer thread sets it.
  private MlopsException failure;

  private record Flush(CompletableFuture<Void> done) {}

  private record Stop(CompletableFuture<Void> done) {}

  private MetricWriter(TrackingStore store, int capacity, boolean asynchronous) {
    this.store = store;
    if (asynchronous) {
      this.queue = new ArrayBlockingQueue<>(capacity);
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
      throw new StoreUnavailableException("the tracker is closed; open a new one to log metric '" + point.key() + "'");
    }
    if (queue == null) {
      synchronized (syncLock) {
        store.logMetrics(List.of(point));
      }
      return;
    }
    put(point);
  }

  /** Hands several points to the store, in order. */
  public void submitAll(List<MetricPoint> points) {
    if (queue == null) {
      if (closed) {
        throw new StoreUnavailableException("the tracker is closed; open a new one to log metrics");
      }
      synchronized (syncLock) {
        store.logMetrics(points);
      }
      return;
    }
    for (MetricPoint p : points) {
      submit(p);
    }
  }

  /**
   * Waits until every point submitted before this call is committed.
   *
   * @throws MlopsException the first write error since the previous flush
   */
  public void flush() {
    if (queue == null || Thread.currentThread() == thread) {
      return;
    }
    if (!thread.isAlive()) {
      throw new StoreUnavailableException("the metric writer has stopped; open a new tracker");
    }
    Flush flush = new Flush(new CompletableFuture<>());
    put(flush);
    await(flush.done());
  }

  private void put(Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for room in the metric queue", e);
    }
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
    List<Object> items = new ArrayList<>(MAX_BATCH);
    List<MetricPoint> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        items.add(queue.take());
      } catch (InterruptedException e) {
        // only close() may stop the writer, and it does so through the queue
        continue;
      }
      queue.drainTo(items, MAX_BATCH - 1);
      for (Object item : items) {
        if (item instanceof MetricPoint p) {
          batch.add(p);
          continue;
        }
        write(batch);
        if (item instanceof Flush f) {
          complete(f.done());
        } else if (item instanceof Stop s) {
          complete(s.done());
          return;
        }
      }
      write(batch);
      items.clear();
    }
  }

  private void write(List<MetricPoint> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.logMetrics(batch);
    } catch (MlopsException e) {
      LOG.error("could not write {} metric points: {}", batch.size(), e.getMessage());
      if (failure == null) {
        failure = e;
      }
    } catch (RuntimeException e) {
      LOG.error("could not write {} metric points", batch.size(), e);
      if (failure == null) {
        failure = new StoreUnavailableException("could not write " + batch.size() + " metric points: " + e, e);
      }
    }
    batch.clear();
  }

  private void complete(CompletableFuture<Void> done) {
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
      failure = null;
    }
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
    Stop stop = new Stop(new CompletableFuture<>());
    put(stop);
    await(stop.done());
  }
}
