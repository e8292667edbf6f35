package dev.mlops.tracking;

import com.google.common.collect.ImmutableList;
import com.google.common.html.HtmlEscapers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Runs side by side: one column per run, a row for each param whose value differs between them
 * (params every run shares unchanged are left out), and a row for every metric's latest value.
 * {@link #toString()} gives an aligned text table, {@link #toHtml()} a self-contained HTML table
 * for notebooks and reports.
 *
 * <pre>{@code
 * RunComparison c = tracker.compare(tracker.search("iris").orderBy("metrics.acc DESC").limit(3).list());
 * System.out.println(c);
 * Files.writeString(Path.of("compare.html"), c.toHtml());
 * }</pre>
 */
public final class RunComparison {
  private final List<RunRecord> runs;
  private final List<String> differingParams;
  private final List<String> metricKeys;

  private RunComparison(List<RunRecord> runs, List<String> differingParams, List<String> metricKeys) {
    this.runs = ImmutableList.copyOf(runs);
    this.differingParams = ImmutableList.copyOf(differingParams);
    this.metricKeys = ImmutableList.copyOf(metricKeys);
  }

  static RunComparison of(List<RunRecord> runs) {
    TreeSet<String> paramKeys = new TreeSet<>();
    TreeSet<String> metricKeys = new TreeSet<>();
    for (RunRecord r : runs) {
      paramKeys.addAll(r.params().keySet());
      metricKeys.addAll(r.metrics().keySet());
    }
    List<String> differing = new ArrayList<>();
    for (String key : paramKeys) {
      Set<String> values = new HashSet<>();
      for (RunRecord r : runs) {
        values.add(Objects.requireNonNullElse(r.params().get(key), "\0missing"));
      }
      if (values.size() > 1) {
        differing.add(key);
      }
    }
    return new RunComparison(runs, differing, new ArrayList<>(metricKeys));
  }

  /** The runs compared, in the order given. */
  public List<RunRecord> runs() {
    return runs;
  }

  /** The keys of the params whose values are not the same in every run, sorted. */
  public List<String> differingParams() {
    return differingParams;
  }

  /** The keys of every metric any run logged, sorted. */
  public List<String> metricKeys() {
    return metricKeys;
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
      addRow(rows, "metrics." + key, r -> r.metrics().containsKey(key) ? formatValue(r.metrics().get(key).value()) : "-");
    }
    return rows;
  }

  private void addRow(List<List<String>> rows, String label, Function<RunRecord, String> cell) {
    List<String> row = new ArrayList<>();
    row.add(label);
    runs.forEach(r -> row.add(cell.apply(r)));
    rows.add(row);
  }

  private static String formatValue(double v) {
    return Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** An aligned plain-text table. */
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
    return out.toString().replaceAll(" +\n", "\n");
  }

  /** A self-contained HTML table; every value is escaped. */
  public String toHtml() {
    List<List<String>> rows = rows();
    StringBuilder out = new StringBuilder("<table class=\"mlops-run-comparison\" style=\"border-collapse:collapse\">\n");
    for (int r = 0; r < rows.size(); r++) {
      out.append("  <tr>");
      for (String cell : rows.get(r)) {
        String tag = r == 0 ? "th" : "td";
        out.append('<').append(tag).append(" style=\"border:1px solid #ccc;padding:2px 6px\">")
            .append(HtmlEscapers.htmlEscaper().escape(cell)).append("</").append(tag).append('>');
      }
      out.append("</tr>\n");
    }
    return out.append("</table>\n").toString();
  }
}
