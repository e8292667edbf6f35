package dev.mlops.serving;

import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One member of a team sharing a store, run in its own JVM by {@link SharedStoreTest}, printing
 * what it did on standard output.
 *
 * <ul>
 *   <li>{@code train <uri> <model>}: trains a classifier, logs its package on a run, registers it
 *       and points {@code champion} at it; prints {@code REGISTERED <version> <artifact folder>}.
 *   <li>{@code serve <uri> <model>}: serves {@code models:/<model>@champion} and predicts one row;
 *       prints {@code PREDICTED <label> <version> <artifact folder>}.
 * </ul>
 */
public final class SharedStoreWorker {
  private SharedStoreWorker() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String uri = args[1];
    String model = args[2];
    try (Tracker tracker = Tracker.open(uri)) {
      switch (args[0]) {
        case "train" -> {
          ModelVersion v;
          try (Run run = tracker.experiment("team").run("rising").start()) {
            run.model("model", TestModels.pkg(model, "1", TestModels.RISING));
            v = tracker.registry().register(model, run, "model");
          }
          tracker.registry().setAlias(model, "champion", v.version());
          out.println("REGISTERED " + v.version() + " " + tracker.artifactRoot());
        }
        case "serve" -> {
          try (ModelService service = ModelService.builder(tracker, "models:/" + model + "@champion").build()) {
            ServedPrediction p = service.predict(Map.of("x1", 2.0, "x2", 0.0));
            out.println("PREDICTED " + p.output() + " " + service.current().version() + " " + tracker.artifactRoot());
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    }
  }
}
