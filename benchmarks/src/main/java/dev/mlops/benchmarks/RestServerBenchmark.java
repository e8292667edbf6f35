package dev.mlops.benchmarks;

import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
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
 * The tracking server's REST API on loopback over SQLite, each figure against the same work done
 * without HTTP in the same run:
 *
 * <ul>
 *   <li>{@value MetricLoggingBenchmark#POINTS} metric points through {@code Tracker.open("http://…")}
 *       until {@code flush()} returns, against the same points through a tracker on the SQLite
 *       file itself ({@code restClientUntilFlushed} / {@code sqliteTrackerUntilFlushed});
 *   <li>{@value #SINGLE_CALLS} single {@code runs/log-metric} POSTs of MLflow's JSON on one
 *       keep-alive {@link HttpClient} connection, each answered only once its point is committed,
 *       against {@value #SINGLE_CALLS} single-row transactions on a plain JDBC connection to the
 *       same file ({@code singleLogMetricCalls} / {@code jdbcSingleRowCommits});
 *   <li>one {@code runs/search} over {@value RunSearchBenchmark#RUNS} runs with the search
 *       benchmark's filter and order, first page of 10, against the same search through a tracker
 *       on the file ({@code restSearch} / {@code trackerSearch}).
 * </ul>
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only RestServer
 * }</pre>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx3g"})
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class RestServerBenchmark {
  static final int SINGLE_CALLS = 1_000;
  private static final String[] KEYS = {"loss", "accuracy", "precision", "recall", "f1", "auc", "lr", "grad_norm",
    "val_loss", "val_accuracy"};
  private static final String LOG_METRIC = "/api/2.0/mlflow/runs/log-metric";
  private static final String INSERT =
      "INSERT INTO metrics (run_id, key, value, value_kind, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)";

  /** A server on a fresh SQLite file, with one run to log into. */
  abstract static class Served {
    ScratchFolder folder;
    Path db;
    TrackingServer server;

    void serve(String purpose) {
      folder = ScratchFolder.create(purpose);
      db = folder.resolve("mlops.db");
      server = TrackingServer.builder("sqlite:" + db).artifacts(folder.resolve("artifacts")).port(0).start();
    }

    void stop() {
      server.close();
      folder.close();
    }
  }

  /** A fresh server per iteration, so neither side pays for the rows of an earlier one. */
  @State(Scope.Benchmark)
  public static class Points extends Served {
    double[] values;
    Tracker tracker;
    Run run;

    @Setup(Level.Trial)
    public void generate() {
      values = SyntheticData.gaussian(MetricLoggingBenchmark.POINTS, 11);
    }

    @Setup(Level.Iteration)
    public void open() {
      serve("rest-points");
    }

    /** Opens the tracker under test (the REST client or the file) and starts its run. */
    void start(String uri) {
      tracker = Tracker.open(uri);
      run = tracker.experiment("benchmark").run("metric-logging").start();
    }

    @TearDown(Level.Iteration)
    public void close() {
      run.close();
      tracker.close();
      stop();
    }
  }

  /** One run on a served file; the JDK client keeps its one connection alive between calls. */
  @State(Scope.Benchmark)
  public static class Calls extends Served {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String runId;
    Connection jdbc;
    PreparedStatement insert;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      serve("rest-calls");
      try (Tracker client = Tracker.open(server.uri().toString())) {
        runId = client.experiment("benchmark").run("single-calls").start().id();
      }
      jdbc = MetricLoggingBenchmark.openLikeTheTracker(db);
      insert = jdbc.prepareStatement(INSERT);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      insert.close();
      jdbc.close();
      stop();
    }
  }

  /** The search benchmark's runs, served. */
  @State(Scope.Benchmark)
  public static class Searched extends Served {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Tracker tracker;
    HttpRequest search;

    @Setup(Level.Trial)
    public void open() {
      serve("rest-search");
      tracker = Tracker.open("sqlite:" + db);
      Experiment experiment = tracker.experiment("search");
      RunSearchBenchmark.logRunsInto(experiment);
      tracker.flush();
      String body = "{\"experiment_ids\":[\"" + experiment.id() + "\"],\"filter\":\""
          + RunSearchBenchmark.FILTER + "\",\"order_by\":[\"" + RunSearchBenchmark.ORDER + "\"],\"max_results\":10}";
      search = HttpRequest.newBuilder(server.uri().resolve("/api/2.0/mlflow/runs/search"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @TearDown(Level.Trial)
    public void close() {
      tracker.close();
      stop();
    }
  }

  @Benchmark
  @OperationsPerInvocation(MetricLoggingBenchmark.POINTS)
  public void restClientUntilFlushed(Points p) {
    p.start(p.server.uri().toString());
    logAll(p);
  }

  @Benchmark
  @OperationsPerInvocation(MetricLoggingBenchmark.POINTS)
  public void sqliteTrackerUntilFlushed(Points p) {
    p.start("sqlite:" + p.db);
    logAll(p);
  }

  private static void logAll(Points p) {
    double[] values = p.values;
    for (int i = 0; i < values.length; i++) {
      p.run.metric(KEYS[i % KEYS.length], values[i], i / KEYS.length);
    }
    p.tracker.flush();
  }

  /** All {@value #SINGLE_CALLS} calls in one shot; the score is the time of the whole thousand. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  public int singleLogMetricCalls(Calls c) throws IOException, InterruptedException {
    int answered = 0;
    long step = System.nanoTime();
    for (int i = 0; i < SINGLE_CALLS; i++) {
      String body = String.format(Locale.ROOT, "{\"run_id\":\"%s\",\"key\":\"%s\",\"value\":%s,\"timestamp\":%d,"
          + "\"step\":%d}", c.runId, KEYS[i % KEYS.length], i * 0.001, System.currentTimeMillis(), step + i);
      HttpRequest request = HttpRequest.newBuilder(c.server.uri().resolve(LOG_METRIC))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<String> r = c.http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("log-metric answered " + r.statusCode() + ": " + r.body());
      }
      answered++;
    }
    return answered;
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  public int jdbcSingleRowCommits(Calls c) throws SQLException {
    int written = 0;
    long step = System.nanoTime();
    for (int i = 0; i < SINGLE_CALLS; i++) {
      c.insert.setString(1, c.runId);
      c.insert.setString(2, KEYS[i % KEYS.length]);
      c.insert.setDouble(3, i * 0.001);
      c.insert.setInt(4, 0);
      c.insert.setLong(5, System.currentTimeMillis());
      c.insert.setLong(6, step + i);
      written += c.insert.executeUpdate();
    }
    return written;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  public String restSearch(Searched s) throws IOException, InterruptedException {
    HttpResponse<String> r = s.http.send(s.search, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().contains("\"runs\"")) {
      throw new IllegalStateException("runs/search answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  public List<RunRecord> trackerSearch(Searched s) {
    return s.tracker.search("search").filter(RunSearchBenchmark.FILTER).orderBy(RunSearchBenchmark.ORDER).limit(10)
        .list();
  }
}
