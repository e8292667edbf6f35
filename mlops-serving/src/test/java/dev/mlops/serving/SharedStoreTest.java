package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team on one PostgreSQL store and one shared artifact folder: a training JVM and a serving
 * JVM, started in different working directories, never told about each other. The trainer names
 * the shared folder once, in the URI that creates the store; the server opens the plain URI and
 * finds the champion's package through the location the store recorded.
 */
class SharedStoreTest {
  private static final String VARIABLE = "MLOPS_TEST_POSTGRES_URL";

  @TempDir Path temp;

  @Test
  void oneJvmTrainsAndRegistersAnotherInAnotherFolderServesTheChampion() throws Exception {
    String base = System.getenv(VARIABLE);
    if ("true".equalsIgnoreCase(System.getenv("CI")) && (base == null || base.isBlank())) {
      fail(VARIABLE + " is not set; CI must run the PostgreSQL tests against a real server");
    }
    assumeTrue(base != null && !base.isBlank(), VARIABLE + " is not set; skipping the shared-store test");
    String schema = "mlops_shared_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      assumeTrue("true".equalsIgnoreCase(System.getenv("CI")), "cannot reach PostgreSQL: " + e.getMessage());
      throw e;
    }
    try {
      String uri = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      Path shared = temp.resolve("shared");
      Path trainerHome = Files.createDirectories(temp.resolve("trainer"));
      Path serverHome = Files.createDirectories(temp.resolve("server"));

      String[] trained = run(trainerHome, "train", uri + "&artifacts=" + shared, "team-model").split(" ");
      assertEquals("REGISTERED", trained[0]);
      assertEquals(shared.toString(), trained[2]);

      String[] served = run(serverHome, "serve", uri, "team-model").split(" ");
      assertEquals(List.of("PREDICTED", "pos", trained[1], shared.toString()), List.of(served));
      assertFalse(Files.exists(serverHome.resolve("mlops")), "nothing was looked for under the server's folder");
      assertFalse(Files.exists(trainerHome.resolve("mlops")), "nothing was stored under the trainer's folder");
      try (var stored = Files.walk(shared)) {
        assertTrue(stored.anyMatch(p -> p.getFileName().toString().endsWith(".mlpkg")));
      }
    } finally {
      try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private static String run(Path workingDirectory, String mode, String uri, String model) throws IOException,
      InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        SharedStoreWorker.class.getName(), mode, uri, model)
        .directory(workingDirectory.toFile())
        .redirectError(workingDirectory.resolve("stderr.txt").toFile());
    builder.environment().remove(Tracker.URI_VARIABLE);
    builder.environment().remove(Tracker.ARTIFACTS_VARIABLE);
    Process p = builder.start();
    String answer = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("REGISTERED") || line.startsWith("PREDICTED")) {
          answer = line;
        }
      }
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), mode + " did not end");
    assertEquals(0, p.exitValue(), mode + " failed: " + Files.readString(workingDirectory.resolve("stderr.txt")));
    assertTrue(answer != null, mode + " printed nothing: " + Files.readString(workingDirectory.resolve("stderr.txt")));
    return answer;
  }
}
