package dev.mlops.monitoring;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import java.util.LinkedHashMap;
import java.util.Map;

/** Accumulates a {@link Profile} from frames, rows or other profiles. Not thread-safe. */
final class ProfileAccumulator {
  private final Map<String, ColumnAccumulator> columns = new LinkedHashMap<>();
  private long rows;

  /** Columns as the frame has them, binned in the reference's bins where the reference has a numeric column of that name. */
  static ProfileAccumulator forFrame(Frame frame, Map<String, Binning> referenceBins) {
    ProfileAccumulator a = new ProfileAccumulator();
    for (Column c : frame.columns()) {
      boolean numeric = c instanceof NumericColumn;
      a.columns.put(c.name(),
          new ColumnAccumulator(c.name(), numeric, numeric ? referenceBins.get(c.name()) : null, Profile.CATEGORY_LIMIT));
    }
    return a;
  }

  /** The columns, kinds and bins of an existing profile, empty. */
  static ProfileAccumulator like(Profile profile) {
    ProfileAccumulator a = new ProfileAccumulator();
    for (ColumnProfile c : profile.columns().values()) {
      int limit = c.isNumeric() ? Profile.CATEGORY_LIMIT : c.categoryCounts().limit();
      a.columns.put(c.name(), new ColumnAccumulator(c.name(), c.isNumeric(), c.binning(), limit));
    }
    return a;
  }

  /** The reference's columns and kinds, binned in the reference's bins: a window to compare against it. */
  static ProfileAccumulator against(Profile reference, Map<String, Binning> referenceBins) {
    ProfileAccumulator a = new ProfileAccumulator();
    for (ColumnProfile c : reference.columns().values()) {
      a.columns.put(c.name(), new ColumnAccumulator(c.name(), c.isNumeric(),
          c.isNumeric() ? referenceBins.get(c.name()) : null, Profile.CATEGORY_LIMIT));
    }
    return a;
  }

  void addFrame(Frame frame, ProgressListener progress) {
    int done = 0;
    for (Column c : frame.columns()) {
      columns.get(c.name()).addColumn(c);
      progress.columnDone(c.name(), ++done, frame.columnCount());
    }
    rows += frame.rowCount();
  }

  /**
   * Adds one row; columns the row lacks are missing, keys the profile lacks are ignored. The row
   * is checked whole before anything is added, so a bad row leaves the profile as it was.
   *
   * @throws InvalidInputException if a numeric column gets a value that is not a number
   */
  void addRow(Map<String, ?> row) {
    Object[] converted = new Object[columns.size()];
    int i = 0;
    for (ColumnAccumulator c : columns.values()) {
      converted[i++] = c.convert(row.get(c.name()));
    }
    i = 0;
    for (ColumnAccumulator c : columns.values()) {
      c.addConverted(converted[i++]);
    }
    rows++;
  }

  long rows() {
    return rows;
  }

  /**
   * Folds a profile of the same columns into this one.
   *
   * @throws InvalidInputException if the columns, their kinds or their bins differ
   */
  void merge(Profile p) {
    if (!p.columns().keySet().equals(columns.keySet())) {
      throw new InvalidInputException("cannot merge profiles of different columns: " + columns.keySet() + " and "
          + p.columns().keySet() + "; profile the same columns in every part");
    }
    for (ColumnProfile c : p.columns().values()) {
      ColumnAccumulator mine = columns.get(c.name());
      if (mine.isNumeric() != c.isNumeric()) {
        throw new InvalidInputException("cannot merge profiles: column '" + c.name() + "' is numeric in one and "
            + "categorical in the other; give it the same type in every part");
      }
    }
    for (ColumnProfile c : p.columns().values()) {
      columns.get(c.name()).merge(c);
    }
    rows += p.rowCount();
  }

  Profile freeze() {
    Map<String, ColumnProfile> frozen = new LinkedHashMap<>();
    columns.forEach((name, c) -> frozen.put(name, c.freeze()));
    return new Profile(rows, frozen);
  }
}
