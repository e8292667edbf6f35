package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConflictException;
import dev.mlops.core.StoreUnavailableException;
import dev.mlops.tracking.PostgresTestDatabase;
import dev.mlops.tracking.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's own guarantees, on a SQLite file and on the real PostgreSQL server: a statement
 * that runs past the timeout is stopped by the database, a constraint violation is a conflict,
 * and a search's SQL has one set of run ids per distinct filter key however many clauses name
 * it, read from the key's covering index rather than joined row by row.
 */
class JdbcStoreTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  // Never ends by itself: counts upwards for ever.
  private static final String ENDLESS_SQLITE =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

  @TempDir Path temp;

  private JdbcStore sqlite() {
    return JdbcStore.open(TrackingUri.parse("sqlite:" + temp.resolve("mlops.db")), SHORT, 0L);
  }

  private static void endless(JdbcStore store, String sql) {
    store.readBounded(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        return rs.next();
      }
    });
  }

  private static String scalar(JdbcStore store, String sql) {
    return store.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  private static void assertStoppedByTheTimeout(JdbcStore store, String endlessSql) {
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> endless(store, endlessSql));
    assertTrue(e.getMessage().contains("statement timeout of 300 ms")
        && e.getMessage().contains("Tracker.builder(uri).statementTimeout"), e.getMessage());
  }

  @Test
  void sqliteStopsAStatementThatRunsPastTheTimeoutAndTheConnectionsStayUsable() {
    try (JdbcStore store = sqlite()) {
      for (int i = 0; i < 5; i++) {
        assertStoppedByTheTimeout(store, ENDLESS_SQLITE);
      }
      // every pooled connection lost its progress handler: unbounded reads run on
      assertEquals("3", scalar(store, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3)"
          + " SELECT count(*) FROM c"));
    }
  }

  @Test
  void postgresqlStopsAStatementThatRunsPastTheTimeoutAndTheLimitDoesNotStayOnTheConnection() {
    PostgresTestDatabase db = PostgresTestDatabase.createSchema("timeout");
    try (JdbcStore store = JdbcStore.open(TrackingUri.parse(db.url()), SHORT, 0L)) {
      for (int i = 0; i < 5; i++) {
        assertStoppedByTheTimeout(store, "SELECT pg_sleep(30)");
      }
      assertEquals("0", scalar(store, "SHOW statement_timeout"), "the limit ended with its transaction");
    } finally {
      db.dropSchema();
    }
  }

  @Test
  void aConstraintViolationIsAConflictOnSqlite() {
    try (JdbcStore store = sqlite()) {
      assertDuplicateIsAConflict(store);
    }
  }

  @Test
  void aConstraintViolationIsAConflictOnPostgresql() {
    onPostgresql("conflict", JdbcStoreTest::assertDuplicateIsAConflict);
  }

  // A check on a store in a fresh schema of the test server, dropped afterwards.
  private static void onPostgresql(String purpose, java.util.function.Consumer<JdbcStore> check) {
    PostgresTestDatabase db = PostgresTestDatabase.createSchema(purpose);
    try (JdbcStore store = JdbcStore.open(TrackingUri.parse(db.url()), SHORT, 0L)) {
      check.accept(store);
    } finally {
      db.dropSchema();
    }
  }

  private static void assertDuplicateIsAConflict(JdbcStore store) {
    store.write(c -> insertSetting(c, "twice"));
    ConflictException e = assertThrows(ConflictException.class, () -> store.write(c -> insertSetting(c, "twice")));
    assertTrue(e.getMessage().contains("breaks a constraint") && !e.getMessage().contains("reachable"), e.getMessage());
  }

  @Test
  void sqliteCopiesItsLogBackOnAThreadOfItsOwnOnceEvery32CommitsAndStopsTheThreadWhenClosed() throws Exception {
    Set<Thread> before = checkpointThreads();
    Path file = temp.resolve("mlops.db");
    try (JdbcStore store = sqlite()) {
      assertEquals(String.valueOf(SqliteDialect.SAFETY_NET_PAGES), scalar(store, "PRAGMA wal_autocheckpoint"),
          "a commit checkpoints by itself only past the safety net");
      String experiment = store.experiment("log", java.util.Map.of(), 0L).id();
      long stored = Files.size(file);
      // a few hundred log pages: far below the safety net, so only the checkpointer copies them back
      for (int i = 0; i < WalCheckpointer.COMMITS * 3; i++) {
        store.createRun(new NewRun(String.format("%032x", i), experiment, "r" + i, null, i, java.util.Map.of("k", "v")));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while ((store.checkpoints() < 1 || Files.size(file) == stored) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(store.checkpoints() >= 1, "a checkpoint ran after " + WalCheckpointer.COMMITS + " commits");
      // the migration, the experiment and the runs: 98 commits ask for at most 3 checkpoints
      assertTrue(store.checkpoints() <= (2 + WalCheckpointer.COMMITS * 3) / WalCheckpointer.COMMITS,
          "no more than one checkpoint per " + WalCheckpointer.COMMITS + " commits: " + store.checkpoints());
      assertTrue(Files.size(file) > stored, "the database file took the log's pages: " + stored + " -> " + Files.size(file));
      assertFalse(difference(checkpointThreads(), before).isEmpty(), "the store runs its checkpointer on a thread of its own");
    }
    assertEquals(Set.of(), difference(checkpointThreads(), before), "closing the store stops its checkpointer");
    onPostgresql("nocheckpointer", store -> assertEquals(-1, store.checkpoints(), "PostgreSQL checkpoints by itself"));
  }

  private static Set<Thread> checkpointThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("mlops-sqlite-checkpoint") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }

  private static Set<Thread> difference(Set<Thread> a, Set<Thread> b) {
    Set<Thread> d = new HashSet<>(a);
    d.removeAll(b);
    return d;
  }

  @Test
  void aFailedWriteLeavesNothingInTheStatementsTheNextWriteReusesOnSqlite() {
    try (JdbcStore store = sqlite()) {
      assertAFailedWriteLeavesNothingBehind(store);
    }
  }

  @Test
  void aFailedWriteLeavesNothingInTheStatementsTheNextWriteReusesOnPostgresql() {
    onPostgresql("reuse", JdbcStoreTest::assertAFailedWriteLeavesNothingBehind);
  }

  // A trigger refuses the point of value 3, so the second batch fails inside the metric statements,
  // which every later write on the connection reuses (one writer at a time: the same connection).
  private static void assertAFailedWriteLeavesNothingBehind(JdbcStore store) {
    String experiment = store.experiment("reuse", java.util.Map.of(), 0L).id();
    String run = "c".repeat(32);
    store.createRun(new NewRun(run, experiment, "r", null, 0L, java.util.Map.of()));
    refuseThree(store);
    store.logBatch(run, null, 1L, java.util.Map.of(), java.util.Map.of(), List.of(new MetricPoint(run, "m", 1, 1L, 0L)));
    List<MetricPoint> broken = List.of(new MetricPoint(run, "m", 2, 2L, 1L), new MetricPoint(run, "m", 3, 3L, 2L));
    assertThrows(RuntimeException.class, () -> store.logBatch(run, null, 2L, java.util.Map.of(), java.util.Map.of(),
        broken));
    for (int i = 0; i < 3; i++) {
      store.logBatch(run, null, 3L, java.util.Map.of(), java.util.Map.of(), List.of(new MetricPoint(run, "m", 4 + i,
          4L + i, 3L + i)));
    }
    assertEquals(List.of(1.0, 4.0, 5.0, 6.0), store.metricHistory(run, "m").stream().map(dev.mlops.tracking.Metric::value)
        .toList(), "the failed batch left no point, neither then nor in the writes after it");
  }

  @Test
  void aRecordedRunIsWrittenWholeOrNotAtAllOnSqlite() {
    try (JdbcStore store = sqlite()) {
      assertARecordedRunIsWrittenWholeOrNotAtAll(store);
    }
  }

  @Test
  void aRecordedRunIsWrittenWholeOrNotAtAllOnPostgresql() {
    onPostgresql("recorded", JdbcStoreTest::assertARecordedRunIsWrittenWholeOrNotAtAll);
  }

  // The trigger refuses the last of the run's points, after its row, tags and params are written.
  private static void assertARecordedRunIsWrittenWholeOrNotAtAll(JdbcStore store) {
    String experiment = store.experiment("recorded", java.util.Map.of(), 0L).id();
    refuseThree(store);
    String refused = "d".repeat(32);
    assertThrows(RuntimeException.class, () -> store.recordRun(new NewRun(refused, experiment, "r", null, 10L,
        java.util.Map.of("kind", "trial")), RunStatus.FINISHED, 20L, java.util.Map.of("lr", "0.1"),
        List.of(new MetricPoint(refused, "m", 1, 11L, 0L), new MetricPoint(refused, "m", 3, 12L, 0L))));
    assertTrue(store.run(refused).isEmpty(), "no run row");
    for (String table : List.of("tags", "params", "metrics", "latest_metrics")) {
      int rows = store.read(c -> {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE run_id = '" + refused + "'")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertEquals(0, rows, "nothing in " + table);
    }

    String stored = "e".repeat(32);
    store.recordRun(new NewRun(stored, experiment, "r", null, 10L, java.util.Map.of("kind", "trial")),
        RunStatus.FAILED, 20L, java.util.Map.of("lr", "0.1"), List.of(new MetricPoint(stored, "m", 1, 11L, 0L)));
    dev.mlops.tracking.RunRecord r = store.run(stored).orElseThrow();
    assertEquals(RunStatus.FAILED, r.status());
    assertEquals(10L, r.startTime());
    assertEquals(20L, r.endTimeOrNull());
    assertEquals(java.util.Map.of("lr", "0.1"), r.params());
    assertEquals("trial", r.tags().get("kind"));
    assertEquals(1.0, r.metrics().get("m").value());
  }

  private static void refuseThree(JdbcStore store) {
    store.write(c -> {
      try (Statement s = c.createStatement()) {
        if (c.getMetaData().getDatabaseProductName().contains("SQLite")) {
          s.execute("CREATE TRIGGER refuse_three BEFORE INSERT ON metrics WHEN NEW.value = 3"
              + " BEGIN SELECT RAISE(ABORT, 'three refused'); END");
        } else {
          s.execute("CREATE FUNCTION refuse_three() RETURNS trigger AS $$ BEGIN IF NEW.value = 3 THEN"
              + " RAISE EXCEPTION 'three refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
          s.execute("CREATE TRIGGER refuse_three BEFORE INSERT ON metrics FOR EACH ROW EXECUTE FUNCTION refuse_three()");
        }
      }
      return null;
    });
  }

  @Test
  void aBatchIsWrittenOnceByItsKeyAndKeysAreForgottenByAgeAndNumberOnSqlite() {
    try (JdbcStore store = sqlite()) {
      assertBatchesAreWrittenOnce(store);
    }
  }

  @Test
  void aBatchIsWrittenOnceByItsKeyAndKeysAreForgottenByAgeAndNumberOnPostgresql() {
    onPostgresql("batches", JdbcStoreTest::assertBatchesAreWrittenOnce);
  }

  private static void assertBatchesAreWrittenOnce(JdbcStore store) {
    String experiment = store.experiment("batches", java.util.Map.of(), 0L).id();
    String run = "b".repeat(32);
    store.createRun(new NewRun(run, experiment, "r", null, 0L, java.util.Map.of()));
    List<MetricPoint> points = List.of(new MetricPoint(run, "loss", 0.5, 1L, 0L), new MetricPoint(run, "loss", 0.25, 2L,
        1L));
    assertTrue(store.logBatch(run, run + "/one", 100L, java.util.Map.of("lr", "0.1"), java.util.Map.of("t", "1"),
        points));
    assertTrue(!store.logBatch(run, run + "/one", 101L, java.util.Map.of("lr", "0.1"), java.util.Map.of("t", "2"),
        points), "a repeat finds its key");
    assertEquals(2, store.metricHistory(run, "loss").size(), "the repeat wrote no point");
    assertEquals("1", store.run(run).orElseThrow().tags().get("t"));

    assertThrows(ConflictException.class, () -> store.logBatch(run, run + "/two", 102L, java.util.Map.of("lr", "0.2"),
        java.util.Map.of(), points));
    assertEquals(2, store.metricHistory(run, "loss").size(), "a refused batch writes nothing");
    assertTrue(store.logBatch(run, run + "/two", 103L, java.util.Map.of(), java.util.Map.of(), points),
        "a refused batch's key is not kept, so its corrected repeat is written");
    assertThrows(dev.mlops.core.NotFoundException.class, () -> store.logBatch("c".repeat(32), "x/three", 104L,
        java.util.Map.of(), java.util.Map.of(), List.of()));

    for (int i = 0; i < 5; i++) {
      store.logBatch(run, run + "/later-" + i, 200L + i, java.util.Map.of(), java.util.Map.of(), List.of());
    }
    assertEquals(2, store.forgetBatches(150L, 100), "the two kept keys written before 150 are forgotten");
    assertEquals(2, store.forgetBatches(0L, 3), "beyond three, the oldest go");
    assertEquals("3", scalar(store, "SELECT COUNT(*) FROM written_batches"));
    assertTrue(store.logBatch(run, run + "/one", 300L, java.util.Map.of(), java.util.Map.of(), List.of()),
        "a forgotten key is new again");
    assertTrue(!store.logBatch(run, run + "/later-4", 301L, java.util.Map.of(), java.util.Map.of(), List.of()));
  }

  private static int insertSetting(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO store_settings (name, value) VALUES (?, 'x')")) {
      p.setString(1, name);
      return p.executeUpdate();
    }
  }

  @Test
  void aSearchHasOneSetPerDistinctFilterKeyHoweverManyClausesNameItAndOneJoinPerSortKey() {
    StringBuilder filter = new StringBuilder();
    for (int i = 0; i < FilterParser.MAX_CLAUSES; i++) {
      filter.append(i == 0 ? "" : " and ").append(switch (i % 3) {
        case 0 -> "metrics.acc > " + i;
        case 1 -> "params.lr != '" + i + "'";
        default -> "tags.team LIKE '" + i + "%'";
      });
    }
    List<OrderClause> order = new ArrayList<>();
    order.add(FilterParser.parseOrder("metrics.acc DESC"));
    order.add(FilterParser.parseOrder("metrics.loss ASC"));
    order.add(FilterParser.parseOrder("attributes.start_time"));
    SearchQuery query = new SearchQuery(List.of("1"), FilterParser.parseFilter(filter.toString()), order, 10, 0, false);
    for (Dialect dialect : List.of(new SqliteDialect(Path.of("x.db")), new PostgresDialect(TrackingUri.parse(
        "postgresql://h/db")))) {
      String sql = SearchSql.build(query, dialect).text();
      assertEquals(3, count(sql, "SELECT", 1), "one sub-query per distinct filter key: " + sql);
      assertEquals(2, count(sql, " JOIN "), sql);
      assertEquals(2, count(sql, " LEFT JOIN "), "one left join per sort key: " + sql);
    }
  }

  @Test
  void sqliteAnswersAFilterFromTheCoveringIndexesWithoutLookingUpEachRunByItsId() {
    try (JdbcStore store = sqlite()) {
      ExperimentRow e = store.experiment("plan", java.util.Map.of(), 0L);
      SearchQuery query = new SearchQuery(List.of(e.id()),
          FilterParser.parseFilter("metrics.m0 > 0.5 and params.p0 = 'v3' and params.p0 != 'v4'"),
          List.of(FilterParser.parseOrder("metrics.m1 DESC")), 10, 0, false);
      String text = plan(store, query);
      assertTrue(text.contains("SEARCH r USING COVERING INDEX runs_by_experiment"), text);
      assertTrue(text.contains("USING COVERING INDEX latest_metrics_by_key_value"), text);
      assertTrue(text.contains("USING COVERING INDEX params_by_key_value"), text);
      assertEquals(0, count(text, "sqlite_autoindex_runs_1"), "no run looked up by id per matching row: " + text);
    }
  }

  @Test
  void sqliteFindsTheRunsOfAStatusFromTheStatusIndexNotByReadingEveryRunOfTheExperiment() {
    try (JdbcStore store = sqlite()) {
      ExperimentRow e = store.experiment("status", java.util.Map.of(), 0L);
      for (String order : List.of("attributes.start_time ASC", "attributes.start_time DESC")) {
        SearchQuery query = new SearchQuery(List.of(e.id()), FilterParser.parseFilter("attributes.status = 'RUNNING'"),
            List.of(FilterParser.parseOrder(order)), 100, 0, false);
        String text = plan(store, query);
        assertTrue(text.contains("SEARCH r USING COVERING INDEX runs_by_status (experiment_id=? AND lifecycle_stage=?"
            + " AND status=?)"), text);
        // runs of the same start time are ordered among themselves, the rest is the index's order
        assertFalse(text.contains("USE TEMP B-TREE FOR ORDER BY"), "not all sorted afterwards: " + text);
      }
    }
  }

  // SQLite's plan for the search, one line per step
  private String plan(JdbcStore store, SearchQuery query) {
    SearchSql sql = SearchSql.build(query, new SqliteDialect(temp.resolve("mlops.db")));
    return store.read(c -> {
      List<String> steps = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + sql.text())) {
        sql.bind(p);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            steps.add(rs.getString(4));
          }
        }
      }
      return String.join("\n", steps);
    });
  }

  @Test
  void historiesLoggedBeforeTheSummariesExistedAreSummarizedOnTheirFirstChartAndLaterOnesAsLogged() {
    Path file = temp.resolve("mlops.db");
    String experiment;
    try (JdbcStore store = sqlite()) {
      experiment = store.experiment("old", java.util.Map.of(), 0L).id();
      store.createRun(new NewRun("before", experiment, "before", null, 0L, java.util.Map.of()));
      store.logMetrics(points("before", 100));
      // back to the schema before version 7, as a store written by an older library is
      store.write(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("DROP TABLE metric_buckets");
          s.execute("DROP TABLE unsummarized_metrics");
          s.execute("DROP INDEX runs_by_status");
          s.execute("DELETE FROM mlops_schema_version WHERE version >= 7");
        }
        return null;
      });
    }
    try (JdbcStore store = JdbcStore.open(TrackingUri.parse("sqlite:" + file), SHORT, 0L)) {
      assertEquals(1L, count(store, "unsummarized_metrics"), "the migration marks the history it cannot summarise");
      assertEquals(0L, count(store, "metric_buckets"));
      MetricSummary backfilled = store.metricSummary("before", "loss", 10).orElseThrow();
      assertEquals(0L, count(store, "unsummarized_metrics"), "summarised once, read from its summary from then on");
      assertEquals(100, backfilled.totalPoints());
      assertEquals(List.of(0L, 63L, 64L, 99L), backfilled.representatives().stream().map(dev.mlops.tracking.Metric::step)
          .toList());
      store.createRun(new NewRun("after", experiment, "after", null, 0L, java.util.Map.of()));
      store.logMetrics(points("after", 100));
      // steps 0-99 rising: 2 buckets of 64 steps at level 1, each drawn by its first (lowest) and last (highest) point
      MetricSummary fine = store.metricSummary("after", "loss", 10).orElseThrow();
      assertEquals(100, fine.totalPoints());
      assertEquals(List.of(0L, 63L, 64L, 99L), fine.representatives().stream().map(dev.mlops.tracking.Metric::step)
          .toList());
      // too many for 1 bucket: level 2's one bucket of 1,024 steps
      assertEquals(List.of(0L, 99L), store.metricSummary("after", "loss", 1).orElseThrow().representatives().stream()
          .map(dev.mlops.tracking.Metric::step).toList());
    }
  }

  private static long count(JdbcStore store, String table) {
    return store.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static List<MetricPoint> points(String runId, int n) {
    List<MetricPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new MetricPoint(runId, "loss", i, 1_000L + i, i));
    }
    return out;
  }

  private static int count(String text, String word) {
    return count(text, word, 0);
  }

  private static int count(String text, String word, int skip) {
    Matcher m = Pattern.compile(Pattern.quote(word)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n - skip;
  }
}
