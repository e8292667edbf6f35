package dev.mlops.lifecycle;

import com.google.common.html.HtmlEscapers;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link DecisionRecord} as one HTML page in the style of the drift report: no script,
 * font or style sheet from elsewhere, every value from the record escaped.
 */
final class DecisionHtml {
  private static final int BAR_WIDTH = 360;

  private DecisionHtml() {}

  static String render(DecisionRecord r) {
    StringBuilder h = new StringBuilder(8_192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Decision record: ").append(esc(r.lifecycle())).append("</title><style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}")
        .append("tr.fail td{background:#fde2e1}.ok{color:#1a7f37}.bad{color:#c62828;font-weight:bold}")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px}")
        .append(".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}")
        .append("</style></head><body>\n");
    h.append("<h1>Decision record: ").append(esc(r.lifecycle())).append("</h1>\n");
    boolean good = r.outcome() == Outcome.PROMOTED || r.outcome() == Outcome.ON_TRIAL || r.outcome() == Outcome.UNCHANGED
        || r.outcome() == Outcome.KEPT;
    h.append("<p class=\"").append(good ? "ok" : "bad").append("\"><b>").append(r.outcome()).append("</b>: ")
        .append(esc(r.reason())).append("</p>\n");
    h.append("<p>Pass run <code>").append(esc(r.passRunId())).append("</code> in experiment ")
        .append(esc(r.experiment())).append(" &middot; ").append(esc(time(r.started()))).append(" to ")
        .append(esc(r.ended() == null ? "?" : time(r.ended()))).append("</p>\n");

