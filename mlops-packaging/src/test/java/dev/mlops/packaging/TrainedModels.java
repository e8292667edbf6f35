package dev.mlops.packaging;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Small models trained for the tests: two numeric features, two classes, a few hundred rows. */
final class TrainedModels {
  static final Schema INPUTS = Schema.of(Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE));

  private TrainedModels() {}

  /** Writes a CSV of {@code rows} generated rows with columns x1, x2, label. */
  static Path writeCsv(Path file, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder csv = new StringBuilder("x1,x2,label\n");
    for (int i = 0; i < rows; i++) {
      double x1 = Math.round(random.nextDouble(-3, 3) * 1000) / 1000.0;
      double x2 = Math.round(random.nextDouble(-3, 3) * 1000) / 1000.0;
      String label = x1 + 0.5 * x2 + random.nextDouble(-0.5, 0.5) > 0 ? "pos" : "neg";
      csv.append(String.format(Locale.ROOT, "%s,%s,%s%n", x1, x2, label));
    }
    try {
      Files.writeString(file, csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A logistic regression trained from a CSV data source, so its provenance can be reproduced. */
  static Model<Label> fromCsv(Path csv) {
    try {
      DataSource<Label> source = new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label");
      return new LogisticRegressionTrainer().train(new MutableDataset<>(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A logistic regression trained from examples built in memory. */
  static Model<Label> inMemory(int rows, long seed) {
    return new LogisticRegressionTrainer().train(new MutableDataset<>(inMemorySource(rows, seed)));
  }

  /** Labelled examples over x1 and x2, built in memory. */
  static ListDataSource<Label> inMemorySource(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextDouble(-3, 3);
      double x2 = random.nextDouble(-3, 3);
      Label label = new Label(x1 - x2 > 0 ? "pos" : "neg");
      examples.add(new ArrayExample<>(label, new String[] {"x1", "x2"}, new double[] {x1, x2}));
    }
    return new ListDataSource<>(examples, new LabelFactory(), new SimpleDataSourceProvenance("generated in memory", new LabelFactory()));
  }

  /** A few rows over x1 and x2. */
  static Frame example(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    FrameBuilder b = Frame.builder(INPUTS);
    for (int i = 0; i < rows; i++) {
      b.row(random.nextDouble(-3, 3), random.nextDouble(-3, 3));
    }
    return b.build();
  }
}
