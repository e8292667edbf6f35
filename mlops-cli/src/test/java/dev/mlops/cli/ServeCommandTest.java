package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.NotFoundException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.Tracker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mlops serve} parsed as on the command line and started in this JVM, answering over HTTP. */
class ServeCommandTest {
  @TempDir Path dir;
  private final StringWriter said = new StringWriter();

  private ServeCommand.Serving start(String... args) {
    PrintWriter out = new PrintWriter(said, true);
    CommandLine.ParseResult parsed = Mlops.commandLine(out, out).parseArgs(args);
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    return serve.start(out);
  }

  @Test
  void servesAPackageFileWithAShadowChallenger() throws Exception {
    ModelPackage rising = Fixtures.pkg("clf", "a", 1, "0123456789abcdef0123456789abcdef");
    ModelPackage falling = Fixtures.pkg("clf", "b", -1, "0123456789abcdef0123456789abcdef");
    Path main = dir.resolve("main.mlpkg");
    Path shadow = dir.resolve("shadow.mlpkg");
    rising.writeTo(main);
    falling.writeTo(shadow);
    try (ServeCommand.Serving s = start("serve", "--package", main.toString(), "--port", "0", "--poll-seconds", "0",
        "--shadow", shadow.toString())) {
      assertEquals("models:/clf@champion", s.service.current().uri().toString());
      assertEquals("b", s.service.challenger().orElseThrow().version());
      assertTrue(said.toString().startsWith("serving clf version a (" + rising.digest() + ") at http://127.0.0.1:"), said.toString());
      assertAnswersPositive(s);
      assertEquals(0.0, s.service.challengerStats().orElseThrow().agreementRate());
    }
  }

  @Test
  void servesARegistryAliasFromItsStoreAndArtifactsFolder() throws Exception {
    String uri = "sqlite:" + dir.resolve("mlops.db");
    Path artifacts = dir.resolve("shared");
    ModelPackage rising = Fixtures.pkg("clf", "a", 1, "0123456789abcdef0123456789abcdef");
    try (Tracker tracker = Tracker.builder(uri).artifacts(artifacts).build()) {
      Path file = dir.resolve("rising.mlpkg");
      rising.writeTo(file);
      tracker.registry().register("clf", file);
      tracker.registry().setAlias("clf", "champion", 1);
    }
    try (ServeCommand.Serving s = start("serve", "--tracking", uri, "--artifacts", artifacts.toString(),
        "--model", "models:/clf@champion", "--port", "0", "--poll-seconds", "0")) {
      assertTrue(said.toString().startsWith("serving clf version 1 (" + rising.digest() + ") at http://"), said.toString());
      assertAnswersPositive(s);
    }
    NotFoundException e = assertThrows(NotFoundException.class, () -> start("serve", "--tracking", uri,
        "--artifacts", artifacts.toString(), "--model", "models:/clf@nobody", "--port", "0"));
    assertTrue(e.getMessage().contains("'nobody'"), e.getMessage());
  }

  @Test
  void aModelThatCannotBeServedExitsOneWithTheReason() {
    Fixtures.Result r = Fixtures.mlops("serve", "--package", dir.resolve("gone.mlpkg").toString(), "--port", "0");
    assertEquals(1, r.status(), r.out());
    assertTrue(r.err().startsWith("mlops serve: ") && r.err().contains("gone.mlpkg"), r.err());
  }

  /** Posts a row with a clearly positive x1 and checks that the served model answers "pos". */
  private static void assertAnswersPositive(ServeCommand.Serving s) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(s.server.uri().resolve("/invocations"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"dataframe_records\":[{\"x1\":2.0,\"x2\":0.0}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"predictions\":[\"pos\"]"), r.body());
  }
}
