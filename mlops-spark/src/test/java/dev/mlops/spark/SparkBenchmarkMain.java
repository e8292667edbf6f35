package dev.mlops.spark;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SparkBenchmarks} and prints each pair's ratio against its target: profiling at most
 * 2× Spark's aggregation, scoring at least 0.8× the plain Tribuo throughput.
 *
 * <pre>{@code
 * mvn -q -B -pl mlops-spark -am -Pspark-benchmarks process-test-classes
 * }</pre>
 */
public final class SparkBenchmarkMain {
  private SparkBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, Double> ms = new HashMap<>();
    for (RunResult r : new Runner(new OptionsBuilder().include(SparkBenchmarks.class.getName()).build()).run()) {
      String name = r.getParams().getBenchmark();
      ms.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
    }
    double profile = ms.get("profile") / ms.get("sparkAggregates");
    double scoring = ms.get("tribuoMapPartitions") / ms.get("scoring");
    System.out.printf(Locale.ROOT, "profiling %,d rows × %d columns: %.0f ms, df.agg(count, min, max, avg, stddev): %.0f ms,"
        + " ratio %.2f× (target ≤ 2×) %s%n", SparkBenchmarks.ROWS, SparkBenchmarks.COLUMNS, ms.get("profile"),
        ms.get("sparkAggregates"), profile, profile <= 2 ? "met" : "NOT met");
    System.out.printf(Locale.ROOT, "scoring %,d rows: %.0f ms, plain Tribuo mapPartitions: %.0f ms,"
        + " throughput %.2f× the baseline's (target ≥ 0.8×) %s%n", SparkBenchmarks.SCORED_ROWS, ms.get("scoring"),
        ms.get("tribuoMapPartitions"), scoring, scoring >= 0.8 ? "met" : "NOT met");
  }
}
