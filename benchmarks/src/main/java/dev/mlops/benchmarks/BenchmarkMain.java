package dev.mlops.benchmarks;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark, each against its baseline in the same run, and prints one row per
 * benchmark: the baseline, both figures, their ratio, the target and whether it was met.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar                          # short settings, a few minutes
 * java -jar benchmarks/target/benchmarks.jar --long                   # more forks and iterations
 * java -jar benchmarks/target/benchmarks.jar --only 'Drift|Profile'   # a subset, by name
 * java -jar benchmarks/target/benchmarks.jar --markdown results.md    # also write the table
 * java -jar benchmarks/target/benchmarks.jar --jfr /tmp/jfr           # a flight recording per fork
 * }</pre>
 */
public final class BenchmarkMain {
  private static final List<Class<?>> JMH_BENCHMARKS = List.of(
      MetricLoggingBenchmark.class,
      MetricCallBenchmark.class,
      RunSearchBenchmark.class,
      PackageBenchmark.class,
      ProfileBenchmark.class,
      DriftBenchmark.class,
      PredictorBenchmark.class,
      PermutationImportanceBenchmark.class,
      LimeBenchmark.class,
      ExplainServingBenchmark.class,
      LifecycleBenchmark.class,
      UiBenchmark.class,
      RestServerBenchmark.class);
  private static final String SERVING = "ScoringLoad";
  private static final String MEMORY = "MonitorMemoryCheck";
  private static final Duration MEMORY_LIMIT = Duration.ofMinutes(8);
  private static final String USAGE = """
      usage: java -jar benchmarks.jar [--long] [--only REGEX] [--markdown FILE] [--jfr FOLDER]
        --long           at least 2 forks (5 for prediction), 5 warm-up and 10 measurement iterations of 2 s (more where a
                         benchmark declares more), a longer load test
        --only REGEX     run only the benchmarks whose class name matches (such as 'Drift|Predictor';
                         ScoringLoad and MonitorMemoryCheck name the load test and the memory check)
        --markdown FILE  also write the results table as Markdown
        --jfr FOLDER     record every JMH fork with Java Flight Recorder into FOLDER""";

  private BenchmarkMain() {}

