package dev.mlops.monitoring;

import dev.mlops.core.CategoricalColumn;
import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.NumericColumn;
import dev.mlops.monitoring.internal.RadixSort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reference frame prepared once for exact drift tests: every numeric column's finite values
 * sorted (columns in parallel), every categorical column counted. Compare many current frames
 * against it with {@link Drift#between(SortedReference, Frame)} and the reference is never sorted
 * again. Immutable; it holds a copy of the reference's values (about as much memory as the frame).
 *
 * <pre>{@code
 * SortedReference reference = SortedReference.of(trainingFrame);
 * for (Frame day : days) {
 *   DriftReport report = Drift.between(reference, day).run();
 * }
 * }</pre>
 */
public final class SortedReference {
  private final List<String> columnNames;
  private final int rowCount;
  private final Map<String, Object> samples;
  private final Map<String, Integer> sizes;

  private SortedReference(Frame frame) {
    this.columnNames = List.copyOf(frame.columnNames());
    this.rowCount = frame.rowCount();
    List<Object> prepared = columnNames.parallelStream().map(name -> prepare(frame.column(name))).toList();
    Map<String, Object> s = new LinkedHashMap<>();
    Map<String, Integer> n = new LinkedHashMap<>();
    for (int i = 0; i < columnNames.size(); i++) {
      s.put(columnNames.get(i), prepared.get(i));
      n.put(columnNames.get(i), frame.column(columnNames.get(i)).size());
    }
    this.samples = Map.copyOf(s);
    this.sizes = Map.copyOf(n);
  }

  /** Sorts and counts the columns of {@code frame}. */
  public static SortedReference of(Frame frame) {
    return new SortedReference(Objects.requireNonNull(frame, "frame"));
  }

  /** The reference's column names, in order. */
  public List<String> columnNames() {
    return columnNames;
  }

  /** The reference's number of rows. */
  public int rowCount() {
    return rowCount;
  }

  /** A {@link SortedSample} or a {@link CategoricalSample}, or null for another kind of column. */
  static Object prepare(Column column) {
    return prepare(column, new RadixSort.Scratch());
  }

  /** {@link #prepare(Column)}, a numeric column sorted in the arrays of {@code scratch}. */
  static Object prepare(Column column, RadixSort.Scratch scratch) {
    if (column instanceof NumericColumn n) {
      return SortedSample.of(n, scratch);
    }
    if (column instanceof CategoricalColumn c) {
      return CategoricalSample.of(c);
    }
    return null;
  }

  Object sample(String column) {
    return samples.get(column);
  }

  int size(String column) {
    return sizes.get(column);
  }
}
