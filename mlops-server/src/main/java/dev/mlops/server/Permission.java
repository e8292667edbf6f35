package dev.mlops.server;

/**
 * What a user may do with one experiment (and its runs and artifacts) or one registered model (and
 * its versions), as MLflow's basic-auth app grants it. The creator of an experiment or a model
 * gets {@link #MANAGE} on it; everyone else has the server's default, {@link #READ} unless set
 * with {@link TrackingServer.Builder#defaultPermission}. An {@link Role#ADMIN} may do everything,
 * a {@link Role#READER} at most read.
 *
 * <pre>{@code
 * // POST /api/2.0/mlflow/experiments/permissions/create
 * // {"experiment_id": "3", "username": "ana", "permission": "EDIT"}
 * }</pre>
 */
public enum Permission {
  /** Nothing, not even reading. */
  NO_PERMISSIONS,
  /** Reads. */
  READ,
  /** Also writes: runs, metrics, tags, artifacts, versions, descriptions, renames. */
  EDIT,
  /** Also deletes, restores, and grants permissions to others. */
  MANAGE;

  /** Whether this permission includes {@code needed}. */
  public boolean allows(Permission needed) {
    return compareTo(needed) >= 0;
  }
}
