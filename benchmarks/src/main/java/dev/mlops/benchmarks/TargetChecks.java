package dev.mlops.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the measured figures into result rows, each checked against its target: JMH scores
 * paired with the baseline measured in the same run, the scoring load, and the memory check.
 */
final class TargetChecks {
  static final String LOGGING = "log 1M metric points via `Run.metric`, until `flush()` returns (SQLite)";
  static final String METRIC_CALL = "one `Run.metric` call, caller side (SampleTime)";
  static final String SEARCH = "search: filter on a metric and a param, order by a metric, limit 10; "
      + "10,000 runs × 20 params × 10 metrics (SQLite)";
  static final String PACKAGE = "build + write + read (verify) a package with 256 MiB of artifacts";
  static final String PROFILE = "`Profile.of`, 1M rows × 20 numeric columns";
  static final String DRIFT_FRAMES = "`Drift.between(frame, frame)`, exact, 1M vs 1M rows × 20 numeric columns";
  static final String DRIFT_KS_SCIPY = "`Drift.between(frame, frame)` with ks, 1M vs 1M rows × 20 numeric columns";
  static final String DRIFT_WASSERSTEIN_SCIPY =
      "`Drift.between(frame, frame)` with wasserstein, 1M vs 1M rows × 20 numeric columns";
  static final String DRIFT_PROFILES = "`Drift.between(profile, profile)`, same data, profiles precomputed";
  static final String PREDICT = "`Predictor.predict(row)` with signature checks, 10 numeric inputs";
  static final String SERVING = "`ScoringServer` over loopback, one row per request";
  static final String UI_RUNS = "UI: the runs page of an experiment of 10,000 runs × 20 params × 10 metrics, "
      + "50 runs a page (the default), over HTTP (SampleTime)";
  static final String UI_CHART = "UI: the chart data of a 1,000,000-point metric, 1,000 points by LTTB, over HTTP "
      + "(SampleTime)";
  static final String UI_FIRST_CHART = "UI: the same chart data as the first request of a new server, nothing"
      + " cached (single shots)";
  static final String REST_LOGGING = "log 1M metric points via `Tracker.open(\"http://…\")`, until `flush()` "
      + "returns (tracking server on loopback, SQLite)";
  static final String REST_CALLS = "1,000 single `runs/log-metric` POSTs of MLflow's JSON, one keep-alive "
      + "`HttpClient` on loopback (SQLite)";
  static final String REST_SEARCH = "`runs/search` over 10,000 runs, filter on a metric and a param, order by a "
      + "metric, first page of 10 (SQLite)";
  static final String MEMORY = "10M rows through `Monitor` (window 100,000 rows) in a JVM with -Xmx256m";

  static final String LIFECYCLE_UNCHANGED = "a life-cycle pass where nothing changed (" + LifecycleBenchmark.ROWS
      + " rows in the data folder)";
  static final String LIFECYCLE_FULL = "a full life-cycle pass, " + LifecycleBenchmark.ROWS + " rows × "
      + LifecycleBenchmark.COLUMNS + " columns, SGD " + LifecycleBenchmark.EPOCHS + " epochs";
  static final String LIFECYCLE_GRID = "a grid search of 8 trials in a life-cycle pass, on 2 threads";
  static final String NOT_SELECTED = "not selected by --only";
  private static final String SEE_README = "; see the profiles in benchmarks/README.md";
  private static final String SORT_40 = "sort copies of the same 40 columns once";

  private TargetChecks() {}

