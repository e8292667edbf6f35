package dev.mlops.server.internal.ui;

import dev.mlops.core.Digest;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Check;
import dev.mlops.monitoring.Condition;
import dev.mlops.server.Permission;
import dev.mlops.server.TrackingServer;
import dev.mlops.server.Users;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.ServerTestPackages;
import dev.mlops.tracking.Tracker;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A store to look at: experiment "iris" with a sweep of three nested runs (per-step loss and
 * accuracy, artifacts of every kind, drift and quality reports), a run whose name and param are
 * injection strings, a run with a long history, and a registered model with two versions: v1 with
 * an alias and a logged model card, v2 without a card.
 */
final class UiFixture implements AutoCloseable {
  static final String SCRIPT_NAME = "<script>alert(1)</script>";
  static final String IMG_VALUE = "\"><img src=x onerror=alert(1)>";
  static final int LONG_POINTS = 120_000;

  final Path dir;
  final String store;
  final TrackingServer server;
  final String experimentId;
  final String sweepId;
  final List<String> trialIds;
  final String injectedId;
  final String longId;
  final String modelName = "iris-classifier";
  // held so that its level stays: training the test package logs at INFO through java.util.logging
  private final java.util.logging.Logger tribuo = java.util.logging.Logger.getLogger("org.tribuo");

  UiFixture(Path dir, Users usersOrNull) {
    this(dir, usersOrNull, Permission.READ);
  }

  /** The same store, served with users who may do {@code defaultPermission} where nothing was granted. */
  UiFixture(Path dir, Users usersOrNull, Permission defaultPermission) {
    this.dir = dir;
    tribuo.setLevel(java.util.logging.Level.WARNING);
    this.store = "sqlite:" + dir.resolve("mlops.db");
    Path artifacts = dir.resolve("artifacts");
    try (Tracker tracker = Tracker.builder(store).artifacts(artifacts).build()) {
      Experiment iris = tracker.experiment("iris");
      experimentId = iris.id();
      try (Run sweep = iris.run("sweep").start()) {
        sweepId = sweep.id();
        sweep.param("search", "grid");
        double[] rates = {0.01, 0.1, 1.0};
        String[] ids = new String[3];
        for (int t = 0; t < rates.length; t++) {
          try (Run trial = iris.run("lr-" + rates[t]).parent(sweep).start()) {
            ids[t] = trial.id();
            trial.params(Map.of("lr", rates[t], "seed", 7, "optimizer", t == 2 ? "adam" : "sgd", "epochs", 30));
            for (int step = 0; step < 30; step++) {
              double loss = 1.2 * Math.exp(-rates[t] * 30 * step / 29.0) + 0.05 * t + 0.02 * Math.sin(step);
              trial.metric("loss", loss, step, 1_700_000_000_000L + 60_000L * step);
              trial.metric("accuracy", 1 - loss / 2, step, 1_700_000_000_000L + 60_000L * step);
            }
            trial.dataset("iris-train", Digest.of("iris training rows " + t), Schema.of(
                Field.of("sepal_length", FieldType.DOUBLE), Field.of("species", FieldType.STRING)), "training");
            trial.text("notes.txt", "lr " + rates[t] + "\nconverged after 30 epochs\n" + SCRIPT_NAME + "\n");
            trial.json("config.json", Map.of("lr", rates[t], "layers", List.of(16, 8)));
            trial.text("data/sample.csv", "sepal_length,species\n5.1,setosa\n6.2,\"versi,color\"\n7.7,"
                + "\"<b>virginica</b>\"\n");
            trial.text("drift-report.json", driftJson(t));
            trial.text("drift-report.html", "<!DOCTYPE html><html><body><h1>Drift report " + t + "</h1>"
                + "<script>parent.document.title='pwned'</script></body></html>");
            writePng(dir.resolve("plot.png"));
            trial.artifact(dir.resolve("plot.png"));
            trial.text("quality-report.json", qualityJson(t));
            if (t == 1) {
              trial.text("model-card.md", "# Iris classifier\n\nTrained on the iris data; lr " + rates[t] + ".\n");
            }
            if (t >= 1) {
              trial.model("model", ServerTestPackages.forRun(modelName, trial.id()));
            }
          }
        }
        trialIds = List.of(ids);
      }
      try (Run injected = iris.run(SCRIPT_NAME).start()) {
        injectedId = injected.id();
        injected.param("note", IMG_VALUE);
        injected.tag("owner", IMG_VALUE);
        injected.metric("loss", 0.5);
      }
      try (Run big = iris.run("long-history").start()) {
        longId = big.id();
        for (int i = 0; i < LONG_POINTS; i++) {
          big.metric("loss", Math.exp(-i / 30_000.0) + (i == 77_777 ? 3 : 0) + 0.01 * Math.sin(i / 50.0), i,
              1_700_000_000_000L + i);
        }
      }
      Experiment empty = tracker.experiment("archived-trials");
      empty.delete();
      tracker.registry().register(modelName, trialIds.get(1), "model");
      tracker.registry().setAlias(modelName, "champion", 1);
      tracker.registry().register(modelName, trialIds.get(2), "model");
      tracker.registry().setModelDescription(modelName, "Classifies iris flowers <b>by</b> their measurements.");
      tracker.flush();
    }
    TrackingServer.Builder b = TrackingServer.builder(store).artifacts(artifacts).port(0)
        .defaultPermission(defaultPermission);
    if (usersOrNull != null) {
      b.users(usersOrNull);
    }
    this.server = b.start();
  }

