package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  private static String basic(String user, String password) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static int statusWith(URI uri, String path, String body, String authorization) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve(path)).header("Authorization",
        authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void userCreateReadsThePasswordFromStandardInputOrAFileAndTheStoreKeepsOnlyASaltedHash() throws Exception {
    String store = "sqlite:" + dir.resolve("mlops.db");
    String anaPassword = "correct horse battery";
    String evePassword = "staple battery horse correct";
    Fixtures.Result ana = Fixtures.mlopsWithInput(anaPassword + "\n", "server", "user", "create", "--store", store,
        "--user", "ana", "--role", "reader");
    assertEquals(0, ana.status(), ana.err());
    assertEquals("user ana (reader) recorded; the store keeps only a salted hash of the password\n", ana.out());
    Path file = java.nio.file.Files.writeString(dir.resolve("eve.password"), evePassword + "\r\nignored\n");
    Fixtures.Result eve = Fixtures.mlops("server", "user", "create", "--store", store, "--user", "eve", "--role",
        "EDITOR", "--password-file", file.toString());
    assertEquals(0, eve.status(), eve.err());
    assertFalse((ana.out() + ana.err() + eve.out() + eve.err()).contains("battery"), "the password is never shown");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:" + store);
        java.sql.ResultSet rows = c.createStatement().executeQuery(
            "SELECT user_name, role, password_hash FROM access_passwords ORDER BY user_name")) {
      for (String[] expected : new String[][] {{"ana", "READER", anaPassword}, {"eve", "EDITOR", evePassword}}) {
        assertTrue(rows.next());
        assertEquals(expected[0], rows.getString(1));
        assertEquals(expected[1], rows.getString(2));
        String hash = rows.getString(3);
        assertFalse(hash.contains(expected[2]), hash);
        assertTrue(dev.mlops.server.Users.passwordMatches(expected[2], hash), "the first line is the password");
      }
      assertFalse(rows.next());
    }

    try (TrackingServer server = start("server", "--store", store, "--artifacts", dir.resolve("artifacts").toString(),
        "--host", "0.0.0.0", "--port", "0")) {
      URI uri = URI.create("http://127.0.0.1:" + server.port());
      String search = "/api/2.0/mlflow/experiments/search";
      String create = "/api/2.0/mlflow/experiments/create";
      assertEquals(401, status(uri, "POST", search, null), "a store with users needs credentials");
      assertEquals(200, statusWith(uri, search, "{}", basic("ana", anaPassword)));
      assertEquals(401, statusWith(uri, search, "{}", basic("ana", evePassword)));
      assertEquals(403, statusWith(uri, create, "{\"name\":\"by-ana\"}", basic("ana", anaPassword)));
      assertEquals(200, statusWith(uri, create, "{\"name\":\"by-eve\"}", basic("eve", evePassword)));

      Fixtures.Result taken = Fixtures.mlopsWithInput(evePassword + "\n", "server", "user", "create", "--store",
          store, "--user", "ana", "--role", "admin");
      assertEquals(Mlops.REFUSED, taken.status(), taken.err());
      assertTrue(taken.err().contains("'ana' already has a password") && taken.err().contains("--replace"),
          taken.err());
      Fixtures.Result replaced = Fixtures.mlopsWithInput(evePassword + "\n", "server", "user", "create", "--store",
          store, "--user", "ana", "--role", "admin", "--replace");
      assertEquals(0, replaced.status(), replaced.err());
      assertEquals(401, statusWith(uri, search, "{}", basic("ana", anaPassword)), "the old password stops at once");
      assertEquals(200, statusWith(uri, create, "{\"name\":\"by-admin-ana\"}", basic("ana", evePassword)));
    }
  }

  @Test
  void userCreateNeverTakesThePasswordAsAnArgumentAndRefusesAShortOrMissingOne() {
    String store = "sqlite:" + dir.resolve("mlops.db");
    String[] create = {"server", "user", "create", "--store", store, "--user", "ana", "--role", "reader"};
    for (String[] argument : new String[][] {{"--password", "correct horse battery"},
        {"--password=correct horse battery"}, {"--password"}}) {
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(create), java.util.Arrays.stream(argument))
          .toArray(String[]::new);
      Fixtures.Result r = Fixtures.mlopsWithInput("", args);
      Fixtures.assertWrongCommandLine(r, "never given as an argument", "Usage: mlops server user create");
      assertFalse(r.err().contains("horse"), r.err());
    }
    Fixtures.Result shortOne = Fixtures.mlopsWithInput("battery\n", create);
    assertEquals(Mlops.REFUSED, shortOne.status(), shortOne.err());
    assertTrue(shortOne.err().contains("at least 12 characters") && !shortOne.err().contains("battery"),
        shortOne.err());
    Fixtures.Result none = Fixtures.mlopsWithInput("", create);
    assertEquals(Mlops.REFUSED, none.status(), none.err());
    assertTrue(none.err().contains("no password on standard input") && none.err().contains("--password-file"),
        none.err());
    Fixtures.Result noFile = Fixtures.mlops(java.util.stream.Stream.concat(java.util.Arrays.stream(create),
        java.util.stream.Stream.of("--password-file", dir.resolve("absent").toString())).toArray(String[]::new));
    assertEquals(Mlops.REFUSED, noFile.status(), noFile.err());
    assertTrue(noFile.err().contains("absent"), noFile.err());
    Fixtures.assertWrongCommandLine(Fixtures.mlopsWithInput("correct horse battery\n", "server", "user", "create",
        "--store", store, "--user", "ana", "--role", "owner"), "--role must be reader, editor or admin",
        "Usage: mlops server user create");
  }

  @Test
  void withoutAnArtifactFolderTheCommandLineIsWrong() {
    Fixtures.assertWrongCommandLine(Fixtures.mlops("server", "--store", "sqlite:" + dir.resolve("mlops.db")),
        "--artifacts", "Usage: mlops server");
  }
}
