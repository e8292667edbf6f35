package dev.mlops.examples;

import dev.mlops.core.AtomicFile;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.explain.ExplainedPackage;
import dev.mlops.explain.Explainer;
import dev.mlops.explain.Explanation;
import dev.mlops.explain.ModelCard;
import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Reproduction;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.util.Locale;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;

/**
 * A model card for a registered champion: train and track one Iris model, record its
 * permutation importance in its package, register it with a description and an intended use,
 * explain one prediction, compare miscalibrated data with the training data weighed by the
 * importance, reproduce the package, and write the champion's card as HTML and JSON.
 *
 * <pre>{@code
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mlops.examples.ModelCardExample -Dexec.args=target/card
 * }</pre>
 */
public final class ModelCardExample {
  static final String MODEL_NAME = "iris-classifier";
  static final String CHAMPION_URI = "models:/" + MODEL_NAME + "@champion";

  private ModelCardExample() {}

  public static void main(String[] args) {
    Path out = OutputFolder.prepare(args, "target/examples/model-card");
    Iris.Split split = Iris.split(Quickstart.SPLIT_SEED);
    Path trainCsv = Iris.writeCsv(split.train(), out.resolve("data/train.csv"));
    MutableDataset<Label> train = Iris.dataset(trainCsv);

    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      ModelRegistry registry = tracker.registry();
      try (Run run = tracker.experiment("iris").run("logistic-0.1").start()) {
        Model<Label> model = Iris.trainer(0.1, Quickstart.EPOCHS).train(train);
        // The training data's digest and the trainer's settings come from the model's provenance.
        run.logTribuo(model, new LabelEvaluator().evaluate(model, Iris.dataset(Iris.writeCsv(split.test(),
            out.resolve("data/test.csv")))));
        // The importance is measured on the rows the model was not trained on, and travels in the package.
        ModelPackage.Builder builder = ModelPackage.builder(MODEL_NAME).version("1").model(model)
            .inputExample(split.test().select(Iris.FEATURES).slice(0, 3));
        ModelPackage pkg = ExplainedPackage.importance(builder, split.test(), Iris.LABEL).build();
        FeatureImportance importance = pkg.importance().orElseThrow();
        System.out.println("permutation importance (accuracy lost when a column is shuffled):");
        importance.features().forEach(f -> System.out.printf(Locale.ROOT, "  %-13s %.3f ± %.3f%n", f.name(), f.mean(), f.std()));
        run.model("model", pkg);
        ModelVersion v = registry.register(MODEL_NAME, run, "model");
        registry.setAlias(MODEL_NAME, "champion", v.version());
        registry.setVersionDescription(MODEL_NAME, v.version(),
            "Multinomial logistic regression of the Iris species on four flower measurements in centimetres.");
        registry.setModelTag(MODEL_NAME, ModelCard.INTENDED_USE_TAG,
            "Teaching the model life cycle; not for identifying real plants.");
      }

      try (ModelPackage champion = registry.load(CHAMPION_URI)) {
        Explanation why = Explainer.of(champion).explain(split.heldOut().row(0));
        System.out.printf(Locale.ROOT, "%nwhy the first held-out flower is %s (%s):%n", why.prediction(), why.method());
        why.top(2).forEach(c -> System.out.printf(Locale.ROOT, "  %-13s = %-4s %+.3f%n", c.input(), c.value(),
            c.contribution()));

        Frame miscalibrated = Iris.shift(split.heldOut(), Quickstart.SHIFT).select(Iris.FEATURES);
        DriftReport drift = Drift.between(split.train().select(Iris.FEATURES), miscalibrated)
            .importance(champion.importance().orElseThrow()).run();
        System.out.println("\ndrift: " + drift.summary());

        ModelCard card = ModelCard.builder(tracker, CHAMPION_URI)
            .trainingData(split.train())
            .evaluation(split.test(), Iris.LABEL).slices(Iris.LABEL)
            .drift(drift)
            .reproduction(Reproduction.of(champion).run())
            .build();
        Path html = out.resolve("model-card.html");
        card.writeHtml(html);
        AtomicFile.writeString(out.resolve("model-card.json"), card.toJson(), "the model card");
        System.out.println("\nmodel card " + html);
      }
    }
  }
}
