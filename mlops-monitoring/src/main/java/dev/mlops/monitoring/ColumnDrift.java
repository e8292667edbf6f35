package dev.mlops.monitoring;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The drift result of one column: which test ran, its statistic, its p-value when the test has
 * one, the threshold and the verdict. A column that could not be tested (no values on one side,
 * a test that does not fit the column) is not drifted and says why in {@link #note()}.
 *
 * <pre>{@code
 * ColumnDrift age = report.column("age");
 * if (age.drifted()) log.warn("{} drifted: {} = {}", age.column(), age.test(), age.statistic());
 * }</pre>
 *
 * @param column the column name
 * @param type {@code numeric} or {@code categorical}
 * @param test the test's name, e.g. {@code ks}
 * @param statistic the statistic (a distance, or the test statistic of a p-value test); NaN when untested
 * @param pValue the p-value, for ks, chiSquare and z
 * @param threshold the threshold the verdict used
 * @param drifted whether the column drifted
 * @param note why the column was not tested, when it was not
 * @param histogram reference and current shares per bin
 */
public record ColumnDrift(
    String column,
    String type,
    String test,
    double statistic,
    OptionalDouble pValue,
    double threshold,
    boolean drifted,
    Optional<String> note,
    Histogram histogram) {

  static ColumnDrift untested(String column, String type, StatTest test, String why, Histogram histogram) {
    return new ColumnDrift(column, type, test.name(), Double.NaN, OptionalDouble.empty(), test.threshold(), false,
        Optional.of(why), histogram);
  }

  /** Whether a test was run (else {@link #note()} says why not). */
  public boolean tested() {
    return note.isEmpty();
  }

  /**
   * How far past its threshold the column is, to order columns by drift: threshold / p for
   * p-value tests, statistic / threshold for distances; 0 when untested.
   */
  public double severity() {
    if (!tested()) {
      return 0;
    }
    if (pValue.isPresent()) {
      return threshold / Math.max(pValue.getAsDouble(), Double.MIN_NORMAL);
    }
    return threshold == 0 ? statistic : statistic / threshold;
  }
}
