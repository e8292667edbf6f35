package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.RunComparison;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.SvgChart;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drift and quality reports logged on an experiment's runs: their HTML pages shown in place
 * (sandboxed), each column's drift statistic over successive drift reports as a chart, and the
 * quality reports rendered in place with their quality values charted over successive reports
 * ({@link QualityReports}). A drift report is a run's JSON artifact with {@code drift},
 * {@code quality} or {@code check} in its name, as {@code DriftReport.toJson()} writes it; a
 * quality report one of the same names as {@code CheckReport.toJson()} writes it.
 */
final class MonitoringPage {
  private static final int MOST_RUNS = 1000;
  private static final int MOST_REPORTS = 200;

  private final Tracker tracker;
  private final ObjectMapper json;

  MonitoringPage(Tracker tracker, ObjectMapper json) {
    this.tracker = tracker;
    this.json = json;
  }

  private record Report(RunRecord run, String path, JsonNode body) {}

  UiPage render(String experimentId) {
    Experiment experiment = tracker.experimentById(experimentId);
    List<RunRecord> runs = tracker.search(experiment).orderBy("attributes.start_time ASC").limit(MOST_RUNS).list();
    List<Report> reports = new ArrayList<>();
    QualityReports quality = new QualityReports();
    List<String[]> pages = new ArrayList<>();
    for (RunRecord run : runs) {
      for (ArtifactInfo a : run.artifacts()) {
        String name = a.path().toLowerCase(Locale.ROOT);
        String ext = ArtifactView.extension(name);
        boolean report = name.contains("drift") || name.contains("quality") || name.contains("check");
        if (report && ext.equals("json") && a.size() <= ArtifactView.MAX_PREVIEW
            && reports.size() + quality.size() < 2 * MOST_REPORTS) {
          try {
            JsonNode body = json.readTree(tracker.readArtifact(run.runId(), a.path()));
            if (body.path("columns").isArray() && body.has("datasetDrift") && reports.size() < MOST_REPORTS) {
              reports.add(new Report(run, a.path(), body));
            } else if (QualityReports.isReport(body) && quality.size() < MOST_REPORTS) {
              quality.add(run, a.path(), body);
            }
          } catch (IOException notJson) {
            // a file named like a report that is not one is not shown
          }
        } else if (report && (ext.equals("html") || ext.equals("htm")) && pages.size() < MOST_REPORTS) {
          pages.add(new String[] {run.runId(), run.name(), a.path()});
        }
      }
    }
    ObjectNode data = Wire.object();
    ArrayNode listed = data.putArray("drift_reports");
    Html h = new Html();
    h.markup("<p class=\"crumbs\">").link("/ui/experiments/" + Html.segment(experimentId), experiment.name())
        .markup(" / monitoring \u00b7 ").link("/ui/experiments/" + Html.segment(experimentId) + "/settings", "settings")
        .markup("</p>");
    if (reports.isEmpty() && quality.size() == 0 && pages.isEmpty()) {
      h.element("p", "note", "No drift or quality report is logged on this experiment's runs. Log one with"
          + " run.text(\"drift-report.json\", report.toJson()) or run.text(\"quality-report.json\","
          + " check.toJson()), and its HTML beside it.");
      return new UiPage("Monitoring: " + experiment.name(), h, data);
    }
    if (!reports.isEmpty()) {
      drift(h, reports, listed);
    }
    quality.render(h, data.putArray("quality_reports"));
    if (!pages.isEmpty()) {
      h.markup("<h2>Reports</h2>");
      for (String[] page : pages) {
        h.markup("<h3>").link("/ui/runs/" + Html.segment(page[0]), page[1]).markup(" / ").text(page[2])
            .markup("</h3><iframe class=\"report\" sandbox title=\"report\"")
            .attribute("src", "/ui/runs/" + Html.segment(page[0]) + "/raw/" + Html.urlPath(page[2]))
            .markup("></iframe>");
      }
    }
    return new UiPage("Monitoring: " + experiment.name(), h, data);
  }

  // The drift reports' table, and each column's drift statistic over them beside its threshold.
  private static void drift(Html h, List<Report> reports, ArrayNode listed) {
    Map<String, double[]> statistics = new LinkedHashMap<>();
    Map<String, double[]> thresholds = new LinkedHashMap<>();
    h.markup("<h2>Drift reports</h2><table class=\"grid\" id=\"drift-reports\"><thead>")
        .headerRow("#", "Run", "Report", "Dataset drift", "Drifted columns").markup("</thead><tbody>");
    for (int i = 0; i < reports.size(); i++) {
      Report rep = reports.get(i);
      ObjectNode entry = listed.addObject();
      entry.put("run_id", rep.run.runId());
      entry.put("path", rep.path);
      entry.set("report", rep.body);
      boolean drift = rep.body.path("datasetDrift").asBoolean();
      h.markup("<tr><td class=\"num\">").text(Integer.toString(i + 1)).markup("</td><td>")
          .link("/ui/runs/" + Html.segment(rep.run.runId()), rep.run.name()).markup("</td><td>")
          .link("/ui/runs/" + Html.segment(rep.run.runId()) + "/artifacts/" + Html.urlPath(rep.path), rep.path)
          .markup("</td><td>").markup(drift ? "<span class=\"status failed\">drift</span>"
              : "<span class=\"status finished\">no drift</span>").markup("</td><td class=\"num\">")
          .text(RunComparison.format(100 * rep.body.path("driftedShare").asDouble()) + "%").markup("</td></tr>");
      for (JsonNode col : rep.body.path("columns")) {
        String column = col.path("column").asText();
        double[] s = statistics.computeIfAbsent(column, k -> filled(reports.size()));
        double[] t = thresholds.computeIfAbsent(column, k -> filled(reports.size()));
        s[i] = col.path("statistic").isNumber() ? col.path("statistic").asDouble() : Double.NaN;
        t[i] = col.path("threshold").isNumber() ? col.path("threshold").asDouble() : Double.NaN;
      }
    }
    h.markup("</tbody></table>");
    if (reports.size() >= 2) {
      double[] index = new double[reports.size()];
      for (int i = 0; i < index.length; i++) {
        index[i] = i + 1;
      }
      h.markup("<h2>Drift by column over the reports</h2><div class=\"charts\" id=\"drift-charts\">");
      statistics.forEach((column, s) -> h.markup(SvgChart.lines(column, "report", List.of(
          new SvgChart.Line("statistic", SvgChart.color(0), index, s),
          new SvgChart.Line("threshold", SvgChart.color(1), index, thresholds.get(column))), false,
          RunComparison::format)));
      h.markup("</div>");
    }
  }

  private static double[] filled(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, Double.NaN);
    return a;
  }
}
