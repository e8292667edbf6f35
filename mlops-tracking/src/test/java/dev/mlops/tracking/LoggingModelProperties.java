package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.core.ConflictException;
import dev.mlops.tracking.internal.StoredText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Model-based: any sequence of valid log calls, read back, equals what an in-memory model of
 * MLflow's rules says — params write-once, tags last-write-wins, metrics appended in order with
 * the latest point by step then timestamp.
 */
class LoggingModelProperties {
  private static Path dir;
  private static Tracker tracker;
  private static Experiment experiment;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("mlops-model-property");
    // a tiny queue makes the writer apply back pressure throughout
    tracker = Tracker.builder("sqlite:" + dir.resolve("mlops.db")).queueCapacity(4)
        .environment(TrackerContract.ENVIRONMENT).build();
    experiment = tracker.experiment("model-based");
  }

  @AfterContainer
  static void close() throws IOException {
    tracker.close();
    TestFolders.deleteTree(dir);
  }

  sealed interface Call permits ParamCall, TagCall, MetricCall {}

  record ParamCall(String key, String value) implements Call {}

  record TagCall(String key, String value) implements Call {}

  record MetricCall(String key, double value, long step, long timestamp) implements Call {}

  @Provide
  Arbitrary<List<Call>> calls() {
    Arbitrary<String> keys = Arbitraries.of("a", "b", "loss", "val/acc", "x.y", "sp ace", "é:1");
    Arbitrary<String> texts = Arbitraries.oneOf(Arbitraries.of("0.1", "0.2", ""),
        // text with NUL or a lone surrogate is refused up front (see StoreHardeningContract)
        Arbitraries.strings().ofMaxLength(20).filter(s -> StoredText.firstUnstorable(s) < 0));
    Arbitrary<Double> values = Arbitraries.oneOf(Arbitraries.doubles(),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE));
    Arbitrary<Call> param = Combinators.combine(keys, texts).as(ParamCall::new);
    Arbitrary<Call> tag = Combinators.combine(keys, texts).as(TagCall::new);
    Arbitrary<Call> metric = Combinators.combine(keys, values, Arbitraries.longs().between(-3, 3),
        Arbitraries.longs().between(0, 5)).as(MetricCall::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, param), net.jqwik.api.Tuple.of(2, tag), net.jqwik.api.Tuple.of(6, metric))
        .list().ofMaxSize(40);
  }

  @Property(tries = 150)
  void whatIsLoggedIsWhatIsReadBack(@ForAll("calls") List<Call> calls) {
    Map<String, String> params = new HashMap<>();
    Map<String, String> tags = new HashMap<>();
    Map<String, List<Metric>> metrics = new TreeMap<>();
    try (Run run = experiment.run("try").start()) {
      for (Call call : calls) {
        if (call instanceof ParamCall p) {
          String old = params.get(p.key());
          if (old != null && !old.equals(p.value())) {
            assertThrows(ConflictException.class, () -> run.param(p.key(), p.value()));
          } else {
            run.param(p.key(), p.value());
            params.put(p.key(), p.value());
          }
        } else if (call instanceof TagCall t) {
          run.tag(t.key(), t.value());
          tags.put(t.key(), t.value());
        } else if (call instanceof MetricCall m) {
          run.metric(m.key(), m.value(), m.step(), m.timestamp());
          metrics.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(new Metric(m.value(), m.timestamp(), m.step()));
        }
      }
      RunRecord record = run.record();
      assertEquals(params, record.params());
      assertEquals(tags, record.tags().entrySet().stream().filter(e -> !e.getKey().startsWith("mlops."))
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      assertEquals(metrics.keySet(), record.metrics().keySet());
      for (Map.Entry<String, List<Metric>> e : metrics.entrySet()) {
        assertEquals(bits(e.getValue()), bits(tracker.metricHistory(run.id(), e.getKey())), e.getKey());
        Metric latest = e.getValue().get(0);
        for (Metric m : e.getValue()) {
          if (m.step() > latest.step() || (m.step() == latest.step() && m.timestamp() >= latest.timestamp())) {
            latest = m;
          }
        }
        assertEquals(bits(List.of(latest)), bits(List.of(record.metrics().get(e.getKey()))), e.getKey());
      }
    }
  }

  // Records compare doubles with ==-like semantics only through equals(); compare the bits so NaN
  // and -0.0 must come back exactly.
  private static List<String> bits(List<Metric> metrics) {
    return metrics.stream()
        .map(m -> Long.toHexString(Double.doubleToRawLongBits(m.value())) + "@" + m.step() + "/" + m.timestamp())
        .toList();
  }
}
