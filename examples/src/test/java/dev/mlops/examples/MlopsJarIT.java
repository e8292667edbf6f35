package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.TribuoLogging;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * The built {@code mlops-all} jar runs on its own: {@code java -jar mlops.jar} with nothing else
 * on the class path serves, verifies, shows and lists (so no class is missing from the shaded jar),
 * and says nothing on standard error (its SLF4J binding is silent, Tribuo is quiet).
 */
class MlopsJarIT {
  private static final Path JAR = Path.of("..", "mlops-all", "target", "mlops.jar").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static Path packageFile;
  private static String store;
  private static String runId;

  /** What a finished process printed and returned. */
  private record Exit(int status, String out, String err) {}

  @BeforeAll
  static void trainTrackAndRegister() {
    assertTrue(Files.isRegularFile(JAR), "build the jar first (mvn package): " + JAR);
    TribuoLogging.quiet();
    Iris.Split split = Iris.split(11);
    Path csv = Iris.writeCsv(split.train(), dir.resolve("train.csv"));
    Model<Label> model = Iris.trainer(0.5, 5).train(Iris.dataset(csv));
    ModelPackage pkg = ModelPackage.builder("iris").version("1").model(model)
        .inputExample(split.test().select(Iris.FEATURES).slice(0, 5)).build();
    packageFile = dir.resolve("iris.mlpkg");
    pkg.writeTo(packageFile);
    store = "sqlite:" + dir.resolve("mlops.db");
    try (Tracker tracker = Tracker.open(store); Run run = tracker.experiment("iris").run("lr0.5").start()) {
      run.param("lr", 0.5).metric("accuracy", 0.9, 0);
      run.model("model", pkg);
      runId = run.id();
    }
    try (Tracker tracker = Tracker.open(store)) {
      tracker.registry().register("iris", runId, "model");
      tracker.registry().setAlias("iris", "champion", 1);
    }
  }

  private static Exit mlops(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
    p.getOutputStream().close();
    // the outputs are small; read them after the exit without risking a full pipe
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "mlops " + String.join(" ", args) + " finishes");
    return new Exit(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void helpAndAWrongCommandLine() throws Exception {
    Exit help = mlops("--help");
    assertEquals(0, help.status(), help.err());
    assertTrue(help.out().startsWith("Usage: mlops"), help.out());
    assertEquals("", help.err());
    Exit wrong = mlops("serve", "--prot", "1");
    assertEquals(2, wrong.status());
    assertTrue(wrong.err().contains("Usage: mlops serve"), wrong.err());
  }

  @Test
  void verifyAndShowAPackageFile() throws Exception {
    Exit verified = mlops("verify", packageFile.toString());
    assertEquals(0, verified.status(), verified.err());
    assertTrue(verified.out().startsWith("verified " + packageFile + ": iris 1 sha256:"), verified.out());
    assertEquals("", verified.err());
    Exit shown = mlops("show", "--only", "signature", packageFile.toString());
    assertEquals(0, shown.status(), shown.err());
    assertEquals(4, CanonicalJson.parse(shown.out()).at("/inputs").size(), shown.out());
  }

  @Test
  void runsAndModelsOfASqliteStore() throws Exception {
    Exit runs = mlops("runs", "iris", "--tracking", store, "--filter", "metrics.accuracy > 0.5", "--json");
    assertEquals(0, runs.status(), runs.err());
    JsonNode listed = CanonicalJson.parse(runs.out());
    assertEquals(runId, listed.get(0).get("run_id").asText());
    Exit models = mlops("models", "iris", "--tracking", store);
    assertEquals(0, models.status(), models.err());
    assertTrue(models.out().lines().skip(1).findFirst().orElseThrow().startsWith("1        champion  " + runId), models.out());
    assertEquals("", runs.err() + models.err());
  }

  @Test
  void serveARegisteredChampionOverHttp() throws Exception {
    List<String> command = List.of(javaExecutable(), "-jar", JAR.toString(), "serve", "--tracking", store,
        "--model", "models:/iris@champion", "--port", "0");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(dir.resolve("serve.err").toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String said = out.readLine();
      assertTrue(said != null && said.startsWith("serving iris version 1 (sha256:"), said + "\n" + Files.readString(dir.resolve("serve.err")));
      URI invocations = URI.create(said.substring(said.lastIndexOf(" at ") + 4));
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(invocations).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"dataframe_split\":{\"columns\":[\"sepal_length\",\"sepal_width\","
                  + "\"petal_length\",\"petal_width\"],\"data\":[[5.1,3.5,1.4,0.2]]}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("Iris-setosa") || r.body().contains("setosa"), r.body());
    } finally {
      p.destroy();
      assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    }
    assertEquals("", Files.readString(dir.resolve("serve.err")), "nothing on standard error");
  }
}
