package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.FilterSyntaxException;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunComparison;
import dev.mlops.tracking.RunPage;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunSearch;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.TrackingStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runs of an experiment, a page at a time: chosen param and metric columns (kept in the
 * URL as {@code p} and {@code m}), sorting by any column, our search grammar in the filter box,
 * nested runs under their parent, and boxes to pick runs to compare.
 */
final class RunsTable {
  // 50 rows fill a screen or two and load in tens of milliseconds from an experiment of any size
  static final int DEFAULT_SIZE = 50;
  static final int MAX_SIZE = 1000;
  private static final int DEFAULT_COLUMNS = 6;

  private final Tracker tracker;
  private final TrackingStore store;

  RunsTable(Tracker tracker, TrackingStore store) {
    this.tracker = tracker;
    this.store = store;
  }

  UiPage render(String experimentId, UiRequest r) {
    Experiment experiment = tracker.experimentById(experimentId);
    String filter = r.param("filter", "");
    String order = r.param("order", "attributes.start_time DESC");
    int size = r.integer("size", DEFAULT_SIZE, MAX_SIZE);
    String token = r.param("page_token", null);
    boolean deleted = r.flag("deleted");
    ObjectNode data = Wire.object();
    data.set("experiment", Wire.experiment(store.experimentById(experimentId).orElseThrow()));
    Html h = new Html();
    String base = "/ui/experiments/" + Html.segment(experimentId);
    List<RunRecord> runs = List.of();
    String next = null;
    FilterSyntaxException syntax = null;
    try {
      RunSearch search = tracker.search(experiment).filter(filter).orderBy(order).limit(size).includeDeleted(deleted);
      if (token != null) {
        search.pageToken(token);
      }
      RunPage page = search.page();
      runs = page.runs();
      next = page.nextPageToken().orElse(null);
    } catch (FilterSyntaxException e) {
      syntax = e;
    }
    List<String> params = columns(r.all("p"), runs, true);
    List<String> metrics = columns(r.all("m"), runs, false);

    h.markup("<form class=\"bar\" id=\"search\" method=\"get\"").attribute("action", base).markup(">")
        .markup("<input type=\"text\" name=\"filter\" id=\"filter\" size=\"60\" spellcheck=\"false\""
            + " placeholder=\"metrics.acc > 0.9 and params.lr = '0.1'\"").attribute("value", filter).markup(">");
    h.hidden("order", order);
    params.forEach(p -> h.hidden("p", p));
    metrics.forEach(m -> h.hidden("m", m));
    if (deleted) {
      h.hidden("deleted", "1");
    }
    h.markup("<button type=\"submit\">Filter</button> <a href=\"").text(base).markup("\">clear</a></form>");
    if (syntax != null) {
      h.markup("<pre class=\"error\" id=\"filter-error\">").text(syntax.getMessage()).markup("</pre>");
      data.put("filter_error", syntax.getMessage());
      data.put("filter_error_position", syntax.position());
    }
    columnChooser(h, base, filter, order, runs, params, metrics);

    h.markup("<form id=\"compare\" method=\"get\" action=\"/ui/compare\"></form>");
    h.markup("<table class=\"grid runs\" id=\"runs\"><thead><tr><th><button type=\"submit\" form=\"compare\""
        + " id=\"compare-button\">Compare</button></th>");
    sortHeader(h, base, r, "Run", "attributes.run_name", order);
    sortHeader(h, base, r, "Status", "attributes.status", order);
    sortHeader(h, base, r, "Started", "attributes.start_time", order);
    h.markup("<th>Duration</th>");
    for (String p : params) {
      sortHeader(h, base, r, p, "params." + quote(p), order);
    }
    for (String m : metrics) {
      sortHeader(h, base, r, m, "metrics." + quote(m), order);
    }
    h.markup("</tr></thead><tbody>");
    ArrayNode list = data.putArray("runs");
    for (Row row : grouped(runs)) {
      RunRecord run = row.run;
      if (r.json()) {
        list.add(Wire.run(run));
      }
      h.markup("<tr" + (row.depth > 0 ? " class=\"child\"" : "") + "><td><input type=\"checkbox\" form=\"compare\""
          + " name=\"runs\" class=\"pick\"").attribute("value", run.runId()).markup("></td><td>")
          .markup(row.depth > 0 ? "<span class=\"nest\">\u21b3</span> " : "")
          .link("/ui/runs/" + Html.segment(run.runId()), run.name())
          .markup(run.deleted() ? " <span class=\"badge\">deleted</span>" : "")
          .markup("</td><td><span class=\"status ").text(run.status().name().toLowerCase(java.util.Locale.ROOT))
          .markup("\">").text(run.status().name()).markup("</span></td><td>").text(Html.time(run.startTime()))
          .markup("</td><td class=\"num\">").text(run.endTime().isPresent()
              ? duration(run.endTime().getAsLong() - run.startTime()) : "").markup("</td>");
      for (String p : params) {
        h.markup("<td>").text(run.params().getOrDefault(p, "")).markup("</td>");
      }
      for (String m : metrics) {
        h.markup("<td class=\"num\">").text(run.metric(m).map(RunComparison::format).orElse("")).markup("</td>");
      }
      h.markup("</tr>");
    }
    h.markup("</tbody></table>");
    if (runs.isEmpty() && syntax == null) {
      h.element("p", "note", filter.isEmpty() ? "This experiment has no runs yet." : "No run matches the filter.");
    }
    h.markup("<p class=\"pager\">").text(runs.size() + (runs.size() == 1 ? " run" : " runs") + " on this page ");
    if (token != null) {
      h.link(query(base, filter, order, params, metrics, deleted, null), "first page").markup(" ");
    }
    if (next != null) {
      h.markup("<a id=\"next-page\" href=\"").text(query(base, filter, order, params, metrics, deleted, next))
          .markup("\">next page \u2192</a>");
      data.put("next_page_token", next);
    }
    h.markup(" \u00b7 per page:");
    for (int choice : new int[] {DEFAULT_SIZE, 200, MAX_SIZE}) {
      h.markup(" ");
      if (choice == size) {
        h.text(Integer.toString(choice));
      } else {
        h.link(query(base, filter, order, params, metrics, deleted, null) + "&size=" + choice, Integer.toString(choice));
      }
    }
    h.markup(" \u00b7 ").link(query(base, filter, order, params, metrics, !deleted, null),
        deleted ? "hide deleted runs" : "show deleted runs");
    h.markup(" \u00b7 ").link("/ui/monitoring/" + Html.segment(experimentId), "monitoring");
    h.markup("</p>");
    return new UiPage(experiment.name(), h, data);
  }

