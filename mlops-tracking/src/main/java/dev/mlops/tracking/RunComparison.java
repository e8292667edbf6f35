package dev.mlops.tracking;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import dev.mlops.tracking.internal.Lttb;
import dev.mlops.tracking.internal.SvgChart;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs side by side: one column per run, a row for each param whose value differs between them
 * (the params every run shares unchanged are listed apart, as {@link #equalParams()}), and a row
 * for every metric's latest value with the best run marked. {@link #toString()} gives an aligned
 * text table, {@link #toHtml()} a complete self-contained HTML page (no script, no external
 * file) with the same table and a line chart per metric over its logged steps.
 *
 * <pre>{@code
 * RunComparison c = tracker.compare(tracker.search("iris").orderBy("metrics.acc DESC").limit(3).list());
 * System.out.println(c);
 * c.best("acc");                                   // Optional[the run with the highest acc]
 * Files.writeString(Path.of("compare.html"), c.toHtml());
 * }</pre>
 */
public final class RunComparison {
  /** The most points of one run's metric drawn in {@link #toHtml()}; longer histories are downsampled. */
  public static final int CHART_POINTS = 200;

  // metrics named like these are better when lower; every other metric when higher
  private static final Pattern LOWER_IS_BETTER = Pattern.compile(
      "(?i).*(loss|error|err|mse|rmse|mae|mape|deviance|perplexity|latency|time|duration|wer|cer)([._-].*)?");

  private final List<RunRecord> runs;
  private final List<String> differingParams;
  private final Map<String, String> equalParams;
  private final List<String> metricKeys;
  private final BiFunction<String, String, List<Metric>> loader;
  // histories as drawn, loaded on first use: a comparison made for its table reads none
  private final Map<String, List<Metric>> histories = new ConcurrentHashMap<>();

  private RunComparison(List<RunRecord> runs, List<String> differingParams, Map<String, String> equalParams,
      List<String> metricKeys, BiFunction<String, String, List<Metric>> loader) {
    this.runs = ImmutableList.copyOf(runs);
    this.differingParams = ImmutableList.copyOf(differingParams);
    this.equalParams = ImmutableSortedMap.copyOf(equalParams);
    this.metricKeys = ImmutableList.copyOf(metricKeys);
    this.loader = loader;
  }

  static RunComparison of(List<RunRecord> runs) {
    return of(runs, (runId, key) -> List.of());
  }

  /** @param loader a run's history of a metric, by run id and key, in the order logged */
  static RunComparison of(List<RunRecord> runs, BiFunction<String, String, List<Metric>> loader) {
    TreeSet<String> paramKeys = new TreeSet<>();
    TreeSet<String> metricKeys = new TreeSet<>();
    for (RunRecord r : runs) {
      paramKeys.addAll(r.params().keySet());
      metricKeys.addAll(r.metrics().keySet());
    }
    List<String> differing = new ArrayList<>();
    Map<String, String> equal = new TreeMap<>();
    for (String key : paramKeys) {
      Set<String> values = new HashSet<>();
      for (RunRecord r : runs) {
        values.add(Objects.requireNonNullElse(r.params().get(key), "\0missing"));
      }
      if (values.size() > 1) {
        differing.add(key);
      } else {
        equal.put(key, runs.get(0).params().get(key));
      }
    }
    return new RunComparison(runs, differing, equal, new ArrayList<>(metricKeys), loader);
  }

  private static List<Metric> downsample(List<Metric> points, int most) {
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i).step();
      y[i] = points.get(i).value();
    }
    List<Metric> kept = new ArrayList<>();
    for (int i : Lttb.indices(x, y, most)) {
      kept.add(points.get(i));
    }
    return ImmutableList.copyOf(kept);
  }

  /** The runs compared, in the order given. */
  public List<RunRecord> runs() {
    return runs;
  }

  /** The keys of the params whose values are not the same in every run, sorted. */
  public List<String> differingParams() {
    return differingParams;
  }

  /** The params every run has with the same value, by key; left out of the tables. */
  public Map<String, String> equalParams() {
    return equalParams;
  }

  /** The keys of every metric any run logged, sorted. */
  public List<String> metricKeys() {
    return metricKeys;
  }

  /**
   * Whether a lower value of this metric is better: its name says loss, error, mse, rmse, mae,
   * latency, time and the like. Every other metric is taken as better when higher.
   */
  public static boolean lowerIsBetter(String metricKey) {
    return LOWER_IS_BETTER.matcher(metricKey).matches();
  }

  /** The run with the best latest value of this metric (see {@link #lowerIsBetter}); NaN never wins. */
  public Optional<RunRecord> best(String metricKey) {
    RunRecord best = null;
    double bestValue = Double.NaN;
    boolean lower = lowerIsBetter(metricKey);
    for (RunRecord r : runs) {
      Metric m = r.metrics().get(metricKey);
      if (m == null || Double.isNaN(m.value())) {
        continue;
      }
      if (best == null || (lower ? m.value() < bestValue : m.value() > bestValue)) {
        best = r;
        bestValue = m.value();
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * A run's history of a metric as drawn: at most {@value #CHART_POINTS} points chosen by
   * largest-triangle downsampling; empty when the run did not log it.
   */
  public List<Metric> history(String runId, String metricKey) {
    boolean known = runs.stream().anyMatch(r -> r.runId().equals(runId) && r.metrics().containsKey(metricKey));
    if (!known) {
      return List.of();
    }
    return histories.computeIfAbsent(runId + '\0' + metricKey,
        k -> downsample(loader.apply(runId, metricKey), CHART_POINTS));
  }

  private List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    header.add("");
    runs.forEach(r -> header.add(r.name()));
    rows.add(header);
    addRow(rows, "run id", r -> r.runId().substring(0, Math.min(8, r.runId().length())));
    addRow(rows, "status", r -> r.status().name());
    for (String key : differingParams) {
      addRow(rows, "params." + key, r -> Objects.requireNonNullElse(r.params().get(key), "-"));
    }
    for (String key : metricKeys) {
      addRow(rows, "metrics." + key, r -> r.metrics().containsKey(key) ? format(r.metrics().get(key).value()) : "-");
    }
    return rows;
  }

  private void addRow(List<List<String>> rows, String label, Function<RunRecord, String> cell) {
    List<String> row = new ArrayList<>();
    row.add(label);
    runs.forEach(r -> row.add(cell.apply(r)));
    rows.add(row);
  }

  /**
   * A metric value as people read it: integers whole, others to 6 significant digits
   * ({@code 0.933333}), very large or small ones in scientific notation.
   */
  public static String format(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    double magnitude = Math.abs(v);
    if (magnitude >= 1e-4 && magnitude < 1e9) {
      return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.5e", v).replaceAll("\\.?0+e", "e");
  }

  /** An aligned plain-text table, followed by the params hidden because every run has them equal. */
  @Override
  public String toString() {
    List<List<String>> rows = rows();
    int[] widths = new int[runs.size() + 1];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        out.append(cell).append(" ".repeat(widths[i] - cell.length()));
        out.append(i + 1 < row.size() ? "  " : "");
      }
      out.append('\n');
    }
    if (!equalParams.isEmpty()) {
      out.append(equalParamsNote()).append('\n');
    }
    return out.toString().replaceAll(" +\n", "\n");
  }

  private String equalParamsNote() {
    StringBuilder note = new StringBuilder();
    note.append(equalParams.size()).append(equalParams.size() == 1 ? " param is" : " params are")
        .append(" equal in every run and hidden: ");
    int shown = 0;
    for (Map.Entry<String, String> e : equalParams.entrySet()) {
      if (shown++ > 0) {
        note.append(", ");
      }
      note.append(e.getKey()).append('=').append(e.getValue());
    }
    return note.toString();
  }

  /**
   * A complete HTML page, self-contained: the table with differing values highlighted and the
   * best value of each metric marked, the equal params named, and an SVG line chart per metric
   * logged over more than one step. Every value is escaped; the page holds no script.
   */
  public String toHtml() {
    Escaper esc = HtmlEscapers.htmlEscaper();
    StringBuilder out = new StringBuilder(4096);
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Run comparison</title>\n")
        .append("<style>\n")
        .append(".mlops-run-comparison{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222}\n")
        .append(".mlops-run-comparison table{border-collapse:collapse;margin:8px 0}\n")
        .append(".mlops-run-comparison th,.mlops-run-comparison td{border:1px solid #ddd;padding:3px 8px;text-align:left}\n")
        .append(".mlops-run-comparison td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append(".mlops-run-comparison th{background:#f4f6f8}\n")
        .append(".mlops-run-comparison td.differs{background:#fff4d6}\n")
        .append(".mlops-run-comparison td.best{font-weight:600;background:#e3f6e5}\n")
        .append(".mlops-run-comparison .note{color:#555}\n")
        .append(".mlops-run-comparison .charts{display:flex;flex-wrap:wrap;gap:12px}\n")
        .append(".mlops-run-comparison svg text:not([fill]){font:11px system-ui,sans-serif;fill:#444}\n")
        .append("</style></head>\n<body><div class=\"mlops-run-comparison\">\n")
        .append("<h2>").append(runs.size()).append(runs.size() == 1 ? " run" : " runs").append(" compared</h2>\n")
        .append("<table>\n<tr><th></th>");
    for (int i = 0; i < runs.size(); i++) {
      out.append("<th><span style=\"color:").append(SvgChart.color(i)).append("\">&#9632;</span> ")
          .append(esc.escape(runs.get(i).name())).append("</th>");
    }
    out.append("</tr>\n");
    row(out, esc, "run id", r -> r.runId().substring(0, Math.min(8, r.runId().length())), r -> "");
    row(out, esc, "status", r -> r.status().name(), r -> "");
    for (String key : differingParams) {
      String first = runs.get(0).params().get(key);
      row(out, esc, "params." + key, r -> Objects.requireNonNullElse(r.params().get(key), "-"),
          r -> Objects.equals(r.params().get(key), first) ? "" : "differs");
    }
    for (String key : metricKeys) {
      Optional<String> best = best(key).map(RunRecord::runId);
      row(out, esc, "metrics." + key + (lowerIsBetter(key) ? " (lower is better)" : ""),
          r -> r.metrics().containsKey(key) ? format(r.metrics().get(key).value())
              + (best.isPresent() && best.get().equals(r.runId()) ? " \u2605" : "") : "-",
          r -> "num" + (best.isPresent() && best.get().equals(r.runId()) ? " best" : ""));
    }
    out.append("</table>\n");
    if (!equalParams.isEmpty()) {
      out.append("<p class=\"note\">").append(esc.escape(equalParamsNote())).append("</p>\n");
    }
    StringBuilder charts = new StringBuilder();
    for (String key : metricKeys) {
      chart(charts, esc, key);
    }
    if (!charts.isEmpty()) {
      out.append("<div class=\"charts\">\n").append(charts).append("</div>\n");
    }
    return out.append("</div></body></html>\n").toString();
  }

  private void row(StringBuilder out, Escaper esc, String label, Function<RunRecord, String> cell,
      Function<RunRecord, String> cssClass) {
    out.append("<tr><th>").append(esc.escape(label)).append("</th>");
    for (RunRecord r : runs) {
      String css = cssClass.apply(r);
      out.append(css.isEmpty() ? "<td>" : "<td class=\"" + css + "\">").append(esc.escape(cell.apply(r)))
          .append("</td>");
    }
    out.append("</tr>\n");
  }

  // A line chart of one metric, a line per run; only when some run logged it at two steps or more.
  private void chart(StringBuilder out, Escaper esc, String key) {
    List<SvgChart.Line> lines = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      List<Metric> points = history(runs.get(i).runId(), key);
      double[] x = new double[points.size()];
      double[] y = new double[points.size()];
      for (int k = 0; k < x.length; k++) {
        x[k] = points.get(k).step();
        y[k] = points.get(k).value();
      }
      lines.add(new SvgChart.Line(runs.get(i).name(), SvgChart.color(i), x, y));
    }
    String svg = SvgChart.lines(key, "step", lines, false, RunComparison::format);
    if (!svg.isEmpty()) {
      out.append(svg).append('\n');
    }
  }
}
