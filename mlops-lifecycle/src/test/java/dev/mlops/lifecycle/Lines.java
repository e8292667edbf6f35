package dev.mlops.lifecycle;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import java.util.Random;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The regression data of the life cycle's tests: {@code y = 3a − 2b + 0.5c + 1} plus Gaussian
 * noise of standard deviation 0.1, with {@code d} pure noise, and a small linear SGD regressor.
 */
final class Lines {
  static final String LABEL = "y";
  static final Schema SCHEMA = Schema.of(
      new Field("a", FieldType.DOUBLE, true), new Field("b", FieldType.DOUBLE, true),
      new Field("c", FieldType.DOUBLE, true), new Field("d", FieldType.DOUBLE, true),
      new Field(LABEL, FieldType.DOUBLE, true));

  private Lines() {}

  /** {@code n} rows drawn with {@code seed}; {@code shift} is added to column a. */
  static Frame frame(int n, long seed, double shift) {
    Random random = new Random(seed);
    FrameBuilder b = Frame.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      double a = random.nextGaussian() + shift;
      double bb = random.nextGaussian();
      double c = random.nextGaussian();
      double d = random.nextGaussian();
      b.row(round(a), round(bb), round(c), round(d), round(3 * a - 2 * bb + 0.5 * c + 1 + 0.1 * random.nextGaussian()));
    }
    return b.build();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static LinearSGDTrainer trainer(double learningRate, int epochs) {
    return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(learningRate, 0.1), epochs, 1L);
  }
}
