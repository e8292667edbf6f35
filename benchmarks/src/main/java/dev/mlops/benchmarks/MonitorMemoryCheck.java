package dev.mlops.benchmarks;

import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.Window;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Streams many rows through a {@link Monitor} in a JVM with a small heap and reports whether
 * the heap stays flat. Run by {@link BenchmarkMain} as a child process; it prints one line per
 * checkpoint ({@code checkpoint <rows> <live bytes after a full GC>}) and a last line
 * ({@code peak <bytes> <heap max bytes> <seconds> <windows closed>}) that {@link #inChildJvm}
 * reads back.
 *
 * <pre>{@code
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.mlops.benchmarks.MonitorMemoryCheck 10000000
 * }</pre>
 */
public final class MonitorMemoryCheck {
  static final long DEFAULT_ROWS = 10_000_000L;
  static final String HEAP = "-Xmx256m";
  private static final int COLUMNS = 8;
  private static final int REFERENCE_ROWS = 100_000;
  private static final long WINDOW_ROWS = 100_000;
  private static final int CHECKPOINTS = 10;

  /** What the child JVM saw. */
  record Result(long rows, long windows, double seconds, long peakBytes, long maxHeapBytes,
      long firstLiveBytes, long lastLiveBytes, long maxLiveBytes) {
    /** Flat: the heap live after the last checkpoint is within 10% (and 8 MiB) of the first one's. */
    boolean flat() {
      return lastLiveBytes <= firstLiveBytes + Math.max(8L << 20, firstLiveBytes / 10);
    }
  }

  private MonitorMemoryCheck() {}

  /** Streams {@code args[0]} rows (10 million by default) through a monitor and prints the heap figures. */
  public static void main(String[] args) {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_ROWS;
    String[] names = SyntheticData.columnNames(COLUMNS);
    double[][] referenceColumns = SyntheticData.numericColumns(REFERENCE_ROWS, COLUMNS, 51, 0);
    Profile reference = Profile.of(SyntheticData.frame(referenceColumns));
    SplittableRandom random = new SplittableRandom(52);
    long checkpointEvery = Math.max(1, rows / CHECKPOINTS);
    long start = System.nanoTime();
    long windows;
    try (Monitor monitor = Monitor.builder(reference).window(Window.ofCount(WINDOW_ROWS)).build()) {
      for (long r = 1; r <= rows; r++) {
        Map<String, Object> row = new HashMap<>();
        for (int j = 0; j < COLUMNS; j++) {
          row.put(names[j], SyntheticData.columnValue(j, COLUMNS, 0, random));
        }
        monitor.observe(row);
        if (r % checkpointEvery == 0) {
          System.out.println("checkpoint " + r + " " + liveBytes());
        }
      }
      windows = monitor.windowsClosed();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    System.out.println(String.format(Locale.ROOT, "peak %d %d %.3f %d", peak, max, seconds, windows));
  }

  // A full collection first, so that the figure is what the monitor keeps alive, not garbage.
  private static long liveBytes() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Runs {@link #main} in a child JVM with {@value #HEAP} and this JVM's class path, and reads
   * its figures back.
   *
   * @throws IllegalStateException if the child fails (such as running out of memory) or hangs
   */
  static Result inChildJvm(long rows, Duration limit) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(), HEAP,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), MonitorMemoryCheck.class.getName(), Long.toString(rows));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          output.add(line);
        }
      } catch (IOException e) {
        output.add("cannot read the memory check's output: " + e);
      }
    }, "memory-check-output");
    reader.start();
    if (!child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      child.destroyForcibly().waitFor();
      reader.join();
      throw new IllegalStateException("the memory check did not finish within " + limit);
    }
    reader.join();
    List<Long> live = new ArrayList<>();
    Result result = null;
    for (String line : output) {
      String[] f = line.split(" ");
      if (f[0].equals("checkpoint") && f.length == 3) {
        live.add(Long.parseLong(f[2]));
      } else if (f[0].equals("peak") && f.length == 5 && !live.isEmpty()) {
        result = new Result(rows, Long.parseLong(f[4]), Double.parseDouble(f[3]), Long.parseLong(f[1]),
            Long.parseLong(f[2]), live.get(0), live.get(live.size() - 1),
            live.stream().mapToLong(Long::longValue).max().orElseThrow());
      }
    }
    if (child.exitValue() != 0 || result == null) {
      throw new IllegalStateException("the memory check failed with exit code " + child.exitValue() + ":\n"
          + String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size())));
    }
    return result;
  }
}
