package dev.mlops.examples;

import dev.mlops.core.Frame;
import dev.mlops.core.TribuoLogging;
import dev.mlops.explain.ModelCard;
import dev.mlops.lifecycle.DataChecks;
import dev.mlops.lifecycle.DataSource;
import dev.mlops.lifecycle.DecisionRecord;
import dev.mlops.lifecycle.Deploy;
import dev.mlops.lifecycle.Gate;
import dev.mlops.lifecycle.GateResult;
import dev.mlops.lifecycle.Lifecycle;
import dev.mlops.lifecycle.LifecycleResult;
import dev.mlops.lifecycle.Search;
import dev.mlops.lifecycle.Split;
import dev.mlops.lifecycle.Trigger;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.Window;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Reproduction;
import dev.mlops.packaging.ReproductionReport;
import dev.mlops.serving.ModelService;
import dev.mlops.serving.ServedPrediction;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunComparison;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;

/**
 * The whole life cycle on the Iris data, in one run of a few seconds: train two logistic
 * regressions with different learning rates, track both runs (params, a metric per epoch, the
 * evaluation, the provenance), compare them and keep the better, package it, register it and
 * point the {@code champion} alias at it, verify and reproduce the package, serve a held-out
 * slice of the data through the deployed model while two measurements drift, and write the drift
 * report. Then automate it: a {@link Lifecycle} trains, gates and promotes a second model on its
 * own, retrains when the champion's monitor raises a drift alert, gates the candidate against the
 * champion on the same holdout rows, and writes a decision record for each pass.
 *
 * <pre>{@code
 * mvn -q install -DskipTests && mvn -q -pl examples exec:java           # writes examples/target/quickstart
 * java -cp ... dev.mlops.examples.Quickstart /tmp/quickstart            # or any folder
 * }</pre>
 *
 * <p>Everything is written under the folder given as the only argument ({@code target/quickstart}
 * by default), which is emptied first if an earlier quickstart wrote it, so that every run starts
 * from the same state.
 */
