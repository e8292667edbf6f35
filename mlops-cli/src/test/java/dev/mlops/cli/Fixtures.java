package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.TribuoLogging;
import dev.mlops.packaging.ModelPackage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Packages of small classifiers over x1 and x2, and the command line run in this JVM. */
final class Fixtures {
  static {
    TribuoLogging.quiet();
  }

  private Fixtures() {}

  /** What one command printed and returned. */
  record Result(int status, String out, String err) {}

  /** Runs {@code mlops args...} in this JVM with captured output. */
  static Result mlops(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Mlops.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(status, out.toString(), err.toString());
  }

  /** Runs {@code mlops args...} in this JVM with this text as standard input and captured output. */
  static Result mlopsWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Mlops.execute(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(status, out.toString(), err.toString());
  }

  /** Asserts that a command line was refused as wrong: status 2, the reason and the usage on stderr, nothing on stdout. */
  static void assertWrongCommandLine(Result r, String reason, String usage) {
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains(reason), r.err());
    assertTrue(r.err().contains(usage), r.err());
    assertEquals("", r.out());
  }

  /**
   * A logistic regression that says "pos" where {@code sign * x1 > 0}, packaged with five rows
   * of input example and a lineage naming the run.
   */
  static ModelPackage pkg(String name, String version, int sign, String runId) {
    SplittableRandom random = new SplittableRandom(7);
    List<Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double x1 = random.nextDouble(-3, 3);
      double x2 = random.nextDouble(-3, 3);
      examples.add(new ArrayExample<>(new Label(sign * x1 > 0 ? "pos" : "neg"), new String[] {"x1", "x2"}, new double[] {x1, x2}));
    }
    LabelFactory factory = new LabelFactory();
    Model<Label> model = new LogisticRegressionTrainer().train(
        new MutableDataset<>(new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance("generated", factory))));
    return ModelPackage.builder(name).version(version).model(model)
        .lineage(runId, "cli", Map.of("accuracy", 1.0))
        .build();
  }
}
