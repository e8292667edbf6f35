package dev.mlops.lifecycle;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import java.nio.file.Path;
import java.util.Random;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/** Three labelled Gaussian blobs in four columns, the test data of the life cycle, and a small trainer for it. */
final class Blobs {
  static final String LABEL = "kind";
  static final Schema SCHEMA = Schema.of(
      new Field("a", FieldType.DOUBLE, true), new Field("b", FieldType.DOUBLE, true),
      new Field("c", FieldType.DOUBLE, true), new Field("d", FieldType.DOUBLE, true),
      new Field(LABEL, FieldType.STRING, true));
  private static final double[][] CENTRES = {{0, 0, 0, 0}, {3, 3, 0, 1}, {0, 3, 3, 2}};
  private static final String[] KINDS = {"x", "y", "z"};

  private Blobs() {}

  /** {@code n} rows drawn with {@code seed}; {@code shift} is added to columns a and b. */
  static Frame frame(int n, long seed, double shift) {
    Random random = new Random(seed);
    FrameBuilder b = Frame.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      int k = i % 3;
      double[] c = CENTRES[k];
      b.row(round(c[0] + random.nextGaussian() + shift), round(c[1] + random.nextGaussian() + shift),
          round(c[2] + random.nextGaussian()), round(c[3] + random.nextGaussian()), KINDS[k]);
    }
    return b.build();
  }

  /** Writes a batch as {@code name}.csv into the folder. */
  static Path write(Path folder, String name, Frame frame) {
    try {
      java.nio.file.Files.createDirectories(folder);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path file = folder.resolve(name + ".csv");
    frame.writeCsv(file);
    return file;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static LinearSGDTrainer trainer() {
    return trainer(0.5, 5);
  }

  static LinearSGDTrainer trainer(double learningRate, int epochs) {
    return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate, 0.1), epochs, 1L);
  }
}
