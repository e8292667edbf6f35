package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.NotFoundException;
import dev.mlops.server.Permission;
import dev.mlops.server.Role;
import dev.mlops.server.Users;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.internal.AccessStore;
import dev.mlops.tracking.internal.ExperimentRow;
import dev.mlops.tracking.internal.TrackingStore;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

/**
 * Per-experiment and per-registered-model permissions, as MLflow's basic-auth app: each endpoint
 * names the resource it touches (an experiment by id or name, a run by id, a model by name) and
 * the permission it needs; a user's permission is the one granted on that resource, else the
 * server's default, capped at {@link Permission#READ} for a reader and raised to
 * {@link Permission#MANAGE} for an admin. Creating an experiment or a model grants its creator
 * MANAGE, and searches leave out what the caller may not read. Also MLflow's permission endpoints,
 * {@code experiments/permissions/*} and {@code registered-models/permissions/*}.
 */
public final class ResourceAccess {
  private final TrackingStore store;
  private final AccessStore access;
  private final ModelRegistry registry;
  private final Permission defaultPermission;

  /**
   * @param store where experiments and runs are looked up
   * @param access where permissions are kept
   * @param registry where models are looked up
   * @param defaultPermission what a user may do where nothing was granted
   */
  public ResourceAccess(TrackingStore store, AccessStore access, ModelRegistry registry,
      Permission defaultPermission) {
    this.store = store;
    this.access = access;
    this.registry = registry;
    this.defaultPermission = defaultPermission;
  }

  /** What one endpoint touches and needs. */
  private record Rule(String kind, Permission needed) {}

  private static Rule rule(String method, String endpoint) {
    String e = AccessStore.EXPERIMENT;
    String m = AccessStore.REGISTERED_MODEL;
    return switch (endpoint) {
      case "experiments/get", "experiments/get-by-name" -> new Rule(e, Permission.READ);
      case "experiments/update", "experiments/set-experiment-tag" -> new Rule(e, Permission.EDIT);
      case "experiments/delete", "experiments/restore" -> new Rule(e, Permission.MANAGE);
      case "experiments/permissions/create", "experiments/permissions/get", "experiments/permissions/update",
          "experiments/permissions/delete" -> new Rule(e, Permission.MANAGE);
      case "runs/create" -> new Rule(e, Permission.EDIT);
      case "runs/search" -> new Rule(e, Permission.READ);
      case "runs/get", "metrics/get-history", "artifacts/list", "mlops/logged-models/get" ->
          new Rule("run", Permission.READ);
      case "runs/update", "runs/log-metric", "runs/log-parameter", "runs/set-tag", "runs/delete-tag",
          "runs/log-batch", "runs/log-inputs" -> new Rule("run", Permission.EDIT);
      case "runs/delete", "runs/restore" -> new Rule("run", Permission.MANAGE);
      case "registered-models/get", "model-versions/get", "model-versions/get-download-uri" ->
          new Rule(m, Permission.READ);
      case "registered-models/alias" -> new Rule(m, method.equals("GET") ? Permission.READ : Permission.EDIT);
      case "registered-models/update", "registered-models/set-tag", "registered-models/delete-tag",
          "model-versions/update", "model-versions/set-tag", "model-versions/delete-tag", "model-versions/create" ->
          new Rule(m, Permission.EDIT);
      case "registered-models/rename", "registered-models/delete", "model-versions/delete",
          "registered-models/permissions/create", "registered-models/permissions/get",
          "registered-models/permissions/update", "registered-models/permissions/delete" ->
          new Rule(m, Permission.MANAGE);
      default -> null;
    };
  }

