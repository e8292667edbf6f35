package dev.mlops.benchmarks;

import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Logs one million metric points through {@link Run#metric(String, double, long)} and waits for
 * {@link Tracker#flush()}, against a plain JDBC batch insert of the same rows into the same
 * SQLite table. Each iteration starts from a fresh database file, so neither side pays for the
 * rows of an earlier iteration. The baseline commits every {@value #COMMIT_EVERY} rows, the
 * largest batch the tracker's writer commits at once, with the same settings as the tracker's
 * SQLite connections (WAL, {@code synchronous = NORMAL}). Scores are nanoseconds per point.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only MetricLogging
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class MetricLoggingBenchmark {
  static final int POINTS = 1_000_000;
  static final int COMMIT_EVERY = 10_000;
  private static final String[] KEYS = {
    "loss", "accuracy", "precision", "recall", "f1", "auc", "lr", "grad_norm", "val_loss", "val_accuracy"
  };
  private static final String INSERT =
      "INSERT INTO metrics (run_id, key, value, value_kind, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)";

  private double[] values;
  private ScratchFolder folder;
  private Tracker tracker;
  private Run run;
  private Connection jdbc;

  @Setup(Level.Trial)
  public void generate() {
    values = SyntheticData.gaussian(POINTS, 11);
  }

  @Setup(Level.Iteration)
  public void openDatabase() throws SQLException {
    folder = ScratchFolder.create("metrics");
    Path db = folder.resolve("mlops.db");
    tracker = Tracker.open("sqlite:" + db);
    run = tracker.experiment("benchmark").run("metric-logging").start();
    jdbc = openLikeTheTracker(db);
  }

  /** A connection with the tracker's SQLite settings: write-ahead log, {@code synchronous = NORMAL}. */
  static Connection openLikeTheTracker(Path db) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
    }
    return c;
  }

  @TearDown(Level.Iteration)
  public void closeDatabase() throws SQLException {
    jdbc.close();
    run.close();
    tracker.close();
    folder.close();
  }

  @Benchmark
  @OperationsPerInvocation(POINTS)
  public void runMetricUntilFlushed() {
    for (int i = 0; i < POINTS; i++) {
      run.metric(KEYS[i % KEYS.length], values[i], i / KEYS.length);
    }
    tracker.flush();
  }

  @Benchmark
  @OperationsPerInvocation(POINTS)
  public void jdbcBatchInsert() throws SQLException {
    String runId = run.id();
    jdbc.setAutoCommit(false);
    try (PreparedStatement p = jdbc.prepareStatement(INSERT)) {
      for (int i = 0; i < POINTS; i++) {
        p.setString(1, runId);
        p.setString(2, KEYS[i % KEYS.length]);
        p.setDouble(3, values[i]);
        p.setInt(4, 0);
        p.setLong(5, System.currentTimeMillis());
        p.setLong(6, i / KEYS.length);
        p.addBatch();
        if ((i + 1) % COMMIT_EVERY == 0) {
          p.executeBatch();
          jdbc.commit();
        }
      }
      p.executeBatch();
      jdbc.commit();
    } finally {
      jdbc.setAutoCommit(true);
    }
  }
}
