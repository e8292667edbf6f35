package dev.mlops.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/** A long run never gives a benchmark fewer iterations than it declares. */
class BenchmarkMainTest {
  @Test
  void theMostIterationsAClassOrAnyOfItsMethodsDeclaresAreFound() {
    assertEquals(8, BenchmarkMain.Settings.declared(LifecycleBenchmark.class, Warmup.class), "a method's, above the class's 3");
    assertEquals(24, BenchmarkMain.Settings.declared(LifecycleBenchmark.class, Measurement.class));
    assertEquals(5, BenchmarkMain.Settings.declared(PredictorBenchmark.class, Warmup.class), "the class's own");
    assertEquals(0, BenchmarkMain.Settings.declared(FiguresTest.class, Warmup.class), "none declared");
  }
}
