package dev.mlops.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The JMH results of one run, by benchmark method ({@code Class.method}), read back in
 * nanoseconds per operation whatever unit a benchmark reported in; and the figures benchmarks
 * measured inside their operations (a step of a pass), which forks write to a file of
 * {@code name millis} lines named by the system property {@value #FIGURES_PROPERTY}.
 */
final class JmhScores {
  /** The system property that names the file a fork appends its inner figures to. */
  static final String FIGURES_PROPERTY = "mlops.benchmarks.figures";

  private final Map<String, RunResult> byMethod = new LinkedHashMap<>();
  private final Set<String> ranClasses = new HashSet<>();
  private final Map<String, List<Double>> figures = new LinkedHashMap<>();

  /**
   * Appends a fork's inner figures, in milliseconds, to the file {@value #FIGURES_PROPERTY}
   * names; does nothing when it names none (a benchmark run by JMH's own launcher).
   */
  static void recordFigures(String name, List<Long> millis) {
    String file = System.getProperty(FIGURES_PROPERTY);
    if (file == null || millis.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    millis.forEach(m -> lines.append(name).append(' ').append(m).append('\n'));
    try {
      Files.writeString(Path.of(file), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark figures to " + file, e);
    }
  }

  /** Reads the figures the forks of one benchmark class wrote, then deletes the file. */
  void addFigures(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int space = line.lastIndexOf(' ');
      figures.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(Double.parseDouble(line.substring(space + 1)));
    }
    Files.delete(file);
  }

  /** The median of an inner figure over every measured operation of every fork, in nanoseconds. */
  Optional<Double> medianFigureNanos(String name) {
    List<Double> values = figures.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(median(values) * 1e6);
  }

  /** The middle value, or the mean of the middle two for an even count. */
  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** How many measured operations an inner figure has. */
  int figureCount(String name) {
    return figures.getOrDefault(name, List.of()).size();
  }

  /** Adds the results of running this benchmark class (none when all its methods failed). */
  void addAll(Class<?> benchmark, Collection<RunResult> results) {
    ranClasses.add(benchmark.getSimpleName());
    for (RunResult r : results) {
      String full = r.getParams().getBenchmark();
      String[] parts = full.split("\\.");
      byMethod.put(parts[parts.length - 2] + "." + parts[parts.length - 1], r);
    }
  }

  /** Whether the class of this method ({@code Class.method}) was run, whether or not it failed. */
  boolean ran(String method) {
    return ranClasses.contains(method.substring(0, method.indexOf('.')));
  }

  /** The mean time per operation, in nanoseconds. */
  Optional<Double> nanosPerOp(String method) {
    return Optional.ofNullable(byMethod.get(method)).map(r -> toNanos(r.getPrimaryResult(), r.getPrimaryResult().getScore()));
  }

  /** Each fork's mean time per operation, in nanoseconds, in the order the forks ran. */
  List<Double> forkNanosPerOp(String method) {
    RunResult r = byMethod.get(method);
    if (r == null) {
      return List.of();
    }
    List<Double> forks = new ArrayList<>();
    for (BenchmarkResult fork : r.getBenchmarkResults()) {
      forks.add(toNanos(fork.getPrimaryResult(), fork.getPrimaryResult().getScore()));
    }
    return forks;
  }

  /** The median of the forks' mean times per operation, in nanoseconds: one fork's compiled code does not decide it. */
  Optional<Double> medianForkNanosPerOp(String method) {
    List<Double> forks = forkNanosPerOp(method);
    return forks.isEmpty() ? Optional.empty() : Optional.of(median(forks));
  }

  /** A percentile (0–100) of the sampled times per operation, in nanoseconds; for SampleTime benchmarks. */
  Optional<Double> percentileNanos(String method, double percentile) {
    return Optional.ofNullable(byMethod.get(method)).map(r -> {
      Result<?> p = r.getPrimaryResult();
      return toNanos(p, p.getStatistics().getPercentile(percentile));
    });
  }

  private static double toNanos(Result<?> result, double score) {
    String unit = result.getScoreUnit();
    String time = unit.substring(0, unit.indexOf('/'));
    return switch (time) {
      case "ns" -> score;
      case "us" -> score * 1e3;
      case "ms" -> score * 1e6;
      case "s" -> score * 1e9;
      default -> throw new IllegalStateException("unexpected JMH score unit " + unit);
    };
  }
}
