package dev.mlops.explain;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.packaging.ModelPackage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/** Data and trained, packaged models shared by the tests. */
final class Models {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);

  private Models() {}

  /**
   * Ten standard normal features x0…x9; the label is "yes" when 2·x0 − 1.5·x1 + noise > 0, so
   * only x0 and x1 matter.
   */
  static Frame twoOfTen(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Field> fields = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      fields.add(Field.of("x" + f, FieldType.DOUBLE));
    }
    fields.add(Field.of("label", FieldType.STRING));
    double[][] x = new double[10][rows];
    String[] label = new String[rows];
    for (int i = 0; i < rows; i++) {
      for (int f = 0; f < 10; f++) {
        x[f][i] = random.nextGaussian();
      }
      label[i] = 2 * x[0][i] - 1.5 * x[1][i] + 0.3 * random.nextGaussian() > 0 ? "yes" : "no";
    }
    FrameBuilder b = Frame.builder(Schema.of(fields));
    for (int f = 0; f < 10; f++) {
      b.column("x" + f, x[f]);
    }
    return b.column("label", label).build();
  }

  static Frame iris() {
    return Frame.readCsv(Path.of("src/test/resources/datasets/iris.csv"));
  }

  static Model<Label> logistic(Frame frame, String output) {
    return new LogisticRegressionTrainer().train(frame.toTribuo(output, new LabelFactory()));
  }

  static Model<Label> tree(Frame frame, String output) {
    return new CARTClassificationTrainer(6).train(frame.toTribuo(output, new LabelFactory()));
  }

  /** A factorization machine: non-linear, not a linear SGD model, and it gives probabilities, so LIME explains it. */
  static Model<Label> factorizationMachine(Frame frame, String output) {
    return new FMClassificationTrainer(new LogMulticlass(), new AdaGrad(0.1), 5, 1000, 1L, 4, 0.1)
        .train(frame.toTribuo(output, new LabelFactory()));
  }

  static Model<Regressor> linearRegression(Frame frame, String output) {
    return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 20, 1L).train(frame.toTribuo(output,
        new RegressionFactory()));
  }

  static Model<Regressor> regressionTree(Frame frame, String output) {
    return new CARTRegressionTrainer(6).train(frame.toTribuo(output, new RegressionFactory()));
  }

  static ModelPackage pack(String name, Model<?> model) {
    return ModelPackage.builder(name).version("1").model(model).clock(CLOCK).build();
  }
}
