package dev.mlops.server.internal.ui;

import dev.mlops.server.Permission;
import dev.mlops.server.Users;
import dev.mlops.server.internal.ResourceAccess;
import dev.mlops.tracking.internal.AccessStore;
import java.util.Optional;

/**
 * What the signed-in user may see and change in the UI, by the same per-experiment and
 * per-registered-model permissions as the API. On a server without users everyone may do
 * everything, as the API lets them.
 *
 * @param resources the server's permissions
 * @param user who asks, empty on a server without users
 */
record UiAccess(ResourceAccess resources, Optional<Users.User> user) {
  /** Whether the user may read an experiment, so that a list leaves out the ones they may not. */
  boolean readsExperiment(String experimentId) {
    return user.isEmpty() || resources.allows(user.get(), AccessStore.EXPERIMENT, experimentId, Permission.READ);
  }

  /** Whether the user may read a registered model. */
  boolean readsModel(String name) {
    return user.isEmpty() || resources.allows(user.get(), AccessStore.REGISTERED_MODEL, name, Permission.READ);
  }

  /**
   * Whether the user may do {@code needed} on an experiment (or a run of it), so that a page
   * shows only the forms its user may submit; a reader's permission is capped at READ.
   */
  boolean mayOnExperiment(String experimentId, Permission needed) {
    return user.isEmpty() || resources.allows(user.get(), AccessStore.EXPERIMENT, experimentId, needed);
  }

  /** Whether the user may do {@code needed} on a registered model, so that a page shows only the forms they may submit. */
  boolean mayOnModel(String name, Permission needed) {
    return user.isEmpty() || resources.allows(user.get(), AccessStore.REGISTERED_MODEL, name, needed);
  }

  /** Refuses with 403 what the user may not do on an experiment. */
  void experiment(String experimentId, Permission needed) {
    user.ifPresent(u -> resources.require(u, AccessStore.EXPERIMENT, experimentId, needed));
  }

  /** Refuses with 403 what the user may not do on a run's experiment. */
  void run(String runId, Permission needed) {
    user.ifPresent(u -> resources.requireRun(u, runId, needed));
  }

  /** Refuses with 403 what the user may not do on a registered model; one that does not exist is left to a 404. */
  void model(String name, Permission needed) {
    user.filter(u -> resources.modelExists(name))
        .ifPresent(u -> resources.require(u, AccessStore.REGISTERED_MODEL, name, needed));
  }
}
