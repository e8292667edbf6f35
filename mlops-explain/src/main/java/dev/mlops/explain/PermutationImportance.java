package dev.mlops.explain;

import dev.mlops.core.CategoricalColumn;
import dev.mlops.core.Column;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import dev.mlops.core.Schema;
import dev.mlops.packaging.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/**
 * Permutation importance as scikit-learn's {@code permutation_importance} defines it: the
 * model's score on the frame, then for every input column and every repeat the score once that
 * column's values are shuffled among the rows; a feature's importance is the mean score lost over
 * the repeats, with the standard deviation (ddof = 0) beside it. It needs only predictions, so it
 * explains any packaged model. Each (column, repeat) shuffle draws from its own generator seeded
 * from the seed, the column's position and the repeat, so the result does not depend on how many
 * columns are shuffled at once. A builder: each setter returns it; {@link #compute} may be called
 * any number of times.
 *
 * <pre>{@code
 * FeatureImportance fi = Importance.permutation()
 *     .metric(ScoreMetric.LOG_LOSS).repeats(10).seed(42).parallelism(4)
 *     .compute(pkg.predictor(Label.class), validation, "species");
 * fi.features().get(0);        // the column whose shuffling costs the most log loss
 * }</pre>
 */
public final class PermutationImportance {
  /** scikit-learn's default number of repeats. */
  public static final int DEFAULT_REPEATS = 5;

  private ScoreMetric metric;
  private int repeats = DEFAULT_REPEATS;
  private long seed;
  private int parallelism = Runtime.getRuntime().availableProcessors();

  PermutationImportance() {}

  /** The score to measure; by default accuracy for classifiers and R² for regressors, as scikit-learn's. */
  public PermutationImportance metric(ScoreMetric metric) {
    this.metric = Objects.requireNonNull(metric, "metric");
    return this;
  }

  /** How many times each column is shuffled (default 5). */
  public PermutationImportance repeats(int repeats) {
    if (repeats < 1) {
      throw new InvalidInputException("repeats must be at least 1; got " + repeats);
    }
    this.repeats = repeats;
    return this;
  }

  /** The seed of the shuffles (default 0); the same seed gives the same importance. */
  public PermutationImportance seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** How many shuffled copies are predicted at once (default: one per processor). */
  public PermutationImportance parallelism(int threads) {
    if (threads < 1) {
      throw new InvalidInputException("parallelism must be at least 1; got " + threads);
    }
    this.parallelism = threads;
    return this;
  }

  /**
   * Measures the importance of every input of the predictor's signature that the frame holds.
   *
   * @param outputColumn the column of true outputs: labels (text) for a classifier, numbers for a regressor
   * @throws InvalidInputException if the frame is empty, lacks the output column or has one of
   *     the wrong type, if the metric does not fit the model, or as the predictor refuses the frame
   */
  public FeatureImportance compute(Predictor<?> predictor, Frame frame, String outputColumn) {
    Objects.requireNonNull(predictor, "predictor");
    Class<?> outputType = outputClass(predictor);
    ScoreMetric m = metric == null ? ScoreMetric.defaultFor(outputType) : metric;
    m.checkFits(outputType);
    Object truth = truth(frame, outputColumn, outputType);
    List<String> inputs = new ArrayList<>();
    for (Field f : predictor.signature().inputs()) {
      if (frame.hasColumn(f.name()) && !f.name().equals(outputColumn)) {
        inputs.add(f.name());
      }
    }
    if (inputs.isEmpty()) {
      throw new InvalidInputException("the frame " + frame.columnNames() + " holds none of the model's inputs "
          + predictor.signature().inputs().names() + "; give it the columns the model was trained on");
    }
    Frame data = frame.select(inputs);
    double baseline = m.score(predictor.predict(data), truth);
    double[][] scores = new double[inputs.size()][repeats];
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, inputs.size() * repeats), runnable -> {
      Thread t = new Thread(runnable, "permutation-importance");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int j = 0; j < inputs.size(); j++) {
        for (int k = 0; k < repeats; k++) {
          int column = j;
          int repeat = k;
          tasks.add(pool.submit(() -> {
            Frame shuffled = shuffled(data, column, new SplittableRandom(mix(seed, column, repeat)));
            scores[column][repeat] = m.score(predictor.predict(shuffled), truth);
          }));
        }
      }
      for (Future<?> task : tasks) {
        task.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring permutation importance", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("permutation importance failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<FeatureImportance.Feature> features = new ArrayList<>();
    for (int j = 0; j < inputs.size(); j++) {
      double mean = 0;
      for (double s : scores[j]) {
        mean += m.loss(baseline, s);
      }
      mean /= repeats;
      double var = 0;
      for (double s : scores[j]) {
        double d = m.loss(baseline, s) - mean;
        var += d * d;
      }
      features.add(new FeatureImportance.Feature(inputs.get(j), mean, Math.sqrt(var / repeats)));
    }
    return new FeatureImportance("permutation", m.jsonName(), baseline, repeats, features);
  }

