package dev.mlops.benchmarks;

import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One search over {@value #RUNS} runs of {@value #PARAMS} params and {@value #METRICS} metrics
 * each in SQLite, filtered on one metric and one param, ordered by another metric, limit 10;
 * against {@code SELECT count(*)} over the same runs on a plain JDBC connection to the same file.
 * The runs are logged once per trial through the public API, outside the measurement.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only RunSearch
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RunSearchBenchmark {
  static final int RUNS = 10_000;
  static final int PARAMS = 20;
  static final int METRICS = 10;
  static final String FILTER = "metrics.m0 > 0.5 and params.p0 = 'v3'";
  static final String ORDER = "metrics.m1 DESC";

  private ScratchFolder folder;
  private Tracker tracker;
  private Connection jdbc;
  private PreparedStatement count;
  private String experimentId;

  @Setup(Level.Trial)
  public void logRuns() throws SQLException {
    folder = ScratchFolder.create("search");
    Path db = folder.resolve("mlops.db");
    tracker = Tracker.open("sqlite:" + db);
    Experiment experiment = tracker.experiment("search");
    experimentId = experiment.id();
    logRunsInto(experiment);
    tracker.flush();
    jdbc = MetricLoggingBenchmark.openLikeTheTracker(db);
    count = jdbc.prepareStatement("SELECT count(*) FROM runs WHERE experiment_id = ?");
  }

  /** Logs {@value #RUNS} runs of {@value #PARAMS} random params and {@value #METRICS} random metrics, from a fixed seed. */
  static void logRunsInto(Experiment experiment) {
    SplittableRandom random = new SplittableRandom(13);
    for (int r = 0; r < RUNS; r++) {
      Map<String, Object> params = new LinkedHashMap<>();
      for (int p = 0; p < PARAMS; p++) {
        params.put("p" + p, "v" + random.nextInt(10));
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (int m = 0; m < METRICS; m++) {
        metrics.put("m" + m, random.nextDouble());
      }
      try (Run run = experiment.run("run-" + r).start()) {
        run.params(params).metrics(metrics, 0);
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    count.close();
    jdbc.close();
    tracker.close();
    folder.close();
  }

  @Benchmark
  public List<RunRecord> search() {
    return tracker.search("search").filter(FILTER).orderBy(ORDER).limit(10).list();
  }

  @Benchmark
  public long countRuns() throws SQLException {
    count.setLong(1, Long.parseLong(experimentId));
    try (ResultSet rs = count.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
