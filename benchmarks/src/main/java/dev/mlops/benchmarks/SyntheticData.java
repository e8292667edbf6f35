package dev.mlops.benchmarks;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Deterministic inputs for the benchmarks: every generator takes a seed, so each run measures
 * the same data.
 */
final class SyntheticData {
  // Tribuo's trainers log every thousand iterations through java.util.logging; the benchmark
  // output is easier to read without. Held here so that the configured logger is not collected.
  private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

  static {
    TRIBUO_LOG.setLevel(Level.WARNING);
  }

  private SyntheticData() {}

  /** Column names {@code x0, x1, ...}. */
  static String[] columnNames(int columns) {
    return IntStream.range(0, columns).mapToObj(i -> "x" + i).toArray(String[]::new);
  }

  /** Standard normal values. */
  static double[] gaussian(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = nextGaussian(random);
    }
    return values;
  }

  /**
   * Numeric columns of normal values; column {@code j} has mean {@code j + shift * j / columns}
   * and standard deviation {@code 1 + j / 10}, so a shifted frame drifts more in later columns.
   */
  static double[][] numericColumns(int rows, int columns, long seed, double shift) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] data = new double[columns][rows];
    for (int j = 0; j < columns; j++) {
      for (int i = 0; i < rows; i++) {
        data[j][i] = columnValue(j, columns, shift, random);
      }
    }
    return data;
  }

  /** One value of column {@code j} of {@link #numericColumns}. */
  static double columnValue(int j, int columns, double shift, SplittableRandom random) {
    double mean = j + shift * j / columns;
    double sd = 1 + j / 10.0;
    return mean + sd * nextGaussian(random);
  }

  /** A frame of these numeric columns, named {@code x0, x1, ...}. */
  static Frame frame(double[][] columns) {
    String[] names = columnNames(columns.length);
    Schema schema = Schema.of(IntStream.range(0, names.length)
        .mapToObj(j -> Field.of(names[j], FieldType.DOUBLE)).toList());
    FrameBuilder b = Frame.builder(schema);
    for (int j = 0; j < names.length; j++) {
      b.column(names[j], columns[j]);
    }
    return b.build();
  }

  /**
   * {@code rows} labelled rows: {@code columns} normal features {@code x0, x1, …} and a label
   * {@code high}, {@code mid} or {@code low} by the same rule as {@link #classifier}.
   */
  static Frame labelled(int rows, int columns, long seed) {
    String[] names = columnNames(columns);
    List<Field> fields = new ArrayList<>();
    for (String n : names) {
      fields.add(Field.of(n, FieldType.DOUBLE));
    }
    fields.add(Field.of(LABEL, FieldType.STRING));
    double[][] x = new double[columns][rows];
    String[] labels = new String[rows];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < rows; i++) {
      double score = 0;
      for (int j = 0; j < columns; j++) {
        x[j][i] = nextGaussian(random);
        score += (j % 2 == 0 ? 1 : -0.5) * x[j][i];
      }
      labels[i] = score > 0.5 ? "high" : score < -0.5 ? "low" : "mid";
    }
    FrameBuilder b = Frame.builder(Schema.of(fields));
    for (int j = 0; j < columns; j++) {
      b.column(names[j], x[j]);
    }
    return b.column(LABEL, labels).build();
  }

  /** The label column of {@link #labelled}. */
  static final String LABEL = "label";

  /** A row of the named features with normal values. */
  static Map<String, Object> row(String[] features, SplittableRandom random) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (String f : features) {
      row.put(f, nextGaussian(random));
    }
    return row;
  }

  /** A logistic regression over {@code features} numeric features and three classes. */
  static Model<Label> classifier(String[] features, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    LabelFactory factory = new LabelFactory();
    List<Example<Label>> examples = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      double[] x = new double[features.length];
      double score = 0;
      for (int j = 0; j < x.length; j++) {
        x[j] = nextGaussian(random);
        score += (j % 2 == 0 ? 1 : -0.5) * x[j];
      }
      String label = score > 0.5 ? "high" : score < -0.5 ? "low" : "mid";
      examples.add(new ArrayExample<>(new Label(label), features.clone(), x));
    }
    ListDataSource<Label> source = new ListDataSource<>(
        examples, factory, new SimpleDataSourceProvenance("synthetic, seed " + seed, factory));
    return new LogisticRegressionTrainer().train(new MutableDataset<>(source));
  }

  /** Writes {@code bytes} pseudo-random (incompressible) bytes to a file. */
  static Path randomFile(Path file, long bytes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = bytes;
      while (left > 0) {
        chunk.clear();
        while (chunk.remaining() >= Long.BYTES) {
          chunk.putLong(random.nextLong());
        }
        int n = (int) Math.min(left, chunk.position());
        out.write(chunk.array(), 0, n);
        left -= n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  // SplittableRandom has no Gaussian in Java 17; Box-Muller keeps the sequence seed-determined.
  private static double nextGaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
