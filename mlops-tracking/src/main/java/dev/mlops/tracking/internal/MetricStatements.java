package dev.mlops.tracking.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two statements that store metric points, prepared on one connection: the append to
 * {@code metrics} and the upsert of {@code latest_metrics}. The metric writer keeps one instance
 * for as long as its connection lives, so the statements are compiled once, not once per batch.
 * Points go in as a JDBC batch of one prepared single-row {@code INSERT}: with sqlite-jdbc that
 * measured as fast as 100-row {@code INSERT}s or faster (SQLite does the same B-tree work per row
 * either way), and the PostgreSQL driver rewrites the batch into multi-row statements on its own
 * ({@code reWriteBatchedInserts}).
 */
final class MetricStatements implements AutoCloseable {
  private static final String INSERT =
      "INSERT INTO metrics (run_id, key, value, value_kind, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String UPSERT_LATEST =
      "INSERT INTO latest_metrics (run_id, key, value, value_kind, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, value_kind = excluded.value_kind,"
          + " timestamp = excluded.timestamp, step = excluded.step"
          + " WHERE excluded.step > latest_metrics.step"
          + " OR (excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)";

  private final PreparedStatement insert;
  private final PreparedStatement upsertLatest;

  private MetricStatements(PreparedStatement insert, PreparedStatement upsertLatest) {
    this.insert = insert;
    this.upsertLatest = upsertLatest;
  }

  /** Prepares both statements on this connection. */
  static MetricStatements prepare(Connection c) throws SQLException {
    PreparedStatement insert = c.prepareStatement(INSERT);
    try {
      return new MetricStatements(insert, c.prepareStatement(UPSERT_LATEST));
    } catch (SQLException | RuntimeException e) {
      insert.close();
      throw e;
    }
  }

  /**
   * Inside the caller's transaction, appends {@code points} in order and moves each run's
   * latest value of a metric to {@code latest}, as computed by {@link #latestOf}.
   */
  void write(List<MetricPoint> points, List<MetricPoint> latest) throws SQLException {
    for (MetricPoint m : points) {
      bind(insert, m);
      insert.addBatch();
    }
    insert.executeBatch();
    for (MetricPoint m : latest) {
      bind(upsertLatest, m);
      upsertLatest.addBatch();
    }
    upsertLatest.executeBatch();
  }

  /**
   * The latest point of each run's metric among {@code points} (logged in this order), sorted by
   * run and key. Only these can move {@code latest_metrics}, so a batch upserts one row per key,
   * not one per point; the order makes writers in several processes lock {@code latest_metrics}
   * rows in the same sequence, so they cannot deadlock each other.
   */
  static List<MetricPoint> latestOf(Collection<MetricPoint> points) {
    // Nested by run, then key: looking a point up costs two hash probes on strings whose hashes
    // are cached, and builds no composite key per point.
    Map<String, Map<String, MetricPoint>> byRun = new HashMap<>();
    for (MetricPoint m : points) {
      byRun.computeIfAbsent(m.runId(), r -> new HashMap<>()).merge(m.key(), m, (a, b) -> isLaterOrSame(b, a) ? b : a);
    }
    List<MetricPoint> latest = new ArrayList<>();
    for (Map<String, MetricPoint> byKey : byRun.values()) {
      latest.addAll(byKey.values());
    }
    latest.sort((a, b) -> {
      int byRunId = a.runId().compareTo(b.runId());
      return byRunId != 0 ? byRunId : a.key().compareTo(b.key());
    });
    return latest;
  }

  /** Whether {@code b}, logged after {@code a}, replaces it as the latest point. */
  static boolean isLaterOrSame(MetricPoint b, MetricPoint a) {
    return b.step() > a.step() || (b.step() == a.step() && b.timestamp() >= a.timestamp());
  }

  private static void bind(PreparedStatement p, MetricPoint m) throws SQLException {
    int kind = kindOf(m.value());
    p.setString(1, m.runId());
    p.setString(2, m.key());
    p.setDouble(3, kind == JdbcStore.KIND_VALUE ? m.value() : 0.0);
    p.setInt(4, kind);
    p.setLong(5, m.timestamp());
    p.setLong(6, m.step());
  }

  private static int kindOf(double value) {
    if (Double.isNaN(value)) {
      return JdbcStore.KIND_NAN;
    }
    if (value == 0.0 && Double.doubleToRawLongBits(value) != 0L) {
      return JdbcStore.KIND_NEGATIVE_ZERO;
    }
    return JdbcStore.KIND_VALUE;
  }

  /** Closes both statements; never throws, since nothing is lost when a statement fails to close. */
  @Override
  public void close() {
    closeQuietly(insert);
    closeQuietly(upsertLatest);
  }

  private static void closeQuietly(PreparedStatement p) {
    try {
      p.close();
    } catch (SQLException e) {
      // a statement that cannot be closed is discarded with its connection
    }
  }
}