  /**
   * Refuses a call the user may not make.
   *
   * @param endpoint the path after MLflow's prefix
   * @throws ApiException 403 naming the resource and the permission needed
   */
  public void check(Users.User user, String method, String endpoint, ObjectNode params) {
    Rule rule = rule(method, endpoint);
    if (rule == null || user.role() == Role.ADMIN) {
      return;
    }
    ApiRequest r = new ApiRequest(params, user.name(), h -> null);
    switch (rule.kind()) {
      case AccessStore.EXPERIMENT -> {
        if (endpoint.equals("runs/search")) {
          r.strings("experiment_ids").forEach(id -> require(user, AccessStore.EXPERIMENT, id, rule.needed()));
        } else if (endpoint.equals("experiments/get-by-name")) {
          r.optionalString("experiment_name").flatMap(store::experimentByName)
              .ifPresent(x -> require(user, AccessStore.EXPERIMENT, x.id(), rule.needed()));
        } else {
          r.optionalString("experiment_id").ifPresent(id -> require(user, AccessStore.EXPERIMENT, id, rule.needed()));
        }
      }
      case "run" -> r.optionalString("run_id").or(() -> r.optionalString("run_uuid")).flatMap(store::run)
          .ifPresent(run -> require(user, AccessStore.EXPERIMENT, run.experimentId(), rule.needed()));
      default -> r.optionalString("name").filter(this::modelExists)
          .ifPresent(name -> require(user, AccessStore.REGISTERED_MODEL, name, rule.needed()));
    }
  }

  /** Refuses an artifact proxy call on an experiment the user may not read (GET) or edit. */
  public void checkArtifact(Users.User user, String method, String experimentId) {
    if (user.role() != Role.ADMIN) {
      require(user, AccessStore.EXPERIMENT, experimentId, method.equals("GET") ? Permission.READ : Permission.EDIT);
    }
  }

  /**
   * After a call succeeded: grants the creator of an experiment or a model MANAGE on it, moves
   * permissions with a renamed model, and removes from a search's answer what the user may not read.
   */
  public void after(Users.User user, String endpoint, ObjectNode params, ObjectNode answer, boolean modelExisted) {
    ApiRequest r = new ApiRequest(params, user.name(), h -> null);
    switch (endpoint) {
      case "experiments/create" -> access.setPermission(AccessStore.EXPERIMENT, answer.get("experiment_id").asText(),
          user.name(), Permission.MANAGE.name());
      case "registered-models/create" -> grantModel(user, r.string("name"));
      case "model-versions/create" -> {
        if (!modelExisted) {
          grantModel(user, r.string("name"));
        }
      }
      case "registered-models/rename" -> modelRenamed(r.string("name"), r.string("new_name"));
      case "registered-models/delete" -> access.forgetResource(AccessStore.REGISTERED_MODEL, r.string("name"));
      case "experiments/search" -> keepReadable(user, answer.get("experiments"), AccessStore.EXPERIMENT,
          "experiment_id");
      case "registered-models/search" -> keepReadable(user, answer.get("registered_models"),
          AccessStore.REGISTERED_MODEL, "name");
      case "model-versions/search" -> keepReadable(user, answer.get("model_versions"), AccessStore.REGISTERED_MODEL,
          "name");
      default -> { }
    }
  }

  /** Moves the permissions granted on a registered model to its new name, after a rename. */
  public void modelRenamed(String oldName, String newName) {
    access.renameResource(AccessStore.REGISTERED_MODEL, oldName, newName);
  }

  /** Whether a registered model exists, for the calls that create one with their first version. */
  public boolean modelExists(String name) {
    try {
      registry.model(name);
      return true;
    } catch (NotFoundException | dev.mlops.core.InvalidInputException e) {
      return false;
    }
  }

  /** Refuses writing to a run of an experiment the user may not edit. */
  public void checkRun(Users.User user, String runId) {
    if (user.role() != Role.ADMIN) {
      requireRun(user, runId, Permission.EDIT);
    }
  }

  /** Refuses reading (or editing) a registered model the user may not. */
  public void checkModel(Users.User user, String name, boolean reads) {
    if (user.role() != Role.ADMIN) {
      require(user, AccessStore.REGISTERED_MODEL, name, reads ? Permission.READ : Permission.EDIT);
    }
  }

  /** Grants the creator of a model MANAGE on it. */
  public void grantModel(Users.User user, String name) {
    access.setPermission(AccessStore.REGISTERED_MODEL, name, user.name(), Permission.MANAGE.name());
  }

  private void keepReadable(Users.User user, JsonNode list, String kind, String idField) {
    if (user.role() == Role.ADMIN || !(list instanceof ArrayNode items)) {
      return;
    }
    for (Iterator<JsonNode> it = items.iterator(); it.hasNext(); ) {
      if (!allows(user, kind, it.next().path(idField).asText(), Permission.READ)) {
        it.remove();
      }
    }
  }

