package dev.mlops.examples;

import dev.mlops.core.Digest;
import dev.mlops.core.Environment;
import dev.mlops.core.Frame;
import dev.mlops.core.NumericColumn;

/**
 * The core values in one page: read a CSV into a {@link Frame}, look at its inferred schema,
 * slice and filter it, and name its content with a {@link Digest}.
 *
 * <pre>{@code
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mlops.examples.FramesAndDigestsExample
 * }</pre>
 */
public final class FramesAndDigestsExample {
  private FramesAndDigestsExample() {}

  public static void main(String[] args) {
    Frame iris = Iris.frame();
    System.out.println(iris);
    System.out.println("schema (MLflow column spec): " + iris.schema().toJson());

    NumericColumn petal = iris.numeric("petal_length");
    System.out.printf("petal_length: mean %.3f over %d rows%n", petal.stream().average().orElseThrow(), petal.size());

    Frame setosa = iris.filter(i -> "Iris-setosa".equals(iris.categorical("species").get(i)));
    System.out.println("setosa rows: " + setosa.rowCount() + ", first: " + setosa.row(0));

    System.out.println("content digest: " + Digest.of(iris.toCsv()));
    Environment env = Environment.capture();
    System.out.println("java " + env.javaVersion() + " on " + env.osName() + "/" + env.arch()
        + ", git " + env.gitState().map(g -> g.commit().substring(0, 12) + (g.dirty() ? " (dirty)" : "")).orElse("none"));
  }
}
