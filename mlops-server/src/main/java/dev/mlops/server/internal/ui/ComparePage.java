package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.InvalidInputException;
import dev.mlops.server.Permission;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.RunComparison;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.SvgChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs side by side ({@code ?runs=a&runs=b}): the params that differ highlighted and the equal
 * ones named, the best value of each metric marked, each metric's histories overlaid on one
 * chart, a scatter of one param or metric against another, and parallel coordinates over the
 * numeric columns.
 */
final class ComparePage {
  static final int MOST_RUNS = 50;

  private final Tracker tracker;

  ComparePage(Tracker tracker) {
    this.tracker = tracker;
  }

  UiPage render(UiRequest r) {
    List<String> ids = r.all("runs");
    if (ids.isEmpty()) {
      throw new InvalidInputException("pick the runs to compare with the boxes in an experiment's table");
    }
    if (ids.size() > MOST_RUNS) {
      throw new InvalidInputException("compare at most " + MOST_RUNS + " runs at once; " + ids.size() + " were picked");
    }
    // one run the user may not read refuses the whole comparison rather than hiding a column
    ids.forEach(id -> r.access().run(id, Permission.READ));
    List<RunRecord> runs = new ArrayList<>();
    for (String id : ids) {
      runs.add(tracker.getRun(id));
    }
    RunComparison c = tracker.compare(runs);
    ObjectNode data = Wire.object();
    ArrayNode listed = data.putArray("runs");
    runs.forEach(run -> listed.add(Wire.run(run)));
    c.differingParams().forEach(data.putArray("differing_params")::add);
    ObjectNode equal = data.putObject("equal_params");
    c.equalParams().forEach(equal::put);
    ObjectNode best = data.putObject("best");

    Html h = new Html();
    h.markup("<table class=\"grid compare\" id=\"comparison\"><thead><tr><th></th>");
    for (int i = 0; i < runs.size(); i++) {
      h.markup("<th><span class=\"swatch c").markup(Integer.toString(i % SvgChart.PALETTE.size())).markup("\"></span> ")
          .link("/ui/runs/" + Html.segment(runs.get(i).runId()), runs.get(i).name()).markup("</th>");
    }
    h.markup("</tr></thead><tbody>");
    for (String key : c.differingParams()) {
      String first = runs.get(0).params().get(key);
      h.markup("<tr class=\"param\"><th>").text("params." + key).markup("</th>");
      for (RunRecord run : runs) {
        String v = run.params().get(key);
        h.markup(Objects.equals(v, first) ? "<td>" : "<td class=\"differs\">").text(v == null ? "-" : v)
            .markup("</td>");
      }
      h.markup("</tr>");
    }
    for (String key : c.metricKeys()) {
      Optional<String> winner = c.best(key).map(RunRecord::runId);
      winner.ifPresent(w -> best.put(key, w));
      h.markup("<tr class=\"metric\"><th>").text("metrics." + key)
          .markup(RunComparison.lowerIsBetter(key) ? " <small>(lower is better)</small>" : "").markup("</th>");
      for (RunRecord run : runs) {
        boolean isBest = winner.isPresent() && winner.get().equals(run.runId());
        h.markup(isBest ? "<td class=\"num best\" title=\"best\">" : "<td class=\"num\">")
            .text(run.metric(key).map(RunComparison::format).orElse("-")).markup(isBest ? " \u2605" : "")
            .markup("</td>");
      }
      h.markup("</tr>");
    }
    h.markup("</tbody></table>");
    if (!c.equalParams().isEmpty()) {
      StringBuilder note = new StringBuilder();
      c.equalParams().forEach((k, v) -> note.append(note.isEmpty() ? "" : ", ").append(k).append('=').append(v));
      h.markup("<p class=\"note\" id=\"equal-params\">").text(c.equalParams().size()
          + (c.equalParams().size() == 1 ? " param is" : " params are") + " equal in every run and hidden: " + note)
          .markup("</p>");
    }

    h.markup("<h2>Metrics</h2><div class=\"charts\">");
    for (String key : c.metricKeys()) {
      RunView.chart(h, ids, runs.stream().map(RunRecord::name).toList(), key);
    }
    h.markup("</div>");

    List<String> axes = new ArrayList<>();
    c.differingParams().forEach(k -> axes.add("params." + k));
    c.metricKeys().forEach(k -> axes.add("metrics." + k));
    if (axes.size() >= 2) {
      String x = r.param("x", axes.get(0));
      String y = r.param("y", axes.get(axes.size() - 1));
      h.markup("<h2>Scatter</h2><form method=\"get\" action=\"/ui/compare\" class=\"bar\" id=\"scatter-form\">");
      ids.forEach(id -> h.hidden("runs", id));
      axisSelect(h, "x", axes, x);
      axisSelect(h, "y", axes, y);
      h.markup("<button type=\"submit\">Plot</button></form><div id=\"scatter\">");
      List<SvgChart.Line> dots = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        OptionalDouble vx = value(runs.get(i), x);
        OptionalDouble vy = value(runs.get(i), y);
        if (vx.isPresent() && vy.isPresent()) {
          dots.add(new SvgChart.Line(runs.get(i).name(), SvgChart.color(i), new double[] {vx.getAsDouble()},
              new double[] {vy.getAsDouble()}));
        }
      }
      String svg = SvgChart.lines(y + " against " + x, x, dots, true, RunComparison::format);
      if (svg.isEmpty()) {
        h.element("p", "note", "Fewer than two runs have numbers for both " + x + " and " + y + ".");
      } else {
        h.markup(svg);
      }
      h.markup("</div><h2>Parallel coordinates</h2><div id=\"parallel\">");
      h.markup(parallel(runs, axes));
      h.markup("</div>");
    }
    return new UiPage("Comparing " + runs.size() + (runs.size() == 1 ? " run" : " runs"), h, data);
  }

  private static void axisSelect(Html h, String name, List<String> axes, String chosen) {
    h.markup("<label>").text(name).markup(" <select").attribute("name", name).markup(">");
    for (String a : axes) {
      h.markup("<option").attribute("value", a).markup(a.equals(chosen) ? " selected" : "").markup(">").text(a)
          .markup("</option>");
    }
    h.markup("</select></label> ");
  }

  /** A run's number for a column named params.k or metrics.k, if it has one. */
  static OptionalDouble value(RunRecord run, String column) {
    if (column.startsWith("metrics.")) {
      return run.metric(column.substring(8)).map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }
    String v = column.startsWith("params.") ? run.params().get(column.substring(7)) : null;
    if (v == null) {
      return OptionalDouble.empty();
    }
    try {
      double d = Double.parseDouble(v.strip());
      return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  // A vertical axis per numeric column, each scaled to its own range, and a line per run across them.
  private static String parallel(List<RunRecord> runs, List<String> columns) {
    List<String> numeric = columns.stream().filter(col -> runs.stream().filter(r -> value(r, col).isPresent())
        .count() >= 2).limit(12).toList();
    if (numeric.size() < 2) {
      return "<p class=\"note\">Parallel coordinates need two columns with numbers in at least two runs.</p>";
    }
    int width = Math.max(420, 130 * numeric.size());
    int height = 260;
    int top = 30;
    int bottom = 40;
    int left = 50;
    double step = (double) (width - 2 * left) / (numeric.size() - 1);
    StringBuilder out = new StringBuilder();
    out.append("<svg class=\"chart parallel\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"><title>parallel coordinates</title>");
    double[] min = new double[numeric.size()];
    double[] max = new double[numeric.size()];
    for (int a = 0; a < numeric.size(); a++) {
      String col = numeric.get(a);
      min[a] = runs.stream().map(r -> value(r, col)).filter(OptionalDouble::isPresent)
          .mapToDouble(OptionalDouble::getAsDouble).min().orElse(0);
      max[a] = runs.stream().map(r -> value(r, col)).filter(OptionalDouble::isPresent)
          .mapToDouble(OptionalDouble::getAsDouble).max().orElse(1);
      if (max[a] == min[a]) {
        max[a] += 0.5;
        min[a] -= 0.5;
      }
      double x = left + a * step;
      out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>", x,
          top, x, height - bottom));
      out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, height - bottom + 16))
          .append(Html.escape(col)).append("</text>");
      out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, top - 8))
          .append(Html.escape(RunComparison.format(max[a]))).append("</text>");
      out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, height - bottom + 30))
          .append(Html.escape(RunComparison.format(min[a]))).append("</text>");
    }
    for (int i = 0; i < runs.size(); i++) {
      StringBuilder coords = new StringBuilder();
      for (int a = 0; a < numeric.size(); a++) {
        OptionalDouble v = value(runs.get(i), numeric.get(a));
        if (v.isPresent()) {
          double y = height - bottom - (v.getAsDouble() - min[a]) / (max[a] - min[a]) * (height - top - bottom);
          coords.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + a * step, y));
        }
      }
      out.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(SvgChart.color(i))
          .append("\" points=\"").append(coords.toString().strip()).append("\"><title>")
          .append(Html.escape(runs.get(i).name())).append("</title></polyline>");
    }
    return out.append("</svg>").toString();
  }
}
