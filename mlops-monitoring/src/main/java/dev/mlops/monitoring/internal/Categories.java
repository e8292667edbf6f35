package dev.mlops.monitoring.internal;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * Frozen category counts: the kept categories with their exact counts, and how many occurrences
 * fell into the overflow bucket.
 *
 * @param counts the kept categories in ranking order
 * @param overflow occurrences of categories that were not kept
 * @param limit how many categories may be kept
 */
public record Categories(Map<String, Long> counts, long overflow, int limit) {
  public Categories {
    counts = ImmutableMap.copyOf(counts);
  }

  /** Total occurrences, overflow included. */
  public long total() {
    long t = overflow;
    for (long c : counts.values()) {
      t += c;
    }
    return t;
  }

  /** A mutable copy to merge into. */
  public CategoryCounts thaw() {
    CategoryCounts c = new CategoryCounts(limit);
    counts.forEach(c::add);
    c.addOverflow(overflow);
    return c;
  }
}
