package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The queue between callers and the metric writer: whatever the capacity, the chunk size and the
 * mix of single points, groups of points and flushes, the writer receives every point once, in
 * the order logged, never more than a chunk at a time, with each flush after exactly the points
 * logged before it; a full queue blocks; a stopped queue refuses points.
 */
class MetricQueueProperties {

  @Provide
  Arbitrary<List<Integer>> calls() {
    // n > 0: log n points (one put when n == 1, else putAll); 0: flush
    return Arbitraries.integers().between(0, 7).list().ofMaxSize(60);
  }

  @Property(tries = 200)
  void theWriterGetsEveryPointOnceInOrderWithFlushesInPlace(
      @ForAll("calls") List<Integer> calls, @ForAll @IntRange(min = 1, max = 9) int capacity,
      @ForAll @IntRange(min = 1, max = 9) int chunkSize) throws Exception {
    MetricQueue queue = new MetricQueue(capacity, chunkSize);
    List<Object> expected = new ArrayList<>();
    CompletableFuture<List<Object>> received = CompletableFuture.supplyAsync(() -> takeUntilStopped(queue, capacity, chunkSize));
    long step = 0;
    for (int call : calls) {
      if (call == 0) {
        MetricQueue.Marker flush = new MetricQueue.Marker(new CompletableFuture<>(), false);
        queue.mark(flush);
        expected.add(flush);
        continue;
      }
      List<MetricPoint> points = new ArrayList<>();
      for (int i = 0; i < call; i++) {
        points.add(new MetricPoint("run", "k" + (step % 3), step, 0L, step));
        step++;
      }
      if (points.size() == 1) {
        assertTrue(queue.put(points.get(0)));
      } else {
        assertTrue(queue.putAll(points));
      }
      expected.addAll(points);
    }
    MetricQueue.Marker stop = new MetricQueue.Marker(new CompletableFuture<>(), true);
    queue.mark(stop);
    expected.add(stop);
    assertEquals(expected, received.get(10, TimeUnit.SECONDS));
  }

  // What the writer sees: points and markers in the order it receives them; checks chunk sizes.
  private static List<Object> takeUntilStopped(MetricQueue queue, int capacity, int chunkSize) {
    List<Object> seen = new ArrayList<>();
    try {
      while (true) {
        MetricQueue.Chunk chunk = queue.take();
        assertTrue(chunk.points().size() <= Math.min(capacity, chunkSize), "chunk of " + chunk.points().size());
        seen.addAll(chunk.points());
        if (chunk.marker() != null) {
          seen.add(chunk.marker());
          if (chunk.marker().stop()) {
            return seen;
          }
        }
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Example
  void aFullQueueBlocksTheCallerUntilTheWriterTakesAChunk() throws Exception {
    MetricQueue queue = new MetricQueue(2, 10);
    assertTrue(queue.put(point(0)));
    assertTrue(queue.put(point(1)));
    CompletableFuture<Boolean> third = new CompletableFuture<>();
    Thread caller = new Thread(() -> third.complete(putUninterruptibly(queue, point(2))));
    caller.start();
    awaitParked(caller);
    assertFalse(third.isDone(), "the third point waits for room");
    assertEquals(List.of(point(0), point(1)), queue.take().points());
    assertTrue(third.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(point(2)), queue.take().points());
  }

  @Example
  void aStoppedQueueRefusesPointsAndLaterFlushesCompleteWithTheStop() throws Exception {
    MetricQueue queue = new MetricQueue(1, 10);
    assertTrue(queue.put(point(0)));
    CompletableFuture<Boolean> blocked = new CompletableFuture<>();
    Thread caller = new Thread(() -> blocked.complete(putUninterruptibly(queue, point(1))));
    caller.start();
    awaitParked(caller);
    MetricQueue.Marker stop = new MetricQueue.Marker(new CompletableFuture<>(), true);
    queue.mark(stop);
    assertFalse(blocked.get(10, TimeUnit.SECONDS), "a caller waiting for room is released by the stop");
    assertFalse(queue.put(point(2)));
    assertFalse(queue.putAll(List.of(point(3), point(4))));
    MetricQueue.Marker flush = new MetricQueue.Marker(new CompletableFuture<>(), false);
    queue.mark(flush);
    assertFalse(flush.done().isDone(), "the flush waits for the stop");
    // a queue of capacity 1 seals each point in a chunk of its own; the stop seals the empty rest
    MetricQueue.Chunk first = queue.take();
    assertEquals(List.of(point(0)), first.points());
    assertEquals(null, first.marker());
    MetricQueue.Chunk last = queue.take();
    assertEquals(List.of(), last.points());
    assertEquals(stop, last.marker());
    stop.done().complete(null);
    flush.done().get(10, TimeUnit.SECONDS);
  }

  private static MetricPoint point(long step) {
    return new MetricPoint("run", "loss", step, 0L, step);
  }

  private static boolean putUninterruptibly(MetricQueue queue, MetricPoint point) {
    try {
      return queue.put(point);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  // The caller has reached the queue's wait for room (or finished, which the assertions then catch).
  private static void awaitParked(Thread caller) throws InterruptedException {
    while (caller.getState() != Thread.State.WAITING && caller.isAlive()) {
      Thread.sleep(1);
    }
  }
}