  /** The rows of the JMH benchmarks, in the order of the table. */
  static List<ResultRow> jmhRows(JmhScores s) {
    List<ResultRow> rows = new ArrayList<>();
    rows.add(logging(s).ifMissed("the single writer thread is the bottleneck, most of it inside SQLite's inserts"
        + SEE_README));
    rows.add(metricCall(s).ifMissed("the call itself is slow" + SEE_README));
    rows.add(search(s).ifMissed("the query or the loading of the runs is slow" + SEE_README));
    rows.add(pkg(s).ifMissed("the artifact bytes are hashed with SHA-256 twice (build and read, each on one "
        + "thread per core) and checked with CRC-32 while written, the baseline's hashed once on one thread; "
        + "other builds sharing the cores take away the parallel hashing" + SEE_README));
    rows.add(profile(s).ifMissed("the exact sums (three slot updates a value) and the sketch's bucket update "
        + "take most of the time" + SEE_README));
    rows.add(driftFrames(s).ifMissed("the tests cost more than the sorts" + SEE_README));
    rows.add(driftProfiles(s).ifMissed("the sketch tests are slow" + SEE_README));
    rows.add(lifecycleUnchanged(s).ifMissed("the store's search for the earlier pass is slow" + SEE_README));
    rows.add(lifecycleFull(s).ifMissed("the nested runs, checks and record cost more than a tenth of the steps"
        + SEE_README));
    rows.add(lifecycleGrid(s).ifMissed("the trials are Tribuo's trainings, which two threads run no faster than the"
        + " machine's cores allow (its own loops' figures are in the note)" + SEE_README));
    rows.add(uiPage(s, "UiBenchmark.runsPage", "UiBenchmark.runsSearchApi", UI_RUNS,
        "the REST API's `runs/search` for the same 50 runs (JSON)").ifMissed("rendering or loading the runs is slow"));
    rows.add(uiPage(s, "UiBenchmark.chartOfAMillionPoints", "UiBenchmark.readMillionPointHistory", UI_CHART,
        "reading the whole history from the store, as a chart without downsampling would")
        .ifMissed("downsampling or the history cache is slow"));
    rows.add(uiPage(s, "UiBenchmark.firstChartOfAMillionPoints", "UiBenchmark.readMillionPointHistory",
        UI_FIRST_CHART, "reading the whole history from the store, as a chart without downsampling would")
        .ifMissed("the first request reads more than the history's summary"));
    rows.add(restLogging(s).ifMissed("the server's writes of each log-batch or the client's sending of them "
        + "cost more than the tracker's own writer" + SEE_README));
    rows.add(restCalls(s).ifMissed("each call is its own HTTP request and its own committed transaction"
        + SEE_README));
    rows.add(restSearch(s).ifMissed("the search or its JSON answer is slow" + SEE_README));
    rows.add(predict(s).ifMissed("reading and checking the row's values adds about a sixth to Tribuo's own "
        + "prediction" + SEE_README));
    return rows;
  }

  private static ResultRow logging(JmhScores s) {
    String baseline = "plain JDBC batch insert of the same rows into the same `metrics` table, commit every "
        + String.format(Locale.ROOT, "%,d", MetricLoggingBenchmark.COMMIT_EVERY) + " rows";
    return throughput(s, "MetricLoggingBenchmark.runMetricUntilFlushed", "MetricLoggingBenchmark.jdbcBatchInsert",
        LOGGING, baseline, 0.7, "");
  }

  private static ResultRow restLogging(JmhScores s) {
    return throughput(s, "RestServerBenchmark.restClientUntilFlushed", "RestServerBenchmark.sqliteTrackerUntilFlushed",
        REST_LOGGING, "the same points through `Tracker.open(\"sqlite:…\")` on the server's file", 0.5,
        "client, server and SQLite share the cores");
  }

  // metric points per second against the baseline's; met when the ratio reaches minRatio
  private static ResultRow throughput(JmhScores s, String library, String baselineMethod, String benchmark,
      String baseline, double minRatio, String note) {
    String target = "≥ " + minRatio + " of the baseline's throughput";
    return pair(s, library, baselineMethod, benchmark, baseline, target, (lib, base) -> {
      double ratio = base / lib;
      return new ResultRow(benchmark, baseline, Figures.rate(1e9 / lib, "points"), Figures.rate(1e9 / base, "points"),
          Figures.ratio(ratio) + " of the baseline's throughput", target, Optional.of(ratio >= minRatio), note);
    });
  }

  private static ResultRow restCalls(JmhScores s) {
    String baseline = "1,000 single-row transactions on a plain JDBC connection to the same file";
    return timed(s, "RestServerBenchmark.singleLogMetricCalls", "RestServerBenchmark.jdbcSingleRowCommits",
        REST_CALLS, baseline, "< 1 s for the 1,000", (lib, base) -> lib < 1e9,
        "each answer comes after its point is committed");
  }

