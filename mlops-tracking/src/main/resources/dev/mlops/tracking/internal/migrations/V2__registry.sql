-- The model registry: packages logged by runs, registered models, their numbered versions, movable
-- aliases, tags and the data sets each version was trained on (copied from its run when it is
-- registered, so that a version's lineage never changes afterwards). Package locations are paths
-- relative to the artifact root.

CREATE TABLE logged_models (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  name TEXT NOT NULL,
  location TEXT NOT NULL,
  package_digest TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  signature_json TEXT NOT NULL,
  creation_time ${BIGINT} NOT NULL,
  PRIMARY KEY (run_id, name)
);

-- latest_version is the version counter: a registration increments it in the transaction that
-- inserts the version, holding the row's lock, so concurrent registrations get 1, 2, 3, ...
CREATE TABLE registered_models (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  creation_time ${BIGINT} NOT NULL,
  last_update_time ${BIGINT} NOT NULL
);

CREATE TABLE registered_model_tags (
  name TEXT NOT NULL REFERENCES registered_models (name),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (name, key)
);

CREATE INDEX registered_model_tags_by_key_value ON registered_model_tags (key, value, name);

CREATE TABLE model_versions (
  name TEXT NOT NULL REFERENCES registered_models (name),
  version INTEGER NOT NULL,
  run_id TEXT REFERENCES runs (run_id),
  artifact_name TEXT,
  location TEXT NOT NULL,
  package_digest TEXT NOT NULL,
  signature_json TEXT NOT NULL,
  description TEXT NOT NULL,
  creation_time ${BIGINT} NOT NULL,
  last_update_time ${BIGINT} NOT NULL,
  PRIMARY KEY (name, version)
);

CREATE INDEX model_versions_by_run ON model_versions (run_id);

CREATE TABLE model_version_tags (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (name, version, key),
  FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE TABLE model_version_datasets (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  dataset_name TEXT NOT NULL,
  digest TEXT NOT NULL,
  context TEXT NOT NULL,
  schema_json TEXT,
  PRIMARY KEY (name, version, dataset_name, digest, context),
  FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE TABLE registered_model_aliases (
  name TEXT NOT NULL REFERENCES registered_models (name),
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (name, alias),
  FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);
