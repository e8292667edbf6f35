package dev.mlops.examples;

import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.TribuoLogging;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.PackageFile;
import dev.mlops.packaging.Predictor;
import dev.mlops.packaging.Reproduction;
import dev.mlops.packaging.ReproductionReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/**
 * Model packages in one page: build a {@code .mlpkg} from a trained model (its signature inferred,
 * an input example, an extra artifact, metadata), rebuild it byte for byte, read it back verified,
 * predict through its signature, watch a tampered copy and a bad request be refused, and retrain
 * the model from its recorded provenance.
 *
 * <pre>{@code
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mlops.examples.PackagingExample -Dexec.args=target/packaging
 * }</pre>
 */
public final class PackagingExample {
  private PackagingExample() {}

  public static void main(String[] args) throws IOException {
    Path out = OutputFolder.prepare(args, "target/examples/packaging");
    TribuoLogging.quiet();
    Iris.Split split = Iris.split(5);
    // Trained from a CSV file, so the provenance names the file and its SHA-256.
    Path trainCsv = Iris.writeCsv(split.train(), out.resolve("train.csv"));
    Model<Label> model = Iris.trainer(0.5, 10).train(Iris.dataset(trainCsv));
    Path notes = Files.writeString(out.resolve("notes.txt"), "logistic regression, AdaGrad 0.5, 10 epochs\n");
    Frame example = split.test().select(Iris.FEATURES).slice(0, 5);

    // A fixed clock makes the file byte-identical on every rebuild, on any machine.
    Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    ModelPackage.Builder builder = ModelPackage.builder("iris-classifier")
        .version("1")
        .model(model)
        .inputExample(example)
        .artifact("notes.txt", notes)
        .metadata("owner", "examples")
        .clock(fixed);
    ModelPackage pkg = builder.build();
    Path file = out.resolve("iris-classifier.mlpkg");
    pkg.writeTo(file);
    System.out.println("wrote " + file + " (" + Files.size(file) + " bytes), " + pkg.digest());
    System.out.println("rebuilt byte for byte: " + Arrays.equals(Files.readAllBytes(file), builder.build().toBytes()));
    for (PackageFile f : pkg.manifest().files()) {
      System.out.printf("  %-24s %8d bytes  %s%n", f.path(), f.size(), f.sha256());
    }
    System.out.println("signature: " + pkg.signature());

    // Reading verifies every file's SHA-256 and the package digest before the model is loaded.
    ModelPackage loaded = ModelPackage.read(file);
    Predictor<Label> predictor = loaded.predictor(Label.class);
    Prediction<Label> p = predictor.predict(
        Map.of("sepal_length", 6.1, "sepal_width", 2.8, "petal_length", 4.7, "petal_width", 1.2));
    System.out.println("\na flower 6.1/2.8/4.7/1.2 cm is " + p.getOutput().getLabel() + ", scores " + p.getOutputScores().keySet());
    try {
      predictor.predict(Map.of("sepal_length", 6.1, "sepal_width", 2.8));
    } catch (InvalidInputException e) {
      System.out.println("a request without petals is refused: " + e.getMessage());
    }

    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Path tampered = Files.write(out.resolve("tampered.mlpkg"), bytes);
    try {
      ModelPackage.read(tampered);
      System.out.println("the tampered copy was accepted: that should never happen");
    } catch (MlopsException e) {
      System.out.println("a copy with one bit flipped is refused: " + e.getMessage());
    }

    ReproductionReport reproduction = Reproduction.of(loaded).run();
    System.out.println("\nreproduction: " + reproduction);
    Files.writeString(trainCsv, "5.0,3.0,1.5,0.2,Iris-setosa\n", StandardOpenOption.APPEND);
    System.out.println("after a row was added to the training file: " + Reproduction.of(loaded).run().status());
  }
}
