package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CanonicalJsonProperties {

  @Provide
  Arbitrary<Map<String, Object>> documents() {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(8),
            Arbitraries.integers(),
            Arbitraries.doubles(),
            Arbitraries.of(true, false));
    Arbitrary<Map<String, Object>> flat = Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), leaf).ofMaxSize(6);
    Arbitrary<Object> value = Arbitraries.oneOf(leaf, flat.map(m -> (Object) m), leaf.list().ofMaxSize(3).map(l -> (Object) l));
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), value).ofMaxSize(8);
  }

  @Property
  void equalMapsInAnyInsertionOrderGiveEqualBytes(@ForAll("documents") Map<String, Object> doc, @ForAll long seed) {
    Map<String, Object> shuffled = shuffle(doc, new Random(seed));
    assertArrayEquals(CanonicalJson.toBytes(doc), CanonicalJson.toBytes(shuffled));
    assertArrayEquals(CanonicalJson.toBytes(doc), CanonicalJson.toBytes(CanonicalJson.toTree(shuffled)));
  }

  @Property
  void parsingAndWritingAgainIsStable(@ForAll("documents") Map<String, Object> doc) {
    byte[] once = CanonicalJson.toBytes(doc);
    byte[] twice = CanonicalJson.toBytes(CanonicalJson.parse(once));
    assertEquals(new String(once, StandardCharsets.UTF_8), new String(twice, StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> shuffle(Map<String, Object> doc, Random random) {
    List<String> keys = new ArrayList<>(doc.keySet());
    Collections.shuffle(keys, random);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : keys) {
      Object v = doc.get(k);
      out.put(k, v instanceof Map<?, ?> m ? shuffle((Map<String, Object>) m, random) : v);
    }
    return out;
  }

  @net.jqwik.api.Example
  void sortsKeysAtEveryDepthWithoutWhiteSpace() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", List.of(2, 3));
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("b", inner);
    outer.put("a", "x");
    assertEquals("{\"a\":\"x\",\"b\":{\"a\":[2,3],\"z\":1}}", CanonicalJson.toString(outer));
  }

  record Point(double y, double x) {}

  @net.jqwik.api.Example
  void recordsAreWrittenWithSortedProperties() {
    assertEquals("{\"x\":1.0,\"y\":2.0}", CanonicalJson.toString(new Point(2, 1)));
  }
}