  private static ResultRow restSearch(JmhScores s) {
    String baseline = "the same search through `Tracker.open(\"sqlite:…\")` on the file";
    return timed(s, "RestServerBenchmark.restSearch", "RestServerBenchmark.trackerSearch", REST_SEARCH, baseline,
        "< 50 ms per search", (lib, base) -> lib < 50e6, "");
  }

  private static ResultRow metricCall(JmhScores s) {
    String target = "median < 1 µs";
    if (!s.ran("MetricCallBenchmark.metricCall")) {
      return ResultRow.notMeasured(METRIC_CALL, "—", target, NOT_SELECTED);
    }
    Optional<Double> median = s.percentileNanos("MetricCallBenchmark.metricCall", 50);
    Optional<Double> p99 = s.percentileNanos("MetricCallBenchmark.metricCall", 99);
    Optional<Double> p9999 = s.percentileNanos("MetricCallBenchmark.metricCall", 99.99);
    if (median.isEmpty() || p99.isEmpty() || p9999.isEmpty()) {
      return ResultRow.notMeasured(METRIC_CALL, "—", target, "the benchmark failed; see its JMH output");
    }
    return new ResultRow(METRIC_CALL, "—", "median " + Figures.time(median.get()) + ", p99 " + Figures.time(p99.get())
            + ", p99.99 " + Figures.time(p9999.get()),
        "—", "—", target, Optional.of(median.get() < 1_000),
        "the rare long calls wait for room in the full queue (back pressure) while the writer commits");
  }

  private static ResultRow search(JmhScores s) {
    String baseline = "`SELECT count(*)` over the same runs (plain JDBC)";
    return timed(s, "RunSearchBenchmark.search", "RunSearchBenchmark.countRuns", SEARCH, baseline,
        "< 100 ms per search", (lib, base) -> lib < 100e6, "");
  }

  private static ResultRow pkg(JmhScores s) {
    String baseline = "`Files.copy` of the same files + SHA-256 of the copies";
    String note = s.nanosPerOp("PackageBenchmark.replacePackage")
        .map(n -> "both sides write new files; written over the previous package file instead (an atomic replace): "
            + Figures.time(n))
        .orElse("");
    return timed(s, "PackageBenchmark.writeAndVerifyPackage", "PackageBenchmark.copyAndHash", PACKAGE, baseline,
        "≤ 1.5× the baseline's time", (lib, base) -> lib / base <= 1.5, note);
  }

  private static ResultRow profile(JmhScores s) {
    String baseline = "one pass computing sum/min/max of the same arrays";
    String target = "≥ 80M values/s per thread; report the ratio";
    return pair(s, "ProfileBenchmark.profileOf", "ProfileBenchmark.sumMinMaxPass", PROFILE, baseline, target,
        (lib, base) -> new ResultRow(PROFILE, baseline, Figures.rate(1e9 / lib, "values"),
            Figures.rate(1e9 / base, "values"), Figures.ratio(lib / base) + " the baseline's time", target,
            Optional.of(1e9 / lib >= 80e6), "one thread; deterministic profile (exact sums, DDSketch)"));
  }

  private static ResultRow driftFrames(JmhScores s) {
    return timed(s, "DriftBenchmark.driftBetweenFrames", "DriftBenchmark.sortColumns", DRIFT_FRAMES, SORT_40,
        "≤ 2× the baseline's time", (lib, base) -> lib / base <= 2,
        "default tests: wasserstein on every column (more than 1000 values, many distinct)");
  }

  private static ResultRow lifecycleUnchanged(JmhScores s) {
    return timed(s, "LifecycleBenchmark.noChangePass", "LifecycleBenchmark.digestOnly", LIFECYCLE_UNCHANGED,
        "the SHA-256 of the data folder alone", "< 50 ms", (lib, base) -> lib < 50e6, "no run is started");
  }

  /** Both from the same invocations: the pass and the steps by hand, alternately first. */
  private static ResultRow lifecycleFull(JmhScores s) {
    String baseline = "the same steps called by hand: one run, no nested runs, checks or record";
    String target = "≤ 1.1× the baseline's time";
    return figurePair(s, "LifecycleBenchmark.fullPassAndByHand", LifecycleBenchmark.FULL_PASS, LifecycleBenchmark.BY_HAND,
        LIFECYCLE_FULL, baseline, target, (pass, hand) -> new ResultRow(LIFECYCLE_FULL, baseline, Figures.time(pass),
            Figures.time(hand), Figures.ratio(pass / hand) + " the baseline's time", target, Optional.of(pass / hand <= 1.1),
            "SQLite; each pass registers and promotes a version; medians over " + s.figureCount(LifecycleBenchmark.FULL_PASS)
                + " measured pairs, the two of a pair in one invocation, alternately first"));
  }

