package dev.mlops.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.html.HtmlEscapers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ModelCard}'s JSON as one HTML page in the drift report's house style: no
 * external script, font or style sheet, the importance as an inline SVG bar chart with the
 * standard deviation as whiskers, every value from the registry or the data escaped.
 */
final class ModelCardHtml {
  private static final int CHART_WIDTH = 640;
  private static final int ROW = 22;
  private static final int LABEL_WIDTH = 170;
  private static final int MAX_LABEL = 24;

  private ModelCardHtml() {}

  static String render(JsonNode card) {
    StringBuilder h = new StringBuilder(16_384);
    JsonNode model = card.path("model");
    String title = "Model card: " + model.path("name").asText() + " version " + model.path("version").asText();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:left;vertical-align:top}td.n{text-align:right}")
        .append(".ok{color:#1a7f37}.bad{color:#c62828;font-weight:bold}.muted{color:#666}")
        .append(".chain span.node{display:inline-block;border:1px solid #4e79a7;border-radius:4px;padding:4px 8px;")
        .append("margin:4px 0;background:#eef3f8}.chain span.arrow{margin:0 6px;color:#888}code{font-size:12px}")
        .append(".pair{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}")
        .append("</style></head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n");
    String description = model.path("description").asText();
    h.append("<p>").append(description.isEmpty() ? "<span class=\"muted\">No description in the registry.</span>"
        : esc(description)).append("</p>\n");
    h.append("<p class=\"muted\">Generated ").append(esc(card.path("generatedAt").asText())).append(" for ")
        .append(esc(card.path("uri").asText())).append("</p>\n");

    h.append("<h2>Model details</h2>\n<table><tbody>");
    row(h, "registered model", model.path("name").asText());
    row(h, "version", model.path("version").asText() + " (" + model.path("uri").asText() + ")");
    row(h, "aliases", join(model.path("aliases")));
    row(h, "registered at", model.path("registeredAt").asText());
    JsonNode pkg = card.path("package");
    row(h, "package digest", pkg.path("digest").asText());
    row(h, "model class", pkg.path("modelClass").asText());
    row(h, "package built at", pkg.path("createdAt").asText());
    row(h, "Java", pkg.path("java").asText());
    for (Iterator<Map.Entry<String, JsonNode>> it = model.path("tags").properties().iterator(); it.hasNext();) {
      Map.Entry<String, JsonNode> tag = it.next();
      row(h, "tag " + tag.getKey(), tag.getValue().asText());
    }
    h.append("</tbody></table>\n");

    h.append("<h2>Intended use</h2>\n<p>");
    String use = model.path("intendedUse").asText();
    h.append(use.isEmpty() ? "<span class=\"muted\">Not stated; set the tag " + ModelCard.INTENDED_USE_TAG
        + " on the version or the registered model.</span>" : esc(use)).append("</p>\n");

    trainingData(h, card.path("trainingData"));
    run(h, card.path("run"));
    evaluation(h, card.path("evaluation"));
    signature(h, card.path("signature"));
    importance(h, card.path("importance"));
    lineage(h, card.path("lineage"));
    status(h, card);
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void trainingData(StringBuilder h, JsonNode data) {
    h.append("<h2>Training data</h2>\n");
    if (data.path("datasets").isEmpty()) {
      h.append("<p class=\"muted\">The run recorded no data set.</p>\n");
    } else {
      h.append("<table><thead><tr><th>data set</th><th>SHA-256</th><th>context</th><th>columns</th></tr></thead><tbody>");
      for (JsonNode d : data.path("datasets")) {
        StringBuilder cols = new StringBuilder();
        for (JsonNode f : d.path("schema")) {
          cols.append(cols.length() == 0 ? "" : ", ").append(f.path("name").asText()).append(' ')
              .append(f.path("type").asText());
        }
        h.append("<tr><td>").append(esc(d.path("name").asText())).append("</td><td><code>")
            .append(esc(d.path("digest").asText())).append("</code></td><td>").append(esc(d.path("context").asText()))
            .append("</td><td>").append(esc(cols.toString())).append("</td></tr>");
      }
      h.append("</tbody></table>\n");
    }
    if (data.has("profile")) {
      h.append("<p>Profile of ").append(data.path("rows").asLong()).append(" training rows:</p>\n")
          .append("<table><thead><tr><th>column</th><th>count</th><th>missing</th><th>mean</th><th>std</th><th>min</th>")
          .append("<th>max</th><th>categories</th></tr></thead><tbody>");
      for (JsonNode c : data.path("profile")) {
        h.append("<tr><td>").append(esc(c.path("column").asText())).append("</td><td class=\"n\">")
            .append(c.path("count").asLong()).append("</td><td class=\"n\">").append(c.path("missing").asLong());
        for (String f : new String[] {"mean", "std", "min", "max"}) {
          h.append("</td><td class=\"n\">").append(c.has(f) ? number(c.path(f).doubleValue()) : "");
        }
        h.append("</td><td class=\"n\">").append(c.has("categories") ? c.path("categories").asText() : "")
            .append("</td></tr>");
      }
      h.append("</tbody></table>\n");
    }
  }

