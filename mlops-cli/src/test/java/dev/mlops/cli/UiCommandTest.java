package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mlops ui} over a local store: on loopback, with the artifacts where the store recorded them. */
class UiCommandTest {
  @TempDir Path dir;
  private final StringWriter said = new StringWriter();

  private TrackingServer start(String... args) {
    PrintWriter out = new PrintWriter(said, true);
    CommandLine.ParseResult parsed = Mlops.commandLine(out, out).parseArgs(args);
    return ((UiCommand) parsed.subcommand().commandSpec().userObject()).start(out);
  }

  @Test
  void showsTheStoreAndItsArtifactsWithoutBeingToldWhereTheyAre() throws Exception {
    String store = "sqlite:" + dir.resolve("mlops.db");
    String runId;
    try (Tracker tracker = Tracker.open(store); Run run = tracker.experiment("iris").run("first").start()) {
      run.text("notes.txt", "kept beside the store");
      runId = run.id();
    }
    assertTrue(Files.isDirectory(dir.resolve("artifacts")));
    try (TrackingServer server = start("ui", "--store", store, "--port", "0")) {
      URI ui = server.uri().resolve("/ui/");
      assertEquals("127.0.0.1", ui.getHost());
      assertTrue(said.toString().startsWith("mlops UI at " + ui), said.toString());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(ui).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(page.body().contains(">iris</a>"), page.body());
      HttpResponse<String> artifact = http.send(HttpRequest.newBuilder(server.uri().resolve("/ui/runs/" + runId
          + "/artifacts/notes.txt")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(artifact.body().contains("kept beside the store"), artifact.body());
    }
  }

  @Test
  void withoutAStoreTheCommandLineIsWrong() {
    Fixtures.assertWrongCommandLine(Fixtures.mlops("ui"), "--store", "Usage: mlops ui");
  }
}
