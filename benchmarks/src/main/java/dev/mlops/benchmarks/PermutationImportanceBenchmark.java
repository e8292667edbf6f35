package dev.mlops.benchmarks;

import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.explain.Importance;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/**
 * Permutation importance on {@value #ROWS} rows × {@value #FEATURES} features × {@value #REPEATS}
 * repeats of a packaged logistic regression, against the {@code FEATURES × REPEATS + 1} batch
 * predictions of the same frame it needs, made one after the other. The importance is measured
 * on one thread (the overhead of shuffling and scoring beside the predictions) and on one thread
 * per core (what a user gets by default).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only PermutationImportance
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class PermutationImportanceBenchmark {
  static final int ROWS = 10_000;
  static final int FEATURES = 20;
  static final int REPEATS = 5;

  private Predictor<Label> predictor;
  private Frame frame;

  @Setup(Level.Trial)
  public void train() {
    String[] features = SyntheticData.columnNames(FEATURES);
    ModelPackage pkg = ModelPackage.builder("importance-bench").version("1")
        .model(SyntheticData.classifier(features, 2_000, 21)).build();
    predictor = pkg.predictor(Label.class);
    double[][] columns = SyntheticData.numericColumns(ROWS, FEATURES, 22, 0);
    List<Field> fields = new ArrayList<>();
    for (String f : features) {
      fields.add(Field.of(f, FieldType.DOUBLE));
    }
    fields.add(Field.of("label", FieldType.STRING));
    FrameBuilder b = Frame.builder(Schema.of(fields));
    for (int j = 0; j < FEATURES; j++) {
      b.column(features[j], columns[j]);
    }
    Frame inputs = SyntheticData.frame(columns);
    // The true labels are the model's own answers with every 7th flipped, so the baseline is not perfect.
    List<Prediction<Label>> answers = predictor.predict(inputs);
    String[] labels = new String[ROWS];
    for (int i = 0; i < ROWS; i++) {
      String label = answers.get(i).getOutput().getLabel();
      labels[i] = i % 7 == 0 ? (label.equals("high") ? "low" : "high") : label;
    }
    frame = b.column("label", labels).build();
  }

  @Benchmark
  public FeatureImportance permutationImportanceOneThread() {
    return Importance.permutation().repeats(REPEATS).parallelism(1).compute(predictor, frame, "label");
  }

  @Benchmark
  public FeatureImportance permutationImportance() {
    return Importance.permutation().repeats(REPEATS).compute(predictor, frame, "label");
  }

  @Benchmark
  public void batchPredictions(Blackhole hole) {
    for (int i = 0; i < FEATURES * REPEATS + 1; i++) {
      hole.consume(predictor.predict(frame));
    }
  }
}