  // The columns asked for, or the first keys found on the page.
  private static List<String> columns(List<String> chosen, List<RunRecord> runs, boolean params) {
    if (!chosen.isEmpty()) {
      return chosen;
    }
    Set<String> keys = new TreeSet<>();
    for (RunRecord run : runs) {
      keys.addAll(params ? run.params().keySet() : run.metrics().keySet());
    }
    return keys.stream().limit(DEFAULT_COLUMNS).toList();
  }

  private static void columnChooser(Html h, String base, String filter, String order, List<RunRecord> runs,
      List<String> params, List<String> metrics) {
    Set<String> allParams = new TreeSet<>(params);
    Set<String> allMetrics = new TreeSet<>(metrics);
    for (RunRecord run : runs) {
      allParams.addAll(run.params().keySet());
      allMetrics.addAll(run.metrics().keySet());
    }
    h.markup("<details class=\"columns\"><summary>Columns</summary><form method=\"get\" id=\"columns\"")
        .attribute("action", base).markup(">");
    h.hidden("filter", filter).hidden("order", order);
    h.markup("<fieldset><legend>Params</legend>");
    for (String p : allParams) {
      h.markup("<label><input type=\"checkbox\" name=\"p\"").attribute("value", p)
          .markup(params.contains(p) ? " checked" : "").markup("> ").text(p).markup("</label>");
    }
    h.markup("</fieldset><fieldset><legend>Metrics</legend>");
    for (String m : allMetrics) {
      h.markup("<label><input type=\"checkbox\" name=\"m\"").attribute("value", m)
          .markup(metrics.contains(m) ? " checked" : "").markup("> ").text(m).markup("</label>");
    }
    h.markup("</fieldset><button type=\"submit\">Show columns</button></form></details>");
  }