  private static void run(StringBuilder h, JsonNode run) {
    h.append("<h2>Training run</h2>\n");
    if (run.isMissingNode()) {
      h.append("<p class=\"muted\">The version was registered from a file; no run of this tracker logged it.</p>\n");
      return;
    }
    h.append("<p>Run <code>").append(esc(run.path("id").asText())).append("</code> (")
        .append(esc(run.path("name").asText())).append(", ").append(esc(run.path("status").asText())).append(")</p>\n");
    h.append("<div class=\"pair\"><table><thead><tr><th>param</th><th>value</th></tr></thead><tbody>");
    run.path("params").properties().forEach(e -> row(h, e.getKey(), e.getValue().asText()));
    h.append("</tbody></table>\n<table><thead><tr><th>metric</th><th>latest value</th></tr></thead><tbody>");
    run.path("metrics").properties().forEach(e -> row(h, e.getKey(),
        e.getValue().isNumber() ? number(e.getValue().doubleValue()) : e.getValue().asText()));
    h.append("</tbody></table></div>\n");
  }

  private static void evaluation(StringBuilder h, JsonNode ev) {
    if (ev.isMissingNode()) {
      return;
    }
    JsonNode overall = ev.path("overall");
    h.append("<h2>Evaluation</h2>\n<p>On ").append(overall.path("rows").asLong()).append(" labelled rows (output ")
        .append(esc(ev.path("outputColumn").asText())).append(").</p>\n");
    h.append("<table><thead><tr><th>slice</th><th>rows</th>");
    String[] metrics = overall.has("accuracy") ? new String[] {"accuracy", "precisionMacro", "recallMacro", "f1Macro"}
        : new String[] {"mae", "rmse", "r2"};
    for (String m : metrics) {
      h.append("<th>").append(m).append("</th>");
    }
    h.append("</tr></thead><tbody>");
    qualityRow(h, "all rows", overall, metrics);
    ev.path("slices").properties().forEach(s -> s.getValue().properties().forEach(v ->
        qualityRow(h, s.getKey() + " = " + v.getKey(), v.getValue(), metrics)));
    h.append("</tbody></table>\n");
    if (overall.has("perClass")) {
      h.append("<table><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th></tr></thead><tbody>");
      overall.path("perClass").properties().forEach(e -> h.append("<tr><td>").append(esc(e.getKey()))
          .append("</td><td class=\"n\">").append(number(e.getValue().path("precision").doubleValue()))
          .append("</td><td class=\"n\">").append(number(e.getValue().path("recall").doubleValue()))
          .append("</td><td class=\"n\">").append(number(e.getValue().path("f1").doubleValue())).append("</td></tr>"));
      h.append("</tbody></table>\n");
    }
  }

  private static void qualityRow(StringBuilder h, String label, JsonNode q, String[] metrics) {
    h.append("<tr><td>").append(esc(label)).append("</td><td class=\"n\">").append(q.path("rows").asLong());
    for (String m : metrics) {
      h.append("</td><td class=\"n\">").append(q.has(m) ? number(q.path(m).doubleValue()) : "");
    }
    h.append("</td></tr>");
  }

  private static void signature(StringBuilder h, JsonNode sig) {
    JsonNode outputs = sig.path("outputs");
    h.append("<h2>Signature</h2>\n<p>Output: <code>").append(esc(outputs.path("type").asText())).append("</code>");
    if (!outputs.path("domain").isEmpty()) {
      h.append(", domain ").append(esc(join(outputs.path("domain"))));
    }
    h.append("</p>\n<table><thead><tr><th>input</th><th>type</th><th>required</th></tr></thead><tbody>");
    for (JsonNode f : sig.path("inputs")) {
      h.append("<tr><td>").append(esc(f.path("name").asText())).append("</td><td>").append(esc(f.path("type").asText()))
          .append("</td><td>").append(f.path("required").asBoolean(true) ? "yes" : "no").append("</td></tr>");
    }
    h.append("</tbody></table>\n");
  }

