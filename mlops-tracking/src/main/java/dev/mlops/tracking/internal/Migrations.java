package dev.mlops.tracking.internal;

import dev.mlops.core.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned schema. Each version is one script, {@code migrations/V<n>__<name>.sql}, applied
 * in a transaction that first takes the database's migration lock and then reads which versions
 * are applied, so two processes opening a new database at the same moment apply each version
 * exactly once. A later feature adds a script and a line to {@link #VERSIONS}.
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** The scripts in order; version n is element n - 1. */
  static final List<String> VERSIONS = List.of("V1__tracking", "V2__registry", "V3__store", "V4__batches", "V5__access",
      "V6__passwords", "V7__metric_buckets", "V8__runs_by_status");

  private Migrations() {}

  /** Applies the versions the database lacks, inside the transaction already begun on {@code c}. */
  static int apply(Connection c, Dialect dialect, long now) throws SQLException {
    dialect.lockForMigration(c);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS mlops_schema_version ("
          + "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at " + dialect.columnTypes().get("BIGINT")
          + " NOT NULL)");
    }
    int current = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM mlops_schema_version")) {
      rs.next();
      current = rs.getInt(1);
    }
    if (current > VERSIONS.size()) {
      throw new StoreUnavailableException(dialect.describe() + " has schema version " + current
          + " but this library knows only up to " + VERSIONS.size() + "; upgrade mlops-tracking");
    }
    int applied = 0;
    for (int version = current + 1; version <= VERSIONS.size(); version++) {
      String name = VERSIONS.get(version - 1);
      for (String statement : statements(name, dialect.columnTypes())) {
        try (Statement s = c.createStatement()) {
          s.execute(statement);
        }
      }
      try (PreparedStatement p =
          c.prepareStatement("INSERT INTO mlops_schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
        p.setInt(1, version);
        p.setString(2, name);
        p.setLong(3, now);
        p.executeUpdate();
      }
      LOG.info("applied schema migration {} to {}", name, dialect.describe());
      applied++;
    }
    return applied;
  }

  static List<String> statements(String name, Map<String, String> types) {
    String script;
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("migration script " + name + " is missing from the jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration script " + name, e);
    }
    for (Map.Entry<String, String> t : types.entrySet()) {
      script = script.replace("${" + t.getKey() + "}", t.getValue());
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    return statements;
  }
}
