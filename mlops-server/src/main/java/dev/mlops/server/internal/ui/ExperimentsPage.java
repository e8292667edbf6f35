package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.internal.ExperimentSummary;
import dev.mlops.tracking.internal.TrackingStore;
import java.util.List;

/**
 * The first page: every experiment with its run count and last activity, searchable by name, each
 * with a link to its settings (tags, rename).
 */
final class ExperimentsPage {
  static final int MOST = 1000;

  private final TrackingStore store;

  ExperimentsPage(TrackingStore store) {
    this.store = store;
  }

  UiPage render(UiRequest r) {
    String q = r.param("q", "");
    boolean deleted = r.flag("deleted");
    List<ExperimentSummary> found = store.experiments(q, deleted, MOST).stream()
        .filter(s -> r.access().readsExperiment(s.experiment().id())).toList();
    ObjectNode data = Wire.object();
    ArrayNode list = data.putArray("experiments");
    Html h = new Html();
    h.markup("<form class=\"bar\" method=\"get\" action=\"/ui/\"><input type=\"search\" name=\"q\" id=\"q\""
        + " placeholder=\"search by name\"").attribute("value", q)
        .markup("><label><input type=\"checkbox\" name=\"deleted\" value=\"1\"" + (deleted ? " checked" : "")
            + "> show deleted</label><button type=\"submit\">Search</button></form>");
    h.markup("<table class=\"grid\" id=\"experiments\"><thead>").headerRow("Name", "Runs", "Last activity", "Created", "")
        .markup("</thead><tbody>");
    for (ExperimentSummary s : found) {
      ObjectNode e = Wire.experiment(s.experiment());
      e.put("run_count", s.runs());
      e.put("last_activity", s.lastActivity());
      list.add(e);
      h.markup("<tr" + (s.experiment().deleted() ? " class=\"deleted\"" : "") + "><td>")
          .link("/ui/experiments/" + Html.segment(s.experiment().id()), s.experiment().name())
          .markup(s.experiment().deleted() ? " <span class=\"badge\">deleted</span>" : "")
          .markup("</td><td class=\"num\">").text(Long.toString(s.runs())).markup("</td><td>")
          .text(Html.time(s.lastActivity())).markup("</td><td>").text(Html.time(s.experiment().creationTime()))
          .markup("</td><td>").link("/ui/experiments/" + Html.segment(s.experiment().id()) + "/settings", "settings")
          .markup("</td></tr>");
    }
    h.markup("</tbody></table>");
    if (found.isEmpty()) {
      h.element("p", "note", q.isEmpty() ? "No experiments yet: log a run with tracker.experiment(name).run(…)"
          : "No experiment name contains '" + q + "'.");
    } else if (found.size() == MOST) {
      h.element("p", "note", "Showing the " + MOST + " most recently active; narrow the search to see others.");
    }
    return new UiPage("Experiments", h, data);
  }
}
