package dev.mlops.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Hashes large, independent runs of bytes (artifact files at build, package entries at read) on
 * as many threads as there are processors: SHA-256 is the bulk of the cost of building and
 * verifying a package and one run cannot be split, but separate runs can. Small jobs run on the
 * calling thread, where starting threads would cost more than it saves.
 */
final class ParallelHashing {
  /** Below this many bytes in all, the jobs run on the calling thread. */
  static final long PARALLEL_THRESHOLD = 16L << 20;

  private ParallelHashing() {}

  /**
   * Applies {@code job} to every item, each with its own buffer, and returns the results in the
   * items' order; if any job fails, the first failure in that order is thrown once all have
   * ended, so the message does not depend on timing.
   */
  static <T, R> List<R> map(List<T> items, long totalBytes, JobWithBuffer<T, byte[], R> job) {
    return map(items, totalBytes, () -> new byte[Checksums.BUFFER_SIZE], job);
  }

  /** As {@link #map(List, long, JobWithBuffer)}, each thread with a buffer of its own from {@code newBuffer}. */
  static <T, B, R> List<R> map(List<T> items, long totalBytes, Supplier<B> newBuffer, JobWithBuffer<T, B, R> job) {
    int threads = Math.min(items.size(), Runtime.getRuntime().availableProcessors());
    if (threads < 2 || totalBytes < PARALLEL_THRESHOLD) {
      B buffer = items.isEmpty() ? null : newBuffer.get();
      return items.stream().map(item -> job.apply(item, buffer)).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "mlops-package-hashing");
      t.setDaemon(true);
      return t;
    });
    try {
      ThreadLocal<B> buffers = ThreadLocal.withInitial(newBuffer);
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> job.apply(item, buffers.get())));
      }
      return collect(futures);
    } finally {
      pool.shutdownNow();
    }
  }

  private static <R> List<R> collect(List<Future<R>> futures) {
    List<R> results = new ArrayList<>();
    Throwable first = null;
    for (Future<R> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        first = first == null ? e.getCause() : first;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while hashing package files", e);
      }
    }
    if (first instanceof RuntimeException r) {
      throw r;
    }
    if (first instanceof Error e) {
      throw e;
    }
    if (first != null) {
      throw new IllegalStateException("hashing package files failed: " + first, first);
    }
    return results;
  }

  /** A job on one item through a buffer it may reuse but must not keep. */
  @FunctionalInterface
  interface JobWithBuffer<T, B, R> {
    R apply(T item, B buffer);
  }
}
