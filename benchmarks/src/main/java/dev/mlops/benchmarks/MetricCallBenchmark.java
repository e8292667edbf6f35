package dev.mlops.benchmarks;

import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
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
 * The caller's cost of one {@link Run#metric(String, double, long)} call, sampled call by call,
 * while the background writer commits to SQLite on the other core: what a training loop pays.
 * When the writer falls behind, the bounded queue makes the caller wait; those waits show in the
 * upper percentiles, the median shows the ordinary call.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only MetricCall
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MetricCallBenchmark {
  private static final String[] KEYS = {"loss", "accuracy", "lr", "grad_norm"};
  private static final int MASK = (1 << 16) - 1;

  private ScratchFolder folder;
  private Tracker tracker;
  private Run run;
  private double[] values;
  private long step;

  @Setup(Level.Trial)
  public void open() {
    values = SyntheticData.gaussian(MASK + 1, 12);
    folder = ScratchFolder.create("metric-call");
    tracker = Tracker.open("sqlite:" + folder.resolve("mlops.db"));
    run = tracker.experiment("benchmark").run("metric-call").start();
  }

  @TearDown(Level.Trial)
  public void close() {
    run.close();
    tracker.close();
    folder.close();
  }

  @Benchmark
  public Run metricCall() {
    long s = step++;
    return run.metric(KEYS[(int) (s & 3)], values[(int) (s & MASK)], s);
  }
}
