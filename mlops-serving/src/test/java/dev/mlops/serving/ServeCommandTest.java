package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void readsAPackageCommandLine() {
    ServeOptions o = ServeOptions.parse("--package", "m.mlpkg", "--port", "0", "--threads", "3", "--poll-seconds", "0.5",
        "--canary", "c.mlpkg", "--canary-share", "0.2", "--seed", "7");
    assertEquals(Path.of("m.mlpkg"), o.packageFile().orElseThrow());
    assertEquals(0, o.port());
    assertEquals(3, o.threads());
    assertEquals(Duration.ofMillis(500), o.pollInterval());
    assertEquals("c.mlpkg", o.canary().orElseThrow());
    assertEquals(0.2, o.canaryShare());
    assertEquals(7, o.seed());
    assertEquals("127.0.0.1", o.host());
    assertEquals(1L << 20, o.maxBodyBytes());
  }

  @Test
  void readsARegistryCommandLine() {
    ServeOptions o = ServeOptions.parse("--tracking", "sqlite:mlops/mlops.db", "--model", "models:/iris@champion",
        "--shadow", "models:/iris@challenger");
    assertEquals("sqlite:mlops/mlops.db", o.tracking().orElseThrow());
    assertEquals("models:/iris@champion", o.model().orElseThrow());
    assertEquals("models:/iris@challenger", o.shadow().orElseThrow());
    assertTrue(o.packageFile().isEmpty());
  }

  @Test
  void refusesWrongCommandLinesNamingTheProblem() {
    assertMessage("unknown option '--prot'", "--package", "m.mlpkg", "--prot", "1");
    assertMessage("needs a value", "--package");
    assertMessage("either --package", "--package", "m.mlpkg", "--model", "models:/a@b");
    assertMessage("both --tracking", "--model", "models:/a@b");
    assertMessage("is not a model URI", "--tracking", "sqlite:x.db", "--model", "iris");
    assertMessage("--port needs a whole number; got 'http'", "--package", "m.mlpkg", "--port", "http");
    assertMessage("not both", "--package", "m.mlpkg", "--shadow", "a.mlpkg", "--canary", "b.mlpkg");
    assertMessage("between 0 and 1", "--package", "m.mlpkg", "--canary-share", "2");
    assertMessage("given twice", "--package", "m.mlpkg", "--package", "n.mlpkg");
  }

  private static void assertMessage(String part, String... args) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ServeOptions.parse(args));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void servesAPackageFileWithAShadowOverHttp() throws Exception {
    ModelPackage main = TestModels.pkg("clf", "a", TestModels.RISING);
    ModelPackage other = TestModels.pkg("clf", "b", TestModels.FALLING);
    Path file = dir.resolve("main.mlpkg");
    Path shadow = dir.resolve("shadow.mlpkg");
    main.writeTo(file);
    other.writeTo(shadow);
    ServeOptions options = ServeOptions.parse("--package", file.toString(), "--port", "0", "--poll-seconds", "0",
        "--shadow", shadow.toString());
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (ModelService service = ServeCommand.service(options);
         ScoringServer server = ServeCommand.serve(service, options, new PrintStream(said, true, StandardCharsets.UTF_8))) {
      assertEquals("models:/clf@champion", service.current().uri().toString());
      assertEquals("b", service.challenger().orElseThrow().version());
      assertTrue(said.toString(StandardCharsets.UTF_8).startsWith("serving clf version a (" + main.digest() + ") at http://"));
      assertAnswersPositive(server);
      assertEquals(0.0, service.challengerStats().orElseThrow().agreementRate());
    }
  }

  /** Posts a row with a clearly positive x1 and checks that the served model answers "pos". */
  private static void assertAnswersPositive(ScoringServer server) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.uri().resolve("/invocations"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"dataframe_records\":[{\"x1\":2.0,\"x2\":0.0}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"predictions\":[\"pos\"]"), r.body());
  }

  @Test
  void servesARegistryAliasFromTheCommandLine() throws Exception {
    String uri = "sqlite:" + dir.resolve("mlops.db");
    ModelPackage rising = TestModels.pkg("clf", "a", TestModels.RISING);
    try (Tracker tracker = Tracker.open(uri)) {
      Path file = dir.resolve("rising.mlpkg");
      rising.writeTo(file);
      tracker.registry().register("clf", file);
      tracker.registry().setAlias("clf", "champion", 1);
    }
    ServeOptions options = ServeOptions.parse("--tracking", uri, "--model", "models:/clf@champion", "--port", "0",
        "--poll-seconds", "0");
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    try (ModelService service = ServeCommand.service(options);
         ScoringServer server = ServeCommand.serve(service, options, new PrintStream(said, true, StandardCharsets.UTF_8))) {
      assertTrue(said.toString(StandardCharsets.UTF_8).startsWith("serving clf version 1 (" + rising.digest() + ") at http://"),
          said.toString(StandardCharsets.UTF_8));
      assertAnswersPositive(server);
    }
    ServeOptions unknown = ServeOptions.parse("--tracking", uri, "--model", "models:/clf@nobody");
    NotFoundException e = assertThrows(NotFoundException.class, () -> ServeCommand.service(unknown));
    assertTrue(e.getMessage().contains("'nobody'"), e.getMessage());
  }
}
