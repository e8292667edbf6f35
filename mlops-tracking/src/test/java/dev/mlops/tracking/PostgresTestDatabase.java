package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server named by {@code MLOPS_TEST_POSTGRES_URL}, with a fresh schema per test
 * class. Without the variable the tests are skipped, except under {@code CI=true}, where a
 * missing variable or an unreachable server fails them.
 */
public final class PostgresTestDatabase {
  public static final String VARIABLE = "MLOPS_TEST_POSTGRES_URL";

  private final String baseUrl;
  private final String schema;

  private PostgresTestDatabase(String baseUrl, String schema) {
    this.baseUrl = baseUrl;
    this.schema = schema;
  }

  /**
   * Why the PostgreSQL tests cannot run here, or null when they can. Under {@code CI=true} an
   * unset variable or an unreachable server fails the calling test instead.
   */
  public static String unavailableReason() {
    String url = System.getenv(VARIABLE);
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (url == null || url.isBlank()) {
      if (ci) {
        fail(VARIABLE + " is not set; CI must run the PostgreSQL tests against a real server");
      }
      return VARIABLE + " is not set; skipping the PostgreSQL tests (set it to e.g."
          + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres)";
    }
    try {
      DriverManager.getConnection(url).close();
      return null;
    } catch (SQLException e) {
      if (ci) {
        fail("cannot reach the PostgreSQL server at " + VARIABLE + ": " + e.getMessage(), e);
      }
      return "cannot reach the PostgreSQL server at " + VARIABLE + " (" + e.getMessage() + "); skipping";
    }
  }

  /** Creates a fresh schema; skips the test when the server is not available. */
  public static PostgresTestDatabase createSchema(String purpose) {
    String reason = unavailableReason();
    assumeTrue(reason == null, reason);
    String url = System.getenv(VARIABLE);
    String schema = "mlops_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema " + schema, e);
    }
    return new PostgresTestDatabase(url, schema);
  }

  /** A JDBC URL whose connections use the fresh schema. */
  public String url() {
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public void dropSchema() {
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test schema " + schema, e);
    }
  }
}
