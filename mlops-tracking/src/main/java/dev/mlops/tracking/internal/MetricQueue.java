package dev.mlops.tracking.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the threads that log metric points and the one thread that writes
 * them. Points are appended to an open chunk, which is sealed when it holds a batch's worth and
 * then handed to the writer whole: the writer takes a batch with one lock acquisition, instead of
 * moving points one by one while the callers wait for the lock, and a caller pays an uncontended
 * lock and an append. At most {@code capacity} points wait; a caller that would exceed it blocks
 * until the writer takes a chunk. Chunks leave in the order they were filled, so points do too.
 * A flush or stop seals the open chunk with a marker that the writer completes once the chunk's
 * points are written; a flush that finds nothing queued and the writer idle is complete at once,
 * as everything before it is written, which spares the caller two thread hand-offs.
 */
final class MetricQueue {
  private final int capacity;
  private final int chunkSize;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Chunk> sealed = new ArrayDeque<>();
  private Chunk open = new Chunk();
  // Points in the sealed chunks and the open one: what the writer has not taken yet.
  private int waiting;
  private boolean writerWaiting;
  // Whether the writer holds a chunk it has not finished writing.
  private boolean writing;
  // The stop marker, once one came: the writer reads nothing after it, so nothing may follow it.
  private Marker stop;

  /** What follows a chunk's points: a flush or a stop, completed once they are written. */
  record Marker(CompletableFuture<Void> done, boolean stop) {}

  /** Points in log order, and the marker that follows them, if any. */
  static final class Chunk {
    private final List<MetricPoint> points = new ArrayList<>();
    private Marker marker;

    List<MetricPoint> points() {
      return points;
    }

    Marker marker() {
      return marker;
    }
  }

  /**
   * @param capacity how many points may wait for the writer
   * @param chunkSize the most points the writer takes at once
   */
  MetricQueue(int capacity, int chunkSize) {
    this.capacity = capacity;
    this.chunkSize = Math.min(capacity, chunkSize);
  }

  /** Appends a point; blocks while {@code capacity} points wait. False once the queue is stopped. */
  boolean put(MetricPoint point) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      return append(point);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends points in order, under one lock acquisition unless it has to wait for room. False
   * once the queue is stopped, and then the points not appended yet are not.
   */
  boolean putAll(List<MetricPoint> points) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      for (MetricPoint p : points) {
        if (!append(p)) {
          return false;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean append(MetricPoint point) throws InterruptedException {
    while (waiting >= capacity && stop == null) {
      notFull.await();
    }
    if (stop != null) {
      return false;
    }
    open.points.add(point);
    waiting++;
    if (open.points.size() == chunkSize) {
      seal();
    }
    wakeWriter();
    return true;
  }

  /**
   * Seals what is queued with a marker; never blocks for room, since a marker takes none. After a
   * stop, no point is accepted, and a later marker completes when the stop does.
   */
  void mark(Marker marker) {
    lock.lock();
    try {
      if (stop != null) {
        stop.done().whenComplete((ignored, failure) -> marker.done().complete(null));
        return;
      }
      if (!marker.stop() && !writing && sealed.isEmpty() && open.points.isEmpty()) {
        marker.done().complete(null);
        return;
      }
      if (marker.stop()) {
        stop = marker;
        notFull.signalAll();
      }
      open.marker = marker;
      seal();
      wakeWriter();
    } finally {
      lock.unlock();
    }
  }

  private void seal() {
    sealed.addLast(open);
    open = new Chunk();
  }

  // Only a writer that waits needs a signal; checking a flag is cheaper than signalling each time.
  private void wakeWriter() {
    if (writerWaiting) {
      writerWaiting = false;
      notEmpty.signal();
    }
  }

  /** The writer's next chunk: the oldest sealed one, else what the open one holds; waits for points. */
  Chunk take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (sealed.isEmpty() && open.points.isEmpty()) {
        writerWaiting = true;
        notEmpty.await();
      }
      writerWaiting = false;
      Chunk next = sealed.pollFirst();
      if (next == null) {
        next = open;
        open = new Chunk();
      }
      waiting -= next.points.size();
      writing = true;
      notFull.signalAll();
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** Called by the writer once the chunk it took last is written, its failures recorded. */
  void written() {
    lock.lock();
    try {
      writing = false;
    } finally {
      lock.unlock();
    }
  }
}
