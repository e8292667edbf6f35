package dev.mlops.tracking;

import dev.mlops.packaging.ModelPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Small model packages for the registry tests: one classifier over x1 and x2, trained once per JVM. */
final class TestPackages {
  private TestPackages() {}

  // Initialised on first use and never changed: training once keeps the suites fast.
  private static final class Trained {
    static final Model<Label> MODEL = train();
  }

  private static Model<Label> train() {
    Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    SplittableRandom random = new SplittableRandom(7);
    List<Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      double x1 = random.nextDouble(-3, 3);
      double x2 = random.nextDouble(-3, 3);
      examples.add(new ArrayExample<>(new Label(x1 > 0 ? "pos" : "neg"), new String[] {"x1", "x2"},
          new double[] {x1, x2}));
    }
    ListDataSource<Label> data = new ListDataSource<>(
        examples, new LabelFactory(), new SimpleDataSourceProvenance("generated", new LabelFactory()));
    return new LogisticRegressionTrainer().train(new MutableDataset<>(data));
  }

  /** A package of the classifier with this name and version, and lineage to this run when it is not null. */
  static ModelPackage pkg(String name, String version, String runIdOrNull) {
    ModelPackage.Builder b = ModelPackage.builder(name).version(version).model(Trained.MODEL)
        .environment(TrackerContract.ENVIRONMENT);
    if (runIdOrNull != null) {
      b.lineage(runIdOrNull, "registry", Map.of("accuracy", 0.9));
    }
    return b.build();
  }

  /** The package written to a file. */
  static Path file(Path dir, String name, String version, String runIdOrNull) {
    Path file = dir.resolve(name + "-" + version + ".mlpkg");
    pkg(name, version, runIdOrNull).writeTo(file);
    return file;
  }

  /** Flips one byte in the middle of a file, inside the model's entry. */
  static void tamper(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
