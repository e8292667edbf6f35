package dev.mlops.benchmarks;

import dev.mlops.core.Frame;
import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.SortedReference;
import dev.mlops.monitoring.StatTest;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Drift between a reference and a current frame of {@value #ROWS} rows and {@value #COLUMNS}
 * numeric columns each, the current one shifted: {@link Drift#between(Frame, Frame)} with the
 * default tests run exactly on the data, and {@link Drift#between(Profile, Profile)} on profiles
 * computed beforehand (the current one against the reference's bins, as a monitor does). The
 * baseline is sorting copies of the same 40 columns once with {@code Arrays.sort} on one thread;
 * {@link ScipyDrift} times SciPy on the same data for the side-by-side rows.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only Drift
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class DriftBenchmark {
  static final int ROWS = 1_000_000;
  static final int COLUMNS = 20;
  static final long REFERENCE_SEED = 31;
  static final long CURRENT_SEED = 32;
  static final double SHIFT = 0.5;

  private double[][] referenceColumns;
  private double[][] currentColumns;
  private Frame reference;
  private Frame current;
  private SortedReference sortedReference;
  private Profile referenceProfile;
  private Profile currentProfile;

  @Setup(Level.Trial)
  public void generate() {
    referenceColumns = SyntheticData.numericColumns(ROWS, COLUMNS, REFERENCE_SEED, 0);
    currentColumns = SyntheticData.numericColumns(ROWS, COLUMNS, CURRENT_SEED, SHIFT);
    reference = SyntheticData.frame(referenceColumns);
    current = SyntheticData.frame(currentColumns);
    sortedReference = SortedReference.of(reference);
    referenceProfile = Profile.of(reference);
    currentProfile = Profile.against(referenceProfile).of(current);
  }

  @Benchmark
  public DriftReport driftBetweenFrames() {
    return Drift.between(reference, current).run();
  }

  /** The same comparison with the KS test on every column. */
  @Benchmark
  public DriftReport driftKs() {
    return Drift.between(reference, current).numericTest(StatTest.ks()).run();
  }

  /** A monitor's case: the reference sorted once beforehand, only the current frame sorted. */
  @Benchmark
  public DriftReport driftAgainstSortedReference() {
    return Drift.between(sortedReference, current).run();
  }

  @Benchmark
  public void sortColumns(Blackhole blackhole) {
    for (double[][] side : new double[][][] {referenceColumns, currentColumns}) {
      for (double[] column : side) {
        double[] copy = column.clone();
        Arrays.sort(copy);
        blackhole.consume(copy);
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  public DriftReport driftBetweenProfiles() {
    return Drift.between(referenceProfile, currentProfile).run();
  }
}