  /** Horizontal bars of the mean importance, most important on top, with ±1 std whiskers. */
  private static void importance(StringBuilder h, JsonNode fi) {
    h.append("<h2>Global importance</h2>\n");
    if (fi.isMissingNode()) {
      h.append("<p class=\"muted\">No importance: record one in the package, or give an evaluation frame.</p>\n");
      return;
    }
    h.append("<p>").append(esc(fi.path("method").asText())).append(" importance on ")
        .append(esc(fi.path("metric").asText()));
    if (fi.path("baseline").isNumber()) {
      h.append(" (baseline ").append(number(fi.path("baseline").doubleValue())).append(')');
    }
    h.append(", ").append(fi.path("repeats").asInt()).append(fi.path("repeats").asInt() == 1 ? " repeat" : " repeats")
        .append("; whiskers span one standard deviation, and a negative mean (the model did as well with the column")
        .append(" shuffled) is noise.</p>\n");
    JsonNode features = fi.path("features");
    double top = 0;
    for (JsonNode f : features) {
      top = Math.max(top, f.path("mean").doubleValue() + f.path("std").doubleValue());
    }
    int height = Math.max(1, features.size()) * ROW + 10;
    double plot = CHART_WIDTH - LABEL_WIDTH - 80;
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH).append("\" height=\"")
        .append(height).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"feature importance\">")
        .append("<rect x=\"0\" y=\"0\" width=\"").append(CHART_WIDTH).append("\" height=\"").append(height)
        .append("\" fill=\"#fafafa\" stroke=\"#ddd\"/>");
    int i = 0;
    for (JsonNode f : features) {
      double mean = f.path("mean").doubleValue();
      double std = f.path("std").doubleValue();
      double y = 5 + i * ROW;
      double w = top <= 0 ? 0 : Math.max(0, mean) / top * plot;
      String name = f.path("name").asText();
      String label = name.length() <= MAX_LABEL ? name : name.substring(0, MAX_LABEL - 1) + "\u2026";
      h.append("<text class=\"label\" x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(fmt(y + 15))
          .append("\" font-size=\"12\" fill=\"#333\" text-anchor=\"end\">").append(esc(label)).append("</text>");
      h.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(fmt(y + 3)).append("\" width=\"").append(fmt(w))
          .append("\" height=\"").append(ROW - 6).append("\" fill=\"#4e79a7\"><title>").append(esc(name)).append(": ")
          .append(number(mean)).append(" \u00b1 ").append(number(std)).append("</title></rect>");
      if (std > 0 && top > 0) {
        double lo = LABEL_WIDTH + Math.max(0, mean - std) / top * plot;
        double hi = LABEL_WIDTH + Math.max(0, mean + std) / top * plot;
        h.append("<line x1=\"").append(fmt(lo)).append("\" y1=\"").append(fmt(y + ROW / 2.0)).append("\" x2=\"")
            .append(fmt(hi)).append("\" y2=\"").append(fmt(y + ROW / 2.0)).append("\" stroke=\"#222\"/>");
      }
      double textX = LABEL_WIDTH + (top <= 0 ? 0 : Math.max(0, mean + std) / top * plot) + 6;
      h.append("<text class=\"label\" x=\"").append(fmt(textX)).append("\" y=\"").append(fmt(y + 15))
          .append("\" font-size=\"11\" fill=\"#444\">").append(esc(number(mean))).append("</text>");
      i++;
    }
    h.append("</svg>\n");
  }

  private static void lineage(StringBuilder h, JsonNode chain) {
    h.append("<h2>Lineage</h2>\n<p class=\"chain\">");
    boolean first = true;
    for (JsonNode link : chain) {
      if (!first) {
        h.append("<span class=\"arrow\">\u2192</span>");
      }
      first = false;
      h.append("<span class=\"node\" title=\"").append(esc(link.path("id").asText())).append("\">")
          .append(esc(link.path("kind").asText())).append(": ").append(esc(shortId(link))).append("</span>");
    }
    h.append("</p>\n");
  }

  private static String shortId(JsonNode link) {
    String id = link.path("id").asText();
    String kind = link.path("kind").asText();
    if (kind.equals("data") || kind.equals("package")) {
      return link.path("label").asText() + " " + (id.length() > 19 ? id.substring(0, 19) + "\u2026" : id);
    }
    if (kind.equals("run")) {
      // a run id begins with its start time: its random end tells runs apart
      return link.path("label").asText() + " " + (id.length() > 8 ? "\u2026" + id.substring(id.length() - 8) : id);
    }
    return id;
  }

  private static void status(StringBuilder h, JsonNode card) {
    h.append("<h2>Reproduction</h2>\n");
    JsonNode r = card.path("reproduction");
    if (r.isMissingNode()) {
      h.append("<p class=\"muted\">Not checked; pass the result of Reproduction.of(pkg).run().</p>\n");
    } else {
      boolean ok = r.path("status").asText().equals("REPRODUCED");
      h.append("<p class=\"").append(ok ? "ok" : "bad").append("\">").append(esc(r.path("status").asText()))
          .append("</p><p>").append(esc(r.path("reason").asText())).append("</p>\n");
    }
    drift(h, card.path("drift"));
    quality(h, card.path("quality"));
  }

  private static void drift(StringBuilder h, JsonNode d) {
    h.append("<h2>Latest drift</h2>\n");
    if (d.isMissingNode()) {
      h.append("<p class=\"muted\" id=\"no-drift\">No drift report is logged on the version's run or given.</p>\n");
      return;
    }
    h.append("<p class=\"").append(d.path("datasetDrift").asBoolean() ? "bad" : "ok").append("\" id=\"drift-summary\">")
        .append(esc(d.path("summary").asText())).append("</p>\n");
    source(h, d);
    JsonNode columns = d.path("driftedColumns");
    if (columns.isEmpty()) {
      h.append("<p>No column drifted.</p>\n");
      return;
    }
    boolean weighed = d.has("driftedImportanceShare");
    if (weighed) {
      h.append("<p>Drifted columns carry ").append(esc(pct(d.path("driftedImportanceShare")))).append(" of the importance.</p>");
    }
    h.append("<table id=\"drifted-columns\"><tr><th>Drifted column</th><th>Test</th><th>Statistic</th><th>p-value</th>")
        .append("<th>Threshold</th>").append(weighed ? "<th>Importance share</th>" : "").append("</tr>");
    for (JsonNode c : columns) {
      h.append("<tr><td>").append(esc(c.path("column").asText())).append("</td><td>").append(esc(c.path("test").asText()))
          .append("</td><td>").append(esc(value(c.path("statistic")))).append("</td><td>")
          .append(esc(value(c.path("pValue")))).append("</td><td>").append(esc(value(c.path("threshold"))))
          .append("</td>");
      if (weighed) {
        h.append("<td>").append(esc(pct(c.path("importanceShare")))).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>\n");
  }

  private static void quality(StringBuilder h, JsonNode q) {
    h.append("<h2>Latest quality check</h2>\n");
    if (q.isMissingNode()) {
      h.append("<p class=\"muted\" id=\"no-quality\">No quality check is logged on the version's run or given.</p>\n");
      return;
    }
    h.append("<p id=\"quality-outcome\" class=\"").append(q.path("passed").asBoolean() ? "ok\">passed" : "bad\">failed")
        .append("</p>\n");
    source(h, q);
    JsonNode checks = q.path("checks");
    if (checks.isEmpty()) {
      h.append("<p class=\"muted\">No condition was set on this check.</p>\n");
      return;
    }
    h.append("<table id=\"quality-checks\"><tr><th>Value</th><th>Condition</th><th>Actual</th><th>Outcome</th>")
        .append("<th>Message</th></tr>");
    for (JsonNode c : checks) {
      boolean ok = c.path("passed").asBoolean();
      h.append("<tr><td>").append(esc(c.path("value").asText())).append("</td><td>")
          .append(esc(c.path("condition").asText())).append("</td><td>").append(esc(value(c.path("actual"))))
          .append("</td><td class=\"").append(ok ? "ok\">passed" : "bad\">failed").append("</td><td>")
          .append(esc(c.path("message").asText())).append("</td></tr>");
    }
    h.append("</table>\n");
  }

  private static void source(StringBuilder h, JsonNode section) {
    JsonNode s = section.path("source");
    if (s.isObject()) {
      h.append("<p class=\"muted\">Logged on run <code>").append(esc(s.path("runId").asText()))
          .append("</code> as <code>").append(esc(s.path("path").asText())).append("</code>.</p>\n");
    }
  }

  // a report writes NaN and the infinities as null
  private static String value(JsonNode n) {
    return n.isNumber() ? number(n.asDouble()) : n.isMissingNode() ? "" : "n/a";
  }

  private static String pct(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f%%", 100 * n.asDouble()) : "";
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  private static String join(JsonNode array) {
    StringBuilder b = new StringBuilder();
    array.forEach(v -> b.append(b.length() == 0 ? "" : ", ").append(v.asText()));
    return b.length() == 0 ? "none" : b.toString();
  }

  /** Four significant digits without trailing zeros. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return v == 0 ? "0" : new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String esc(String s) {
    return HtmlEscapers.htmlEscaper().escape(s);
  }
}