  // A report as DriftReport.toJson writes it: the drift of sepal_length grows from report to report.
  private static String driftJson(int t) {
    double statistic = 0.05 + 0.1 * t;
    return "{\"method\":\"default\",\"referenceRows\":100,\"currentRows\":100,\"datasetDrift\":" + (t == 2)
        + ",\"driftedShare\":" + (t == 2 ? 0.5 : 0.0) + ",\"driftShareThreshold\":0.5,\"columns\":["
        + "{\"column\":\"sepal_length\",\"type\":\"double\",\"test\":\"wasserstein\",\"statistic\":" + statistic
        + ",\"threshold\":0.2,\"drifted\":" + (statistic > 0.2) + "},"
        + "{\"column\":\"species\",\"type\":\"string\",\"test\":\"jensen_shannon\",\"statistic\":0.02,"
        + "\"threshold\":0.1,\"drifted\":false}],\"quality\":{\"columns\":[]}}";
  }

  // A quality report as Check writes it: the current accuracy falls from 0.9 to 0.8 to 0.6, below the
  // condition's 0.75 in the last report; one class is named as a script.
  private static String qualityJson(int t) {
    Schema schema = Schema.of(Field.of("sepal_length", FieldType.DOUBLE), Field.of("species", FieldType.STRING),
        Field.of("predicted", FieldType.STRING));
    return Check.between(predictions(schema, 1, 0), predictions(schema, new int[] {2, 4, 8}[t], 0.3 * t))
        .target("species").prediction("predicted").condition("accuracy >= 0.75")
        .condition("f1:" + SCRIPT_NAME, Condition.atLeast(0.5)).run().toJson();
  }

  private static Frame predictions(Schema schema, int wrong, double shift) {
    String[] classes = {"setosa", "versicolor", SCRIPT_NAME};
    FrameBuilder b = Frame.builder(schema);
    for (int i = 0; i < 20; i++) {
      String label = classes[i % 3];
      b.row(5 + 0.1 * i + shift, label, i < wrong ? classes[(i + 1) % 3] : label);
    }
    return b.build();
  }

  private static void writePng(Path file) {
    BufferedImage image = new BufferedImage(120, 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 120, 60);
    g.setColor(new Color(0x1f77b4));
    g.fillRect(10, 20, 30, 30);
    g.setColor(new Color(0xd62728));
    g.fillRect(50, 10, 30, 40);
    g.dispose();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", out);
      Files.write(file, out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a request to a fixture's server, a failure to connect failing the test. */
  static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b) {
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String url(String path) {
    return server.uri().resolve(path).toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
