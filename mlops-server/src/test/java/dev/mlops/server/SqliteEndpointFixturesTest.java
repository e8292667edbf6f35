package dev.mlops.server;

import java.nio.file.Path;

/** The golden fixtures against a server over SQLite. */
class SqliteEndpointFixturesTest extends EndpointFixturesContract {
  @Override
  String storeUri(Path folder) {
    return "sqlite:" + folder.resolve("mlops.db");
  }
}
