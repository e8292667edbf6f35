package dev.mlops.monitoring.internal;

import java.util.Arrays;

/**
 * Distinct numeric values in ascending order with how often each occurred.
 *
 * @param values ascending distinct values
 * @param counts the count of each
 */
public record ValueCounts(double[] values, long[] counts) {
  public ValueCounts {
    values = values.clone();
    counts = counts.clone();
  }

  /** How many distinct values. */
  public int size() {
    return values.length;
  }

  /** The count of {@code v}, 0 if it never occurred. */
  public long countOf(double v) {
    int i = Arrays.binarySearch(values, v);
    return i >= 0 ? counts[i] : 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueCounts vc && Arrays.equals(vc.values, values) && Arrays.equals(vc.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "ValueCounts" + Arrays.toString(values) + Arrays.toString(counts);
  }
}
