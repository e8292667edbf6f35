package dev.mlops.monitoring;

import dev.mlops.core.CategoricalColumn;
import dev.mlops.monitoring.internal.Categories;
import dev.mlops.monitoring.internal.CategoryCounts;
import java.util.HashMap;
import java.util.Map;

/**
 * One side of a categorical column as a drift test sees it: counts per category (all of them
 * from a frame, the kept ones from a profile), the overflow count and the missing count.
 *
 * @param counts occurrences per category
 * @param other occurrences of categories a profile did not keep
 * @param missing rows without a value
 * @param lastKept the highest-ranked kept category when some were not kept, else null
 */
record CategoricalSample(Map<String, Long> counts, long other, long missing, String lastKept) {
  static CategoricalSample of(CategoricalColumn column) {
    Map<String, long[]> counts = new HashMap<>();
    long missing = 0;
    int size = column.size();
    for (int i = 0; i < size; i++) {
      String v = column.get(i);
      if (v == null) {
        missing++;
      } else {
        counts.computeIfAbsent(v, k -> new long[1])[0]++;
      }
    }
    Map<String, Long> out = new HashMap<>(counts.size() * 2);
    counts.forEach((k, v) -> out.put(k, v[0]));
    return new CategoricalSample(out, 0, missing, null);
  }

  static CategoricalSample of(ColumnProfile profile) {
    Categories c = profile.categoryCounts();
    String last = null;
    if (c.overflow() > 0) {
      for (String k : c.counts().keySet()) {
        last = k;
      }
    }
    return new CategoricalSample(c.counts(), c.overflow(), profile.missing(), last);
  }

  long count() {
    long n = other;
    for (long v : counts.values()) {
      n += v;
    }
    return n;
  }

  /** Whether a category absent from these counts is certainly absent from the data. */
  boolean certainlyLacks(String category) {
    return !counts.containsKey(category)
        && (lastKept == null || CategoryCounts.RANK.compare(category, lastKept) < 0);
  }
}
