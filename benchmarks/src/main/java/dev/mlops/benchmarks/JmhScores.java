package dev.mlops.benchmarks;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The JMH results of one run, by benchmark method ({@code Class.method}), read back in
 * nanoseconds per operation whatever unit a benchmark reported in.
 */
final class JmhScores {
  private final Map<String, RunResult> byMethod = new LinkedHashMap<>();
  private final Set<String> ranClasses = new HashSet<>();

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
