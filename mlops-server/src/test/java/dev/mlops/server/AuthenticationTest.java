package dev.mlops.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConflictException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens and basic passwords with roles, on a server listening on every address. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationTest {
  private static final String PASSWORD = "correct horse battery";
  private final String editorToken = Users.newToken();
  private final String readerToken = Users.newToken();
  private TrackingServer server;
  private String store;
  private URI base;
  private Api api;

  @BeforeAll
  void start(@TempDir Path folder) {
    Users users = Users.builder()
        .tokenHash(Users.hashToken(editorToken), "ci", Role.EDITOR)
        .tokenHash(Users.hashToken(readerToken), "viewer", Role.READER)
        .password("ana", PASSWORD, Role.READER)
        .build();
    store = "sqlite:" + folder.resolve("mlops.db");
    server = TrackingServer.builder(store).artifacts(folder.resolve("a"))
        .host("0.0.0.0").port(0).users(users).start();
    base = URI.create("http://127.0.0.1:" + server.port());
    api = new Api(base);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Api.Answer call(String method, String path, String body, String authorization) {
    return api.call(method, path, body, authorization);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void noOrWrongCredentialsAre401WithAChallenge() {
    for (String authorization : new String[] {null, "Bearer " + Users.newToken(), basic("ana", "wrong password!"),
        basic("nobody", PASSWORD), "Digest abc"}) {
      Api.Answer a = call("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=x", null, authorization);
      assertEquals(401, a.status(), String.valueOf(authorization));
      assertEquals("UNAUTHENTICATED", a.json().get("error_code").asText());
      assertTrue(a.response().headers().firstValue("WWW-Authenticate").orElse("").contains("Basic"));
    }
  }

  @Test
  void readersReadAndAre403OnEveryKindOfWrite() {
    String created = call("POST", "/api/2.0/mlflow/experiments/create", "{\"name\":\"auth-read\"}",
        "Bearer " + editorToken).json().get("experiment_id").asText();
    for (String reader : new String[] {"Bearer " + readerToken, basic("ana", PASSWORD)}) {
      assertEquals(200, call("GET", "/api/2.0/mlflow/experiments/get?experiment_id=" + created, null, reader)
          .status());
      Api.Answer write = call("POST", "/api/2.0/mlflow/experiments/create", "{\"name\":\"refused\"}", reader);
      assertEquals(403, write.status());
      assertEquals("PERMISSION_DENIED", write.json().get("error_code").asText());
      Api.Answer upload = call("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + created + "/r/x.txt", "x", reader);
      assertEquals(403, upload.status());
      Api.Answer alias = call("DELETE", "/api/2.0/mlflow/registered-models/alias",
          "{\"name\":\"m\",\"alias\":\"a\"}", reader);
      assertEquals(403, alias.status());
    }
    assertEquals(404, call("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=refused", null,
        "Bearer " + readerToken).status(), "nothing was written by the refused calls");
  }

  @Test
  void aPasswordHashIsSaltedAndMatchesOnlyItsPassword() {
    String hash = Users.hashPassword(PASSWORD);
    assertTrue(hash.startsWith("pbkdf2-sha256:120000:") && !hash.contains(PASSWORD), hash);
    assertNotEquals(hash, Users.hashPassword(PASSWORD), "a new salt each time");
    assertTrue(Users.passwordMatches(PASSWORD, hash));
    assertFalse(Users.passwordMatches(PASSWORD + "!", hash));
    assertFalse(Users.passwordMatches(PASSWORD, null), "no such user");
    String[] parts = hash.split(":");
    for (String other : new String[] {"sha256:" + parts[3], parts[0] + ":x:" + parts[2] + ":" + parts[3],
        parts[0] + ":0:" + parts[2] + ":" + parts[3], parts[0] + ":" + parts[1] + ":***:" + parts[3], hash + ":"}) {
      assertFalse(Users.passwordMatches(PASSWORD, other), other);
    }
    InvalidInputException shortOne = assertThrows(InvalidInputException.class, () -> Users.hashPassword("too short"));
    assertTrue(shortOne.getMessage().contains("12") && !shortOne.getMessage().contains("too short"),
        shortOne.getMessage());
  }

  @Test
  void aPasswordRecordedInTheStoreSignsInAndAReplacedOneStopsAtOnce() {
    String newPassword = "another long passphrase";
    TrackingServer.createUser(store, "bea", PASSWORD, Role.EDITOR);
    assertEquals(200, call("POST", "/api/2.0/mlflow/experiments/create", "{\"name\":\"by-bea\"}",
        basic("bea", PASSWORD)).status(), "checked against the store while the server runs");
    assertEquals(401, call("POST", "/api/2.0/mlflow/experiments/search", "{}", basic("bea", newPassword)).status());
    ConflictException again = assertThrows(ConflictException.class,
        () -> TrackingServer.createUser(store, "bea", newPassword, Role.ADMIN));
    assertTrue(again.getMessage().contains("'bea'") && again.getMessage().contains("--replace"), again.getMessage());

    TrackingServer.replaceUser(store, "bea", newPassword, Role.READER);
    assertEquals(401, call("POST", "/api/2.0/mlflow/experiments/search", "{}", basic("bea", PASSWORD)).status(),
        "the replaced password no longer signs in, though it was verified before");
    assertEquals(200, call("POST", "/api/2.0/mlflow/experiments/search", "{}", basic("bea", newPassword)).status());
    assertEquals(403, call("POST", "/api/2.0/mlflow/experiments/create", "{\"name\":\"by-bea-2\"}",
        basic("bea", newPassword)).status(), "with the new role");
    try (Tracker tracker = Tracker.builder(base.toString()).environmentVariables(Map.of("MLFLOW_TRACKING_USERNAME",
        "bea", "MLFLOW_TRACKING_PASSWORD", newPassword)).build()) {
      assertEquals("by-bea", tracker.experiment("by-bea").name(), "MLflow's basic credentials from the environment");
    }
    assertThrows(InvalidInputException.class, () -> TrackingServer.createUser(store, "a b", newPassword, Role.READER));
  }

  @Test
  void aTokenCreatedWhileAnOpenServerRunsIsAskedForWithoutARestart(@TempDir Path folder) throws Exception {
    String openStore = "sqlite:" + folder.resolve("open.db");
    try (TrackingServer open = TrackingServer.builder(openStore).artifacts(folder.resolve("a")).port(0).start()) {
      Api openApi = new Api(URI.create("http://127.0.0.1:" + open.port()));
      String search = "/api/2.0/mlflow/experiments/search";
      assertEquals(200, openApi.call("POST", search, "{}", null).status(), "no credentials recorded: open");
      String token = TrackingServer.createToken(openStore, "ci", Role.READER);
      int status = 200;
      // the server looks at the store again within a second; allow a slow machine ten
      for (int i = 0; i < 100 && status == 200; i++) {
        Thread.sleep(100);
        status = openApi.call("POST", search, "{}", null).status();
      }
      assertEquals(401, status, "the new token is asked for without a restart");
      assertEquals(200, openApi.call("POST", search, "{}", "Bearer " + token).status());
      assertEquals(403, openApi.call("POST", "/api/2.0/mlflow/experiments/create", "{\"name\":\"x\"}",
          "Bearer " + token).status(), "with the token's role");
    }
  }

  @Test
  void theTrackerSendsTheTokenFromTheEnvironment() {
    try (Tracker tracker = Tracker.builder(base.toString())
        .environmentVariables(Map.of("MLOPS_TRACKING_TOKEN", editorToken)).build()) {
      try (Run run = tracker.experiment("auth-tracker").run("a").start()) {
        run.param("k", "v");
      }
    }
    try (Tracker anonymous = Tracker.builder(base.toString()).environmentVariables(Map.of()).build()) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> anonymous.experiment("x"));
      assertTrue(e.getMessage().contains("MLOPS_TRACKING_TOKEN"), e.getMessage());
    }
  }
}
