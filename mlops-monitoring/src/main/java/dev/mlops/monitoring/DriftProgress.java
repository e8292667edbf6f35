package dev.mlops.monitoring;

/**
 * Told after each column of a drift run, so that long runs can show progress or be logged.
 * Called on the thread that runs the comparison.
 *
 * <pre>{@code
 * Drift.between(reference, current)
 *     .progress((column, done, total) -> log.info("{} ({}/{})", column, done, total))
 *     .run();
 * }</pre>
 */
@FunctionalInterface
public interface DriftProgress {
  /** Column {@code column} is done; {@code done} of {@code total} columns are. */
  void columnDone(String column, int done, int total);
}
