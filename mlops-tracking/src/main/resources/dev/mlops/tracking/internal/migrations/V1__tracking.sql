-- Experiments, runs, params, tags, metrics, data set inputs and artifacts.
-- ${ID}, ${DOUBLE} and ${BIGINT} are filled in per database. Statements end with ';' on its own
-- line end. Later features (such as the model registry) add their tables in later versions.

CREATE TABLE experiments (
  experiment_id ${ID},
  name TEXT NOT NULL UNIQUE,
  lifecycle_stage TEXT NOT NULL,
  creation_time ${BIGINT} NOT NULL,
  last_update_time ${BIGINT} NOT NULL
);

CREATE TABLE experiment_tags (
  experiment_id ${BIGINT} NOT NULL REFERENCES experiments (experiment_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
);

CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  experiment_id ${BIGINT} NOT NULL REFERENCES experiments (experiment_id),
  name TEXT NOT NULL,
  parent_run_id TEXT,
  status TEXT NOT NULL,
  start_time ${BIGINT} NOT NULL,
  end_time ${BIGINT},
  lifecycle_stage TEXT NOT NULL
);

-- Covers a search's scan of an experiment's runs and its default order without reading the table.
CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time, run_id);

CREATE INDEX runs_by_parent ON runs (parent_run_id);

CREATE TABLE params (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);

-- Finds the runs whose param has a value (search filters) without reading the table.
CREATE INDEX params_by_key_value ON params (key, value, run_id);

CREATE TABLE tags (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);

-- Every logged point, in log order (seq). value_kind: 0 a plain value, 1 NaN (value 0), 2 negative
-- zero (value 0), because SQLite keeps neither NaN nor the sign of zero in a REAL column.
CREATE INDEX tags_by_key_value ON tags (key, value, run_id);

CREATE TABLE metrics (
  seq ${ID},
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value ${DOUBLE} NOT NULL,
  value_kind SMALLINT NOT NULL,
  timestamp ${BIGINT} NOT NULL,
  step ${BIGINT} NOT NULL
);

CREATE INDEX metrics_by_run_key ON metrics (run_id, key, seq);

-- The latest point of each run's metric (highest step, then latest timestamp), kept by the writer
-- so that search filters and sorts on metrics read one row per run.
CREATE TABLE latest_metrics (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value ${DOUBLE} NOT NULL,
  value_kind SMALLINT NOT NULL,
  timestamp ${BIGINT} NOT NULL,
  step ${BIGINT} NOT NULL,
  PRIMARY KEY (run_id, key)
);

-- Finds the runs whose latest value of a metric is in a range without reading the table.
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value, value_kind, run_id);

CREATE TABLE datasets (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  name TEXT NOT NULL,
  digest TEXT NOT NULL,
  context TEXT NOT NULL,
  schema_json TEXT,
  PRIMARY KEY (run_id, name, digest, context)
);

CREATE TABLE artifacts (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size ${BIGINT} NOT NULL,
  PRIMARY KEY (run_id, path)
);