  /** Command-line options. */
  record Settings(boolean longRun, Pattern only, Optional<Path> markdown, Optional<Path> jfr) {
    static Settings parse(String[] args) {
      boolean longRun = false;
      Pattern only = Pattern.compile(".*");
      Path markdown = null;
      Path jfr = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--long" -> longRun = true;
          case "--only" -> only = Pattern.compile(valueOf(args, ++i));
          case "--markdown" -> markdown = Path.of(valueOf(args, ++i));
          case "--jfr" -> jfr = Path.of(valueOf(args, ++i));
          default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
        }
      }
      return new Settings(longRun, only, Optional.ofNullable(markdown), Optional.ofNullable(jfr));
    }

    private static String valueOf(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
      }
      return args[i];
    }

    boolean selects(String name) {
      return only.matcher(name).find();
    }

    String describe() {
      return longRun
          ? "long (at least 2 forks (5 for prediction), 5 warm-up and 10 measurement iterations of 2 s or single shots, more where a"
              + " benchmark declares more)"
          : "default (1 fork (5 for prediction), 2 warm-up (5 for prediction) and 3 measurement iterations of 1 s"
              + " or single shots)";
    }

    ChainedOptionsBuilder jmhOptions(Class<?> benchmark, Path figures) {
      List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx3g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-D" + JmhScores.FIGURES_PROPERTY + "=" + figures));
      // A folder as the file name: each fork writes its own uniquely named recording into it.
      jfr.ifPresent(folder -> jvm.add("-XX:StartFlightRecording=settings=profile,filename="
          + folder.resolve(benchmark.getSimpleName()) + "/"));
      ChainedOptionsBuilder b = new OptionsBuilder()
          .include(Pattern.quote(benchmark.getName()) + "\\.")
          .jvmArgs(jvm.toArray(String[]::new))
          .shouldFailOnError(false);
      if (longRun) {
        // the options apply to every method of the class, so a method that needs more iterations
        // than the long run's (the paired life-cycle passes) must not get fewer than it declares
        b.forks(Math.max(2, declaredForks(benchmark))).warmupIterations(Math.max(5, declared(benchmark, Warmup.class)))
            .measurementIterations(Math.max(10, declared(benchmark, Measurement.class)))
            .warmupTime(TimeValue.seconds(2)).measurementTime(TimeValue.seconds(2));
      }
      return b;
    }

    /** The forks the class declares, or 1. */
    static int declaredForks(Class<?> benchmark) {
      Fork f = benchmark.getAnnotation(Fork.class);
      return f == null ? 1 : f.value();
    }

    /** The most iterations the class or any of its methods declares with this annotation, or 0. */
    static int declared(Class<?> benchmark, Class<? extends Annotation> kind) {
      List<AnnotatedElement> places = new ArrayList<>(List.of(benchmark.getMethods()));
      places.add(benchmark);
      int most = 0;
      for (AnnotatedElement place : places) {
        Annotation a = place.getAnnotation(kind);
        if (a instanceof Warmup w) {
          most = Math.max(most, w.iterations());
        } else if (a instanceof Measurement m) {
          most = Math.max(most, m.iterations());
        }
      }
      return most;
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException, RunnerException {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Instant started = Instant.now();
    JmhScores scores = new JmhScores();
    for (Class<?> benchmark : JMH_BENCHMARKS) {
      if (settings.selects(benchmark.getSimpleName())) {
        if (settings.jfr().isPresent()) {
          Files.createDirectories(settings.jfr().get().resolve(benchmark.getSimpleName()));
        }
        Instant start = Instant.now();
        Path figures = Files.createTempFile("mlops-bench-figures-", ".txt");
        Files.delete(figures);
        scores.addAll(benchmark, new Runner(settings.jmhOptions(benchmark, figures).build()).run());
        scores.addFigures(figures);
        System.out.println("# " + benchmark.getSimpleName() + " took " + seconds(start) + " s");
      }
    }
    List<ResultRow> rows = new ArrayList<>(TargetChecks.jmhRows(scores));
    rows.addAll(ExplainTargets.rows(scores));
    if (settings.selects(DriftBenchmark.class.getSimpleName())) {
      System.out.println("# SciPy on the drift benchmark's data (" + ScipyDrift.SCRIPT + ")");
      rows.addAll(TargetChecks.scipyRows(scores, ScipyDrift.run()));
    }
    rows.add(settings.selects(SERVING) ? serving(settings.longRun()) : skipped(TargetChecks.SERVING));
    rows.add(settings.selects(MEMORY) ? memory() : skipped(TargetChecks.MEMORY));
    ResultTable table = new ResultTable(rows, started, Duration.between(started, Instant.now()), settings.describe());
    System.out.println();
    System.out.println(table.toText());
    if (settings.markdown().isPresent()) {
      Files.writeString(settings.markdown().get(), table.toMarkdown());
      System.out.println("Markdown table written to " + settings.markdown().get());
    }
  }

  private static ResultRow serving(boolean longRun) throws IOException, InterruptedException {
    ScoringLoad.Settings load = longRun ? ScoringLoad.Settings.LONG : ScoringLoad.Settings.DEFAULT;
    System.out.println("# Scoring load: " + load);
    Instant start = Instant.now();
    try {
      return TargetChecks.serving(load, ScoringLoad.run(load));
    } catch (RuntimeException e) {
      return ResultRow.notMeasured(TargetChecks.SERVING, "—", "≥ 5,000 requests/s, p99 < 20 ms", "failed: " + e);
    } finally {
      System.out.println("# " + SERVING + " took " + seconds(start) + " s");
    }
  }

  private static ResultRow memory() throws IOException, InterruptedException {
    System.out.println("# Memory check: " + MonitorMemoryCheck.DEFAULT_ROWS + " rows through a Monitor with "
        + MonitorMemoryCheck.HEAP);
    Instant start = Instant.now();
    try {
      return TargetChecks.memory(MonitorMemoryCheck.inChildJvm(MonitorMemoryCheck.DEFAULT_ROWS, MEMORY_LIMIT));
    } catch (IllegalStateException e) {
      return ResultRow.notMeasured(TargetChecks.MEMORY, "—", "heap stays flat", e.getMessage());
    } finally {
      System.out.println("# " + MEMORY + " took " + seconds(start) + " s");
    }
  }

  private static long seconds(Instant since) {
    return Duration.between(since, Instant.now()).toSeconds();
  }

  private static ResultRow skipped(String benchmark) {
    return ResultRow.notMeasured(benchmark, "—", "—", TargetChecks.NOT_SELECTED);
  }
}