public final class Quickstart {
  static final String EXPERIMENT = "iris";
  static final String MODEL_NAME = "iris-classifier";
  static final String ALIAS = "champion";
  static final String CHAMPION_URI = "models:/" + MODEL_NAME + "@" + ALIAS;
  /** The name each run logs its package under. */
  static final String PACKAGE_ARTIFACT = "model";
  /** The model the life cycle of step 7 trains, gates and promotes on its own. */
  static final String AUTOMATED = "iris-automated";
  static final int EPOCHS = 10;
  /**
   * The seed of the split. With it the unshifted measurements of the held-out rows pass the KS
   * test against the training rows by a wide margin (p of 0.93 and more) and the shifted ones
   * fail it by a wider one (p below 1e-8), so the drift report names exactly the shifted columns.
   */
  static final long SPLIT_SEED = 11;
  /** The simulated drift: centimetres added to two measurements of the held-out rows. */
  static final SortedMap<String, Double> SHIFT =
      Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("sepal_width", 1.0, "petal_length", 2.0)));

  /** The two settings the runs compare. */
  private record Settings(String runName, double learningRate) {}

  private static final List<Settings> SETTINGS =
      List.of(new Settings("logreg-lr0.05", 0.05), new Settings("logreg-lr0.5", 0.5));

  private Quickstart() {}

  public static void main(String[] args) throws IOException {
    Path out = OutputFolder.prepare(args, "target/quickstart");
    TribuoLogging.quiet();
    Iris.Split split = Iris.split(SPLIT_SEED);
    Path trainCsv = Iris.writeCsv(split.train(), out.resolve("data/train.csv"));
    Path testCsv = Iris.writeCsv(split.test(), out.resolve("data/test.csv"));
    MutableDataset<Label> train = Iris.dataset(trainCsv);
    MutableDataset<Label> test = Iris.dataset(testCsv);
    Path database = out.resolve("mlops.db");
    Path packageFile = out.resolve(MODEL_NAME + ".mlpkg");
    Path reportFile = out.resolve("drift-report.html");
    System.out.printf(Locale.ROOT, "Iris: %d rows to train on, %d to compare models on, %d held out%n",
        split.train().rowCount(), split.test().rowCount(), split.heldOut().rowCount());

    try (Tracker tracker = Tracker.open("sqlite:" + database)) {
      // 1. Train and track: each run logs its params, a metric per epoch, the evaluation, the
      //    model's provenance, and its package.
      for (Settings settings : SETTINGS) {
        try (Run run = tracker.experiment(EXPERIMENT).run(settings.runName()).start()) {
          trainTrackAndPackage(run, settings, train, test, split.test());
        }
      }

      // 2. Compare: the better run has the higher accuracy on the comparison rows, then the
      //    lower log loss.
      List<RunRecord> ranked = tracker.search(EXPERIMENT)
          .orderBy("metrics.accuracy DESC", "metrics.test_log_loss ASC")
          .list();
      RunComparison comparison = tracker.compare(ranked);
      RunRecord best = ranked.get(0);
      Files.writeString(out.resolve("comparison.html"), comparison.toHtml(), StandardCharsets.UTF_8);
      System.out.printf("%nRuns, best first (%d epochs each; test_accuracy and test_log_loss logged per epoch):%n", EPOCHS);
      comparison.toString().lines()
          .filter(l -> !l.startsWith("metrics.") || l.startsWith("metrics.accuracy") || l.startsWith("metrics.test_"))
          .forEach(l -> System.out.println("  " + l));

      // 3. Register the better run's package and make it the champion.
      ModelRegistry registry = tracker.registry();
      ModelVersion registered = registry.register(MODEL_NAME, best.runId(), PACKAGE_ARTIFACT);
      registry.setAlias(MODEL_NAME, ALIAS, registered.version());
      ModelVersion champion = registry.resolve(CHAMPION_URI);
      System.out.printf("%nRegistered %s from run %s; %s -> version %d%n",
          champion.uri(), best.name(), CHAMPION_URI, champion.version());

      // 4. Load the champion's package, verified (every file's SHA-256, the package digest, and
      //    the digest recorded at registration); export a copy; retrain it from its provenance.
      ModelPackage verified = registry.load(champion);
      verified.writeTo(packageFile);
      ReproductionReport reproduction = Reproduction.of(ModelPackage.read(packageFile)).run();
      System.out.println("  package verified: " + verified.digest());
      System.out.println("  reproduction: " + reproduction.status() + ", " + reproduction.reason());

      // 5. Deploy the champion and send it the held-out rows, first as measured, then as a
      //    miscalibrated instrument would send them.
      Frame current = Iris.shift(split.heldOut(), SHIFT);
      try (ModelService service = ModelService.builder(tracker, CHAMPION_URI)
          .pollEvery(Duration.ZERO)
          .build()) {
        double before = accuracy(service, split.heldOut());
        double after = accuracy(service, current);
        System.out.printf(Locale.ROOT, "%nServed %d held-out rows with %s (version %s):%n",
            current.rowCount(), service.current().uri(), service.current().version());
        System.out.printf(Locale.ROOT, "  accuracy %.3f as measured, %.3f after shifting %s%n",
            before, after, describe(SHIFT));
      }

      // 6. Monitor: compare the served rows with the training rows, column by column.
      Iris.writeCsv(current, out.resolve("data/current.csv"));
      DriftReport report = Drift.between(split.train().select(Iris.FEATURES), current.select(Iris.FEATURES))
          .defaults()
          .run();
      report.writeHtml(reportFile);
      Files.writeString(out.resolve("drift-report.json"), report.toJson(), StandardCharsets.UTF_8);
      System.out.println();
      System.out.println("Drift of the shifted rows against the training rows: " + report.summary());
      for (ColumnDrift c : report.columns()) {
        System.out.printf(Locale.ROOT, "  %-13s %s p=%-9.3g %s%n", c.column(), c.test(),
            c.pValue().orElse(Double.NaN), c.drifted() ? "DRIFTED" : "stable");
      }

      // 7. Document the champion in a model card: what it is, its training data, its scores per
      //    class, signature, importance, lineage, reproduction and the drift just measured.
      ModelCard.builder(tracker, CHAMPION_URI)
          .trainingData(split.train())
          .evaluation(split.test(), Iris.LABEL)
          .drift(report)
          .reproduction(reproduction)
          .build()
          .writeHtml(out.resolve("model-card.html"));

      // 8. Automate: a life cycle trains, gates and promotes on its own, retrains when the
      //    champion's monitor raises a drift alert, and explains every pass in a decision record.
      automate(tracker, out, split, current);
    }

    System.out.println();
    System.out.println("Wrote (the database " + database.getFileName() + ", the package " + packageFile.getFileName()
        + ", the report " + reportFile.getFileName() + "):");
    OutputFolder.written(out).forEach(line -> System.out.println("  " + line));
  }

  /**
   * The life cycle of a second model, {@value #AUTOMATED}: a first pass trains (a grid over the
   * learning rate, two trials at once), gates and promotes; the champion's monitor sees the
   * shifted rows and its drift alert queues a pass; the labelled shifted rows arrive as a new
   * batch, and the retrained candidate is gated against the champion on the same holdout rows.
   */
  private static void automate(Tracker tracker, Path out, Iris.Split split, Frame shifted) {
    Path incoming = out.resolve("incoming");
    Iris.writeCsv(split.train(), incoming.resolve("batch-1a.csv"));
    Iris.writeCsv(split.test(), incoming.resolve("batch-1b.csv"));
    Lifecycle lifecycle = Lifecycle.builder(tracker, AUTOMATED)
        .data(DataSource.csv(incoming))
        .label(Iris.LABEL)
        .validateData(DataChecks.schema(split.train().schema()).maxMissingShare(0.05).maxDriftedShare(0.75))
        .split(Split.holdout(0.25).seed(SPLIT_SEED))
        .train(Iris.trainer(0.1, EPOCHS))
        .select(Search.grid("initialLearningRate", 0.05, 0.5).maximize("accuracy").threads(2))
        .gate(Gate.atLeast("accuracy", 0.9).and(Gate.beatsChampion("accuracy", 0.0)))
        .deploy(Deploy.immediately())
        .retrainWhen(Trigger.drift().or(Trigger.newData()))
        .records(out.resolve("decisions"))
        .build();
    System.out.printf("%nLife cycle of %s (experiment %s):%n", AUTOMATED, lifecycle.experiment());
    List<Path> records = new ArrayList<>(describe(lifecycle.runOnce()));

    // The champion's monitor sends the life cycle its alerts; closing the service hands the
    // monitor every row the service answered.
    try (Monitor monitor = Monitor.builder(lifecycle.championProfile().orElseThrow())
            .window(Window.ofCount(shifted.rowCount()))
            .onAlert(lifecycle::onAlert)
            .build();
        ModelService service = ModelService.builder(tracker, "models:/" + AUTOMATED + "@champion")
            .monitor(monitor)
            .pollEvery(Duration.ZERO)
            .build()) {
      service.predict(requests(shifted));
    }
    Iris.writeCsv(shifted, incoming.resolve("batch-2.csv"));
    lifecycle.tick();
    records.addAll(describe(lifecycle.runPending().orElseThrow()));
    System.out.println("  decision records:");
    records.stream().filter(p -> p.toString().endsWith(".html")).forEach(p -> System.out.println("    " + p));
  }

  private static List<Path> describe(LifecycleResult result) {
    DecisionRecord r = result.record().orElseThrow();
    System.out.printf(Locale.ROOT, "  pass on %s (%s): %s, %s%n", r.trigger().kind(), r.trigger().detail(),
        r.outcome(), r.reason());
    for (GateResult g : r.gate()) {
      System.out.printf(Locale.ROOT, "    gate %-6s %-8s candidate %.3f  champion %s  %s  %s%n", g.kind(), g.metric(),
          g.candidate(), Double.isNaN(g.champion()) ? "  -  " : String.format(Locale.ROOT, "%.3f", g.champion()),
          g.threshold(), g.passed() ? "pass" : "FAIL");
    }
    return result.files();
  }

  /**
   * Trains for one epoch, two, … up to {@link #EPOCHS} (the same seed makes each a continuation
   * of the one before), logging the test metrics after each; then logs the final model's
   * provenance and evaluation, and packages it.
   */
  private static void trainTrackAndPackage(
      Run run, Settings settings, MutableDataset<Label> train, MutableDataset<Label> test, Frame testFrame) {
    run.param("learning_rate", settings.learningRate())
        .param("split_seed", SPLIT_SEED)
        .tag("data", "iris");
    Model<Label> model = null;
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      model = Iris.trainer(settings.learningRate(), epoch).train(train);
      LabelEvaluation epochEvaluation = new LabelEvaluator().evaluate(model, test);
      run.metric("test_accuracy", epochEvaluation.accuracy(), epoch)
          .metric("test_log_loss", logLoss(epochEvaluation.getPredictions()), epoch);
    }
    LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
    run.logTribuo(model, evaluation);
    ModelPackage pkg = ModelPackage.builder(MODEL_NAME)
        .version(settings.runName())
        .model(model)
        .inputExample(testFrame.select(Iris.FEATURES).slice(0, 5))
        .lineage(run.id(), EXPERIMENT, Map.of("accuracy", evaluation.accuracy(), "macro_f1", evaluation.macroAveragedF1()))
        .metadata("training-data", "iris.csv, " + train.size() + " rows")
        .build();
    run.model(PACKAGE_ARTIFACT, pkg);
  }

  /** The mean negative log of the probability each prediction gave the true label. */
  private static double logLoss(List<Prediction<Label>> predictions) {
    double sum = 0;
    for (Prediction<Label> p : predictions) {
      Label truth = p.getExample().getOutput();
      double probability = p.getOutputScores().get(truth.getLabel()).getScore();
      sum -= Math.log(Math.max(probability, 1e-15));
    }
    return sum / predictions.size();
  }

  /** The rows without their label, as requests to a model service. */
  private static List<Map<String, Object>> requests(Frame rows) {
    List<Map<String, Object>> requests = new ArrayList<>();
    for (int i = 0; i < rows.rowCount(); i++) {
      Map<String, Object> row = rows.row(i);
      row.remove(Iris.LABEL);
      requests.add(row);
    }
    return requests;
  }

  private static double accuracy(ModelService service, Frame rows) {
    List<ServedPrediction> answers = service.predict(requests(rows));
    int right = 0;
    for (int i = 0; i < answers.size(); i++) {
      if (answers.get(i).output().equals(rows.categorical(Iris.LABEL).get(i))) {
        right++;
      }
    }
    return (double) right / answers.size();
  }

  private static String describe(Map<String, Double> shift) {
    return String.join(" and ", shift.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s by %+.1f cm", e.getKey(), e.getValue()))
        .toList());
  }
}