  /**
   * The grid search itself, the select step of the pass (its trials and the data sets they share),
   * timed inside every measured pass; the whole passes, whose other steps do not depend on the
   * search's threads, are in the note. Both thread counts run in the same invocations.
   */
  private static ResultRow lifecycleGrid(JmhScores s) {
    String baseline = "the same search on 1 thread";
    String target = "≥ 1.7× faster than on 1 thread";
    String passes = s.medianFigureNanos(LifecycleBenchmark.PASS_ON_TWO).flatMap(p2 -> s.medianFigureNanos(
        LifecycleBenchmark.PASS_ON_ONE).map(p1 -> "; the whole pass " + Figures.time(p2) + " against "
            + Figures.time(p1) + " (" + Figures.ratio(p1 / p2) + " faster: reading, checks, evaluation, package "
            + "and registration do not use the search's threads)")).orElse("");
    String ceiling = s.medianFigureNanos(LifecycleBenchmark.TRAININGS_ON_TWO).flatMap(t2 -> s.medianFigureNanos(
        LifecycleBenchmark.TRAININGS_ON_ONE).map(t1 -> "; the same 8 trainings called directly in the same invocations, without a life cycle, "
            + Figures.time(t2) + " against " + Figures.time(t1) + " (" + Figures.ratio(t1 / t2)
            + " faster: what the machine allows these trainings)")).orElse("");
    Optional<Double> registers = speedUp(s, LifecycleBenchmark.REGISTERS_ON_ONE, LifecycleBenchmark.REGISTERS_ON_TWO);
    Optional<Double> arrays = speedUp(s, LifecycleBenchmark.ARRAYS_ON_ONE, LifecycleBenchmark.ARRAYS_ON_TWO);
    String machine = registers.isEmpty() || arrays.isEmpty() ? "" : "; the machine itself, without the library, gave two "
        + "threads " + Figures.ratio(registers.get()) + " on integer chains in registers and " + Figures.ratio(arrays.get())
        + " on short-lived arrays (2× on two cores of its own)";
    return figurePair(s, "LifecycleBenchmark.gridOnOneAndTwoThreads", LifecycleBenchmark.SELECT_ON_TWO,
        LifecycleBenchmark.SELECT_ON_ONE, LIFECYCLE_GRID, baseline, target, (two, one) -> new ResultRow(LIFECYCLE_GRID,
            baseline, Figures.time(two), Figures.time(one), Figures.ratio(one / two) + " faster", target,
            Optional.of(one / two >= 1.7), "medians of the select step over " + s.figureCount(LifecycleBenchmark.SELECT_ON_TWO)
                + " measured pairs of passes, the two of a pair in one invocation, alternately first" + passes + ceiling
                + machine));
  }

  /** How many times faster the median of {@code twoThreads} is than that of {@code oneThread}, when both were kept. */
  private static Optional<Double> speedUp(JmhScores s, String oneThread, String twoThreads) {
    return s.medianFigureNanos(oneThread).flatMap(one -> s.medianFigureNanos(twoThreads).map(two -> one / two));
  }

  /** A row from the medians of two figures a benchmark kept, the library's first. */
  private static ResultRow figurePair(JmhScores s, String benchmarkMethod, String library, String baselineFigure,
      String benchmark, String baseline, String target, RowOf row) {
    if (!s.ran(benchmarkMethod)) {
      return ResultRow.notMeasured(benchmark, baseline, target, NOT_SELECTED);
    }
    Optional<Double> lib = s.medianFigureNanos(library);
    Optional<Double> base = s.medianFigureNanos(baselineFigure);
    if (lib.isEmpty() || base.isEmpty()) {
      return ResultRow.notMeasured(benchmark, baseline, target, benchmarkMethod + " failed or was not run; see its JMH output");
    }
    return row.of(lib.get(), base.get());
  }

