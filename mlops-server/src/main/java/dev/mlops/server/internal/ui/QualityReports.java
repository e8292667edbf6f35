package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mlops.tracking.RunComparison;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.internal.SvgChart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quality reports of an experiment's runs, as monitoring's {@code CheckReport.toJson()} writes
 * them, in the order the runs started: a table of their outcomes and current quality, each report
 * rendered in place (its conditions, and its quality on the reference beside the current data),
 * and each quality value and each condition's value charted over the successive reports with its
 * reference value and the condition's bounds.
 *
 * <pre>{@code
 * QualityReports quality = new QualityReports();
 * if (QualityReports.isReport(json)) quality.add(run, path, json);
 * quality.render(html, data.putArray("quality_reports"));
 * }</pre>
 */
final class QualityReports {
  // each quality value by the name a condition gives it, then its field in the report's JSON
  private static final Map<String, String> CLASSIFICATION = names("accuracy", "accuracy", "precision",
      "precisionMacro", "recall", "recallMacro", "f1", "f1Macro", "log_loss", "logLoss");
  private static final Map<String, String> REGRESSION = names("mae", "mae", "rmse", "rmse", "mape", "mape", "r2",
      "r2", "mean_error", "meanError", "error_std", "errorStd");
  // Condition.describe(): "≥ 0.9", "≤ 0.3" or "in [0.1, 0.2]"
  private static final Pattern AT_LEAST = Pattern.compile("\u2265 (\\S+)");
  private static final Pattern AT_MOST = Pattern.compile("\u2264 (\\S+)");
  private static final Pattern BETWEEN = Pattern.compile("in \\[(\\S+), (\\S+)\\]");

  private record Report(RunRecord run, String path, JsonNode body) {}

  /** One charted value over the reports: current, reference, and a condition's bounds. */
  private record Series(double[] current, double[] reference, double[] min, double[] max) {
    static Series of(int n) {
      return new Series(nan(n), nan(n), nan(n), nan(n));
    }
  }

  private final List<Report> reports = new ArrayList<>();

