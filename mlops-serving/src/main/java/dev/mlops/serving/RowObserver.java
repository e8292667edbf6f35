package dev.mlops.serving;

import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every predicted row to a watcher (a drift monitor) without letting the watcher fail or
 * slow a request on error: a failure is counted and logged once, then counted only.
 */
final class RowObserver {
  private static final Logger LOG = LoggerFactory.getLogger(RowObserver.class);

  private final Consumer<Map<String, ?>> sink;
  private final LongAdder failures = new LongAdder();

  RowObserver(Consumer<Map<String, ?>> sink) {
    this.sink = sink;
  }

  void observe(Map<String, ?> row) {
    try {
      sink.accept(row);
    } catch (RuntimeException e) {
      failures.increment();
      if (failures.sum() == 1) {
        LOG.warn("the monitor refused a row; requests are still answered, later failures are only counted: {}",
            e.getMessage(), e);
      }
    }
  }

  long failures() {
    return failures.sum();
  }
}
