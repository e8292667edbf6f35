package dev.mlops.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The ids of the last batches written, so that a batch a client sends again after losing the
 * response is acknowledged without being written twice. A batch whose write is still running
 * makes its repeat wait for the outcome; a batch that failed is forgotten, so that its repeat
 * is written. The ledger lives in memory: it spans retries, not server restarts.
 */
public final class BatchLedger {
  private final int capacity;
  private final Map<String, CompletableFuture<Void>> batches;

  /** A ledger remembering the last {@code capacity} batch ids. */
  public BatchLedger(int capacity) {
    this.capacity = capacity;
    this.batches = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Void>> eldest) {
        return size() > BatchLedger.this.capacity && eldest.getValue().isDone();
      }
    };
  }

  /** Runs {@code write} unless a batch with this id was written already, or is being written. */
  public void once(String batchId, Runnable write) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> earlier;
    synchronized (batches) {
      earlier = batches.putIfAbsent(batchId, mine);
    }
    if (earlier != null) {
      await(earlier, () -> {
        once(batchId, write);
        return null;
      });
      return;
    }
    try {
      write.run();
      mine.complete(null);
    } catch (RuntimeException | Error e) {
      synchronized (batches) {
        batches.remove(batchId, mine);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  // An earlier attempt that failed is gone from the ledger: this attempt writes the batch itself.
  private static void await(CompletableFuture<Void> earlier, Supplier<Void> retry) {
    try {
      earlier.get();
    } catch (ExecutionException e) {
      retry.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, "interrupted while waiting for an earlier copy of"
          + " this batch; send it again");
    }
  }
}
