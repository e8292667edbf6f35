package dev.mlops.monitoring;

/**
 * Told after each column of long work (a drift run, profiling a frame), so that it can show
 * progress or be logged. Called on the thread that does the work.
 *
 * <pre>{@code
 * Drift.between(reference, current)
 *     .progress((column, done, total) -> log.info("{} ({}/{})", column, done, total))
 *     .run();
 * Profile p = Profile.profiler().progress((column, done, total) -> bar.set(done, total)).of(bigFrame);
 * }</pre>
 */
@FunctionalInterface
public interface ProgressListener {
  /** Column {@code column} is done; {@code done} of {@code total} columns are. */
  void columnDone(String column, int done, int total);
}
