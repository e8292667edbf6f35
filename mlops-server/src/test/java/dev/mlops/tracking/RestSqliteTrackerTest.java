package dev.mlops.tracking;

/** The store contract through a tracking server over SQLite. */
class RestSqliteTrackerTest extends RestTrackerContract {
  @Override
  Store newStore(String name) {
    String uri = "sqlite:" + serverDir.resolve(name).resolve("mlops.db");
    return new Store(uri, "jdbc:" + uri);
  }
}
