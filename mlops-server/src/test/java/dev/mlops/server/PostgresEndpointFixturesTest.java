package dev.mlops.server;

import dev.mlops.tracking.PostgresTestDatabase;
import java.nio.file.Path;

/** The golden fixtures against a server over PostgreSQL; skipped without {@code MLOPS_TEST_POSTGRES_URL}. */
class PostgresEndpointFixturesTest extends EndpointFixturesContract {
  private PostgresTestDatabase database;

  @Override
  String storeUri(Path folder) {
    database = PostgresTestDatabase.createSchema("server");
    return database.url();
  }

  @Override
  void dropStore() {
    if (database != null) {
      database.dropSchema();
    }
  }
}