  private static Map<String, String> names(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** Whether a run's JSON artifact is a quality report: an outcome, its conditions, its features' drift. */
  static boolean isReport(JsonNode body) {
    return body.path("passed").isBoolean() && body.path("conditions").isArray() && body.path("drift").isObject();
  }

  void add(RunRecord run, String path, JsonNode body) {
    reports.add(new Report(run, path, body));
  }

  int size() {
    return reports.size();
  }

  /** Appends the section to the page and each report, as it was logged, to {@code listed}. */
  void render(Html h, ArrayNode listed) {
    if (reports.isEmpty()) {
      return;
    }
    List<String> shown = new ArrayList<>();
    for (Report rep : reports) {
      qualityValues(rep.body).forEach((name, field) -> {
        if (!shown.contains(name)) {
          shown.add(name);
        }
      });
    }
    h.markup("<h2>Quality reports</h2><table class=\"grid\" id=\"quality-reports\"><thead><tr>");
    for (String head : List.of("#", "Run", "Report", "Outcome", "Conditions")) {
      h.element("th", "", head);
    }
    shown.forEach(name -> h.element("th", "", name));
    h.markup("</tr></thead><tbody>");
    for (int i = 0; i < reports.size(); i++) {
      Report rep = reports.get(i);
      listed.addObject().put("run_id", rep.run.runId()).put("path", rep.path).set("report", rep.body);
      JsonNode conditions = rep.body.path("conditions");
      int passed = 0;
      for (JsonNode c : conditions) {
        passed += c.path("passed").asBoolean() ? 1 : 0;
      }
      h.markup("<tr><td class=\"num\">").text(Integer.toString(i + 1)).markup("</td><td>")
          .link("/ui/runs/" + Html.segment(rep.run.runId()), rep.run.name()).markup("</td><td>")
          .link("/ui/runs/" + Html.segment(rep.run.runId()) + "/artifacts/" + Html.urlPath(rep.path), rep.path)
          .markup("</td><td>");
      outcome(h, rep.body.path("passed").asBoolean());
      h.markup("</td><td class=\"num\">").text(passed + " of " + conditions.size() + " passed").markup("</td>");
      Map<String, String> values = qualityValues(rep.body);
      JsonNode current = current(rep.body);
      for (String name : shown) {
        h.markup("<td class=\"num\">").text(values.containsKey(name) ? number(current.path(values.get(name))) : "")
            .markup("</td>");
      }
      h.markup("</tr>");
    }
    h.markup("</tbody></table>");
    for (int i = 0; i < reports.size(); i++) {
      detail(h, i);
    }
    chart(h);
  }

  // One report in place: its conditions, then its quality on both sides; the latest one open.
  private void detail(Html h, int i) {
    Report rep = reports.get(i);
    h.markup("<details class=\"quality\"").attribute("id", "quality-" + (i + 1))
        .markup(i == reports.size() - 1 ? " open" : "").markup("><summary>")
        .text("Report " + (i + 1) + ": " + rep.run.name() + " / " + rep.path + " ");
    outcome(h, rep.body.path("passed").asBoolean());
    h.markup("</summary>");
    JsonNode conditions = rep.body.path("conditions");
    if (conditions.isEmpty()) {
      h.element("p", "note", "No condition was set on this check.");
    } else {
      h.markup("<table class=\"grid conditions\"><thead>").headerRow("Value", "Condition", "Actual", "Outcome",
          "Message").markup("</thead><tbody>");
      for (JsonNode c : conditions) {
        boolean ok = c.path("passed").asBoolean();
        h.markup(ok ? "<tr>" : "<tr class=\"failed\">").markup("<td>").text(c.path("value").asText())
            .markup("</td><td>").text(c.path("condition").asText()).markup("</td><td class=\"num\">")
            .text(number(c.path("actual"))).markup("</td><td>");
        outcome(h, ok);
        h.markup("</td><td>").text(c.path("message").asText()).markup("</td></tr>");
      }
      h.markup("</tbody></table>");
    }
    Map<String, String> values = qualityValues(rep.body);
    if (!values.isEmpty()) {
      JsonNode current = current(rep.body);
      JsonNode reference = reference(rep.body);
      h.markup("<table class=\"grid quality-values\"><thead>").headerRow("Quality", "Reference", "Current")
          .markup("</thead><tbody>");
      values.forEach((name, field) -> h.row(name, number(reference.path(field)), number(current.path(field))));
      h.markup("</tbody></table>");
    }
    h.markup("</details>");
  }

  // Each quality value, and each condition's value that is not one, over the reports.
  private void chart(Html h) {
    int n = reports.size();
    if (n < 2) {
      return;
    }
    Map<String, Series> series = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      JsonNode body = reports.get(i).body;
      JsonNode current = current(body);
      JsonNode reference = reference(body);
      for (Map.Entry<String, String> v : qualityValues(body).entrySet()) {
        Series s = series.computeIfAbsent(v.getKey(), k -> Series.of(n));
        s.current[i] = value(current.path(v.getValue()));
        s.reference[i] = value(reference.path(v.getValue()));
      }
      for (JsonNode c : body.path("conditions")) {
        Series s = series.computeIfAbsent(c.path("value").asText(), k -> Series.of(n));
        if (Double.isNaN(s.current[i])) {
          s.current[i] = value(c.path("actual"));
        }
        bounds(c.path("condition").asText(), s, i);
      }
    }
    double[] index = new double[n];
    for (int i = 0; i < n; i++) {
      index[i] = i + 1;
    }
    h.markup("<h2>Quality over the reports</h2><div class=\"charts\" id=\"quality-charts\">");
    series.forEach((name, s) -> {
      List<SvgChart.Line> lines = new ArrayList<>();
      lines.add(new SvgChart.Line("current", SvgChart.color(0), index, s.current));
      if (Arrays.stream(s.reference).anyMatch(Double::isFinite)) {
        lines.add(new SvgChart.Line("reference", SvgChart.color(2), index, s.reference));
      }
      if (Arrays.stream(s.min).anyMatch(Double::isFinite)) {
        lines.add(new SvgChart.Line("min", SvgChart.color(1), index, s.min));
      }
      if (Arrays.stream(s.max).anyMatch(Double::isFinite)) {
        lines.add(new SvgChart.Line("max", SvgChart.color(1), index, s.max));
      }
      h.markup(SvgChart.lines(name, "report", lines, false, RunComparison::format));
    });
    h.markup("</div>");
  }

  private static void bounds(String condition, Series s, int i) {
    Matcher m;
    if ((m = AT_LEAST.matcher(condition)).matches()) {
      s.min[i] = parse(m.group(1));
    } else if ((m = AT_MOST.matcher(condition)).matches()) {
      s.max[i] = parse(m.group(1));
    } else if ((m = BETWEEN.matcher(condition)).matches()) {
      s.min[i] = parse(m.group(1));
      s.max[i] = parse(m.group(2));
    }
  }

  private static double parse(String number) {
    try {
      return Double.parseDouble(number);
    } catch (NumberFormatException infiniteOrMissing) {
      return Double.NaN;
    }
  }

  // The quality values the report has, classification or regression, by name.
  private static Map<String, String> qualityValues(JsonNode body) {
    if (body.has("currentClassification") || body.has("referenceClassification")) {
      Map<String, String> present = new LinkedHashMap<>(CLASSIFICATION);
      present.values().removeIf(field -> !current(body).has(field) && !reference(body).has(field));
      return present;
    }
    if (body.has("currentRegression") || body.has("referenceRegression")) {
      return REGRESSION;
    }
    return Map.of();
  }

  private static JsonNode current(JsonNode body) {
    return body.has("currentClassification") ? body.path("currentClassification") : body.path("currentRegression");
  }

  private static JsonNode reference(JsonNode body) {
    return body.has("referenceClassification") ? body.path("referenceClassification")
        : body.path("referenceRegression");
  }

  private static void outcome(Html h, boolean passed) {
    h.markup(passed ? "<span class=\"status finished\">passed</span>" : "<span class=\"status failed\">failed</span>");
  }

  private static double value(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  // Numbers as the report wrote them; NaN and the infinities are written as text.
  private static String number(JsonNode n) {
    return n.isNumber() ? RunComparison.format(n.asDouble()) : n.isMissingNode() || n.isNull() ? "" : n.asText();
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