  /** The side-by-side rows: the library's exact drift against SciPy's tests on the same data. */
  static List<ResultRow> scipyRows(JmhScores s, ScipyDrift.Result scipy) {
    return List.of(
        scipyRow(s, "DriftBenchmark.driftKs", DRIFT_KS_SCIPY, "ks_2samp", scipy.ksSeconds(), scipy),
        scipyRow(s, "DriftBenchmark.driftBetweenFrames", DRIFT_WASSERSTEIN_SCIPY, "wasserstein_distance",
            scipy.wassersteinSeconds(), scipy));
  }

  private static ResultRow scipyRow(JmhScores s, String library, String benchmark, String function, double seconds,
      ScipyDrift.Result scipy) {
    String baseline = "SciPy `" + function + "` over the same 20 column pairs, one after the other (as Evidently)";
    String target = "≥ 4× faster than SciPy";
    if (scipy.unavailable() != null) {
      return ResultRow.notMeasured(benchmark, baseline, target, "skipped: " + scipy.unavailable());
    }
    return pair(s, library, library, benchmark, baseline, target, (lib, ignored) -> {
      double speedUp = seconds * 1e9 / lib;
      return new ResultRow(benchmark, baseline, Figures.time(lib), Figures.time(seconds * 1e9),
          Figures.ratio(speedUp) + " faster than SciPy", target, Optional.of(speedUp >= 4),
          "SciPy " + scipy.version() + ", mean of " + ScipyDrift.REPEATS + " runs of the committed script; "
              + Runtime.getRuntime().availableProcessors() + " cores shared with other work")
          .ifMissed("the columns run in parallel, so the ratio grows with the free cores");
    });
  }

  private static ResultRow driftProfiles(JmhScores s) {
    return timed(s, "DriftBenchmark.driftBetweenProfiles", "DriftBenchmark.sortColumns", DRIFT_PROFILES, SORT_40,
        "< 50 ms", (lib, base) -> lib < 50e6, "current profile made against the reference's bins");
  }

  // p95 of the sampled requests against the baseline's p95, target < 100 ms
  private static ResultRow uiPage(JmhScores s, String method, String baselineMethod, String benchmark,
      String baseline) {
    String target = "p95 < 100 ms";
    if (!s.ran(method)) {
      return ResultRow.notMeasured(benchmark, baseline, target, NOT_SELECTED);
    }
    Optional<Double> p95 = s.percentileNanos(method, 95);
    Optional<Double> base = s.percentileNanos(baselineMethod, 95);
    if (p95.isEmpty() || base.isEmpty()) {
      return ResultRow.notMeasured(benchmark, baseline, target, "the benchmark failed; see its JMH output");
    }
    return new ResultRow(benchmark, baseline, "p95 " + Figures.time(p95.get()), "p95 " + Figures.time(base.get()),
        Figures.ratio(p95.get() / base.get()) + " the baseline's time", target, Optional.of(p95.get() < 100e6),
        "client and server share the cores");
  }

  /**
   * Medians over each side's forks: now and then a JVM compiles the prediction's call chain into
   * code three to four times slower for as long as it runs, Tribuo's own {@code predict} as well
   * as ours, and the mean of a side with such a fork measures that JVM, not the library.
   */
  private static ResultRow predict(JmhScores s) {
    String library = "PredictorBenchmark.predictorPredict";
    String base = "PredictorBenchmark.tribuoPredict";
    String baseline = "Tribuo `model.predict(example)` on the same row";
    String target = "≤ 1.2× the baseline's time";
    if (!s.ran(library)) {
      return ResultRow.notMeasured(PREDICT, baseline, target, NOT_SELECTED);
    }
    Optional<Double> lib = s.medianForkNanosPerOp(library);
    Optional<Double> tribuo = s.medianForkNanosPerOp(base);
    if (lib.isEmpty() || tribuo.isEmpty()) {
      return ResultRow.notMeasured(PREDICT, baseline, target, "a prediction benchmark failed; see its JMH output");
    }
    String note = "medians of each side's " + s.forkNanosPerOp(library).size() + " forks (forks: "
        + forks(s.forkNanosPerOp(library)) + " against " + forks(s.forkNanosPerOp(base)) + ")"
        + s.medianForkNanosPerOp("PredictorBenchmark.tribuoPredictNewExample")
            .map(n -> "; Tribuo with a new example built from the row map at each call: " + Figures.time(n)).orElse("");
    return new ResultRow(PREDICT, baseline, Figures.time(lib.get()), Figures.time(tribuo.get()),
        Figures.ratio(lib.get() / tribuo.get()) + " the baseline's time", target,
        Optional.of(lib.get() / tribuo.get() <= 1.2), note);
  }

