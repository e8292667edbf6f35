package dev.mlops.monitoring;

import com.google.common.html.HtmlEscapers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a {@link DriftReport} as one HTML page with no external script, font or style sheet. */
final class HtmlReport {
  private static final int WIDTH = 520;
  private static final int HEIGHT = 170;
  private static final int AXIS = 24;
  private static final Pattern RANGE = Pattern.compile("\\[(-inf|[^,]+), (\\+inf|[^)]+)\\)");
  private static final int LEFT = 40;
  private static final int TOP = 10;
  /** Width of one character of the 10 px sans-serif labels, rounded up, to keep labels apart. */
  private static final double CHAR_WIDTH = 6.2;

  private HtmlReport() {}

  static String render(DriftReport report) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Drift report</title><style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}")
        .append("tr.drift td{background:#fde2e1}.ok{color:#1a7f37}.bad{color:#c62828;font-weight:bold}")
        .append(".col{display:inline-block;vertical-align:top;margin:8px 16px 16px 0}")
        .append(".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}")
        .append(".stats{display:inline-table;vertical-align:top;margin:0 0 0 12px;font-size:12px}td.n{text-align:right}")
        .append("</style></head><body>\n");
    boolean warning = report.summary().startsWith("warning");
    h.append("<h1>Drift report</h1>\n<p class=\"").append(report.datasetDrift() || warning ? "bad" : "ok").append("\">")
        .append(esc(report.summary())).append("</p>\n");
    h.append("<p>Reference rows: ").append(report.referenceRows()).append(" &middot; current rows: ")
        .append(report.currentRows()).append(" &middot; tests on ")
        .append(report.method().equals(DriftReport.EXACT) ? "the data (exact)" : "profile sketches and bins")
        .append("</p>\n");
    table(h, report);
    quality(h, report.quality());
    h.append("<h2>Distributions</h2>\n<p class=\"legend\"><span style=\"background:#4e79a7\"></span>reference")
        .append("<span style=\"background:#f28e2b\"></span>current</p>\n");
    for (ColumnDrift c : report.columns()) {
      h.append("<div class=\"col\"><h3>").append(esc(c.column())).append(c.drifted() ? " (drift)" : "")
          .append("</h3>\n");
      Optional<ColumnQuality> quality = report.quality().columns().stream()
          .filter(q -> q.column().equals(c.column())).findFirst();
      Optional<double[]> edges = c.type().equals("numeric") ? rangeEdges(c.histogram().labels()) : Optional.empty();
      if (edges.isPresent()) {
        rangeSvg(h, c.histogram(), edges.get(), quality.flatMap(HtmlReport::dataRange));
      } else {
        svg(h, c.histogram());
      }
      quality.ifPresent(q -> summaries(h, q));
      h.append("</div>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void table(StringBuilder h, DriftReport report) {
    boolean weighed = report.importance().isPresent();
    h.append("<h2>Columns</h2>\n");
    if (weighed) {
      h.append("<p>Sorted by importance-weighted drift: the column's share of the model's importance (")
          .append(esc(report.importance().get().method())).append(", ").append(esc(report.importance().get().metric()))
          .append(") times how far past its threshold it is.</p>\n");
    }
    h.append("<table><thead><tr><th>column</th>").append(weighed ? "<th>importance</th>" : "")
        .append("<th>type</th><th>test</th><th>statistic</th>")
        .append("<th>p-value</th><th>threshold</th><th>drifted</th><th>note</th></tr></thead><tbody>\n");
    for (ColumnDrift c : report.columns()) {
      h.append(c.drifted() ? "<tr class=\"drift\">" : "<tr>")
          .append("<td>").append(esc(c.column())).append("</td>");
      if (weighed) {
        h.append("<td class=\"n\">").append(esc(percentLabel(report.importanceShare(c.column()).getAsDouble())))
            .append("</td>");
      }
      h.append("<td>").append(c.type())
          .append("</td><td>").append(c.test()).append("</td><td>").append(number(c.statistic()))
          .append("</td><td>").append(c.pValue().isPresent() ? number(c.pValue().getAsDouble()) : "")
          .append("</td><td>").append(number(c.threshold())).append("</td><td>").append(c.drifted() ? "yes" : "no")
          .append("</td><td>").append(esc(c.note().orElse(""))).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static void quality(StringBuilder h, DataQuality q) {
    h.append("<h2>Data quality</h2>\n<ul>");
    h.append("<li>Columns missing from the current data: ").append(list(q.missingColumns())).append("</li>");
    h.append("<li>Columns only in the current data: ").append(list(q.addedColumns())).append("</li>");
    h.append("<li>Columns whose type changed: ").append(list(q.typeMismatches())).append("</li></ul>\n");
    h.append("<table><thead><tr><th>column</th><th>missing (reference)</th><th>missing (current)</th>")
        .append("<th>&plusmn;Inf (current)</th><th>outside reference range</th><th>new categories</th></tr></thead><tbody>\n");
    for (ColumnQuality c : q.columns()) {
      h.append("<tr><td>").append(esc(c.column())).append("</td><td>").append(percent(c.referenceMissingShare()))
          .append("</td><td>").append(percent(c.currentMissingShare())).append("</td><td>").append(c.currentNonFinite())
          .append("</td><td>").append(c.outOfRange()).append("</td><td>").append(c.newCategoryCount())
          .append(c.newCategories().isEmpty() ? "" : " " + esc(c.newCategories().toString())).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  /**
   * Bars of the reference and current shares per bin, with a y-axis in share of rows and as many
   * bin labels as fit without overlapping (each centred under its bin and kept inside the chart).
   */
  private static void svg(StringBuilder h, Histogram hist) {
    int bins = hist.labels().size();
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\">");
    h.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" fill=\"#fafafa\" stroke=\"#ddd\"/>");
    if (bins == 0) {
      h.append("<text x=\"10\" y=\"20\" font-size=\"12\">no values</text></svg>\n");
      return;
    }
    double top = 0;
    for (int i = 0; i < bins; i++) {
      top = Math.max(top, Math.max(hist.reference().get(i), hist.current().get(i)));
    }
    double plot = HEIGHT - AXIS - TOP;
    double width = WIDTH - LEFT - 4;
    double slot = width / bins;
    double bar = Math.max(1, slot * 0.4);
    for (int i = 0; i < bins; i++) {
      double x = LEFT + i * slot + slot * 0.1;
      bar(h, x, bar, top == 0 ? 0 : hist.reference().get(i) / top * plot, "#4e79a7", hist.labels().get(i), "reference",
          hist.reference().get(i));
      bar(h, x + bar, bar, top == 0 ? 0 : hist.current().get(i) / top * plot, "#f28e2b", hist.labels().get(i), "current",
          hist.current().get(i));
    }
    axes(h, HEIGHT - AXIS, WIDTH - 4, top, plot);
    int widest = 0;
    for (String label : hist.labels()) {
      widest = Math.max(widest, shorten(label).length());
    }
    double labelWidth = widest * CHAR_WIDTH + 6;
    int step = Math.max(1, (int) Math.ceil(labelWidth / slot));
    for (int i = 0; i < bins; i += step) {
      String label = shorten(hist.labels().get(i));
      double half = label.length() * CHAR_WIDTH / 2;
      double centre = Math.min(Math.max(LEFT + (i + 0.5) * slot, LEFT + half), WIDTH - 4 - half);
      h.append("<text class=\"label\" x=\"").append(fmt(centre)).append("\" y=\"").append(HEIGHT - 8)
          .append("\" font-size=\"10\" fill=\"#444\" text-anchor=\"middle\">").append(esc(label)).append("</text>");
    }
    h.append("</svg>\n");
  }

  /** The inner edges of range bins labelled {@code [a, b)}, or empty for per-value bins. */
  static Optional<double[]> rangeEdges(List<String> labels) {
    if (labels.size() < 2) {
      return Optional.empty();
    }
    double[] edges = new double[labels.size() - 1];
    for (int i = 0; i < labels.size(); i++) {
      Matcher m = RANGE.matcher(labels.get(i));
      if (!m.matches()) {
        return Optional.empty();
      }
      if (i > 0) {
        edges[i - 1] = Double.parseDouble(m.group(1));
      }
    }
    return Optional.of(edges);
  }

  /** The smallest and largest finite value of both sides, when the report has their summaries. */
  private static Optional<double[]> dataRange(ColumnQuality q) {
    if (q.referenceSummary().isEmpty() || q.currentSummary().isEmpty()) {
      return Optional.empty();
    }
    ColumnSummary r = q.referenceSummary().get();
    ColumnSummary c = q.currentSummary().get();
    double lo = Math.min(r.min(), c.count() == 0 ? r.min() : c.min());
    double hi = Math.max(r.max(), c.count() == 0 ? r.max() : c.max());
    return Double.isFinite(lo) && Double.isFinite(hi) ? Optional.of(new double[] {lo, hi}) : Optional.empty();
  }

  /**
   * Range bins at their real positions and widths on a value axis. The open end bins are drawn
   * to the data's minimum and maximum (or, without them, as wide as their neighbour), and the
   * axis labels those two ends; the y-axis is the share of rows in each bin.
   */
  private static void rangeSvg(StringBuilder h, Histogram hist, double[] edges, Optional<double[]> range) {
    int bins = hist.labels().size();
    double firstWidth = edges.length > 1 ? edges[1] - edges[0] : Math.max(1, Math.abs(edges[0]));
    double lastWidth = edges.length > 1 ? edges[edges.length - 1] - edges[edges.length - 2] : firstWidth;
    double lo = range.map(r -> Math.min(r[0], edges[0])).orElse(edges[0] - firstWidth);
    double hi = range.map(r -> Math.max(r[1], edges[edges.length - 1])).orElse(edges[edges.length - 1] + lastWidth);
    if (!(hi > lo)) {
      svg(h, hist);
      return;
    }
    double top = 0;
    for (int i = 0; i < bins; i++) {
      top = Math.max(top, Math.max(hist.reference().get(i), hist.current().get(i)));
    }
    double right = WIDTH - 12;
    double scale = (right - LEFT) / (hi - lo);
    double plot = HEIGHT - AXIS - TOP;
    double base = HEIGHT - AXIS;
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\">")
        .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" fill=\"#fafafa\" stroke=\"#ddd\"/>");
    for (int i = 0; i < bins; i++) {
      double from = LEFT + ((i == 0 ? lo : edges[i - 1]) - lo) * scale;
      double to = LEFT + ((i == bins - 1 ? hi : edges[i]) - lo) * scale;
      double half = Math.max(0.5, (to - from) / 2 - 0.5);
      bar(h, from, half, top == 0 ? 0 : hist.reference().get(i) / top * plot, "#4e79a7", hist.labels().get(i),
          "reference", hist.reference().get(i));
      bar(h, from + half, half, top == 0 ? 0 : hist.current().get(i) / top * plot, "#f28e2b", hist.labels().get(i),
          "current", hist.current().get(i));
    }
    axes(h, base, right, top, plot);
    List<Double> ticks = new ArrayList<>(List.of(lo, hi));
    double step = niceStep((hi - lo) / 4);
    for (double t = Math.ceil(lo / step) * step; t < hi; t += step) {
      ticks.add(t);
    }
    List<double[]> placed = new ArrayList<>();
    for (double t : ticks) {
      String label = number(t);
      double width = label.length() * CHAR_WIDTH;
      double centre = Math.min(Math.max(LEFT + (t - lo) * scale, width / 2 + 2), WIDTH - 2 - width / 2);
      boolean free = placed.stream().allMatch(p -> Math.abs(p[0] - centre) > (p[1] + width) / 2 + 4);
      if (free) {
        placed.add(new double[] {centre, width});
        h.append("<text class=\"label\" x=\"").append(fmt(centre)).append("\" y=\"").append(HEIGHT - 8)
            .append("\" font-size=\"10\" fill=\"#444\" text-anchor=\"middle\">").append(esc(label)).append("</text>");
      }
    }
    h.append("</svg>\n");
  }

  /** The value axis, the share axis and its ticks at 0, half and the highest bar. */
  private static void axes(StringBuilder h, double base, double right, double top, double plot) {
    h.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(fmt(base)).append("\" x2=\"").append(fmt(right))
        .append("\" y2=\"").append(fmt(base)).append("\" stroke=\"#888\"/>");
    h.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
        .append("\" y2=\"").append(fmt(base)).append("\" stroke=\"#888\"/>");
    for (double tick : new double[] {0, top / 2, top}) {
      double y = base - (top == 0 ? 0 : tick / top * plot);
      h.append("<text class=\"label\" x=\"").append(LEFT - 4).append("\" y=\"").append(fmt(y + 3))
          .append("\" font-size=\"10\" fill=\"#444\" text-anchor=\"end\">").append(esc(percentLabel(tick)))
          .append("</text>");
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  private static double niceStep(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / power;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
  }

  /**
   * A share of rows as a percentage to two significant digits ({@code 80%}, {@code 12%},
   * {@code 0.5%}, {@code 100%}); only zeros after a decimal point are dropped.
   */
  static String percentLabel(double share) {
    return share == 0 ? "0%"
        : new BigDecimal(100 * share).round(new MathContext(2)).stripTrailingZeros().toPlainString() + "%";
  }

  /** The reference's and the current data's summary statistics, beside the histogram. */
  private static void summaries(StringBuilder h, ColumnQuality q) {
    if (q.referenceSummary().isEmpty() && q.currentSummary().isEmpty()) {
      return;
    }
    h.append("<table class=\"stats\"><thead><tr><th></th><th>reference</th><th>current</th></tr></thead><tbody>");
    String[] names = {"count", "missing", "mean", "std", "min", "25%", "50%", "75%", "max"};
    for (int i = 0; i < names.length; i++) {
      int k = i;
      h.append("<tr><td>").append(names[i]).append("</td><td class=\"n\">")
          .append(q.referenceSummary().map(s -> statistic(s, k)).orElse("—")).append("</td><td class=\"n\">")
          .append(q.currentSummary().map(s -> statistic(s, k)).orElse("—")).append("</td></tr>");
    }
    h.append("</tbody></table>\n");
  }

  private static String statistic(ColumnSummary s, int k) {
    return switch (k) {
      case 0 -> Long.toString(s.count());
      case 1 -> Long.toString(s.missing());
      case 2 -> number(s.mean());
      case 3 -> number(s.std());
      case 4 -> number(s.min());
      case 5 -> number(s.q25());
      case 6 -> number(s.median());
      case 7 -> number(s.q75());
      default -> number(s.max());
    };
  }

  private static void bar(StringBuilder h, double x, double w, double height, String color, String label, String side,
      double share) {
    h.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(HEIGHT - AXIS - height)).append("\" width=\"")
        .append(fmt(w)).append("\" height=\"").append(fmt(height)).append("\" fill=\"").append(color).append("\"><title>")
        .append(esc(label)).append(' ').append(side).append(' ').append(percent(share)).append("</title></rect>");
  }

  private static String shorten(String label) {
    return label.length() <= 14 ? label : label.substring(0, 13) + "\u2026";
  }

  private static String list(List<String> names) {
    return names.isEmpty() ? "none" : esc(String.join(", ", names));
  }

  /** Four significant digits without trailing zeros ({@code 0.05}, not {@code 0.05000}). */
  static String number(double v) {
    return Double.isFinite(v) ? Condition.number(v) : "";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * share);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String esc(String s) {
    return HtmlEscapers.htmlEscaper().escape(s);
  }
}
