package dev.mlops.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two loops that use nothing of the library, to read what two threads get from the machine at
 * the time of a run. {@link #registerSums}: eight independent integer chains in registers, no
 * memory traffic and no allocation, bound by the core's execution units, so a second thread
 * gains only what a second full core gives. {@link #shortLivedArrays}: small arrays allocated,
 * filled and summed, the pattern of an SGD step, bound by allocation and the memory behind it.
 * On two cores of their own both run twice as fast on two threads; on a virtual machine whose
 * cores share their execution units or caches with other work they do not.
 *
 * <pre>{@code
 * double speedUp = MachineKernels.onThreads(1, () -> MachineKernels.registerSums(60_000_000L))
 *     / (double) MachineKernels.onThreads(2, () -> MachineKernels.registerSums(60_000_000L));
 * }</pre>
 */
final class MachineKernels {
  private MachineKernels() {}

  /** Eight independent chains of integer operations, {@code n} steps each; the result keeps them alive. */
  static long registerSums(long n) {
    long a = 1;
    long b = 2;
    long c = 3;
    long d = 4;
    long e = 5;
    long f = 6;
    long g = 7;
    long h = 8;
    for (long i = 0; i < n; i++) {
      a += i ^ b;
      b += a >>> 3;
      c += i * 7;
      d ^= c + i;
      e += d >>> 5;
      f += e ^ i;
      g += f * 3;
      h ^= g + i;
    }
    return a + b + c + d + e + f + g + h;
  }

  /**
   * {@code n} arrays of 16 doubles, each allocated, filled and summed; the last 64 are kept, so
   * that the compiler cannot take the allocation away, and the sum keeps the loop alive.
   */
  static double shortLivedArrays(int n) {
    double[][] recent = new double[64][];
    double total = 0;
    for (int i = 0; i < n; i++) {
      double[] step = new double[16];
      recent[i & 63] = step;
      for (int j = 0; j < step.length; j++) {
        step[j] = (i + j) * 0.5;
      }
      for (double v : step) {
        total += v;
      }
    }
    return n > 0 ? total + recent[0].length : total;
  }

  /**
   * Nanoseconds to run {@code work} twice on a pool of {@code threads} threads: one after the
   * other on one, side by side on two.
   */
  static long onThreads(int threads, Callable<?> work) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      long t0 = System.nanoTime();
      done.add(pool.submit(work));
      done.add(pool.submit(work));
      for (Future<?> f : done) {
        f.get();
      }
      return System.nanoTime() - t0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a machine kernel ran", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a machine kernel failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
