package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.ModelUri;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ServingProperties {

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("abcXYZ019_.- :").ofMinLength(1).ofMaxLength(20).filter(s -> !s.isBlank());
  }

  @Provide
  Arbitrary<String> aliases() {
    return Arbitraries.strings().withChars("abcxyz019_-").ofMinLength(1).ofMaxLength(12);
  }

  @Property
  void aliasUrisReadBackAsWritten(@ForAll("names") String name, @ForAll("aliases") String alias) {
    ModelUri uri = ModelUri.alias(name, alias);
    assertEquals(uri, ModelUri.parse(uri.toString()));
    assertEquals(alias, ModelUri.parse(uri.toString()).aliasName().orElseThrow());
  }

  @Property
  void versionUrisReadBackAsWritten(@ForAll("names") String name, @ForAll @IntRange(min = 1) int version) {
    ModelUri uri = ModelUri.version(name, version);
    assertEquals(uri, ModelUri.parse(uri.toString()));
    assertEquals(version, ModelUri.parse(uri.toString()).fixedVersion().orElseThrow());
  }

  @Property
  void textThatIsNotAModelUriIsRefusedNamingIt(@ForAll("names") String name) {
    for (String bad : List.of(name, "model:/" + name + "@a", "models:/" + name + "/0", "models:/" + name + "@",
        "models:/" + name + "/x@a", "models:/@a")) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelUri.parse(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Provide
  Arbitrary<Object> values() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().between(-1e9, 1e9).map(d -> (Object) d),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null));
  }

  @Provide
  Arbitrary<List<Map<String, Object>>> frames() {
    Arbitrary<List<String>> columns = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6)
        .set().ofMinSize(1).ofMaxSize(5).map(ArrayList::new);
    return columns.flatMap(cols -> Combinators.combine(values().list().ofSize(cols.size()), Arbitraries.just(cols))
        .as((vals, names) -> {
          Map<String, Object> row = new HashMap<>();
          for (int i = 0; i < names.size(); i++) {
            row.put(names.get(i), vals.get(i));
          }
          return row;
        })
        .list().ofMinSize(1).ofMaxSize(6));
  }

  @Property
  void splitAndRecordsBodiesReadAsTheSameRows(@ForAll("frames") List<Map<String, Object>> rows) {
    Set<String> columns = new LinkedHashSet<>(rows.get(0).keySet());
    ObjectNode split = CanonicalJson.object();
    ObjectNode frame = split.putObject(InvocationRequest.SPLIT);
    ArrayNode names = frame.putArray("columns");
    columns.forEach(names::add);
    ArrayNode data = frame.putArray("data");
    ObjectNode records = CanonicalJson.object();
    ArrayNode list = records.putArray(InvocationRequest.RECORDS);
    for (Map<String, Object> row : rows) {
      ArrayNode values = data.addArray();
      ObjectNode record = list.addObject();
      for (String c : columns) {
        values.add(CanonicalJson.toTree(row.get(c)));
        record.set(c, CanonicalJson.toTree(row.get(c)));
      }
    }
    assertEquals(rows, InvocationRequest.parse(CanonicalJson.toBytes(split)));
    assertEquals(rows, InvocationRequest.parse(CanonicalJson.toBytes(records)));
  }

  @Property
  void theHistogramAndStatusCountsLoseNoRequest(
      @ForAll @Size(max = 200) List<@IntRange(min = 200, max = 599) Integer> statuses,
      @ForAll @Size(min = 200, max = 200) List<@IntRange(min = 0, max = 20_000_000) Integer> nanos) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ServingMetrics metrics = new ServingMetrics(registry, 8080);
    for (int i = 0; i < statuses.size(); i++) {
      metrics.started();
      metrics.finished(Endpoint.values()[i % Endpoint.values().length], statuses.get(i), nanos.get(i));
    }
    long counted = 0;
    for (Timer t : registry.find(ServingMetrics.REQUESTS).timers()) {
      long previous = 0;
      for (CountAtBucket b : t.takeSnapshot().histogramCounts()) {
        assertTrue(b.count() >= previous, "buckets are cumulative");
        previous = (long) b.count();
      }
      counted += t.count();
    }
    assertEquals(statuses.size(), counted, "every request is counted under its endpoint and status");
    assertEquals(0.0, registry.get(ServingMetrics.IN_FLIGHT).gauge().value());
    metrics.close();
    assertTrue(registry.getMeters().isEmpty(), "closing takes every meter out of the registry");
  }
}
