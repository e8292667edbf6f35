package dev.mlops.tracking;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against a real SQLite file. */
class SqliteTrackerTest extends TrackerContract {
  @TempDir static Path databaseDir;

  @Override
  public String uri() {
    return "sqlite:" + databaseDir.resolve("mlops.db");
  }

  @Override
  public String freshUri() {
    return "sqlite:" + databaseDir.resolve("fresh-" + UUID.randomUUID() + "/mlops.db");
  }

  @Override
  String jdbcUrl(String uri) {
    return "jdbc:" + uri;
  }
}
