package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.NotFoundException;
import dev.mlops.server.Permission;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.internal.ExperimentRow;
import dev.mlops.tracking.internal.TrackingStore;

/**
 * One experiment's own record: its id, name, times and tags, with forms to rename and tag it
 * for a user who may edit it, and links to its runs and monitoring.
 */
final class ExperimentSettings {
  private final TrackingStore store;

  ExperimentSettings(TrackingStore store) {
    this.store = store;
  }

  UiPage render(String experimentId, UiRequest r) {
    ExperimentRow e = store.experimentById(experimentId).orElseThrow(() ->
        new NotFoundException("no experiment has id '" + experimentId + "'; the experiments are"
            + " listed at /ui/"));
    ObjectNode data = Wire.object();
    data.set("experiment", Wire.experiment(e));
    String base = "/ui/experiments/" + Html.segment(e.id());
    Html h = new Html();
    h.markup("<p class=\"crumbs\">").link("/ui/", "Experiments").markup(" / ").link(base, e.name())
        .markup(" / settings</p>");
    h.markup("<dl class=\"facts\" id=\"experiment\"><dt>Id</dt><dd><code>").text(e.id()).markup("</code></dd>"
        + "<dt>Name</dt><dd id=\"experiment-name\">").text(e.name())
        .markup(e.deleted() ? " <span class=\"badge\">deleted</span>" : "").markup("</dd><dt>Created</dt><dd>")
        .text(Html.time(e.creationTime())).markup("</dd><dt>Updated</dt><dd>").text(Html.time(e.lastUpdateTime()))
        .markup("</dd></dl><p>").link(base, "Runs").markup(" \u00b7 ").link("/ui/monitoring/" + Html.segment(e.id()),
            "Monitoring").markup("</p>");
    if (r.access().mayOnExperiment(e.id(), Permission.EDIT)) {
      h.markup("<section class=\"actions\">");
      UiForms.rename(h, "rename-experiment", base + "/rename", e.name(), r);
      UiForms.tag(h, "tag-experiment", base + "/tag", r);
      h.markup("</section>");
    }
    RegistryPages.tags(h, e.tags());
    if (e.tags().isEmpty()) {
      h.element("p", "note", "No tags.");
    }
    return new UiPage("Experiment " + e.name(), h, data);
  }
}
