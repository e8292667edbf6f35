package dev.mlops.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The results of one run as a table, with the machine it ran on and when: as plain text for the
 * console and as Markdown for the README.
 */
final class ResultTable {
  private static final String[] HEADER = {
    "benchmark", "baseline (same run)", "measured", "baseline", "ratio", "target", "met?", "note"
  };

  private final List<ResultRow> rows;
  private final Instant started;
  private final Duration took;
  private final String settings;

  ResultTable(List<ResultRow> rows, Instant started, Duration took, String settings) {
    this.rows = List.copyOf(rows);
    this.started = started;
    this.took = took;
    this.settings = settings;
  }

  /** Cores, Java version and VM, operating system. */
  static String machine() {
    Runtime.Version v = Runtime.version();
    return Runtime.getRuntime().availableProcessors() + " cores, Java " + v + " ("
        + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
        + Figures.format(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / (double) (1L << 30))
        + " GiB max heap in the main JVM";
  }

  private String context() {
    return "Machine: " + machine() + ". Date: "
        + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC).format(started)
        + ". Settings: " + settings + ". The whole run took " + took.toMinutes() + " min " + took.toSecondsPart()
        + " s.";
  }

  String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append(context()).append("\n\n");
    md.append('|').append(String.join(" | ", HEADER)).append("|\n");
    md.append("|---".repeat(HEADER.length)).append("|\n");
    for (ResultRow r : rows) {
      md.append('|').append(String.join(" | ", cells(r))).append("|\n");
    }
    return md.toString();
  }

  String toText() {
    StringBuilder text = new StringBuilder(context()).append("\n\n");
    for (ResultRow r : rows) {
      String[] cells = cells(r);
      text.append("* ").append(cells[0].replace("`", "")).append('\n');
      for (int i = 1; i < HEADER.length; i++) {
        if (!cells[i].isEmpty()) {
          text.append(String.format(Locale.ROOT, "    %-20s %s%n", HEADER[i] + ":", cells[i].replace("`", "").replace("**", "")));
        }
      }
    }
    return text.toString();
  }

  private static String[] cells(ResultRow r) {
    return new String[] {
      r.benchmark(), r.baseline(), r.measured(), r.baselineFigure(), r.ratio(), r.target(), r.verdict(), r.note()
    };
  }
}
