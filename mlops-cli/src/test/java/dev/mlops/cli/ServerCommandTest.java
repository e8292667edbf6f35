package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.InvalidInputException;
import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mlops server} parsed as on the command line and started in this JVM, answered by an HTTP client. */
class ServerCommandTest {
  @TempDir Path dir;
  private final StringWriter said = new StringWriter();

  private TrackingServer start(String... args) {
    PrintWriter out = new PrintWriter(said, true);
    CommandLine.ParseResult parsed = Mlops.commandLine(out, out).parseArgs(args);
    ServerCommand server = (ServerCommand) parsed.subcommand().commandSpec().userObject();
    return server.start(out);
  }

  @Test
  void servesTheStoreOverMlflowsRestApiAndSaysWhere() throws Exception {
    String store = "sqlite:" + dir.resolve("mlops.db");
    String runId;
    try (Tracker tracker = Tracker.builder(store).artifacts(dir.resolve("artifacts")).build();
         Run run = tracker.experiment("iris").run("first").start()) {
      run.param("learning_rate", 0.1);
      runId = run.id();
    }
    try (TrackingServer server = start("server", "--store", store, "--artifacts", dir.resolve("artifacts").toString(),
        "--port", "0")) {
      URI uri = server.uri();
      assertTrue(said.toString().startsWith("tracking server at " + uri), said.toString());
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(uri.resolve("/api/2.0/mlflow/runs/get?run_id=" + runId)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode params = new ObjectMapper().readTree(r.body()).path("run").path("data").path("params");
      assertEquals("learning_rate", params.get(0).path("key").asText(), r.body());
      assertEquals("0.1", params.get(0).path("value").asText(), r.body());
    }
  }

  @Test
  void anAddressBeyondLoopbackIsRefusedWithoutUsers() {
    String store = "sqlite:" + dir.resolve("mlops.db");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> start("server", "--store", store, "--artifacts", dir.resolve("artifacts").toString(),
            "--host", "0.0.0.0", "--port", "0").close());
    assertTrue(e.getMessage().contains("0.0.0.0"), e.getMessage());
  }

  private static int status(URI uri, String method, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path)).method(method,
        HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void tokenCreatePrintsATokenOnceThatTheServerAcceptsAndTheStoreKeepsOnlyItsHash() throws Exception {
    String store = "sqlite:" + dir.resolve("mlops.db");
    Fixtures.Result r = Fixtures.mlops("server", "token", "create", "--store", store, "--user", "ci", "--role",
        "reader");
    assertEquals(0, r.status(), r.err());
    String token = r.out().lines().toList().get(1);
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), r.out());
    try (TrackingServer server = start("server", "--store", store, "--artifacts", dir.resolve("artifacts").toString(),
        "--host", "0.0.0.0", "--port", "0")) {
      URI uri = URI.create("http://127.0.0.1:" + server.port());
      String search = "/api/2.0/mlflow/experiments/search";
      assertEquals(401, status(uri, "POST", search, null), "a store with tokens needs credentials");
      assertEquals(200, status(uri, "POST", search, token));
      assertEquals(403, status(uri, "POST", "/api/2.0/mlflow/experiments/create", token), "a reader may not write");
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:" + store);
        java.sql.ResultSet rows = c.createStatement().executeQuery(
            "SELECT token_hash, user_name, role FROM access_tokens")) {
      assertTrue(rows.next());
      assertEquals(dev.mlops.server.Users.hashToken(token), rows.getString(1));
      assertEquals("ci", rows.getString(2));
      assertEquals("READER", rows.getString(3));
      assertTrue(!rows.next(), "one token recorded");
    }
    Fixtures.assertWrongCommandLine(Fixtures.mlops("server", "token", "create", "--store", store, "--user", "ci",
        "--role", "owner"), "--role must be reader, editor or admin", "Usage: mlops server token create");
  }

  @Test
  void withoutAnArtifactFolderTheCommandLineIsWrong() {
    Fixtures.assertWrongCommandLine(Fixtures.mlops("server", "--store", "sqlite:" + dir.resolve("mlops.db")),
        "--artifacts", "Usage: mlops server");
  }
}