  private static void sortHeader(Html h, String base, UiRequest r, String label, String key, String order) {
    boolean ascending = order.equals(key + " ASC");
    boolean descending = order.equals(key + " DESC") || order.equals(key + " DESC".toLowerCase(java.util.Locale.ROOT));
    String nextOrder = key + (ascending ? " DESC" : " ASC");
    String href = query(base, r.param("filter", ""), nextOrder, r.all("p"), r.all("m"), r.flag("deleted"), null);
    h.markup("<th><a class=\"sort\"").attribute("href", href).attribute("data-key", key).markup(">").text(label)
        .markup(ascending ? " \u25b2" : descending ? " \u25bc" : "").markup("</a></th>");
  }

  static String query(String base, String filter, String order, List<String> params, List<String> metrics,
      boolean deleted, String token) {
    StringBuilder q = new StringBuilder(base).append("?filter=").append(Html.url(filter)).append("&order=")
        .append(Html.url(order));
    params.forEach(p -> q.append("&p=").append(Html.url(p)));
    metrics.forEach(m -> q.append("&m=").append(Html.url(m)));
    if (deleted) {
      q.append("&deleted=1");
    }
    if (token != null) {
      q.append("&page_token=").append(Html.url(token));
    }
    return q.toString();
  }

  private static String quote(String key) {
    return key.matches("[A-Za-z0-9_.\\-/]+") && !key.contains(" ") ? key : "`" + key.replace("`", "") + "`";
  }

  static String duration(long millis) {
    long s = millis / 1000;
    if (s < 60) {
      if (millis >= 10_000) {
        return s + "s";
      }
      // tenths rounded half up, as "%.1f" would, without a Formatter per row
      long tenths = millis >= 0 ? (millis + 50) / 100 : -((-millis + 50) / 100);
      return (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10 + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    return s / 3600 + "h " + s % 3600 / 60 + "m";
  }

  private record Row(RunRecord run, int depth) {}

  // The page's runs in their order, each nested run moved under its parent when the parent is on the page.
  private static List<Row> grouped(List<RunRecord> runs) {
    Map<String, RunRecord> byId = new LinkedHashMap<>();
    runs.forEach(run -> byId.put(run.runId(), run));
    Map<String, List<RunRecord>> children = new LinkedHashMap<>();
    List<RunRecord> roots = new ArrayList<>();
    for (RunRecord run : runs) {
      String parent = run.parentRunId().orElse(run.tags().get(Run.TAG_PARENT_RUN_ID));
      if (parent != null && byId.containsKey(parent) && !parent.equals(run.runId())) {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(run);
      } else {
        roots.add(run);
      }
    }
    List<Row> out = new ArrayList<>(runs.size());
    Set<String> placed = new LinkedHashSet<>();
    for (RunRecord root : roots) {
      place(root, 0, children, out, placed);
    }
    for (RunRecord run : runs) {
      if (!placed.contains(run.runId())) {
        place(run, 0, children, out, placed);
      }
    }
    return out;
  }

  private static void place(RunRecord run, int depth, Map<String, List<RunRecord>> children, List<Row> out,
      Set<String> placed) {
    if (!placed.add(run.runId())) {
      return;
    }
    out.add(new Row(run, depth));
    for (RunRecord child : children.getOrDefault(run.runId(), List.of())) {
      place(child, Math.min(depth + 1, 8), children, out, placed);
    }
  }
}
