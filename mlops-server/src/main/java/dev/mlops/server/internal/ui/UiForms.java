package dev.mlops.server.internal.ui;

import dev.mlops.core.Names;
import dev.mlops.server.Permission;
import dev.mlops.server.internal.ApiException;
import dev.mlops.server.internal.ErrorCode;
import dev.mlops.server.internal.ResourceAccess;
import dev.mlops.server.internal.TrackingApi;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.StoredText;
import dev.mlops.tracking.internal.TrackingStore;
import java.time.Clock;
import java.util.Map;

/**
 * The UI's forms that change the store, each by the permission the REST API needs for the same
 * change: EDIT on the experiment to rename it, tag it, or rename or tag one of its runs, MANAGE
 * to delete or restore a run; EDIT on a registered model to move or remove an alias, tag a
 * version or edit a description, MANAGE to rename it. The handler has already checked the
 * user's role and the form's CSRF token; the values are checked here as the API checks them.
 *
 * <pre>{@code
 * String next = forms.act(request);   // POST /ui/runs/<id>/rename name=… → "/ui/runs/<id>"
 * }</pre>
 */
final class UiForms {
  private final Tracker tracker;
  private final TrackingStore store;
  private final ResourceAccess resources;
  private final Clock clock;

  UiForms(Tracker tracker, TrackingStore store, ResourceAccess resources, Clock clock) {
    this.tracker = tracker;
    this.store = store;
    this.resources = resources;
    this.clock = clock;
  }

  /** Runs a form's change and says where to go next. */
  String act(UiRequest r) {
    String[] parts = r.path().split("/", -1);
    if (parts.length == 3 && parts[0].equals("runs")) {
      return run(parts[1], parts[2], r);
    }
    if (parts.length == 3 && parts[0].equals("experiments")) {
      return experiment(parts[1], parts[2], r);
    }
    if (parts.length == 3 && parts[0].equals("models")) {
      return model(parts[1], parts[2], r);
    }
    if (parts.length == 5 && parts[0].equals("models") && parts[2].equals("versions")) {
      return version(parts[1], UiHandler.version(parts[3]), parts[4], r);
    }
    throw noForm(r);
  }

  private String run(String id, String action, UiRequest r) {
    String runId = tracker.getRun(id).runId();
    String back = "/ui/runs/" + Html.segment(runId);
    switch (action) {
      case "tag" -> {
        r.access().run(runId, Permission.EDIT);
        String key = StoredText.checkKey("tag", r.required("key"));
        String value = Names.checkTagValue(key, StoredText.check("tag '" + key + "' value", r.param("value", "")));
        store.setTags(runId, Map.of(key, value));
      }
      case "rename" -> {
        r.access().run(runId, Permission.EDIT);
        store.renameRun(runId, TrackingApi.checkRunName(r.required("name")));
      }
      case "delete" -> {
        r.access().run(runId, Permission.MANAGE);
        tracker.deleteRun(runId);
      }
      case "restore" -> {
        r.access().run(runId, Permission.MANAGE);
        tracker.restoreRun(runId);
      }
      default -> throw noForm(r);
    }
    return back;
  }

  private String experiment(String id, String action, UiRequest r) {
    r.access().experiment(id, Permission.EDIT);
    Experiment experiment = tracker.experimentById(id);
    switch (action) {
      case "rename" ->
          store.renameExperiment(experiment.id(), TrackingApi.checkExperimentName(r.required("name")), clock.millis());
      case "tag" -> experiment.tag(r.required("key"), r.param("value", ""));
      default -> throw noForm(r);
    }
    return "/ui/experiments/" + Html.segment(experiment.id()) + "/settings";
  }

  private String model(String model, String action, UiRequest r) {
    ModelRegistry registry = tracker.registry();
    r.access().model(model, action.equals("rename") ? Permission.MANAGE : Permission.EDIT);
    switch (action) {
      case "alias" -> registry.setAlias(model, r.required("alias"), UiHandler.version(r.required("version")));
      case "delete-alias" -> registry.deleteAlias(model, r.required("alias"));
      case "description" -> registry.setModelDescription(model, r.param("description", ""));
      case "rename" -> {
        String renamed = registry.rename(model, r.required("name")).name();
        // as the API: who could use the model under its old name keeps the same rights under the new one
        resources.modelRenamed(model, renamed);
        return "/ui/models/" + Html.segment(renamed);
      }
      default -> throw noForm(r);
    }
    return "/ui/models/" + Html.segment(model);
  }

  private String version(String model, int number, String action, UiRequest r) {
    ModelRegistry registry = tracker.registry();
    r.access().model(model, Permission.EDIT);
    switch (action) {
      case "tag" -> registry.setVersionTag(model, number, r.required("key"), r.param("value", ""));
      case "description" -> registry.setVersionDescription(model, number, r.param("description", ""));
      default -> throw noForm(r);
    }
    return "/ui/models/" + Html.segment(model) + "/versions/" + number;
  }

  /** Opens a form that posts to {@code action} with the user's token; the caller adds its fields and closes it. */
  static Html open(Html h, String id, String action, UiRequest r) {
    return h.markup("<form method=\"post\" class=\"inline\"").attribute("id", id).attribute("action", action)
        .markup(">").hidden("csrf", r.csrf());
  }

  /** A form that sets one tag, posting {@code key} and {@code value}. */
  static void tag(Html h, String id, String action, UiRequest r) {
    open(h, id, action, r).markup("<input name=\"key\" placeholder=\"tag key\" required> <input name=\"value\""
        + " placeholder=\"value\"> <button type=\"submit\">Set tag</button></form>");
  }

  /** A form that renames, posting {@code name}, filled with the current name. */
  static void rename(Html h, String id, String action, String current, UiRequest r) {
    open(h, id, action, r).markup("<input name=\"name\" required size=\"30\" aria-label=\"new name\"")
        .attribute("value", current).markup("> <button type=\"submit\">Rename</button></form>");
  }

  /** A form that replaces a description, posting {@code description}; an empty one removes it. */
  static void description(Html h, String id, String action, String current, UiRequest r) {
    open(h, id, action, r).markup("<textarea name=\"description\" rows=\"2\" cols=\"60\""
        + " aria-label=\"description\" placeholder=\"description\">").text(current)
        .markup("</textarea> <button type=\"submit\">Save description</button></form>");
  }

  private static ApiException noForm(UiRequest r) {
    return new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "the UI has no form at /ui/" + r.path());
  }
}
