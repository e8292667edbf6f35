package dev.mlops.lifecycle;

import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a batch must satisfy before a life cycle trains on it: a schema, a least number of rows,
 * a largest share of missing values per column, and a largest share of columns drifted against
 * the champion's reference profile (skipped while there is no champion). A failed check stops the
 * pass with its reasons. Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * DataChecks.schema(schema).minRows(50).maxMissingShare(0.05).maxDriftedShare(0.5);
 * DataChecks.none();                                  // train on whatever arrives
 * }</pre>
 */
public final class DataChecks {
  private final Schema schema;
  private final int minRows;
  private final double maxMissingShare;
  private final double maxDriftedShare;

  private DataChecks(Schema schema, int minRows, double maxMissingShare, double maxDriftedShare) {
    this.schema = schema;
    this.minRows = minRows;
    this.maxMissingShare = maxMissingShare;
    this.maxDriftedShare = maxDriftedShare;
  }

  /** Every column of the schema must be present with its kind (numeric or categorical). */
  public static DataChecks schema(Schema schema) {
    return new DataChecks(Objects.requireNonNull(schema, "schema"), 1, 1.0, 1.0);
  }

  /** Only that the batch is not empty. */
  public static DataChecks none() {
    return new DataChecks(null, 1, 1.0, 1.0);
  }

  /** At least {@code rows} rows. */
  public DataChecks minRows(int rows) {
    if (rows < 1) {
      throw new InvalidInputException("a batch needs at least 1 row; got minRows(" + rows + ")");
    }
    return new DataChecks(schema, rows, maxMissingShare, maxDriftedShare);
  }

  /** At most this share (0 to 1) of any column's values missing. */
  public DataChecks maxMissingShare(double share) {
    return new DataChecks(schema, minRows, checkShare("maxMissingShare", share), maxDriftedShare);
  }

  /** At most this share (0 to 1) of columns drifted against the champion's reference profile. */
  public DataChecks maxDriftedShare(double share) {
    return new DataChecks(schema, minRows, maxMissingShare, checkShare("maxDriftedShare", share));
  }

  private static double checkShare(String what, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new InvalidInputException(what + " takes a share between 0 and 1; got " + share);
    }
    return share;
  }

  /** The configuration as text, part of the cache key of a pass. */
  String fingerprint() {
    return String.format(Locale.ROOT, "schema=%s;minRows=%d;missing=%s;drifted=%s",
        schema == null ? "-" : schema.toJson(), minRows, maxMissingShare, maxDriftedShare);
  }

  /**
   * Runs the checks; {@code champion} gives the champion's profile of its training features, if
   * any, read only when a drift check needs it; {@code importance} is the champion's importance,
   * which the drift report weighs the columns by.
   */
  Checked run(Frame batch, Supplier<Optional<Profile>> champion, Optional<FeatureImportance> importance,
      List<String> features) {
    List<DataCheckResult> results = new ArrayList<>();
    DriftReport drift = null;
    results.add(new DataCheckResult("rows", "data", batch.rowCount(), "≥ " + minRows, batch.rowCount() >= minRows,
        batch.rowCount() + " rows"));
    if (schema != null) {
      for (Field f : schema) {
        boolean wantNumeric = f.type() != FieldType.STRING;
        String detail;
        boolean ok;
        if (!batch.hasColumn(f.name())) {
          ok = !f.required();
          detail = "column missing";
        } else if (batch.isNumeric(f.name()) != wantNumeric) {
          ok = false;
          detail = "expected " + (wantNumeric ? "numeric" : "categorical") + " values, found "
              + (wantNumeric ? "text" : "numbers");
        } else {
          ok = true;
          detail = "present, " + (wantNumeric ? "numeric" : "categorical");
        }
        results.add(new DataCheckResult("schema", f.name(), Double.NaN, f.type().toString().toLowerCase(Locale.ROOT),
            ok, detail));
      }
    }
    if (maxMissingShare < 1 && batch.rowCount() > 0) {
      for (String column : batch.columnNames()) {
        int missing = 0;
        var c = batch.column(column);
        for (int i = 0; i < c.size(); i++) {
          if (c.isMissing(i)) {
            missing++;
          }
        }
        double share = (double) missing / batch.rowCount();
        results.add(new DataCheckResult("missing_share", column, share, "≤ " + maxMissingShare,
            share <= maxMissingShare, missing + " of " + batch.rowCount() + " missing"));
      }
    }
    Optional<Profile> reference = maxDriftedShare < 1 && batch.rowCount() > 0 ? champion.get() : Optional.empty();
    if (reference.isPresent()) {
      List<String> present = features.stream().filter(batch::hasColumn).toList();
      Drift comparison = Drift.between(reference.get(), Profile.of(batch.select(present)));
      // weighed by the champion's importance, the report says how much of the model the drift touches
      importance.ifPresent(comparison::importance);
      drift = comparison.run();
      results.add(new DataCheckResult("drifted_share", "data", drift.driftedShare(), "≤ " + maxDriftedShare,
          drift.driftedShare() <= maxDriftedShare, drift.summary()));
    }
    return new Checked(List.copyOf(results), Optional.ofNullable(drift));
  }

  /** What the checks found: every result, and the drift report when the drift check ran. */
  record Checked(List<DataCheckResult> results, Optional<DriftReport> drift) {}

  @Override
  public String toString() {
    return "DataChecks[" + fingerprint() + "]";
  }
}
