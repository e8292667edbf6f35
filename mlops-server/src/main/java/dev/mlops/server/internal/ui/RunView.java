package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Field;
import dev.mlops.server.Permission;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunComparison;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run: its params, tags and system tags, a chart per metric, data set inputs, artifacts,
 * logged and registered model packages, its parent and children, and forms to rename, tag,
 * delete or restore it for a user who may.
 */
final class RunView {
  private static final int MOST_CHILDREN = 200;

  private final Tracker tracker;

  RunView(Tracker tracker) {
    this.tracker = tracker;
  }

  /** Whether a tag is one the library or MLflow sets rather than the user. */
  static boolean isSystemTag(String key) {
    return key.startsWith("mlops.") || key.startsWith("mlflow.");
  }

  UiPage render(String runId, UiRequest r) {
    RunRecord run = tracker.getRun(runId);
    String experimentName = tracker.experimentById(run.experimentId()).name();
    ObjectNode data = Wire.object();
    data.set("run", Wire.run(run));
    Html h = new Html();
    String runPath = "/ui/runs/" + Html.segment(runId);
    h.markup("<p class=\"crumbs\">").link("/ui/experiments/" + Html.segment(run.experimentId()), experimentName)
        .markup(" / ").text(run.name()).markup("</p>");
    h.markup("<dl class=\"facts\"><dt>Run id</dt><dd><code>").text(runId).markup("</code></dd><dt>Status</dt><dd>")
        .markup("<span class=\"status ").text(run.status().name().toLowerCase(Locale.ROOT)).markup("\">")
        .text(run.status().name()).markup("</span>").markup(run.deleted() ? " <span class=\"badge\">deleted</span>" : "")
        .markup("</dd><dt>Started</dt><dd>").text(Html.time(run.startTime())).markup("</dd>");
    if (run.endTime().isPresent()) {
      h.markup("<dt>Ended</dt><dd>").text(Html.time(run.endTime().getAsLong()) + " (after "
          + RunsTable.duration(run.endTime().getAsLong() - run.startTime()) + ")").markup("</dd>");
    }
    String parent = run.parentRunId().orElse(run.tags().get(Run.TAG_PARENT_RUN_ID));
    if (parent != null) {
      h.markup("<dt>Parent</dt><dd id=\"parent\">");
      try {
        h.link("/ui/runs/" + Html.segment(parent), tracker.getRun(parent).name());
      } catch (RuntimeException gone) {
        h.text(parent + " (not found)");
      }
      h.markup("</dd>");
    }
    List<RunRecord> children = tracker.search(tracker.experimentById(run.experimentId()))
        .filter("tags.`" + Run.TAG_PARENT_RUN_ID + "` = '" + runId + "'").limit(MOST_CHILDREN).list();
    if (!children.isEmpty()) {
      h.markup("<dt>Children</dt><dd id=\"children\">");
      ArrayNode kids = data.putArray("children");
      for (int i = 0; i < children.size(); i++) {
        h.markup(i == 0 ? "" : ", ").link("/ui/runs/" + Html.segment(children.get(i).runId()), children.get(i).name());
        kids.add(children.get(i).runId());
      }
      h.markup("</dd>");
    }
    h.markup("</dl>");

    // only the forms the user may submit, by the permission the API needs on the run's experiment
    boolean edits = r.access().mayOnExperiment(run.experimentId(), Permission.EDIT);
    boolean manages = r.access().mayOnExperiment(run.experimentId(), Permission.MANAGE);
    if (edits || manages) {
      h.markup("<section class=\"actions\">");
      if (edits) {
        UiForms.rename(h, "rename-run", runPath + "/rename", run.name(), r);
        UiForms.tag(h, "tag-run", runPath + "/tag", r);
      }
      if (manages) {
        UiForms.open(h, "delete-form", runPath + (run.deleted() ? "/restore" : "/delete"), r)
            .markup("<button type=\"submit\" id=\"delete-run\">").text(run.deleted() ? "Restore run" : "Delete run")
            .markup("</button></form>");
      }
      h.markup("</section>");
    }

    Map<String, String> userTags = new TreeMap<>();
    Map<String, String> systemTags = new TreeMap<>();
    run.tags().forEach((k, v) -> (isSystemTag(k) ? systemTags : userTags).put(k, v));
    keyValues(h, "Params", "params", run.params());
    keyValues(h, "Tags", "tags", userTags);

    h.markup("<h2>Metrics</h2>");
    if (run.metrics().isEmpty()) {
      h.element("p", "note", "No metrics logged.");
    } else {
      h.markup("<table class=\"grid\" id=\"metrics\"><thead>").headerRow("Metric", "Latest", "Step", "Logged")
          .markup("</thead><tbody>");
      for (Map.Entry<String, Metric> m : run.metrics().entrySet()) {
        h.row(m.getKey(), RunComparison.format(m.getValue().value()), Long.toString(m.getValue().step()),
            Html.time(m.getValue().timestamp()));
      }
      h.markup("</tbody></table><div class=\"charts\">");
      for (String key : run.metrics().keySet()) {
        chart(h, List.of(runId), List.of(run.name()), key);
      }
      h.markup("</div>");
    }

    h.markup("<h2>Data sets</h2>");
    if (run.datasets().isEmpty()) {
      h.element("p", "note", "No data set inputs logged.");
    } else {
      h.markup("<table class=\"grid\" id=\"datasets\"><thead>").headerRow("Name", "Context", "Digest", "Columns")
          .markup("</thead><tbody>");
      for (DatasetInput d : run.datasets()) {
        h.row(d.name(), d.context(), d.digest().toString(), d.schemaIfKnown()
            .map(s -> String.join(", ", s.fields().stream().map(f -> f.name() + " " + f.type()).toList()))
            .orElse(""));
      }
      h.markup("</tbody></table>");
    }

    h.markup("<h2>Artifacts</h2>");
    if (run.artifacts().isEmpty()) {
      h.element("p", "note", "No artifacts logged.");
    } else {
      h.markup("<table class=\"grid\" id=\"artifacts\"><thead>").headerRow("Path", "Size", "SHA-256")
          .markup("</thead><tbody>");
      for (ArtifactInfo a : run.artifacts()) {
        h.markup("<tr><td>").link(runPath + "/artifacts/" + Html.urlPath(a.path()), a.path())
            .markup("</td><td class=\"num\">").text(ArtifactView.size(a.size())).markup("</td><td><code>")
            .text(a.sha256().toString()).markup("</code></td></tr>");
      }
      h.markup("</tbody></table>");
    }

    List<ModelVersion> versions = tracker.registry().versionsOfRun(runId).stream()
        .filter(v -> r.access().readsModel(v.modelName())).toList();
    List<ArtifactInfo> packages = run.artifacts().stream().filter(a -> a.path().endsWith(".mlpkg")
        || a.path().endsWith("/" + ModelRegistry.PACKAGE_FILE)).toList();
    if (!versions.isEmpty() || !packages.isEmpty()) {
      h.markup("<h2>Models</h2><table class=\"grid\" id=\"models\"><thead>")
          .headerRow("Package", "Digest", "Registered as", "Signature").markup("</thead><tbody>");
      ArrayNode listed = data.putArray("model_versions");
      for (ModelVersion v : versions) {
        listed.add(Wire.modelVersion(v));
        h.markup("<tr><td>").text(v.artifactName().orElse("")).markup("</td><td><code>")
            .text(v.packageDigest().toString()).markup("</code></td><td>")
            .link("/ui/models/" + Html.segment(v.modelName()) + "/versions/" + v.version(), v.modelName() + " v" + v.version())
            .markup("</td><td>").text(signature(v)).markup("</td></tr>");
      }
      for (ArtifactInfo a : packages) {
        if (versions.stream().noneMatch(v -> v.artifactName().filter(n -> a.path().startsWith(n)).isPresent())) {
          h.markup("<tr><td>").link(runPath + "/artifacts/" + Html.urlPath(a.path()), a.path())
              .markup("</td><td><code>").text(a.sha256().toString()).markup("</code></td><td>not registered</td>"
                  + "<td></td></tr>");
        }
      }
      h.markup("</tbody></table>");
    }
    keyValues(h, "System tags", "system-tags", systemTags);
    return new UiPage(run.name(), h, data);
  }

