package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.tracking.internal.TrackingUri;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tracking URIs as people type them, and passwords that never come back out. */
class TrackingUriTest {
  private static final String SECRET = "S3cr3t-pa55";

  @TempDir Path temp;

  @Test
  void readsPostgresqlUrisWithTheUserAndPasswordInFront() {
    TrackingUri uri = TrackingUri.parse("postgresql://ml:" + SECRET + "@db.internal:5432/mlops?sslmode=require"
        + "&artifacts=/srv/mlops");
    assertEquals("jdbc:postgresql://db.internal:5432/mlops?sslmode=require", uri.jdbcUrl());
    assertEquals(Map.of("user", "ml", "password", SECRET), uri.driverProperties());
    assertEquals(Optional.of("/srv/mlops"), uri.artifacts());
    assertEquals("postgresql://ml:***@db.internal:5432/mlops?sslmode=require&artifacts=/srv/mlops", uri.redacted());
    assertEquals(uri.redacted(), uri.toString());
    assertFalse(uri.isSqlite());
  }

  @Test
  void decodesEscapedPasswordsAndHidesPasswordParameters() {
    TrackingUri escaped = TrackingUri.parse("postgres://ml:p%40ss%2Fw+rd@db/mlops");
    assertEquals("p@ss/w+rd", escaped.driverProperties().get("password"));
    assertEquals("jdbc:postgresql://db/mlops", escaped.jdbcUrl());
    TrackingUri jdbc = TrackingUri.parse("jdbc:postgresql://db:5432/mlops?user=ml&password=" + SECRET + "&x=1");
    assertEquals("jdbc:postgresql://db:5432/mlops?x=1", jdbc.jdbcUrl());
    assertEquals(Map.of("user", "ml", "password", SECRET), jdbc.driverProperties());
    assertFalse(jdbc.redacted().contains(SECRET), jdbc.redacted());
    assertTrue(jdbc.redacted().contains("password=***"), jdbc.redacted());
    assertEquals("jdbc:postgresql://db/mlops", TrackingUri.parse("postgresql://ml@db/mlops").jdbcUrl());
    assertEquals(Map.of("user", "ml"), TrackingUri.parse("postgresql://ml@db/mlops").driverProperties());
  }

  @Test
  void readsSqliteUrisAsMlflowWritesThem() {
    assertEquals(Path.of("/srv/mlops/mlops.db"), TrackingUri.parse("sqlite:////srv/mlops/mlops.db").sqliteFile());
    assertEquals(Path.of("mlops.db"), TrackingUri.parse("sqlite:///mlops.db").sqliteFile());
    assertEquals(Path.of("mlops/mlops.db"), TrackingUri.parse("sqlite:mlops/mlops.db").sqliteFile());
    assertEquals(Path.of("/tmp/x.db"), TrackingUri.parse("jdbc:sqlite:/tmp/x.db").sqliteFile());
    assertEquals(Optional.of("/srv/a"), TrackingUri.parse("sqlite:x.db?artifacts=/srv/a").artifacts());
    assertThrows(InvalidInputException.class, () -> TrackingUri.parse("sqlite://host/x.db"));
    assertThrows(InvalidInputException.class, () -> TrackingUri.parse("sqlite:x.db?cache=shared"));
  }

  @Test
  void opensMlflowsAbsoluteSqliteForm() {
    Path file = temp.resolve("abs/mlops.db").toAbsolutePath();
    try (Tracker tracker = Tracker.builder("sqlite:///" + file).environmentVariables(Map.of()).build()) {
      tracker.experiment("abs");
      assertTrue(file.toFile().isFile(), file.toString());
      assertEquals(file.getParent().resolve("artifacts"), tracker.artifactRoot());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "postgresql://ml:" + SECRET + "@127.0.0.1:1/mlops",
      "postgres://ml:" + SECRET + "@127.0.0.1:1/mlops?connectTimeout=2",
      "jdbc:postgresql://127.0.0.1:1/mlops?user=ml&password=" + SECRET,
      "postgresql://ml:" + SECRET + "@no-such-host.invalid/mlops",
      "postgresql://ml:" + SECRET + "@127.0.0.1:notaport/mlops",
      "postgresql://ml:" + SECRET + "@127.0.0.1:1/mlops?password=" + SECRET + "&bad=%zz",
      "mysql://ml:" + SECRET + "@db/mlops"})
  void aFailedOpeningNeverShowsThePassword(String uri) {
    MlopsException e = assertThrows(MlopsException.class, () -> Tracker.builder(uri).environmentVariables(Map.of())
        .build());
    StringWriter all = new StringWriter();
    e.printStackTrace(new PrintWriter(all));
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(SECRET), t.toString());
    }
    assertFalse(all.toString().contains(SECRET), all.toString());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void theTrackersUriHidesThePassword() {
    String reason = PostgresTestDatabase.unavailableReason();
    org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
    PostgresTestDatabase db = PostgresTestDatabase.createSchema("uri");
    try {
      // the test server trusts local connections, so any password opens it
      String url = db.url().replace("jdbc:postgresql://", "postgresql://postgres:" + SECRET + "@")
          .replace("user=postgres&", "");
      try (Tracker tracker = Tracker.builder(url).environmentVariables(Map.of())
          .artifacts(temp.resolve("artifacts")).build()) {
        assertFalse(tracker.uri().contains(SECRET), tracker.uri());
        assertTrue(tracker.uri().contains("postgres:***@"), tracker.uri());
        tracker.experiment("hidden");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> tracker.search("hidden")
            .filter("metrics.x >> 1"));
        assertFalse(e.getMessage().contains(SECRET));
      }
    } finally {
      db.dropSchema();
    }
  }
}
