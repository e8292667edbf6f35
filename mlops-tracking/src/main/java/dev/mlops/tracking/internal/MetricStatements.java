package dev.mlops.tracking.internal;

import dev.mlops.tracking.Metric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three statements that store metric points, prepared on one connection: the append to
 * {@code metrics}, the upsert of {@code latest_metrics} and that of the history's summary in
 * {@code metric_buckets} (one row per bucket a batch touches, merged as {@link MetricBucket#then}). The metric writer keeps one instance
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

  private static final String UPSERT_BUCKET = upsertBucket();

  private final PreparedStatement insert;
  private final PreparedStatement upsertLatest;
  private final PreparedStatement upsertBucket;

  private MetricStatements(PreparedStatement insert, PreparedStatement upsertLatest, PreparedStatement upsertBucket) {
    this.insert = insert;
    this.upsertLatest = upsertLatest;
    this.upsertBucket = upsertBucket;
  }

  /** Prepares the statements on this connection. */
  static MetricStatements prepare(Connection c) throws SQLException {
    List<PreparedStatement> prepared = new ArrayList<>();
    try {
      for (String sql : List.of(INSERT, UPSERT_LATEST, UPSERT_BUCKET)) {
        prepared.add(c.prepareStatement(sql));
      }
      return new MetricStatements(prepared.get(0), prepared.get(1), prepared.get(2));
    } catch (SQLException | RuntimeException e) {
      prepared.forEach(MetricStatements::closeQuietly);
      throw e;
    }
  }

  // The merge of MetricBucket.then in SQL: every SET expression reads the row as it was.
  private static String upsertBucket() {
    String[] roles = {"first", "last", "min", "max"};
    String[] parts = {"value", "kind", "timestamp", "step"};
    StringBuilder columns = new StringBuilder("run_id, key, level, bucket, points");
    for (String role : roles) {
      for (String part : parts) {
        columns.append(", ").append(role).append('_').append(part);
      }
    }
    StringBuilder sql = new StringBuilder("INSERT INTO metric_buckets (").append(columns).append(") VALUES (")
        .append(String.join(", ", Collections.nCopies(5 + roles.length * parts.length, "?")))
        .append(") ON CONFLICT (run_id, key, level, bucket) DO UPDATE SET points = metric_buckets.points + excluded.points");
    for (String role : roles) {
      String replaces = switch (role) {
        case "first" -> "excluded.first_step < metric_buckets.first_step";
        case "last" -> "excluded.last_step >= metric_buckets.last_step";
        case "min" -> "excluded.min_value < metric_buckets.min_value OR metric_buckets.min_value IS NULL";
        default -> "excluded.max_value > metric_buckets.max_value OR metric_buckets.max_value IS NULL";
      };
      for (String part : parts) {
        String column = role + "_" + part;
        sql.append(", ").append(column).append(" = CASE WHEN ").append(replaces).append(" THEN excluded.").append(column)
            .append(" ELSE metric_buckets.").append(column).append(" END");
      }
    }
    return sql.toString();
  }

  /**
   * Inside the caller's transaction, appends {@code points} in order and moves each run's
   * latest value of a metric to {@code latest}, as computed by {@link #latestOf}.
   */
  void write(List<MetricPoint> points, List<MetricPoint> latest) throws SQLException {
    // the statements are reused across transactions: nothing of a write that failed may linger
    insert.clearBatch();
    upsertLatest.clearBatch();
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
    upsertBuckets(MetricBucket.of(points));
  }

  /**
   * Inside the caller's transaction, merges {@code buckets} (sorted as {@link MetricBucket#of}
   * sorts them) into the stored ones as {@link MetricBucket#then}, the stored points first.
   */
  void upsertBuckets(Collection<MetricBucket> buckets) throws SQLException {
    upsertBucket.clearBatch();
    for (MetricBucket b : buckets) {
      upsertBucket.setString(1, b.runId());
      upsertBucket.setString(2, b.key());
      upsertBucket.setInt(3, b.level());
      upsertBucket.setLong(4, b.bucket());
      upsertBucket.setLong(5, b.points());
      int i = 6;
      for (Metric m : new Metric[] {b.first(), b.last(), b.min(), b.max()}) {
        bindPoint(upsertBucket, i, m);
        i += 4;
      }
      upsertBucket.addBatch();
    }
    upsertBucket.executeBatch();
  }

  private static void bindPoint(PreparedStatement p, int at, Metric m) throws SQLException {
    if (m == null) {
      p.setNull(at, Types.DOUBLE);
      p.setNull(at + 1, Types.SMALLINT);
      p.setNull(at + 2, Types.BIGINT);
      p.setNull(at + 3, Types.BIGINT);
      return;
    }
    int kind = kindOf(m.value());
    p.setDouble(at, kind == JdbcStore.KIND_VALUE ? m.value() : 0.0);
    p.setInt(at + 1, kind);
    p.setLong(at + 2, m.timestamp());
    p.setLong(at + 3, m.step());
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

  static int kindOf(double value) {
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
    closeQuietly(upsertBucket);
  }

  private static void closeQuietly(PreparedStatement p) {
    try {
      p.close();
    } catch (SQLException e) {
      // a statement that cannot be closed is discarded with its connection
    }
  }
}
