package dev.mlops.server;

/**
 * What a user of the tracking server may do. A reader reads; an editor also writes experiments,
 * runs, artifacts and the registry; an admin may do everything an editor may.
 *
 * <pre>{@code
 * Users users = Users.builder().password("ana", secret, Role.EDITOR).build();
 * }</pre>
 */
public enum Role {
  /** Reads experiments, runs, artifacts and the registry. */
  READER,
  /** Also writes them. */
  EDITOR,
  /** Everything. */
  ADMIN;

  /** Whether this role may call endpoints that change the store. */
  public boolean mayWrite() {
    return this != READER;
  }
}
