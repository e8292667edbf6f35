package dev.mlops.benchmarks;

import dev.mlops.core.Frame;
import dev.mlops.monitoring.Profile;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link Profile#of(Frame)} on {@value #ROWS} rows of {@value #COLUMNS} numeric columns, against
 * one pass over the same arrays computing each column's sum, minimum and maximum. Both run on
 * one thread; scores are nanoseconds per value, reported as values per second and as the ratio
 * of the two times. The profile is the deterministic one: exact sums and sums of squares, a
 * DDSketch, the extremes and the distinct values while there are few.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only Profile
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class ProfileBenchmark {
  static final int ROWS = 1_000_000;
  static final int COLUMNS = 20;
  static final int VALUES = ROWS * COLUMNS;

  private double[][] columns;
  private Frame frame;

  @Setup(Level.Trial)
  public void generate() {
    columns = SyntheticData.numericColumns(ROWS, COLUMNS, 21, 0);
    frame = SyntheticData.frame(columns);
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public Profile profileOf() {
    return Profile.of(frame);
  }

  /** The baseline, repeated so that one shot lasts long enough to time. */
  @Benchmark
  @OperationsPerInvocation(VALUES * SumMinMax.REPEAT)
  public void sumMinMaxPass(Blackhole blackhole) {
    for (int r = 0; r < SumMinMax.REPEAT; r++) {
      SumMinMax.pass(columns, blackhole);
    }
  }
}