  static Class<?> outputClass(Predictor<?> predictor) {
    String type = predictor.signature().outputType();
    return type.equals(Label.class.getName()) ? Label.class : org.tribuo.regression.Regressor.class.getName().equals(type)
        ? org.tribuo.regression.Regressor.class : unsupported(type);
  }

  private static Class<?> unsupported(String type) {
    throw new InvalidInputException("permutation importance measures classifiers and regressors; this model predicts "
        + type);
  }

  private static Object truth(Frame frame, String outputColumn, Class<?> outputType) {
    if (!frame.hasColumn(outputColumn)) {
      throw new InvalidInputException("the frame has no output column '" + outputColumn + "'; its columns are "
          + frame.columnNames());
    }
    if (frame.rowCount() == 0) {
      throw new InvalidInputException("the frame has no rows; permutation importance needs labelled rows");
    }
    Column c = frame.column(outputColumn);
    if (outputType == Label.class) {
      if (!(c instanceof CategoricalColumn labels)) {
        throw new InvalidInputException("a classifier's output column '" + outputColumn + "' must hold labels as text;"
            + " it is numeric. Read it as a categorical column");
      }
      String[] values = labels.toArray();
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          throw new InvalidInputException("row " + i + " has no label in '" + outputColumn + "'; drop unlabelled rows");
        }
      }
      return values;
    }
    if (!(c instanceof NumericColumn numbers)) {
      throw new InvalidInputException("a regressor's output column '" + outputColumn + "' must be numeric; it holds text");
    }
    double[] values = numbers.toArray();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new InvalidInputException("row " + i + " has no finite value in '" + outputColumn + "' (" + values[i]
            + "); drop such rows");
      }
    }
    return values;
  }

  /** The frame with one column's values permuted among the rows by a Fisher–Yates shuffle. */
  static Frame shuffled(Frame data, int column, SplittableRandom random) {
    int n = data.rowCount();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    Schema schema = data.schema();
    FrameBuilder b = Frame.builder(schema);
    for (int c = 0; c < schema.size(); c++) {
      Column col = data.columns().get(c);
      if (col instanceof NumericColumn num) {
        double[] v = num.toArray();
        b.column(col.name(), c == column ? permute(v, order) : v);
      } else {
        String[] v = ((CategoricalColumn) col).toArray();
        b.column(col.name(), c == column ? permute(v, order) : v);
      }
    }
    return b.build();
  }

  private static double[] permute(double[] v, int[] order) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[order[i]];
    }
    return out;
  }

  private static String[] permute(String[] v, int[] order) {
    String[] out = new String[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[order[i]];
    }
    return out;
  }

  /** A seed for one (column, repeat) pair, spread by SplitMix64's finaliser so that near seeds differ. */
  static long mix(long seed, int column, int repeat) {
    long z = seed + 0x9E3779B97F4A7C15L * (1 + column * 1_000_003L + repeat);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
