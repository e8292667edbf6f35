package dev.mlops.monitoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The result of a {@link Drift} run: one row per column (test, statistic, p-value when there is
 * one, threshold, verdict), the dataset verdict and the data-quality findings. Rows are sorted by
 * drift: drifted columns first, then by how far past the threshold they are. Immutable.
 *
 * <p>Given a model's {@link FeatureImportance} ({@link #withImportance}), the report also says
 * whether the drift matters to the model: each column's share of the importance, rows sorted by
 * importance-weighted drift (share × {@link ColumnDrift#severity()}), and the share of the
 * importance that sits in drifted columns, in the summary ("2 drifted columns carry 71% of the
 * importance").
 *
 * <pre>{@code
 * DriftReport report = Drift.between(reference, current).importance(pkg.importance().orElseThrow()).run();
 * if (report.datasetDrift()) alert(report.summary());
 * report.driftedImportanceShare();             // 0.71
 * report.writeHtml(Path.of("drift.html"));     // one self-contained page
 * String json = report.toJson();
 * }</pre>
 */
public final class DriftReport {
  static final String EXACT = "exact";
  static final String SKETCH = "sketch";

  private static final Comparator<ColumnDrift> BY_DRIFT = Comparator.comparing(ColumnDrift::drifted).reversed()
      .thenComparing(Comparator.comparingDouble(ColumnDrift::severity).reversed())
      .thenComparing(ColumnDrift::column);

  private final String method;
  private final long referenceRows;
  private final long currentRows;
  private final double driftShareThreshold;
  private final ImmutableList<ColumnDrift> columns;
  private final DataQuality quality;
  /** The model's importance the columns are weighed by, or null. */
  private final FeatureImportance importance;

  private DriftReport(String method, long referenceRows, long currentRows, double driftShareThreshold,
      List<ColumnDrift> columns, DataQuality quality, FeatureImportance importance) {
    this.method = method;
    this.referenceRows = referenceRows;
    this.currentRows = currentRows;
    this.driftShareThreshold = driftShareThreshold;
    this.quality = quality;
    this.importance = importance;
    Comparator<ColumnDrift> order = importance == null ? BY_DRIFT
        : Comparator.comparingDouble(this::weightedDrift).reversed().thenComparing(BY_DRIFT);
    this.columns = ImmutableList.sortedCopyOf(order, columns);
  }

  static DriftReport of(String method, long referenceRows, long currentRows, double driftShare,
      List<ColumnDrift> columns, DataQuality quality) {
    return new DriftReport(method, referenceRows, currentRows, driftShare, columns, quality, null);
  }

  /**
   * This report weighed by a model's importance: the same tests and verdicts, rows sorted by
   * importance-weighted drift, the importance beside each column and its drifted share in the
   * summary. Columns the importance does not name carry none; negative importances (noise) count
   * as none.
   */
  public DriftReport withImportance(FeatureImportance importance) {
    return new DriftReport(method, referenceRows, currentRows, driftShareThreshold, columns, quality,
        Objects.requireNonNull(importance, "importance"));
  }

  /** The importance the report was given, if any. */
  public Optional<FeatureImportance> importance() {
    return Optional.ofNullable(importance);
  }

  /**
   * A column's share of the model's importance, in [0, 1]; empty without an importance.
   */
  public OptionalDouble importanceShare(String column) {
    return importance == null ? OptionalDouble.empty() : OptionalDouble.of(importance.share(List.of(column)));
  }

  /** A column's importance share × its severity: how much its drift matters to the model (its severity without an importance). */
  public double weightedDrift(ColumnDrift column) {
    return importance == null ? column.severity() : importance.share(List.of(column.column())) * column.severity();
  }

  /** The share of the model's importance carried by drifted columns; empty without an importance. */
  public OptionalDouble driftedImportanceShare() {
    if (importance == null) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(importance.share(columns.stream().filter(ColumnDrift::drifted).map(ColumnDrift::column)
        .toList()));
  }

  /**
   * How the tests ran: {@code "exact"} on the data of two frames, or {@code "sketch"} on the
   * sketches and bins of two profiles.
   */
  public String method() {
    return method;
  }

  /** Rows in the reference. */
  public long referenceRows() {
    return referenceRows;
  }

  /** Rows in the current data. */
  public long currentRows() {
    return currentRows;
  }

  /** The per-column results, most drifted first. */
  public List<ColumnDrift> columns() {
    return columns;
  }

  /**
   * The named column's result.
   *
   * @throws NotFoundException if the column was not compared (see {@link #quality()} for columns
   *     missing on one side or of another type)
   */
  public ColumnDrift column(String name) {
    return columns.stream().filter(c -> c.column().equals(name)).findFirst().orElseThrow(() ->
        new NotFoundException("column '" + name + "' was not compared; compared columns are "
            + columns.stream().map(ColumnDrift::column).sorted().toList() + " (see quality() for the others)"));
  }

  /** How many columns were tested. */
  public int testedColumns() {
    return (int) columns.stream().filter(ColumnDrift::tested).count();
  }

  /** How many columns drifted. */
  public int driftedColumns() {
    return (int) columns.stream().filter(ColumnDrift::drifted).count();
  }

  /** The share of tested columns that drifted; 0 when none was tested. */
  public double driftedShare() {
    int tested = testedColumns();
    return tested == 0 ? 0 : (double) driftedColumns() / tested;
  }

  /** The share from which the dataset counts as drifted. */
  public double driftShareThreshold() {
    return driftShareThreshold;
  }

  /** Whether the dataset drifted: the drifted share reached the threshold. */
  public boolean datasetDrift() {
    return testedColumns() > 0 && driftedShare() >= driftShareThreshold;
  }

  /** The data-quality findings. */
  public DataQuality quality() {
    return quality;
  }

  /** One line for logs and alerts. */
  public String summary() {
    if (currentRows == 0) {
      return "warning: the current data has no rows, so nothing was tested; check the query or window that "
          + "produced it";
    }
    if (testedColumns() == 0 && !columns.isEmpty()) {
      return "warning: no column could be tested; " + columns.get(0).column() + ": " + columns.get(0).note().orElse("");
    }
    return String.format(Locale.ROOT, "%s: %d of %d columns drifted (%.1f%%, threshold %.1f%%), %s test%s%s%s",
        datasetDrift() ? "dataset drift" : "no dataset drift", driftedColumns(), testedColumns(),
        100 * driftedShare(), 100 * driftShareThreshold, method,
        columns.stream().filter(ColumnDrift::drifted).findFirst().map(c -> "; most drifted: " + c.column()).orElse(""),
        importanceSummary(),
        quality.missingColumns().isEmpty() ? "" : "; missing columns " + quality.missingColumns());
  }

  /** "; 2 drifted columns carry 71% of the importance", or nothing without an importance. */
  private String importanceSummary() {
    if (importance == null) {
      return "";
    }
    int drifted = driftedColumns();
    return String.format(Locale.ROOT, "; %d drifted column%s carr%s %.0f%% of the importance", drifted,
        drifted == 1 ? "" : "s", drifted == 1 ? "ies" : "y", 100 * driftedImportanceShare().getAsDouble());
  }

  /** The report as canonical JSON. */
  public String toJson() {
    ObjectNode o = CanonicalJson.object();
    o.put("method", method);
    o.put("referenceRows", referenceRows);
    o.put("currentRows", currentRows);
    o.put("datasetDrift", datasetDrift());
    o.put("driftedShare", driftedShare());
    o.put("driftShareThreshold", driftShareThreshold);
    ArrayNode cols = o.putArray("columns");
    for (ColumnDrift c : columns) {
      ObjectNode j = cols.addObject();
      j.put("column", c.column());
      j.put("type", c.type());
      j.put("test", c.test());
      putNumber(j, "statistic", c.statistic());
      if (c.pValue().isPresent()) {
        putNumber(j, "pValue", c.pValue().getAsDouble());
      }
      j.put("threshold", c.threshold());
      j.put("drifted", c.drifted());
      c.note().ifPresent(n -> j.put("note", n));
      if (importance != null) {
        j.put("importanceShare", importance.share(List.of(c.column())));
        putNumber(j, "weightedDrift", weightedDrift(c));
      }
    }
    if (importance != null) {
      o.put("driftedImportanceShare", driftedImportanceShare().getAsDouble());
      o.set("importance", CanonicalJson.parse(importance.toJson()));
    }
    ObjectNode q = o.putObject("quality");
    quality.missingColumns().forEach(q.putArray("missingColumns")::add);
    quality.addedColumns().forEach(q.putArray("addedColumns")::add);
    quality.typeMismatches().forEach(q.putArray("typeMismatches")::add);
    ArrayNode qc = q.putArray("columns");
    for (ColumnQuality c : quality.columns()) {
      ObjectNode j = qc.addObject();
      j.put("column", c.column());
      j.put("referenceMissingShare", c.referenceMissingShare());
      j.put("currentMissingShare", c.currentMissingShare());
      j.put("currentNonFinite", c.currentNonFinite());
      j.put("outOfRange", c.outOfRange());
      j.put("newCategoryCount", c.newCategoryCount());
      c.newCategories().forEach(j.putArray("newCategories")::add);
    }
    return CanonicalJson.toString(o);
  }

  /** A finite number, or null for NaN and infinities, which JSON cannot hold. */
  static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  /** One self-contained HTML page: summary, table sorted by drift, an inline SVG histogram per column. */
  public String toHtml() {
    return HtmlReport.render(this);
  }

  /**
   * Writes {@link #toHtml()} to a file, through a temporary file in the same folder so that a
   * reader never sees half a page.
   */
  public void writeHtml(Path file) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(target.getParent(), ".drift-", ".html.tmp");
      Files.writeString(tmp, toHtml(), StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot write the drift report to '" + file + "'", e);
    }
  }

  @Override
  public String toString() {
    return "DriftReport[" + summary() + "]";
  }
}