  /**
   * Refuses what the user may not do on an experiment ({@link AccessStore#EXPERIMENT}) or a
   * registered model ({@link AccessStore#REGISTERED_MODEL}).
   *
   * @throws ApiException 403 naming the resource, the user's permission and the one needed
   */
  public void require(Users.User user, String kind, String id, Permission needed) {
    Permission has = effective(user, kind, id);
    if (!has.allows(needed)) {
      String what = kind.equals(AccessStore.EXPERIMENT) ? "experiment " + id : "registered model '" + id + "'";
      throw new ApiException(ErrorCode.PERMISSION_DENIED, "user '" + user.name() + "' has permission " + has + " on "
          + what + " and this call needs " + needed + "; ask a user with MANAGE on it (or an admin) to grant it");
    }
  }

  /** Whether the user may do {@code needed} on an experiment or a registered model. */
  public boolean allows(Users.User user, String kind, String id, Permission needed) {
    return effective(user, kind, id).allows(needed);
  }

  /**
   * Refuses what the user may not do on a run's experiment; a run that does not exist is left
   * to the caller's own not-found answer.
   */
  public void requireRun(Users.User user, String runId, Permission needed) {
    store.run(runId).ifPresent(run -> require(user, AccessStore.EXPERIMENT, run.experimentId(), needed));
  }

  private Permission effective(Users.User user, String kind, String id) {
    if (user.role() == Role.ADMIN) {
      return Permission.MANAGE;
    }
    Permission granted = access.permission(kind, id, user.name()).map(Permission::valueOf).orElse(defaultPermission);
    return user.role() == Role.READER && granted.allows(Permission.EDIT) ? Permission.READ : granted;
  }

  // ---------------------------------------------------------------- MLflow's permission endpoints

  /** Adds {@code experiments/permissions/*} and {@code registered-models/permissions/*}. */
  public void register(Routes routes) {
    for (String kind : new String[] {AccessStore.EXPERIMENT, AccessStore.REGISTERED_MODEL}) {
      boolean experiment = kind.equals(AccessStore.EXPERIMENT);
      String prefix = experiment ? "experiments/permissions/" : "registered-models/permissions/";
      String idField = experiment ? "experiment_id" : "name";
      String message = experiment ? "experiment_permission" : "registered_model_permission";
      routes.post(prefix + "create", r -> grant(r, kind, idField, message))
          .patch(prefix + "update", r -> grant(r, kind, idField, message))
          .get(prefix + "get", r -> {
            String id = resource(r, kind, idField);
            String user = r.string("username");
            Permission p = access.permission(kind, id, user).map(Permission::valueOf).orElseThrow(() ->
                new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "user '" + user + "' has no permission granted on "
                    + id));
            return permissionAnswer(message, idField, id, user, p);
          })
          .delete(prefix + "delete", r -> {
            String id = resource(r, kind, idField);
            String user = r.string("username");
            if (!access.deletePermission(kind, id, user)) {
              throw new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "user '" + user + "' has no permission"
                  + " granted on " + id);
            }
            return Wire.object();
          });
    }
  }

  private ObjectNode grant(ApiRequest r, String kind, String idField, String message) {
    String id = resource(r, kind, idField);
    String user = Users.checkName(r.string("username"));
    String text = r.string("permission");
    Permission p;
    try {
      p = Permission.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("permission", "expected READ, EDIT, MANAGE or NO_PERMISSIONS; got '"
          + ApiRequest.abbreviate(text) + "'");
    }
    access.setPermission(kind, id, user, p.name());
    return permissionAnswer(message, idField, id, user, p);
  }

  // The resource a permission call names, which must exist.
  private String resource(ApiRequest r, String kind, String idField) {
    String id = r.string(idField);
    if (kind.equals(AccessStore.EXPERIMENT)) {
      Optional<ExperimentRow> row = store.experimentById(id);
      return row.orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No Experiment with id="
          + id + " exists")).id();
    }
    return registry.model(id).name();
  }

  private static ObjectNode permissionAnswer(String message, String idField, String id, String user, Permission p) {
    ObjectNode out = Wire.object();
    ObjectNode body = out.putObject(message);
    body.put(idField, id);
    body.put("username", user);
    body.put("permission", p.name());
    return out;
  }
}
