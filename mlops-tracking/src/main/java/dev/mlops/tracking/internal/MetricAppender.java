package dev.mlops.tracking.internal;

import java.util.List;

/**
 * The metric writer's channel into a store: it keeps what each batch would otherwise set up
 * again (a connection, prepared statements) for as long as the writer runs. Used by one thread.
 */
public interface MetricAppender extends AutoCloseable {

  /**
   * Appends the points in the order given, in one transaction, and updates each key's latest
   * value; transient failures are retried as every store write is.
   */
  void append(List<MetricPoint> points);

  /** Releases what the appender holds; never throws. */
  @Override
  void close();
}
