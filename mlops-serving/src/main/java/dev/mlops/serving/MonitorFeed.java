package dev.mlops.serving;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.MonitorState;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * Feeds every answered row, with its prediction, to a {@link Monitor} from a thread of its own.
 * A monitor compares a window with its reference on the thread whose row closes the window;
 * doing that here keeps the comparison off the request path. A request only offers its row to
 * a bounded queue: when the monitor falls behind, rows are dropped and counted rather than
 * slowing requests down or piling up in memory.
 */
final class MonitorFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorFeed.class);
  static final int CAPACITY = 10_000;

  /** A row and its answer, waiting for the monitor. */
  private record Observation(Map<String, ?> row, ServedPrediction answer) {}

  private static final Observation END = new Observation(Map.of(), null);

  private final Monitor monitor;
  private final BlockingQueue<Observation> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder warnings = new LongAdder();
  private final LongAdder drifts = new LongAdder();
  private final Thread worker;

  MonitorFeed(Monitor monitor) {
    this.monitor = monitor;
    this.worker = new ThreadFactoryBuilder().setNameFormat("mlops-monitor-feed-%d").setDaemon(true).build()
        .newThread(this::deliver);
    worker.start();
  }

  Monitor monitor() {
    return monitor;
  }

  /** Queues the row for the monitor; never blocks. */
  void offer(Map<String, ?> row, ServedPrediction answer) {
    if (!queue.offer(new Observation(row, answer))) {
      dropped.increment();
    }
  }

  long dropped() {
    return dropped.sum();
  }

  long failed() {
    return failed.sum();
  }

  /**
   * Windows of served rows that closed in a state other than STABLE: the monitor's data-drift
   * alerts, counted where the rows are fed since the monitor reports alerts only to the
   * listener its owner gave it.
   */
  long alerts(MonitorState state) {
    return switch (state) {
      case WARNING -> warnings.sum();
      case DRIFT -> drifts.sum();
      case STABLE -> 0;
    };
  }

  private void deliver() {
    try {
      for (Observation o = queue.take(); o != END; o = queue.take()) {
        observe(o);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void observe(Observation o) {
    Map<String, Object> row = new HashMap<>(o.row());
    row.putIfAbsent(ModelService.PREDICTION_COLUMN, predicted(o.answer()));
    try {
      long before = monitor.windowsClosed();
      monitor.observe(row);
      if (monitor.windowsClosed() != before) {
        countAlert();
      }
    } catch (RuntimeException e) {
      failed.increment();
      if (failed.sum() == 1) {
        LOG.warn("the monitor refused a row; requests are still answered and later refusals only counted: {}",
            e.getMessage(), e);
      }
    }
  }

  /** This thread alone observes, so a window closed by its row was also evaluated by it. */
  private void countAlert() {
    monitor.lastReport().ifPresent(report -> {
      if (report.datasetDrift()) {
        drifts.increment();
      } else if (report.driftedColumns() > 0) {
        warnings.increment();
      }
    });
  }

  /** A classifier's label, a one-dimensional regressor's value, otherwise the output's text. */
  private static Object predicted(ServedPrediction p) {
    Object out = p.prediction().getOutput();
    if (out instanceof Label l) {
      return l.getLabel();
    }
    if (out instanceof Regressor r && r.size() == 1) {
      return r.getValues()[0];
    }
    return p.output();
  }

  /** Delivers every row queued so far, then stops the feeding thread. */
  @Override
  public void close() {
    try {
      if (!queue.offer(END, 30, TimeUnit.SECONDS)) {
        LOG.warn("the monitor did not keep up; {} queued rows were not observed", queue.size());
        worker.interrupt();
      }
      worker.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
