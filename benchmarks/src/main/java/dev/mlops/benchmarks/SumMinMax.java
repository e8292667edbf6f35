package dev.mlops.benchmarks;

import org.openjdk.jmh.infra.Blackhole;

/** The baseline of the profiling benchmarks: one pass computing each column's sum, minimum and maximum. */
final class SumMinMax {
  /** How many passes one timed shot of the baseline makes; one pass alone is too short to time. */
  static final int REPEAT = 10;

  private SumMinMax() {}

  static void pass(double[][] columns, Blackhole blackhole) {
    for (double[] column : columns) {
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : column) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      blackhole.consume(sum);
      blackhole.consume(min);
      blackhole.consume(max);
    }
  }
}
