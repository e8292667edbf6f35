package dev.mlops.monitoring;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * Data quality of one column compared with the reference.
 *
 * <pre>{@code
 * for (ColumnQuality q : report.quality().columns())
 *   if (q.currentMissingShare() > 2 * q.referenceMissingShare()) log.warn("{} lost values", q.column());
 * }</pre>
 *
 * @param column the column name
 * @param referenceMissingShare share of reference rows without a value
 * @param currentMissingShare share of current rows without a value
 * @param currentNonFinite current ±Inf values (kept out of the tests)
 * @param outOfRange current finite values below the reference minimum or above its maximum
 * @param newCategoryCount current categories the reference never had
 * @param newCategories up to {@value #LISTED_CATEGORIES} of them, in ranking order
 * @param referenceSummary the reference's summary statistics (numeric columns of frames)
 * @param currentSummary the current data's summary statistics (numeric columns of frames)
 */
public record ColumnQuality(
    String column,
    double referenceMissingShare,
    double currentMissingShare,
    long currentNonFinite,
    long outOfRange,
    long newCategoryCount,
    List<String> newCategories,
    Optional<ColumnSummary> referenceSummary,
    Optional<ColumnSummary> currentSummary) {
  /** How many new categories are listed by name. */
  public static final int LISTED_CATEGORIES = 20;

  public ColumnQuality {
    newCategories = ImmutableList.copyOf(newCategories);
  }
}