  private static String forks(List<Double> nanos) {
    return nanos.stream().map(Figures::time).collect(java.util.stream.Collectors.joining(", "));
  }

  /** The serving row: throughput and p99 of the measured phase. */
  static ResultRow serving(ScoringLoad.Settings settings, ScoringLoad.Result r) {
    return servingRow(settings, r).ifMissed(r.errors() > 0
        ? r.errors() + " requests failed, the first with: " + r.firstError()
        : "the clients and the server share two cores" + SEE_README);
  }

  private static ResultRow servingRow(ScoringLoad.Settings settings, ScoringLoad.Result r) {
    String target = "≥ 5,000 requests/s, p99 < 20 ms";
    boolean met = r.requestsPerSecond() >= 5_000 && r.p99Millis() < 20 && r.errors() == 0;
    return new ResultRow(SERVING, "—",
        Figures.rate(r.requestsPerSecond(), "requests") + ", p50 " + Figures.format(r.p50Millis()) + " ms, p99 "
            + Figures.format(r.p99Millis()) + " ms", "—", "—", target, Optional.of(met),
        String.format(Locale.ROOT, "%,d requests in %s s from %d client threads after %,d warm-up requests",
            r.requests(), Figures.format(r.seconds()), settings.clientThreads(), settings.warmupRequests())
            + "; the server's default "
            + "worker threads; " + r.errors() + " errors");
  }

  /** The memory row: peak heap and the live heap at the first and last checkpoint. */
  static ResultRow memory(MonitorMemoryCheck.Result r) {
    return memoryRow(r).ifMissed("the live heap grew between the first and the last checkpoint");
  }

  private static ResultRow memoryRow(MonitorMemoryCheck.Result r) {
    String target = "heap stays flat";
    return new ResultRow(MEMORY, "—",
        "peak heap " + Figures.mebibytes(r.peakBytes()) + " of " + Figures.mebibytes(r.maxHeapBytes())
            + "; live after a full GC " + Figures.mebibytes(r.firstLiveBytes()) + " after "
            + Figures.format(r.rows() / 10 / 1e6) + "M rows, " + Figures.mebibytes(r.lastLiveBytes()) + " after "
            + Figures.format(r.rows() / 1e6) + "M (max " + Figures.mebibytes(r.maxLiveBytes()) + ")",
        "—", "—", target, Optional.of(r.flat()),
        r.windows() + " windows compared in " + Figures.format(r.seconds()) + " s ("
            + Figures.rate(r.rows() / r.seconds(), "rows") + "); peak = sum of the heap pools' peaks");
  }

  private interface RowOf {
    ResultRow of(double libraryNanos, double baselineNanos);
  }

  private interface Check {
    boolean met(double libraryNanos, double baselineNanos);
  }

  /** A row of two times per operation and the ratio of the library's to the baseline's. */
  private static ResultRow timed(JmhScores s, String library, String baselineMethod, String benchmark,
      String baseline, String target, Check check, String note) {
    return pair(s, library, baselineMethod, benchmark, baseline, target,
        (lib, base) -> new ResultRow(benchmark, baseline, Figures.time(lib), Figures.time(base),
            Figures.ratio(lib / base) + " the baseline's time", target, Optional.of(check.met(lib, base)), note));
  }

  private static ResultRow pair(JmhScores s, String library, String baselineMethod, String benchmark,
      String baseline, String target, RowOf row) {
    if (!s.ran(library)) {
      return ResultRow.notMeasured(benchmark, baseline, target, NOT_SELECTED);
    }
    Optional<Double> lib = s.nanosPerOp(library);
    Optional<Double> base = s.nanosPerOp(baselineMethod);
    if (lib.isEmpty() || base.isEmpty()) {
      String which = lib.isEmpty() ? library : baselineMethod;
      return ResultRow.notMeasured(benchmark, baseline, target, which + " failed or was not run; see its JMH output");
    }
    return row.of(lib.get(), base.get());
  }
}
