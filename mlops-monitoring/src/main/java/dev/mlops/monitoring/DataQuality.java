package dev.mlops.monitoring;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The data-quality part of a {@link DriftReport}: columns that vanished, appeared or changed type,
 * and per-column quality of the columns both sides share.
 *
 * <pre>{@code
 * DataQuality q = report.quality();
 * if (!q.missingColumns().isEmpty()) log.error("columns gone: {}", q.missingColumns());
 * }</pre>
 *
 * @param missingColumns reference columns the current data lacks
 * @param addedColumns current columns the reference lacks
 * @param typeMismatches columns numeric on one side and categorical on the other
 * @param columns quality of each shared column, in reference order
 */
public record DataQuality(
    List<String> missingColumns, List<String> addedColumns, List<String> typeMismatches, List<ColumnQuality> columns) {
  public DataQuality {
    missingColumns = ImmutableList.copyOf(missingColumns);
    addedColumns = ImmutableList.copyOf(addedColumns);
    typeMismatches = ImmutableList.copyOf(typeMismatches);
    columns = ImmutableList.copyOf(columns);
  }
}