  static String signature(ModelVersion v) {
    List<Field> fields = v.signature().inputs().fields();
    return fields.stream().map(f -> f.name() + " " + f.type()).limit(20).reduce((a, b) -> a + ", " + b).orElse("")
        + (fields.size() > 20 ? ", \u2026" : "") + " \u2192 " + v.signature().outputType();
  }

  private static void keyValues(Html h, String title, String id, Map<String, String> values) {
    h.element("h2", "", title);
    if (values.isEmpty()) {
      h.element("p", "note", "None.");
      return;
    }
    h.markup("<table class=\"grid kv\" id=\"").markup(id).markup("\"><tbody>");
    values.forEach((k, v) -> h.markup("<tr><th>").text(k).markup("</th><td>").text(v).markup("</td></tr>"));
    h.markup("</tbody></table>");
  }

  /** A placeholder the page's script fills with a chart of this metric of these runs. */
  static void chart(Html h, List<String> runIds, List<String> names, String key) {
    h.markup("<figure class=\"chart\"").attribute("data-runs", String.join(",", runIds)).attribute("data-key", key)
        .attribute("data-names", String.join(",", names.stream().map(n -> n.replace(",", " ")).toList()))
        .markup("><figcaption>").text(key).markup(" <label><input type=\"checkbox\" class=\"log\"> log scale</label>"
            + " <label><input type=\"checkbox\" class=\"by-time\"> over time</label></figcaption>"
            + "<div class=\"plot\"></div></figure>");
  }
}
