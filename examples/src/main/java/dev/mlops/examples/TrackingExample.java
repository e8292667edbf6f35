package dev.mlops.examples;

import dev.mlops.core.TribuoLogging;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;

/**
 * Experiment tracking in one page: a sweep over learning rates as a parent run with one nested
 * run per setting, each logging params, tags, a metric per epoch, the Tribuo model's provenance
 * and evaluation, and a text artifact; then a search in MLflow's filter grammar, a metric's
 * history and a side-by-side comparison.
 *
 * <pre>{@code
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mlops.examples.TrackingExample -Dexec.args=target/tracking
 * }</pre>
 */
public final class TrackingExample {
  private TrackingExample() {}

  public static void main(String[] args) {
    Path out = OutputFolder.prepare(args, "target/examples/tracking");
    TribuoLogging.quiet();
    Iris.Split split = Iris.split(Quickstart.SPLIT_SEED);
    MutableDataset<Label> train = Iris.dataset(Iris.writeCsv(split.train(), out.resolve("train.csv")));
    MutableDataset<Label> test = Iris.dataset(Iris.writeCsv(split.test(), out.resolve("test.csv")));

    // sqlite:<file> is the embedded store; a team shares jdbc:postgresql://host/db?user=... instead.
    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      Experiment iris = tracker.experiment("iris-sweep", Map.of("owner", "examples"));

      try (Run sweep = iris.run("sweep").tag("kind", "sweep").start()) {
        for (double lr : new double[] {0.05, 0.2, 0.5, 1.0}) {
          try (Run trial = iris.run("lr-" + lr).parent(sweep).tag("kind", "trial").start()) {
            trial.param("learning_rate", lr).param("epochs", 6);
            Model<Label> model = null;
            for (int epoch = 1; epoch <= 6; epoch++) {
              model = Iris.trainer(lr, epoch).train(train);
              trial.metric("test_accuracy", new LabelEvaluator().evaluate(model, test).accuracy(), epoch);
            }
            LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
            // Trainer settings and seed as params, the training file's SHA-256 as a data set
            // input, the evaluation as metrics, the provenance JSON as an artifact.
            trial.logTribuo(model, evaluation);
            trial.text("confusion-matrix.txt", evaluation.getConfusionMatrix().toString());
          }
        }
      }

      // MLflow's search grammar: metrics, params, tags and attributes, ANDed.
      List<RunRecord> good = tracker.search("iris-sweep")
          .filter("tags.kind = 'trial' and metrics.accuracy >= 0.9")
          .orderBy("metrics.accuracy DESC", "params.learning_rate ASC")
          .list();
      System.out.println(good.size() + " trials reached an accuracy of 0.9 or more:");
      tracker.compare(good).toString().lines()
          .filter(line -> !line.startsWith("metrics.") || line.contains("accuracy") || line.contains("macro_f1"))
          .forEach(System.out::println);

      RunRecord best = good.isEmpty() ? tracker.search("iris-sweep").filter("tags.kind = 'trial'")
          .orderBy("metrics.accuracy DESC").limit(1).list().get(0) : good.get(0);
      System.out.println("test accuracy of " + best.name() + " after each epoch:");
      for (Metric m : tracker.metricHistory(best.runId(), "test_accuracy")) {
        System.out.printf(Locale.ROOT, "  epoch %d  %.3f%n", m.step(), m.value());
      }
      System.out.println("its training data: " + best.datasets().get(0));
      System.out.println("its parent run: " + best.parentRunId().map(tracker::getRun).map(RunRecord::name).orElse("none"));
      System.out.println("\ndatabase " + out.resolve("mlops.db") + ", artifacts under " + tracker.artifactRoot());
    }
  }
}
