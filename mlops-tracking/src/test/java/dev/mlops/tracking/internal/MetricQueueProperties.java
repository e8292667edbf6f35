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
 * the order logged, never more than a chunk at a time, and no flush completes before the points
 * logged before it are written; a full queue blocks; a stopped queue refuses points.
 */
class MetricQueueProperties {

  @Provide
  Arbitrary<List<Integer>> calls() {
    // n > 0: log n points (one put when n == 1, else putAll); 0: flush
    return Arbitraries.integers().between(0, 7).list().ofMaxSize(60);
  }

  @Property(tries = 300)
  void theWriterGetsEveryPointOnceInOrderAndNoFlushCompletesBeforeItsPointsAreWritten(
      @ForAll("calls") List<Integer> calls, @ForAll @IntRange(min = 1, max = 9) int capacity,
      @ForAll @IntRange(min = 1, max = 9) int chunkSize) throws Exception {
    MetricQueue queue = new MetricQueue(capacity, chunkSize);
    List<MetricPoint> expected = new ArrayList<>();
    List<MetricPoint> written = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<List<Object>> received =
        CompletableFuture.supplyAsync(() -> writeUntilStopped(queue, capacity, chunkSize, written));
    List<CompletableFuture<Integer>> writtenWhenDone = new ArrayList<>();
    List<Integer> loggedBefore = new ArrayList<>();
    long step = 0;
    for (int call : calls) {
      if (call == 0) {
        MetricQueue.Marker flush = new MetricQueue.Marker(new CompletableFuture<>(), false);
        loggedBefore.add(expected.size());
        // how many points were written when the flush completed, whoever completed it
        writtenWhenDone.add(flush.done().thenApply(ignored -> written.size()));
        queue.mark(flush);
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
    List<Object> stream = received.get(10, TimeUnit.SECONDS);
    assertEquals(stop, stream.get(stream.size() - 1));
    assertEquals(expected, stream.stream().filter(MetricPoint.class::isInstance).toList());
    for (int f = 0; f < writtenWhenDone.size(); f++) {
      int atCompletion = writtenWhenDone.get(f).get(10, TimeUnit.SECONDS);
      assertTrue(atCompletion >= loggedBefore.get(f),
          "flush " + f + " completed with " + atCompletion + " of the " + loggedBefore.get(f) + " points before it written");
    }
  }

  /**
   * The writer's side, as the metric writer does it: takes chunks, "writes" their points, says
   * so, then completes their markers. Returns the points and markers in the order it took them,
   * checking chunk sizes.
   */
  private static List<Object> writeUntilStopped(MetricQueue queue, int capacity, int chunkSize, List<MetricPoint> written) {
    List<Object> seen = new ArrayList<>();
    try {
      while (true) {
        MetricQueue.Chunk chunk = queue.take();
        assertTrue(chunk.points().size() <= Math.min(capacity, chunkSize), "chunk of " + chunk.points().size());
        seen.addAll(chunk.points());
        written.addAll(chunk.points());
        queue.written();
        if (chunk.marker() != null) {
          seen.add(chunk.marker());
          if (chunk.marker().stop()) {
            return seen;
          }
          chunk.marker().done().complete(null);
        }
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Example
  void aFlushCompletesAtOnceOnlyWhenNothingIsQueuedAndTheWriterIsIdle() throws Exception {
    MetricQueue queue = new MetricQueue(10, 10);
    MetricQueue.Marker idle = new MetricQueue.Marker(new CompletableFuture<>(), false);
    queue.mark(idle);
    assertTrue(idle.done().isDone(), "nothing was logged: the flush has nothing to wait for");
    assertTrue(queue.put(point(0)));
    MetricQueue.Marker queued = new MetricQueue.Marker(new CompletableFuture<>(), false);
    queue.mark(queued);
    assertFalse(queued.done().isDone(), "a point waits for the writer");
    MetricQueue.Chunk chunk = queue.take();
    assertEquals(queued, chunk.marker());
    MetricQueue.Marker whileWriting = new MetricQueue.Marker(new CompletableFuture<>(), false);
    queue.mark(whileWriting);
    assertFalse(whileWriting.done().isDone(), "the writer has not finished the chunk it took");
    queue.written();
    MetricQueue.Chunk next = queue.take();
    assertEquals(List.of(), next.points());
    assertEquals(whileWriting, next.marker());
    queue.written();
    MetricQueue.Marker after = new MetricQueue.Marker(new CompletableFuture<>(), false);
    queue.mark(after);
    assertTrue(after.done().isDone(), "everything taken is written");
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
