package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.tracking.Metric;
import dev.mlops.tracking.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  @Property(tries = 40)
  void sqliteBackfilledSummariesEqualThoseKeptWhileLogging(@ForAll("histories") List<Metric> history,
      @ForAll @IntRange(min = 1, max = 60) int maxBuckets, @ForAll @IntRange(min = 1, max = 40) int batch,
      @ForAll @IntRange(min = 0, max = 300) int before, @ForAll @IntRange(min = 1, max = 60) int chunk)
      throws Exception {
    open(false);
    checkBackfill(history, maxBuckets, batch, before, chunk);
  }

  @Property(tries = 20)
  void postgresBackfilledSummariesEqualThoseKeptWhileLogging(@ForAll("histories") List<Metric> history,
      @ForAll @IntRange(min = 1, max = 60) int maxBuckets, @ForAll @IntRange(min = 1, max = 40) int batch,
      @ForAll @IntRange(min = 0, max = 300) int before, @ForAll @IntRange(min = 1, max = 60) int chunk)
      throws Exception {
    open(true);
    checkBackfill(history, maxBuckets, batch, before, chunk);
  }

  // One run logs the history with its summary kept throughout; another logs its first points, loses
  // their summary as a history logged before the store kept summaries has none, logs the rest; the
  // first chart of the second gives the same summary and leaves the same rows as the first's. Most
  // tries read the points back in chunks of a few, as a long history is, before the chart asks.
  private void checkBackfill(List<Metric> history, int maxBuckets, int batch, int before, int chunk) {
    String kept = newRun();
    log(kept, history, batch);
    String old = newRun();
    int split = Math.min(before, history.size());
    log(old, history.subList(0, split), batch);
    store.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM metric_buckets WHERE run_id = ? AND key = 'loss'");
          PreparedStatement mark = c.prepareStatement(
              "INSERT INTO unsummarized_metrics (run_id, key) VALUES (?, 'loss')")) {
        p.setString(1, old);
        p.executeUpdate();
        mark.setString(1, old);
        mark.executeUpdate();
      }
      return null;
    });
    log(old, history.subList(split, history.size()), batch);
    if (chunk <= 50) {
      store.backfillSummary(old, "loss", chunk);
    }
    Optional<MetricSummary> expected = store.metricSummary(kept, "loss", maxBuckets);
    assertEquals(expected, store.metricSummary(old, "loss", maxBuckets), () -> "history " + history);
    assertEquals(BruteForceSummary.m4(history, maxBuckets), expected.map(MetricSummary::representatives));
    assertEquals(rows(kept), rows(old), () -> "history " + history);
    long marked = store.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM unsummarized_metrics WHERE run_id = ?")) {
        p.setString(1, old);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
    assertEquals(0L, marked, "the history is marked as summarised");
  }

  @net.jqwik.api.Example
  void sqliteBackfillWhileAWriterAppendsToTheSameHistory() throws Exception {
    open(false);
    checkConcurrentBackfill();
  }

  @net.jqwik.api.Example
  void postgresBackfillWhileAWriterAppendsToTheSameHistory() throws Exception {
    open(true);
    checkConcurrentBackfill();
  }

  // Whichever way the writer's batches and the backfill interleave, the summary ends as if kept throughout.
  private void checkConcurrentBackfill() throws Exception {
    List<Metric> history = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      history.add(new Metric(Math.sin(i / 37.0), 1_000L + i, (i * 7919L) % 5_000));
    }
    String kept = newRun();
    log(kept, history, 100);
    String old = newRun();
    log(old, history.subList(0, 10_000), 100);
    store.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM metric_buckets WHERE run_id = ?");
          PreparedStatement mark = c.prepareStatement("INSERT INTO unsummarized_metrics (run_id, key) VALUES (?, 'loss')")) {
        p.setString(1, old);
        p.executeUpdate();
        mark.setString(1, old);
        mark.executeUpdate();
      }
      return null;
    });
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    Thread writer = new Thread(() -> {
      for (int from = 10_000; from < history.size(); from += 10) {
        log(old, history.subList(from, from + 10), 10);
        started.countDown();
      }
    });
    writer.start();
    started.await();
    store.backfillSummary(old, "loss", 1_000);
    writer.join();
    assertEquals(rows(kept), rows(old));
    assertEquals(store.metricSummary(kept, "loss", 500), store.metricSummary(old, "loss", 500));
  }

  private String newRun() {
    String runId = UUID.randomUUID().toString().replace("-", "");
    store.createRun(new NewRun(runId, experimentId, "r", null, 0L, Map.of()));
    return runId;
  }

  private void log(String runId, List<Metric> history, int batch) {
    for (int from = 0; from < history.size(); from += batch) {
      List<MetricPoint> chunk = new ArrayList<>();
      for (Metric m : history.subList(from, Math.min(history.size(), from + batch))) {
        chunk.add(new MetricPoint(runId, "loss", m.value(), m.timestamp(), m.step()));
      }
      store.logMetrics(chunk);
    }
  }

  // the stored rows of the history's summary, every column but the run's id, in key order; typed
  // values, since the PostgreSQL driver's text for a double differs once it fetches in binary
  private List<String> rows(String runId) {
    return store.read(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM metric_buckets WHERE run_id = ? AND key = 'loss'"
          + " ORDER BY level, bucket")) {
        p.setString(1, runId);
        try (ResultSet rs = p.executeQuery()) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              if (!rs.getMetaData().getColumnName(i).equalsIgnoreCase("run_id")) {
                row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getObject(i)).append(' ');
              }
            }
            out.add(row.toString());
          }
        }
      }
      return out;
    });
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
