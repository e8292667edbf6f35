package dev.mlops.examples;

import dev.mlops.core.Frame;
import dev.mlops.core.TribuoLogging;
import dev.mlops.lifecycle.DataSource;
import dev.mlops.lifecycle.DecisionRecord;
import dev.mlops.lifecycle.Gate;
import dev.mlops.lifecycle.Lifecycle;
import dev.mlops.lifecycle.LifecycleResult;
import dev.mlops.monitoring.Monitor;
import dev.mlops.serving.ModelService;
import dev.mlops.serving.ServedPrediction;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A rollback in one page: a life cycle promotes version 1, then version 2 when a second batch
 * arrives; in production the instrument drifts, the labels that come back show version 2
 * answering below the gate's accuracy, and a review moves the {@code champion} alias back to
 * version 1, with a decision record that says why.
 *
 * <pre>{@code
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mlops.examples.RollbackExample -Dexec.args=target/rollback
 * }</pre>
 */
public final class RollbackExample {
  private static final String NAME = "iris-rollback";
  /** The drift production sends: centimetres added to the petal measurements. */
  private static final Map<String, Double> SHIFT = Map.of("petal_length", 3.0, "petal_width", 1.5);

  private RollbackExample() {}

  public static void main(String[] args) {
    Path out = OutputFolder.prepare(args, "target/examples/rollback");
    TribuoLogging.quiet();
    Iris.Split split = Iris.split(5);
    Path incoming = out.resolve("incoming");
    Iris.writeCsv(split.train(), incoming.resolve("batch-1.csv"));

    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      Lifecycle lifecycle = Lifecycle.builder(tracker, NAME)
          .data(DataSource.csv(incoming))
          .label(Iris.LABEL)
          .train(Iris.trainer(0.5, 10))
          .gate(Gate.atLeast("accuracy", 0.85).and(Gate.notWorseThanChampion("accuracy", 0.05)))
          .records(out.resolve("decisions"))
          .build();
      report(lifecycle.runOnce());
      Iris.writeCsv(split.test(), incoming.resolve("batch-2.csv"));
      report(lifecycle.runOnce());

      // Production: the service follows the champion and its monitor receives the labels as they
      // come back; the rows come from an instrument whose petal readings drifted.
      Frame traffic = Iris.shift(split.heldOut(), SHIFT);
      try (Monitor monitor = Monitor.builder(lifecycle.championProfile().orElseThrow()).build();
          ModelService service = ModelService.builder(tracker, "models:/" + NAME + "@champion")
              .monitor(monitor).pollEvery(Duration.ZERO).build()) {
        for (int i = 0; i < traffic.rowCount(); i++) {
          Map<String, Object> row = traffic.row(i);
          String truth = (String) row.remove(Iris.LABEL);
          ServedPrediction answer = service.predict(row);
          monitor.observeOutcome(answer.output(), truth);
        }
        System.out.printf(Locale.ROOT, "served %d drifted rows with version %s; labelled accuracy %.3f%n",
            traffic.rowCount(), service.current().version(), monitor.accuracy().orElse(Double.NaN));
        LifecycleResult review = lifecycle.review(service);
        report(review);
        service.refresh();
        System.out.println("the service now serves version " + service.current().version());
      }
    }
  }

  private static void report(LifecycleResult result) {
    System.out.println(result.outcome() + ": " + result.reason());
    result.record().map(DecisionRecord::passRunId).ifPresent(id -> System.out.println("  decision record: "
        + result.files().stream().filter(p -> p.toString().endsWith(".html")).findFirst().map(Path::toString)
            .orElse(id)));
  }
}
