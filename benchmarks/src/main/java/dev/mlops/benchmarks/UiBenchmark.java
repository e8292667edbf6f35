package dev.mlops.benchmarks;

import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
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
 * The web UI served by a {@code TrackingServer} on loopback over SQLite, sampled request by
 * request (p95): the runs page of an experiment of {@value RunSearchBenchmark#RUNS} runs ×
 * {@value RunSearchBenchmark#PARAMS} params × {@value RunSearchBenchmark#METRICS} metrics (50
 * runs a page, 6 param and 6 metric columns), against the REST API's {@code runs/search} for the
 * same 50 runs that the page is built on; and the chart data of a metric of {@value #POINTS}
 * points (1,000 points chosen by LTTB), against reading that history from the store, which a
 * chart without server-side downsampling would need; and the same chart data as the first
 * request of a server started afresh, so that nothing of the history is in memory (single
 * shots, each after a restart outside the time measured).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only Ui
 * }</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class UiBenchmark {
  static final int POINTS = 1_000_000;

  /** A server over a store; each benchmark method sets up only the store it reads. */
  abstract static class Served {
    ScratchFolder folder;
    Tracker tracker;
    TrackingServer server;
    final HttpClient http = HttpClient.newHttpClient();

    void open(String name) {
      folder = ScratchFolder.create(name);
      tracker = Tracker.open("sqlite:" + folder.resolve("mlops.db"));
    }

    void serve() {
      tracker.flush();
      startServer();
    }

    void startServer() {
      server = TrackingServer.builder("sqlite:" + folder.resolve("mlops.db")).artifacts(folder.resolve("artifacts"))
          .port(0).start();
    }

    @TearDown(Level.Trial)
    public void stop() {
      server.close();
      tracker.close();
      folder.close();
    }

    String body(HttpRequest request) throws IOException, InterruptedException {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    }
  }

  /** The experiment of many runs. */
  @State(Scope.Benchmark)
  public static class Runs extends Served {
    HttpRequest page;
    HttpRequest search;

    @Setup(Level.Trial)
    public void start() {
      open("ui-runs");
      Experiment experiment = tracker.experiment("search");
      RunSearchBenchmark.logRunsInto(experiment);
      serve();
      page = HttpRequest.newBuilder(server.uri().resolve("/ui/experiments/" + experiment.id())).build();
      search = HttpRequest.newBuilder(server.uri().resolve("/api/2.0/mlflow/runs/search"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"experiment_ids\":[\"" + experiment.id()
              + "\"],\"max_results\":50,\"order_by\":[\"attributes.start_time DESC\"]}")).build();
    }
  }

  /** The run with a long history. */
  @State(Scope.Benchmark)
  public static class Chart extends Served {
    HttpRequest chart;
    String runId;

    @Setup(Level.Trial)
    public void start() {
      open("ui-chart");
      try (Run run = tracker.experiment("chart").run("long").start()) {
        runId = run.id();
        for (int i = 0; i < POINTS; i++) {
          run.metric("loss", Math.exp(-i / 200_000.0) + 0.01 * Math.sin(i / 100.0), i);
        }
      }
      serve();
      ask();
    }

    void ask() {
      chart = HttpRequest.newBuilder(server.uri().resolve("/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval"
          + "?run_ids=" + runId + "&metric_key=loss&max_results=1000")).build();
    }
  }

  /** The run with a long history, served by a new server before every request, so nothing of it is cached. */
  @State(Scope.Benchmark)
  public static class FreshChart extends Chart {
    @Setup(Level.Invocation)
    public void restart() {
      server.close();
      startServer();
      ask();
    }
  }

  @Benchmark
  public String runsPage(Runs s) throws IOException, InterruptedException {
    return s.body(s.page);
  }

  @Benchmark
  public String runsSearchApi(Runs s) throws IOException, InterruptedException {
    return s.body(s.search);
  }

  @Benchmark
  public String chartOfAMillionPoints(Chart s) throws IOException, InterruptedException {
    return s.body(s.chart);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 5)
  @Measurement(iterations = 10)
  public String firstChartOfAMillionPoints(FreshChart s) throws IOException, InterruptedException {
    return s.body(s.chart);
  }

  @Benchmark
  public List<Metric> readMillionPointHistory(Chart s) {
    return s.tracker.metricHistory(s.runId, "loss");
  }
}
