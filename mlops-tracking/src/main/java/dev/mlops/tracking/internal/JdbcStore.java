package dev.mlops.tracking.internal;

import dev.mlops.core.ConflictException;
import dev.mlops.core.Digest;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.Schema;
import dev.mlops.core.StoreUnavailableException;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.RunPage;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TrackingStore} on a SQL database: SQLite or PostgreSQL, one schema, the
 * differences kept in a {@link Dialect}. Transient failures (a database locked by another
 * process, a lost connection) are retried with growing pauses for up to {@link #RETRY_LIMIT_MS};
 * only then does the caller see a {@link StoreUnavailableException}.
 */
public final class JdbcStore implements TrackingStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final long RETRY_LIMIT_MS = 120_000;
  private static final String ACTIVE = "active";
  private static final String DELETED = "deleted";
  private static final String ARTIFACT_LOCATION = "artifact_location";
  static final int KIND_VALUE = 0;
  static final int KIND_NAN = 1;
  static final int KIND_NEGATIVE_ZERO = 2;

  private final Dialect dialect;
  private final ConnectionPool pool;
  private final Duration statementTimeout;
  // Writers of this process queue here rather than in the database's busy handler.
  private final ReentrantLock writeLock = new ReentrantLock(true);
  /** Null where the database checkpoints by itself. */
  private final WalCheckpointer checkpointer;

  private JdbcStore(Dialect dialect, Duration statementTimeout) {
    this.dialect = dialect;
    this.pool = new ConnectionPool(dialect);
    this.statementTimeout = statementTimeout;
    this.checkpointer = dialect.checkpointsInBackground() ? WalCheckpointer.start(dialect) : null;
  }

  /**
   * Opens the store a tracking URI names and migrates it: a SQLite file (created with its
   * folders when missing) or a PostgreSQL database. Every search is abandoned by the database
   * once it has run for {@code statementTimeout}.
   */
  public static JdbcStore open(TrackingUri uri, Duration statementTimeout, long now) {
    if (!uri.isSqlite()) {
      return open(new PostgresDialect(uri), statementTimeout, now);
    }
    Path file = uri.sqliteFile();
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot create the folder of SQLite database " + file + ": " + e.getMessage(), e);
    }
    return open(new SqliteDialect(file), statementTimeout, now);
  }

  private static JdbcStore open(Dialect dialect, Duration statementTimeout, long now) {
    JdbcStore store = new JdbcStore(dialect, statementTimeout);
    try {
      store.write(c -> Migrations.apply(c, dialect, now));
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- the store's settings

  @Override
  public String artifactLocation(String proposed) {
    return write(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO store_settings (name, value) VALUES (?, ?)"
          + " ON CONFLICT (name) DO NOTHING")) {
        p.setString(1, ARTIFACT_LOCATION);
        p.setString(2, proposed);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("SELECT value FROM store_settings WHERE name = ?")) {
        p.setString(1, ARTIFACT_LOCATION);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    });
  }

  // ---------------------------------------------------------------- experiments

  @Override
  public ExperimentRow experiment(String name, Map<String, String> tags, long now) {
    return write(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO experiments (name, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (name) DO NOTHING")) {
        p.setString(1, name);
        p.setString(2, ACTIVE);
        p.setLong(3, now);
        p.setLong(4, now);
        p.executeUpdate();
      }
      ExperimentRow row = loadExperiment(c, "name", name).orElseThrow();
      if (!tags.isEmpty()) {
        upsertExperimentTags(c, row.id(), tags, now);
        row = loadExperiment(c, "name", name).orElseThrow();
      }
      return row;
    });
  }

  @Override
  public Optional<ExperimentRow> experimentById(String id) {
    Long key = experimentKey(id);
    return key == null ? Optional.empty() : read(c -> loadExperiment(c, "experiment_id", key));
  }

  @Override
  public Optional<ExperimentRow> experimentByName(String name) {
    return read(c -> loadExperiment(c, "name", name));
  }

  @Override
  public List<ExperimentSummary> experiments(String nameContains, boolean includeDeleted, int limit) {
    String pattern = "%" + nameContains.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
        .replace("_", "\\_") + "%";
    String sql = "SELECT e.experiment_id, e.name, e.lifecycle_stage, e.creation_time, e.last_update_time,"
        + " COUNT(r.run_id), MAX(COALESCE(r.end_time, r.start_time)) FROM experiments e"
        + " LEFT JOIN runs r ON r.experiment_id = e.experiment_id AND r.lifecycle_stage = '" + ACTIVE + "'"
        + " WHERE LOWER(e.name) LIKE ? ESCAPE '\\'" + (includeDeleted ? "" : " AND e.lifecycle_stage = '" + ACTIVE + "'")
        + " GROUP BY e.experiment_id, e.name, e.lifecycle_stage, e.creation_time, e.last_update_time"
        + " ORDER BY MAX(COALESCE(r.end_time, r.start_time, e.last_update_time)) DESC, e.experiment_id DESC LIMIT ?";
    return read(c -> {
      List<ExperimentSummary> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setString(1, pattern);
        p.setInt(2, limit);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            long updated = rs.getLong(5);
            long latestRun = rs.getLong(7);
            ExperimentRow row = new ExperimentRow(Long.toString(rs.getLong(1)), rs.getString(2),
                DELETED.equals(rs.getString(3)), rs.getLong(4), updated, Map.of());
            out.add(new ExperimentSummary(row, rs.getLong(6), rs.wasNull() ? updated : Math.max(updated, latestRun)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void setExperimentTags(String experimentId, Map<String, String> tags, long now) {
    write(c -> {
      requireExperiment(c, experimentId);
      upsertExperimentTags(c, experimentId, tags, now);
      return null;
    });
  }

  @Override
  public void setExperimentDeleted(String experimentId, boolean deleted, long now) {
    write(c -> {
      requireExperiment(c, experimentId);
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?")) {
        p.setString(1, deleted ? DELETED : ACTIVE);
        p.setLong(2, now);
        p.setLong(3, experimentKey(experimentId));
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void renameExperiment(String experimentId, String newName, long now) {
    write(c -> {
      ExperimentRow row = requireExperiment(c, experimentId);
      if (row.name().equals(newName)) {
        return null;
      }
      if (loadExperiment(c, "name", newName).isPresent()) {
        throw new ConflictException("an experiment named '" + newName + "' exists already; choose another name for"
            + " experiment '" + row.name() + "'");
      }
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?")) {
        p.setString(1, newName);
        p.setLong(2, now);
        p.setLong(3, experimentKey(experimentId));
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<ExperimentRow> experiments() {
    return read(c -> {
      List<Long> keys = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT experiment_id FROM experiments ORDER BY experiment_id");
          ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getLong(1));
        }
      }
      List<ExperimentRow> rows = new ArrayList<>(keys.size());
      for (long key : keys) {
        loadExperiment(c, "experiment_id", key).ifPresent(rows::add);
      }
      return rows;
    });
  }

  private static Long experimentKey(String id) {
    try {
      return Long.valueOf(id);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private ExperimentRow requireExperiment(Connection c, String experimentId) throws SQLException {
    Long key = experimentKey(experimentId);
    Optional<ExperimentRow> row = key == null ? Optional.empty() : loadExperiment(c, "experiment_id", key);
    return row.orElseThrow(() -> noExperiment(experimentId));
  }

  private static NotFoundException noExperiment(String experimentId) {
    return new NotFoundException("no experiment with id '" + experimentId + "'; get or create one with tracker.experiment(name)");
  }

  // what a new run needs of its experiment: that it exists and is not deleted, without its tags
  private static void requireActiveExperiment(Connection c, String experimentId) throws SQLException {
    Long key = experimentKey(experimentId);
    if (key != null) {
      try (PreparedStatement p = c.prepareStatement("SELECT name, lifecycle_stage FROM experiments WHERE experiment_id = ?")) {
        p.setLong(1, key);
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            if (DELETED.equals(rs.getString(2))) {
              throw new InvalidInputException("experiment '" + rs.getString(1) + "' is deleted; restore it with"
                  + " experiment.restore() before starting runs in it");
            }
            return;
          }
        }
      }
    }
    throw noExperiment(experimentId);
  }

  private static Optional<ExperimentRow> loadExperiment(Connection c, String column, Object value) throws SQLException {
    String id;
    String name;
    boolean deleted;
    long created;
    long updated;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT experiment_id, name, lifecycle_stage, creation_time, last_update_time FROM experiments WHERE "
            + column + " = ?")) {
      p.setObject(1, value);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        id = Long.toString(rs.getLong(1));
        name = rs.getString(2);
        deleted = DELETED.equals(rs.getString(3));
        created = rs.getLong(4);
        updated = rs.getLong(5);
      }
    }
    Map<String, String> tags = new HashMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT key, value FROM experiment_tags WHERE experiment_id = ?")) {
      p.setLong(1, Long.parseLong(id));
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          tags.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return Optional.of(new ExperimentRow(id, name, deleted, created, updated, tags));
  }

  private static void upsertExperimentTags(Connection c, String experimentId, Map<String, String> tags, long now)
      throws SQLException {
    long key = Long.parseLong(experimentId);
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)"
            + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value")) {
      for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
        p.setLong(1, key);
        p.setString(2, t.getKey());
        p.setString(3, t.getValue());
        p.addBatch();
      }
      p.executeBatch();
    }
    try (PreparedStatement p = c.prepareStatement("UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?")) {
      p.setLong(1, now);
      p.setLong(2, key);
      p.executeUpdate();
    }
  }

  // ---------------------------------------------------------------- runs

  @Override
  public void createRun(NewRun run) {
    write(c -> {
      insertRun(c, run, RunStatus.RUNNING, null);
      return null;
    });
  }

  @Override
  public void recordRun(NewRun run, RunStatus status, long endTime, Map<String, String> params, List<MetricPoint> points) {
    List<MetricPoint> list = List.copyOf(points);
    List<MetricPoint> latest = MetricStatements.latestOf(list);
    write(c -> {
      // inserted ended: the run is never seen RUNNING, and its row and indexes are written once
      insertRun(c, run, status, endTime);
      insertParams(c, run.runId(), params);
      if (!list.isEmpty()) {
        writeMetrics(c, list, latest);
      }
      return null;
    });
  }

  @Override
  public void endRun(String runId, RunStatus status, long endTime, Map<String, String> params, Map<String, String> tags,
      List<MetricPoint> points) {
    List<MetricPoint> list = List.copyOf(points);
    List<MetricPoint> latest = MetricStatements.latestOf(list);
    write(c -> {
      requireActiveRun(c, runId);
      writeBatch(c, runId, params, tags, list, latest);
      updateEnd(c, runId, status, endTime);
      return null;
    });
  }

  private void insertRun(Connection c, NewRun run, RunStatus status, Long endTime) throws SQLException {
    requireActiveExperiment(c, run.experimentId());
    if (run.parentRunId() != null) {
      requireRun(c, run.parentRunId());
    }
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO runs (run_id, experiment_id, name, parent_run_id, status, start_time, end_time, lifecycle_stage)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, run.runId());
      p.setLong(2, Long.parseLong(run.experimentId()));
      p.setString(3, run.name());
      p.setString(4, run.parentRunId());
      p.setString(5, status.name());
      p.setLong(6, run.startTime());
      if (endTime == null) {
        p.setNull(7, Types.BIGINT);
      } else {
        p.setLong(7, endTime);
      }
      p.setString(8, ACTIVE);
      p.executeUpdate();
    }
    upsertTags(c, run.runId(), run.tags());
    for (DatasetInput d : run.datasets()) {
      insertDataset(c, run.runId(), d);
    }
  }

  @Override
  public Optional<RunRecord> run(String runId) {
    return read(c -> Optional.ofNullable(loadRuns(c, List.of(runId)).get(runId)));
  }

  @Override
  public void renameRun(String runId, String name) {
    write(c -> {
      requireActiveRun(c, runId);
      try (PreparedStatement p = c.prepareStatement("UPDATE runs SET name = ? WHERE run_id = ?")) {
        p.setString(1, name);
        p.setString(2, runId);
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void endRun(String runId, RunStatus status, long endTime) {
    write(c -> {
      requireRun(c, runId);
      updateEnd(c, runId, status, endTime);
      return null;
    });
  }

  private static void updateEnd(Connection c, String runId, RunStatus status, long endTime) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = ?, end_time = ? WHERE run_id = ?")) {
      p.setString(1, status.name());
      p.setLong(2, endTime);
      p.setString(3, runId);
      p.executeUpdate();
    }
  }

  @Override
  public void setRunDeleted(String runId, boolean deleted) {
    write(c -> {
      requireRun(c, runId);
      try (PreparedStatement p = c.prepareStatement("UPDATE runs SET lifecycle_stage = ? WHERE run_id = ?")) {
        p.setString(1, deleted ? DELETED : ACTIVE);
        p.setString(2, runId);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** Checks that the run exists, deleted or not. */
  static void requireRun(Connection c, String runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT lifecycle_stage FROM runs WHERE run_id = ?")) {
      p.setString(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no run with id '" + runId + "'; find runs with tracker.search(experiment)");
        }
      }
    }
  }

  static void requireActiveRun(Connection c, String runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT lifecycle_stage FROM runs WHERE run_id = ?")) {
      p.setString(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no run with id '" + runId + "'; find runs with tracker.search(experiment)");
        }
        if (DELETED.equals(rs.getString(1))) {
          throw new InvalidInputException("run '" + runId + "' is deleted; restore it with tracker.restoreRun(id)"
              + " before writing to it");
        }
      }
    }
  }

  // ---------------------------------------------------------------- params, tags, metrics

  @Override
  public void logParams(String runId, Map<String, String> params) {
    write(c -> {
      requireActiveRun(c, runId);
      insertParams(c, runId, params);
      return null;
    });
  }

  @Override
  public boolean logBatch(String runId, String batchKeyOrNull, long now, Map<String, String> params,
      Map<String, String> tags, List<MetricPoint> points) {
    List<MetricPoint> list = List.copyOf(points);
    List<MetricPoint> latest = MetricStatements.latestOf(list);
    return write(c -> {
      if (batchKeyOrNull != null && !claimBatch(c, batchKeyOrNull, now)) {
        return false;
      }
      requireActiveRun(c, runId);
      writeBatch(c, runId, params, tags, list, latest);
      return true;
    });
  }

  /** Inside the caller's transaction, a log-batch's params (write-once), tags and points. */
  private static void writeBatch(Connection c, String runId, Map<String, String> params, Map<String, String> tags,
      List<MetricPoint> points, List<MetricPoint> latest) throws SQLException {
    insertParams(c, runId, params);
    upsertTags(c, runId, tags);
    if (!points.isEmpty()) {
      writeMetrics(c, points, latest);
    }
  }

  // A concurrent claim of the same key waits for this transaction: it finds the key if this one commits.
  private static boolean claimBatch(Connection c, String key, long now) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO written_batches (batch_key, written_at) VALUES (?, ?)"
        + " ON CONFLICT (batch_key) DO NOTHING")) {
      p.setString(1, key);
      p.setLong(2, now);
      return p.executeUpdate() == 1;
    }
  }

  @Override
  public int forgetBatches(long before, int keep) {
    return write(c -> {
      int forgotten;
      try (PreparedStatement p = c.prepareStatement("DELETE FROM written_batches WHERE written_at < ?")) {
        p.setLong(1, before);
        forgotten = p.executeUpdate();
      }
      // older than the keep-th newest; keys written in the same millisecond as it stay
      try (PreparedStatement p = c.prepareStatement("DELETE FROM written_batches WHERE written_at <"
          + " (SELECT written_at FROM written_batches ORDER BY written_at DESC LIMIT 1 OFFSET ?)")) {
        p.setInt(1, Math.max(0, keep - 1));
        forgotten += p.executeUpdate();
      }
      return forgotten;
    });
  }

  private static void insertParams(Connection c, String runId, Map<String, String> params) throws SQLException {
    if (params.isEmpty()) {
      return;
    }
    Map<String, String> stored = new HashMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT key, value FROM params WHERE run_id = ?")) {
      p.setString(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    Map<String, String> fresh = new TreeMap<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String old = stored.get(e.getKey());
      if (old == null) {
        fresh.put(e.getKey(), e.getValue());
      } else if (!old.equals(e.getValue())) {
        throw new ConflictException("param '" + e.getKey() + "' of run '" + runId + "' is already '" + abbreviate(old)
            + "' and cannot be changed to '" + abbreviate(e.getValue())
            + "'; params are write-once, log the new value under another key or in a new run");
      }
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, String> e : fresh.entrySet()) {
        p.setString(1, runId);
        p.setString(2, e.getKey());
        p.setString(3, e.getValue());
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  @Override
  public void setTags(String runId, Map<String, String> tags) {
    write(c -> {
      requireActiveRun(c, runId);
      upsertTags(c, runId, tags);
      return null;
    });
  }

  @Override
  public boolean deleteTag(String runId, String key) {
    return write(c -> {
      requireActiveRun(c, runId);
      try (PreparedStatement p = c.prepareStatement("DELETE FROM tags WHERE run_id = ? AND key = ?")) {
        p.setString(1, runId);
        p.setString(2, key);
        return p.executeUpdate() > 0;
      }
    });
  }

  private static void upsertTags(Connection c, String runId, Map<String, String> tags) throws SQLException {
    if (tags.isEmpty()) {
      return;
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)"
        + " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")) {
      for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
        p.setString(1, runId);
        p.setString(2, t.getKey());
        p.setString(3, t.getValue());
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  @Override
  public void logMetrics(Collection<MetricPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    List<MetricPoint> list = List.copyOf(points);
    List<MetricPoint> latest = MetricStatements.latestOf(list);
    write(c -> {
      writeMetrics(c, list, latest);
      return null;
    });
  }

  @Override
  public MetricAppender metricAppender() {
    return new JdbcMetricAppender(this, dialect);
  }

  static double valueOf(double stored, int kind) {
    return switch (kind) {
      case KIND_NAN -> Double.NaN;
      case KIND_NEGATIVE_ZERO -> -0.0;
      default -> stored;
    };
  }

  @Override
  public List<Metric> metricHistory(String runId, String key) {
    return read(c -> {
      requireRun(c, runId);
      List<Metric> history = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT value, value_kind, timestamp, step FROM metrics WHERE run_id = ? AND key = ? ORDER BY seq")) {
        p.setString(1, runId);
        p.setString(2, key);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            history.add(new Metric(valueOf(rs.getDouble(1), rs.getInt(2)), rs.getLong(3), rs.getLong(4)));
          }
        }
      }
      return history;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A history logged before the store kept summaries (marked in {@code unsummarized_metrics})
   * is summarised from its points the first time a chart asks for it ({@link #backfillSummary}),
   * and read from its summary from then on.
   */
  @Override
  public Optional<MetricSummary> metricSummary(String runId, String key, int maxBuckets) {
    Optional<Optional<MetricSummary>> summarized = read(c -> {
      requireRun(c, runId);
      return unsummarized(c, runId, key) ? Optional.empty() : Optional.of(finestSummary(c, runId, key, maxBuckets));
    });
    if (summarized.isPresent()) {
      return summarized.get();
    }
    backfillSummary(runId, key);
    return read(c -> finestSummary(c, runId, key, maxBuckets));
  }

  private static boolean unsummarized(Connection c, String runId, String key) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM unsummarized_metrics WHERE run_id = ? AND key = ?")) {
      p.setString(1, runId);
      p.setString(2, key);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  // the finest level with few enough buckets, each counted no further than one too many
  private static Optional<MetricSummary> finestSummary(Connection c, String runId, String key, int maxBuckets)
      throws SQLException {
    for (int level = 1; level <= MetricBucket.LEVELS; level++) {
      long buckets;
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM metric_buckets"
          + " WHERE run_id = ? AND key = ? AND level = ? LIMIT ?) b")) {
        p.setString(1, runId);
        p.setString(2, key);
        p.setInt(3, level);
        p.setLong(4, maxBuckets + 1L);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          buckets = rs.getLong(1);
        }
      }
      if (buckets == 0) {
        // every point is in a bucket of every level: the history is empty
        return Optional.of(new MetricSummary(0, List.of()));
      }
      if (buckets <= maxBuckets) {
        return Optional.of(readSummary(c, runId, key, level));
      }
    }
    return Optional.empty();
  }

  /**
   * Gives a history logged before the store kept summaries the summary its writer would have
   * kept: in one write transaction, its buckets recomputed from all its points in log order
   * (dropping those that points logged since added, which the recomputation covers), and its mark
   * removed. Done on first read rather than when the store opens, so that opening a store of
   * millions of old points stays instant and only the histories charted pay, once each.
   *
   * <p>A writer appending to the same metric at the same time is ordered around this: on SQLite
   * the transaction holds the database's write lock; on PostgreSQL it first updates the metric's
   * {@code latest_metrics} row, which every writer of the metric upserts (so locks) before it
   * touches the metric's buckets. A writer that got there first has committed before the points
   * are read here, so they are counted; one that comes after waits, and merges its points into
   * these buckets as later ones, as it would have.
   */
  void backfillSummary(String runId, String key) {
    backfillSummary(runId, key, BACKFILL_CHUNK);
  }

  /** As {@link #backfillSummary(String, String)}, holding at most {@code chunk} points in memory at once. */
  void backfillSummary(String runId, String key, int chunk) {
    write(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE latest_metrics SET step = step WHERE run_id = ? AND key = ?")) {
        p.setString(1, runId);
        p.setString(2, key);
        p.executeUpdate();
      }
      if (!unsummarized(c, runId, key)) {
        // another reader backfilled it first
        return null;
      }
      for (String sql : List.of("DELETE FROM metric_buckets WHERE run_id = ? AND key = ?",
          "DELETE FROM unsummarized_metrics WHERE run_id = ? AND key = ?")) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setString(1, runId);
          p.setString(2, key);
          p.executeUpdate();
        }
      }
      try (MetricStatements m = MetricStatements.prepare(c)) {
        m.upsertBuckets(bucketsOfHistory(c, runId, key, chunk));
      }
      return null;
    });
  }

  // a chunk of points is a few megabytes, and its buckets far fewer rows
  private static final int BACKFILL_CHUNK = 65_536;

  // the pool's connections keep their prepared statements, so preparing these again costs a look-up
  private static void writeMetrics(Connection c, List<MetricPoint> points, List<MetricPoint> latest) throws SQLException {
    try (MetricStatements m = MetricStatements.prepare(c)) {
      m.write(points, latest);
    }
  }

  // the buckets of a whole history, read in chunks of points in log order, each chunk's merged after the ones before
  private static List<MetricBucket> bucketsOfHistory(Connection c, String runId, String key, int size)
      throws SQLException {
    TreeMap<List<Long>, MetricBucket> merged = new TreeMap<>(
        Comparator.<List<Long>>comparingLong(k -> k.get(0)).thenComparingLong(k -> k.get(1)));
    List<MetricPoint> chunk = new ArrayList<>(size);
    try (PreparedStatement p = c.prepareStatement(
        "SELECT value, value_kind, timestamp, step FROM metrics WHERE run_id = ? AND key = ? ORDER BY seq")) {
      p.setFetchSize(size);
      p.setString(1, runId);
      p.setString(2, key);
      try (ResultSet rs = p.executeQuery()) {
        boolean more = true;
        while (more) {
          more = rs.next();
          if (more) {
            chunk.add(new MetricPoint(runId, key, valueOf(rs.getDouble(1), rs.getInt(2)), rs.getLong(3), rs.getLong(4)));
          }
          if (chunk.size() == size || (!more && !chunk.isEmpty())) {
            for (MetricBucket b : MetricBucket.of(chunk)) {
              merged.merge(List.of((long) b.level(), b.bucket()), b, MetricBucket::then);
            }
            chunk.clear();
          }
        }
      }
    }
    return new ArrayList<>(merged.values());
  }

  private static MetricSummary readSummary(Connection c, String runId, String key, int level) throws SQLException {
    List<MetricBucket> buckets = new ArrayList<>();
    long total = 0;
    try (PreparedStatement p = c.prepareStatement("SELECT bucket, points, first_value, first_kind, first_timestamp,"
        + " first_step, last_value, last_kind, last_timestamp, last_step, min_value, min_kind, min_timestamp,"
        + " min_step, max_value, max_kind, max_timestamp, max_step FROM metric_buckets"
        + " WHERE run_id = ? AND key = ? AND level = ? ORDER BY bucket")) {
      p.setString(1, runId);
      p.setString(2, key);
      p.setInt(3, level);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          total += rs.getLong(2);
          buckets.add(new MetricBucket(runId, key, level, rs.getLong(1), rs.getLong(2), point(rs, 3), point(rs, 7),
              point(rs, 11), point(rs, 15)));
        }
      }
    }
    return new MetricSummary(total, MetricBucket.representatives(buckets));
  }

  // the point in four columns from position at (value, kind, timestamp, step), null when they are
  private static Metric point(ResultSet rs, int at) throws SQLException {
    double value = rs.getDouble(at);
    if (rs.wasNull()) {
      return null;
    }
    return new Metric(valueOf(value, rs.getInt(at + 1)), rs.getLong(at + 2), rs.getLong(at + 3));
  }

  // ---------------------------------------------------------------- datasets, artifacts

  @Override
  public void logDataset(String runId, DatasetInput input) {
    write(c -> {
      requireActiveRun(c, runId);
      insertDataset(c, runId, input);
      return null;
    });
  }

  private static void insertDataset(Connection c, String runId, DatasetInput input) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO datasets (run_id, name, digest, context, schema_json) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (run_id, name, digest, context) DO NOTHING")) {
      p.setString(1, runId);
      p.setString(2, input.name());
      p.setString(3, input.digest().toString());
      p.setString(4, input.context());
      p.setString(5, input.schema() == null ? null : input.schema().toJson());
      p.executeUpdate();
    }
  }

  @Override
  public void recordArtifact(String runId, ArtifactInfo artifact) {
    write(c -> {
      requireActiveRun(c, runId);
      upsertArtifact(c, runId, artifact);
      return null;
    });
  }

  @Override
  public List<ArtifactInfo> deleteArtifacts(String runId, String path) {
    return write(c -> {
      requireActiveRun(c, runId);
      List<ArtifactInfo> gone = new ArrayList<>();
      String folder = path + "/";
      try (PreparedStatement p = c.prepareStatement("SELECT path, sha256, size FROM artifacts WHERE run_id = ?"
          + " ORDER BY path")) {
        p.setString(1, runId);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            String stored = rs.getString(1);
            if (stored.equals(path) || stored.startsWith(folder)) {
              gone.add(new ArtifactInfo(stored, Digest.parse(rs.getString(2)), rs.getLong(3)));
            }
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM artifacts WHERE run_id = ? AND path = ?")) {
        for (ArtifactInfo a : gone) {
          p.setString(1, runId);
          p.setString(2, a.path());
          p.addBatch();
        }
        if (!gone.isEmpty()) {
          p.executeBatch();
        }
      }
      return gone;
    });
  }

  static void upsertArtifact(Connection c, String runId, ArtifactInfo artifact) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO artifacts (run_id, path, sha256, size) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size")) {
      p.setString(1, runId);
      p.setString(2, artifact.path());
      p.setString(3, artifact.sha256().toString());
      p.setLong(4, artifact.size());
      p.executeUpdate();
    }
  }

  // ---------------------------------------------------------------- search

  @Override
  public RunPage search(SearchQuery query) {
    SearchSql sql = SearchSql.build(query, dialect);
    return readBounded(c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(sql.text())) {
        sql.bind(p);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      String next = null;
      if (ids.size() > query.limit()) {
        ids = ids.subList(0, query.limit());
        next = PageTokens.encode(query.offset() + query.limit());
      }
      Map<String, RunRecord> records = loadRuns(c, ids);
      List<RunRecord> ordered = new ArrayList<>(ids.size());
      for (String id : ids) {
        ordered.add(records.get(id));
      }
      return new RunPage(ordered, next);
    });
  }

  private Map<String, RunRecord> loadRuns(Connection c, List<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return Map.of();
    }
    String in = "(" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
    Map<String, Map<String, String>> params = new HashMap<>();
    Map<String, Map<String, String>> tags = new HashMap<>();
    Map<String, Map<String, Metric>> metrics = new HashMap<>();
    Map<String, List<DatasetInput>> datasets = new HashMap<>();
    Map<String, List<ArtifactInfo>> artifacts = new HashMap<>();
    // In key order, which the primary key gives without a sort, so that RunRecord's sorted copy
    // of each map finds it sorted already.
    query(c, "SELECT run_id, key, value FROM params WHERE run_id IN " + in + " ORDER BY run_id, key", ids,
        rs -> params.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3)));
    query(c, "SELECT run_id, key, value FROM tags WHERE run_id IN " + in + " ORDER BY run_id, key", ids,
        rs -> tags.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3)));
    query(c, "SELECT run_id, key, value, value_kind, timestamp, step FROM latest_metrics WHERE run_id IN " + in
            + " ORDER BY run_id, key", ids,
        rs -> metrics.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2),
            new Metric(valueOf(rs.getDouble(3), rs.getInt(4)), rs.getLong(5), rs.getLong(6))));
    query(c, "SELECT run_id, name, digest, schema_json, context FROM datasets WHERE run_id IN " + in
            + " ORDER BY name, context, digest", ids,
        rs -> datasets.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new DatasetInput(
            rs.getString(2), Digest.parse(rs.getString(3)),
            rs.getString(4) == null ? null : Schema.fromJson(rs.getString(4)), rs.getString(5))));
    query(c, "SELECT run_id, path, sha256, size FROM artifacts WHERE run_id IN " + in + " ORDER BY path", ids,
        rs -> artifacts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(
            new ArtifactInfo(rs.getString(2), Digest.parse(rs.getString(3)), rs.getLong(4))));
    Map<String, RunRecord> runs = new HashMap<>();
    query(c, "SELECT run_id, experiment_id, name, parent_run_id, status, start_time, end_time, lifecycle_stage"
            + " FROM runs WHERE run_id IN " + in, ids,
        rs -> {
          String id = rs.getString(1);
          long end = rs.getLong(7);
          Long endTime = rs.wasNull() ? null : end;
          runs.put(id, new RunRecord(id, Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4),
              RunStatus.valueOf(rs.getString(5)), rs.getLong(6), endTime, DELETED.equals(rs.getString(8)),
              params.getOrDefault(id, Map.of()), metrics.getOrDefault(id, Map.of()), tags.getOrDefault(id, Map.of()),
              datasets.getOrDefault(id, List.of()), artifacts.getOrDefault(id, List.of())));
        });
    return runs;
  }

  @FunctionalInterface
  private interface RowConsumer {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void query(Connection c, String sql, List<String> args, RowConsumer rows) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        p.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          rows.accept(rs);
        }
      }
    }
  }

  // ---------------------------------------------------------------- transactions and retries

  /** Runs {@code work} in one write transaction, retrying it whole on transient failures. */
  <T> T write(SqlWork<T> work) {
    return write(pool, work);
  }

  /** As {@link #write(SqlWork)}, on a connection from {@code source}. */
  <T> T write(ConnectionSource source, SqlWork<T> work) {
    boolean locked = false;
    if (dialect.serializesWrites()) {
      lockInterruptibly();
      locked = true;
    }
    try {
      T result = retrying(source, c -> {
        dialect.begin(c);
        try {
          T value = work.apply(c);
          dialect.commit(c);
          return value;
        } catch (SQLException | RuntimeException | Error e) {
          dialect.rollback(c);
          throw e;
        }
      });
      if (checkpointer != null) {
        checkpointer.committed();
      }
      return result;
    } finally {
      if (locked) {
        writeLock.unlock();
      }
    }
  }

  private void lockInterruptibly() {
    try {
      writeLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting to write to " + dialect.describe(), e);
    }
  }

  /** Runs read-only {@code work}, retrying it on transient failures. */
  <T> T read(SqlWork<T> work) {
    return retrying(pool, work);
  }

  /** As {@link #read}, abandoned by the database once it has run for the statement timeout. */
  <T> T readBounded(SqlWork<T> work) {
    return retrying(pool, c -> dialect.bounded(c, statementTimeout, work));
  }

  private <T> T retrying(ConnectionSource source, SqlWork<T> work) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_LIMIT_MS);
    long pauseMs = 2;
    int attempt = 0;
    while (true) {
      attempt++;
      Connection c = null;
      boolean broken = false;
      try {
        c = source.acquire();
        return work.apply(c);
      } catch (SQLException e) {
        broken = !isUsable(c);
        if (dialect.isTimeout(e)) {
          throw new StoreUnavailableException("the search ran longer than the statement timeout of "
              + statementTimeout.toMillis() + " ms on " + dialect.describe() + " and was stopped; narrow the filter,"
              + " or raise the limit with Tracker.builder(uri).statementTimeout(duration)", e);
        }
        if (dialect.isConstraintViolation(e)) {
          throw new ConflictException("a write to " + dialect.describe() + " breaks a constraint of the database ("
              + e.getMessage() + "): the row exists already, perhaps written by another process at the same time, or"
              + " names one that does not; read what is stored before writing again", e);
        }
        if (!dialect.isTransient(e)) {
          throw new StoreUnavailableException("cannot use " + dialect.describe() + ": " + e.getMessage()
              + "; check that the database is reachable and writable", e);
        }
        if (System.nanoTime() > deadline) {
          throw new StoreUnavailableException(dialect.describe() + " stayed busy or unreachable for "
              + RETRY_LIMIT_MS / 1000 + " s (" + attempt + " attempts); last error: " + e.getMessage(), e);
        }
        LOG.debug("transient failure on {} (attempt {}), retrying: {}", dialect.describe(), attempt, e.getMessage());
      } catch (MlopsException e) {
        throw e;
      } finally {
        if (c != null) {
          source.release(c, broken);
        }
      }
      pause(pauseMs);
      pauseMs = Math.min(250, pauseMs * 2);
    }
  }

  private static boolean isUsable(Connection c) {
    try {
      return c != null && c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private void pause(long maxMs) {
    try {
      Thread.sleep(1 + ThreadLocalRandom.current().nextLong(maxMs));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting to retry on " + dialect.describe(), e);
    }
  }

  @Override
  public RegistryStore registry(Path artifactRoot) {
    return new JdbcRegistryStore(this, dialect, artifactRoot);
  }

  /** The tokens and permissions of a tracking server over this store. */
  public AccessStore access() {
    return new AccessStore(this);
  }

  @Override
  public Optional<StoreLock> tryLock(String name) {
    try {
      return dialect.tryLock(name);
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot take the lock '" + name + "' on " + dialect.describe() + ": "
          + e.getMessage() + "; check that the database is reachable", e);
    }
  }

  @Override
  public String describe() {
    return dialect.describe();
  }

  @Override
  public void close() {
    if (checkpointer != null) {
      checkpointer.close();
    }
    pool.close();
  }

  /** How many checkpoints the store's checkpointer has run, for tests; -1 where the database checkpoints by itself. */
  long checkpoints() {
    return checkpointer == null ? -1 : checkpointer.checkpoints();
  }
}
