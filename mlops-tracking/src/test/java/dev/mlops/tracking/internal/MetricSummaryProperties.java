package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.tracking.Metric;
import dev.mlops.tracking.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The summary the store keeps of each metric history, on SQLite and on PostgreSQL: whatever the
 * history (steps out of order, equal steps, negative or huge steps, NaN, infinities, negative
 * zero, equal values, fewer points than buckets) and however it is split into logged batches,
 * the store's summary in at most {@code maxBuckets} buckets is what a brute-force M4 of the
 * whole history at the finest level with that few buckets gives.
 */
class MetricSummaryProperties {
  private Path folder;
  private PostgresTestDatabase postgres;
  private JdbcStore store;
  private String experimentId;

  // one store for all tries of a property, opened by its first try
  private void open(boolean onPostgres) throws Exception {
    if (store != null) {
      return;
    }
    String uri;
    if (onPostgres) {
      postgres = PostgresTestDatabase.createSchema("summary");
      uri = postgres.url();
    } else {
      folder = Files.createTempDirectory("summary");
      uri = "sqlite:" + folder.resolve("mlops.db");
    }
    store = JdbcStore.open(TrackingUri.parse(uri), Duration.ofSeconds(30), 0L);
    experimentId = store.experiment("summaries", Map.of(), 0L).id();
  }

  @AfterProperty
  void close() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    if (postgres != null) {
      postgres.dropSchema();
    }
    if (folder != null) {
      try (var files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Provide
  Arbitrary<List<Metric>> histories() {
    Arbitrary<Double> values = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.doubles().between(-3, 3)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of(0.0, -0.0, 1.0, -1.0)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    Arbitrary<Long> steps = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(-200, 3_000)),
        net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 20)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-5, 5).map(s -> s << 30)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L)));
    Arbitrary<Long> times = Arbitraries.longs().between(1_000, 1_010);
    return Combinators.combine(values, times, steps).as(Metric::new).list().ofMaxSize(300);
  }

  @Property(tries = 60)
  void sqliteSummariesAreTheBruteForceM4OfTheHistory(@ForAll("histories") List<Metric> history,
      @ForAll @IntRange(min = 1, max = 60) int maxBuckets, @ForAll @IntRange(min = 1, max = 40) int batch)
      throws Exception {
    open(false);
    checkAgainstBruteForce(history, maxBuckets, batch);
  }

  @Property(tries = 30)
  void postgresSummariesAreTheBruteForceM4OfTheHistory(@ForAll("histories") List<Metric> history,
      @ForAll @IntRange(min = 1, max = 60) int maxBuckets, @ForAll @IntRange(min = 1, max = 40) int batch)
      throws Exception {
    open(true);
    checkAgainstBruteForce(history, maxBuckets, batch);
  }

  private void checkAgainstBruteForce(List<Metric> history, int maxBuckets, int batch) {
    String runId = UUID.randomUUID().toString().replace("-", "");
    store.createRun(new NewRun(runId, experimentId, "r", null, 0L, Map.of()));
    List<MetricPoint> points = new ArrayList<>();
    for (Metric m : history) {
      points.add(new MetricPoint(runId, "loss", m.value(), m.timestamp(), m.step()));
    }
    // batches of varying size, as the writer sends them; another key in the same batches stays apart
    for (int from = 0; from < points.size(); from += batch) {
      List<MetricPoint> chunk = new ArrayList<>(points.subList(from, Math.min(points.size(), from + batch)));
      chunk.add(new MetricPoint(runId, "other", 1e9, 0L, from));
      store.logMetrics(chunk);
    }
    Optional<List<Metric>> expected = BruteForceSummary.m4(history, maxBuckets);
    Optional<MetricSummary> actual = store.metricSummary(runId, "loss", maxBuckets);
    assertEquals(expected, actual.map(MetricSummary::representatives), () -> "history " + history);
    actual.ifPresent(s -> assertEquals(history.size(), s.totalPoints()));
  }
}
