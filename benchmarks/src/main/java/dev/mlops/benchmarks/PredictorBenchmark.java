package dev.mlops.benchmarks;

import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/**
 * One prediction of a packaged logistic regression over {@value #FEATURES} numeric inputs:
 * {@link Predictor#predict(Map)} with its signature checks, against Tribuo's own
 * {@code model.predict(example)} on the same row already built as an example. A third figure,
 * Tribuo with a new example built from the same map at every call, shows what any API that takes
 * a map of column values pays before the signature checks.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only Predictor
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Five forks a side, and the row takes the median fork: now and then a JVM compiles the
// prediction's call chain, Tribuo's own as much as ours, into code three to four times slower.
@Fork(5)
// More warm-up than the others: on two busy cores the JIT needs several seconds to compile the
// deep call chain of a prediction, and an iteration measured before that is ten times slower.
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
public class PredictorBenchmark {
  static final int FEATURES = 10;

  private String[] features;
  private Predictor<Label> predictor;
  private Model<Label> model;
  private Map<String, Object> row;
  private Example<Label> example;

  @Setup(Level.Trial)
  public void train() {
    features = SyntheticData.columnNames(FEATURES);
    Model<Label> trained = SyntheticData.classifier(features, 2_000, 15);
    ModelPackage pkg = ModelPackage.builder("predictor-bench").version("1").model(trained).build();
    predictor = pkg.predictor(Label.class);
    model = trained;
    row = SyntheticData.row(features, new SplittableRandom(16));
    double[] values = new double[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      values[j] = (Double) row.get(features[j]);
    }
    example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, values);
  }

  @Benchmark
  public Prediction<Label> predictorPredict() {
    return predictor.predict(row);
  }

  @Benchmark
  public Prediction<Label> tribuoPredict() {
    return model.predict(example);
  }

  @Benchmark
  public Prediction<Label> tribuoPredictNewExample() {
    double[] values = new double[features.length];
    for (int j = 0; j < values.length; j++) {
      values[j] = ((Number) row.get(features[j])).doubleValue();
    }
    return model.predict(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, values));
  }
}
