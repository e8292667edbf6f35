-- Who may use a tracking server: bearer tokens kept as their SHA-256 hash with a user and a role,
-- and per-resource permissions (as MLflow's basic-auth app: READ, EDIT, MANAGE, NO_PERMISSIONS)
-- of a user on an experiment (by id) or a registered model (by name).

CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  role TEXT NOT NULL,
  creation_time ${BIGINT} NOT NULL
);

CREATE TABLE access_permissions (
  resource_kind TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  permission TEXT NOT NULL,
  PRIMARY KEY (resource_kind, resource_id, user_name)
);