    if (!r.interrupted().isEmpty()) {
      h.append("<h2>Interrupted earlier</h2>\n<p class=\"bad\">");
      for (InterruptedRun i : r.interrupted()) {
        h.append("The earlier ").append(esc(i.kind())).append(" <code>").append(esc(i.runId())).append("</code> (")
            .append(esc(i.name())).append(", begun ").append(esc(time(i.started())))
            .append(") was interrupted: its process ended before it did. This pass ended it KILLED.<br>\n");
      }
      h.append("</p>\n");
    }
    h.append("<h2>Why it ran</h2>\n<p>").append(esc(r.trigger().kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')))
        .append(" trigger at ").append(esc(time(r.trigger().time()))).append(": ").append(esc(r.trigger().detail()))
        .append("</p>\n");

    if (r.dataDigest().isPresent()) {
      h.append("<h2>Data</h2>\n<p>").append(esc(r.source())).append(" &middot; ").append(r.rows()).append(" rows &middot; ")
          .append(r.columns().size()).append(" columns &middot; <code>").append(esc(r.dataDigest().get().toString()))
          .append("</code></p>\n");
      if (!r.dataChecks().isEmpty()) {
        h.append("<table><thead><tr><th>check</th><th>subject</th><th>value</th><th>threshold</th><th>verdict</th>")
            .append("<th>detail</th></tr></thead><tbody>\n");
        for (DataCheckResult c : r.dataChecks()) {
          h.append(c.passed() ? "<tr>" : "<tr class=\"fail\">").append("<td>").append(esc(c.check())).append("</td><td>")
              .append(esc(c.subject())).append("</td><td class=\"n\">").append(number(c.value())).append("</td><td>")
              .append(esc(c.threshold())).append("</td><td>").append(verdict(c.passed())).append("</td><td>")
              .append(esc(c.detail())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
      }
    }
    if (r.holdoutRows() >= 0) {
      h.append("<h2>Split</h2>\n<p>").append(r.trainRows()).append(" rows to train on, ").append(r.holdoutRows())
          .append(" held out (share ").append(number(r.holdoutShare())).append(", seed ").append(r.splitSeed())
          .append("); champion and candidate are scored on the same holdout rows.</p>\n");
    }
    if (!r.candidates().isEmpty()) {
      h.append("<h2>Candidates</h2>\n<p>Chosen by ").append(esc(r.metric()))
          .append(" on a selection slice of the training rows.</p>\n<table><thead><tr><th>trial run</th><th>settings</th>");
      List<String> metrics = r.candidates().get(0).scores().keySet().stream().toList();
      metrics.forEach(m -> h.append("<th>").append(esc(m)).append("</th>"));
      h.append("<th>chosen</th></tr></thead><tbody>\n");
      for (Candidate c : r.candidates()) {
        h.append("<tr><td><code>").append(esc(c.runId())).append("</code></td><td>").append(esc(settings(c.settings())))
            .append("</td>");
        metrics.forEach(m -> h.append("<td class=\"n\">").append(number(c.scores().getOrDefault(m, Double.NaN))).append("</td>"));
        h.append("<td>").append(c.chosen() ? "<b>yes</b>" : "").append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    if (!r.gate().isEmpty()) {
      h.append("<h2>Gate</h2>\n<table><thead><tr><th>kind</th><th>metric</th><th>candidate</th><th>champion</th>")
          .append("<th>threshold</th><th>verdict</th><th>note</th></tr></thead><tbody>\n");
      for (GateResult g : r.gate()) {
        h.append(g.passed() ? "<tr>" : "<tr class=\"fail\">").append("<td>").append(esc(g.kind())).append("</td><td>")
            .append(esc(g.metric())).append("</td><td class=\"n\">").append(number(g.candidate()))
            .append("</td><td class=\"n\">").append(number(g.champion())).append("</td><td>").append(esc(g.threshold()))
            .append("</td><td>").append(verdict(g.passed())).append("</td><td>").append(esc(g.note())).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    if (!r.candidateScores().isEmpty()) {
      bars(h, r.candidateScores(), r.championScores());
    }
    explanation(h, r);
    h.append("<h2>What was done</h2>\n<ul>");
    h.append("<li>champion before: ").append(version(r.modelName(), r.championBefore())).append("</li>");
    h.append("<li>candidate: ").append(version(r.modelName(), r.candidateVersion()))
        .append(r.packageDigest().map(d -> " <code>" + esc(d.toString()) + "</code>").orElse("")).append("</li>");
    h.append("<li>champion after: ").append(version(r.modelName(), r.championAfter())).append("</li></ul>\n");
    h.append("<h2>Steps</h2>\n<table><thead><tr><th>step</th><th>run</th><th>cached</th><th>ms</th><th>note</th></tr>")
        .append("</thead><tbody>\n");
    for (StepRecord s : r.steps()) {
      h.append("<tr><td>").append(esc(s.name())).append("</td><td><code>").append(esc(s.runId())).append("</code></td><td>")
          .append(s.cached() ? "reused" : "").append("</td><td class=\"n\">").append(s.millis()).append("</td><td>")
          .append(esc(s.note())).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</body></html>\n");
    return h.toString();
  }

  /** Candidate and champion side by side per metric, as inline SVG bars on a 0 to 1 scale. */
  private static void bars(StringBuilder h, Map<String, Double> candidate, Map<String, Double> champion) {
    h.append("<h2>Holdout scores</h2>\n<p class=\"legend\"><span style=\"background:#f28e2b\"></span>candidate")
        .append("<span style=\"background:#4e79a7\"></span>champion</p>\n");
    List<String> metrics = candidate.keySet().stream().sorted().toList();
    int rowHeight = 34;
    int height = metrics.size() * rowHeight + 8;
    int left = 90;
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + BAR_WIDTH + 60).append("\" height=\"")
        .append(height).append("\" role=\"img\">");
    for (int i = 0; i < metrics.size(); i++) {
      String m = metrics.get(i);
      int y = 4 + i * rowHeight;
      h.append("<text x=\"0\" y=\"").append(y + 18).append("\" font-size=\"12\">").append(esc(m)).append("</text>");
      bar(h, left, y, candidate.get(m), "#f28e2b");
      Double theirs = champion.get(m);
      if (theirs != null) {
        bar(h, left, y + 14, theirs, "#4e79a7");
      }
    }
    h.append("</svg>\n");
  }

  private static void bar(StringBuilder h, int left, int y, double value, String colour) {
    double clipped = Double.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
    h.append("<rect x=\"").append(left).append("\" y=\"").append(y).append("\" width=\"")
        .append(String.format(Locale.ROOT, "%.1f", clipped * BAR_WIDTH)).append("\" height=\"12\" fill=\"").append(colour)
        .append("\"><title>").append(number(value)).append("</title></rect>")
        .append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", left + clipped * BAR_WIDTH + 4)).append("\" y=\"")
        .append(y + 10).append("\" font-size=\"10\" fill=\"#444\">").append(number(value)).append("</text>");
  }

  private static String version(String model, java.util.OptionalInt v) {
    return v.isPresent() ? "<code>" + esc("models:/" + model + "/" + v.getAsInt()) + "</code>" : "none";
  }

  private static String time(java.time.Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  private static String settings(Map<String, String> s) {
    return s.isEmpty() ? "as configured" : String.join(", ", s.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  private static String verdict(boolean passed) {
    return passed ? "<span class=\"ok\">pass</span>" : "<span class=\"bad\">FAIL</span>";
  }

  /** The candidate's top features, and how much importance the drifted columns carry. */
  private static void explanation(StringBuilder h, DecisionRecord r) {
    if (r.candidateImportance().isEmpty() && r.driftedColumns().isEmpty()) {
      return;
    }
    h.append("<h2>What the candidate relies on</h2>\n");
    r.candidateImportance().ifPresent(fi -> {
      h.append("<p>Global importance: ").append(esc(fi.method())).append(" importance, ").append(esc(fi.metric()))
          .append(" lost when a column is shuffled (baseline ").append(number(fi.baseline())).append(").</p>\n")
          .append("<table><thead><tr><th>feature</th><th>importance</th><th>std</th><th>share</th><th>drifted</th>")
          .append("</tr></thead><tbody>\n");
      for (var f : r.topFeatures()) {
        boolean drifted = r.driftedColumns().contains(f.name());
        h.append(drifted ? "<tr class=\"fail\">" : "<tr>").append("<td>").append(esc(f.name()))
            .append("</td><td class=\"n\">").append(number(f.mean())).append("</td><td class=\"n\">")
            .append(number(f.std())).append("</td><td class=\"n\">").append(percent(fi.share(List.of(f.name()))))
            .append("</td><td>").append(drifted ? "<span class=\"bad\">drifted</span>" : "").append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    });
    if (!r.driftedColumns().isEmpty()) {
      h.append("<p class=\"bad\">The data check found ").append(r.driftedColumns().size()).append(" drifted column(s): ")
          .append(esc(String.join(", ", r.driftedColumns()))).append(". They carry ");
      h.append(r.driftedImportanceShare().isPresent() ? percent(r.driftedImportanceShare().getAsDouble())
          + " of the champion's importance" : "an unknown share of the champion's importance (its package has none)");
      r.candidateDriftedImportanceShare().ifPresent(share -> h.append(" and ").append(percent(share))
          .append(" of the candidate's"));
      h.append(".</p>\n");
    }
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? esc(Gate.number(v)) : "&ndash;";
  }

  private static String esc(String s) {
    return HtmlEscapers.htmlEscaper().escape(s);
  }
}
