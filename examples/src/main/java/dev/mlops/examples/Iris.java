package dev.mlops.examples;

import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.ParameterAveraging;

/**
 * The Iris data shipped with the examples ({@code data/iris.csv}; see {@code IRIS-SOURCE.md}),
 * a fixed split of it, the shift the examples use to simulate drift, and the model they train.
 */
final class Iris {
  /** The column the models predict. */
  static final String LABEL = "species";
  /** The four measurements, in centimetres. */
  static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");


  private Iris() {}

  /** The 150 rows, as the file holds them (sorted by species). */
  static Frame frame() {
    try (InputStream in = Iris.class.getResourceAsStream("/data/iris.csv");
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return Frame.readCsv(reader, "iris.csv", null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The rows shuffled with {@code seed} and cut in three: 90 to train on, 30 to compare models
   * on, and 30 held out to play the part of production traffic.
   */
  static Split split(long seed) {
    Frame all = frame();
    List<Integer> order = new ArrayList<>(IntStream.range(0, all.rowCount()).boxed().toList());
    Collections.shuffle(order, new Random(seed));
    return new Split(rows(all, order.subList(0, 90)), rows(all, order.subList(90, 120)),
        rows(all, order.subList(120, all.rowCount())));
  }

  /** The three parts of {@link #split(long)}. */
  record Split(Frame train, Frame test, Frame heldOut) {}

  private static Frame rows(Frame frame, List<Integer> indices) {
    FrameBuilder b = Frame.builder(frame.schema());
    indices.forEach(i -> b.row(frame.row(i)));
    return b.build();
  }

  /**
   * A copy of {@code frame} with {@code offsets} (column to centimetres) added to numeric
   * columns: the measurements a miscalibrated instrument would send.
   */
  static Frame shift(Frame frame, Map<String, Double> offsets) {
    for (String column : offsets.keySet()) {
      if (!frame.hasColumn(column) || !frame.isNumeric(column)) {
        throw new InvalidInputException("cannot shift '" + column + "'; the numeric columns are " + FEATURES);
      }
    }
    FrameBuilder b = Frame.builder(frame.schema());
    for (String name : frame.columnNames()) {
      if (frame.isNumeric(name)) {
        double offset = offsets.getOrDefault(name, 0.0);
        double[] values = frame.numeric(name).toArray();
        for (int i = 0; i < values.length; i++) {
          values[i] = Math.round((values[i] + offset) * 10) / 10.0;
        }
        b.column(name, values);
      } else {
        String[] values = new String[frame.rowCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = frame.categorical(name).get(i);
        }
        b.column(name, values);
      }
    }
    return b.build();
  }

  /**
   * The labelled examples of a CSV file with the Iris columns, read through Tribuo's CSV data
   * source: a model trained on them records the file and its SHA-256 in its provenance, so that
   * it can be reproduced from the file later.
   */
  static MutableDataset<Label> dataset(Path csv) {
    try {
      return new MutableDataset<>(new CSVLoader<>(new LabelFactory()).loadDataSource(csv, LABEL));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + csv + "'", e);
    }
  }

  /**
   * A multinomial logistic regression trained by stochastic gradient descent with AdaGrad, over
   * {@code epochs} passes with a fixed seed, so that training for one more epoch continues where
   * the shorter run stopped. Averaging the iterates steadies it on the unscaled measurements.
   */
  static LinearSGDTrainer trainer(double learningRate, int epochs) {
    return new LinearSGDTrainer(new LogMulticlass(), new ParameterAveraging(new AdaGrad(learningRate, 0.1)), epochs, 1L);
  }

  /** Writes the frame as CSV, creating the folder, and returns the file's absolute path. */
  static Path writeCsv(Frame frame, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of '" + file + "'", e);
    }
    frame.writeCsv(file);
    return file.toAbsolutePath();
  }
}
