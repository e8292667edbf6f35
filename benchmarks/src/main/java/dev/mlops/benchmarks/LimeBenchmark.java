package dev.mlops.benchmarks;

import dev.mlops.core.Frame;
import dev.mlops.explain.Explainer;
import dev.mlops.explain.Explanation;
import dev.mlops.packaging.ModelPackage;
import java.util.ArrayList;
import java.util.List;
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
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * One LIME explanation ({@value Explainer#DEFAULT_SAMPLES} samples, Tribuo's LIMEBase with a
 * LARS-lasso surrogate) of a factorization machine over {@value #FEATURES} numeric inputs,
 * against the batch prediction of as many examples, the least LIME must do.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only Lime
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
// Each explanation trains and evaluates a Tribuo surrogate, a long call chain: short warm-ups
// measured the interpreter (240 ms where the compiled code takes 20-45 ms).
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 3, time = 2)
public class LimeBenchmark {
  static final int FEATURES = 10;

  private Explainer explainer;
  private Map<String, Object> row;
  private Model<Label> model;
  private List<Example<Label>> samples;

  @Setup(Level.Trial)
  public void train() {
    String[] features = SyntheticData.columnNames(FEATURES);
    double[][] columns = SyntheticData.numericColumns(2_000, FEATURES, 31, 0);
    Frame inputs = SyntheticData.frame(columns);
    String[] labels = new String[inputs.rowCount()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = columns[0][i] * columns[1][i] + columns[2][i] > 0 ? "yes" : "no";
    }
    Frame train = withLabels(inputs, labels);
    model = new FMClassificationTrainer(new LogMulticlass(), new AdaGrad(0.1), 5, 1000, 1L, 4, 0.1)
        .train(train.toTribuo("label", new LabelFactory()));
    ModelPackage pkg = ModelPackage.builder("lime-bench").version("1").model(model).build();
    explainer = Explainer.of(pkg).withSeed(7);
    row = SyntheticData.row(features, new SplittableRandom(32));
    SplittableRandom random = new SplittableRandom(33);
    samples = new ArrayList<>(Explainer.DEFAULT_SAMPLES);
    for (int i = 0; i < Explainer.DEFAULT_SAMPLES; i++) {
      double[] x = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = random.nextGaussian();
      }
      samples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, x));
    }
  }

  private static Frame withLabels(Frame inputs, String[] labels) {
    List<dev.mlops.core.Field> fields = new ArrayList<>(inputs.schema().fields());
    fields.add(dev.mlops.core.Field.of("label", dev.mlops.core.FieldType.STRING));
    dev.mlops.core.FrameBuilder b = Frame.builder(dev.mlops.core.Schema.of(fields));
    for (String name : inputs.columnNames()) {
      b.column(name, inputs.numeric(name).toArray());
    }
    return b.column("label", labels).build();
  }

  @Benchmark
  public Explanation limeExplanation() {
    return explainer.explain(row);
  }

  @Benchmark
  public List<Prediction<Label>> predictSamples() {
    return model.predict(samples);
  }
}
