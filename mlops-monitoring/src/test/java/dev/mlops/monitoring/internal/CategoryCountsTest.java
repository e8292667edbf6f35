package dev.mlops.monitoring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The bounded category counts keep the same categories, with exact counts, however the data is split. */
class CategoryCountsTest {
  @Property(tries = 100)
  void anySplitAndMergeOrderGivesTheSameCounts(
      @ForAll @Size(max = 300) List<@StringLength(min = 1, max = 3) String> values,
      @ForAll @IntRange(min = 1, max = 12) int limit,
      @ForAll @IntRange(min = 1, max = 5) int parts,
      @ForAll long seed) {
    CategoryCounts whole = new CategoryCounts(limit);
    values.forEach(whole::add);
    Categories expected = whole.freeze();

    List<Categories> pieces = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      CategoryCounts piece = new CategoryCounts(limit);
      values.subList(values.size() * p / parts, values.size() * (p + 1) / parts).forEach(piece::add);
      pieces.add(piece.freeze());
    }
    Collections.shuffle(pieces, new Random(seed));
    CategoryCounts merged = new CategoryCounts(limit);
    for (Categories c : pieces) {
      c.counts().forEach(merged::add);
      merged.addOverflow(c.overflow());
    }
    assertEquals(expected, merged.freeze());

    Map<String, Long> truth = new HashMap<>();
    values.forEach(v -> truth.merge(v, 1L, Long::sum));
    expected.counts().forEach((k, n) -> assertEquals(truth.get(k), n, "count of kept category " + k));
    assertEquals(values.size(), expected.total());
    assertTrue(expected.counts().size() <= limit);
  }

  @Property(tries = 50)
  void distinctValuesDependOnlyOnTheSetOfValues(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 80) Integer> values, @ForAll long seed) {
    DistinctValues a = new DistinctValues();
    values.forEach(v -> a.add(v));
    List<Integer> shuffled = new ArrayList<>(values);
    Collections.shuffle(shuffled, new Random(seed));
    DistinctValues b = new DistinctValues();
    shuffled.forEach(v -> b.add(v));
    assertEquals(a.freeze(), b.freeze());
    assertEquals(values.stream().distinct().count() > DistinctValues.LIMIT, a.overflowed());
  }
}
