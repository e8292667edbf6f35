package dev.mlops.monitoring.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts per category, bounded: at most {@code limit} categories are kept, chosen by the smallest
 * hash, and every other occurrence goes to an overflow count. Which categories are kept depends
 * only on the set of categories seen, never on the order or grouping, so a category kept in the
 * merged result was kept in every part and its count is exact: merging is associative and
 * commutative.
 */
public final class CategoryCounts {
  /** How categories are ranked for keeping: by a fixed hash, then by text. */
  public static final Comparator<String> RANK =
      Comparator.comparingLong(CategoryCounts::rankHash).thenComparing(Comparator.naturalOrder());

  private final int limit;
  private final Map<String, long[]> counts = new HashMap<>();
  private final TreeSet<String> kept = new TreeSet<>(RANK);
  private long overflow;

  public CategoryCounts(int limit) {
    this.limit = limit;
  }

  /** A fixed 64-bit mix of the string's specified hash code. */
  static long rankHash(String s) {
    long z = s.hashCode() * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Adds one occurrence of a category. */
  public void add(String category) {
    add(category, 1);
  }

  /** Adds {@code n} occurrences of a category. */
  public void add(String category, long n) {
    long[] c = counts.get(category);
    if (c != null) {
      c[0] += n;
      return;
    }
    if (counts.size() < limit) {
      counts.put(category, new long[] {n});
      kept.add(category);
      return;
    }
    String last = kept.last();
    if (RANK.compare(category, last) < 0) {
      kept.pollLast();
      overflow += counts.remove(last)[0];
      counts.put(category, new long[] {n});
      kept.add(category);
    } else {
      overflow += n;
    }
  }

  /** Adds occurrences that already went to an overflow elsewhere. */
  public void addOverflow(long n) {
    overflow += n;
  }

  /** The frozen counts. */
  public Categories freeze() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String k : kept) {
      out.put(k, counts.get(k)[0]);
    }
    return new Categories(out, overflow, limit);
  }
}
