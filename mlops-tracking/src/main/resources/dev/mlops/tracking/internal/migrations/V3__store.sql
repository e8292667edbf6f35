-- Settings that belong to the store rather than to any process that opens it. artifact_location
-- is recorded by the first process that opens the store after this version (as MLflow records an
-- experiment's artifact_location): a folder path, relative paths resolved against the folder of
-- a SQLite database file.

CREATE TABLE store_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
