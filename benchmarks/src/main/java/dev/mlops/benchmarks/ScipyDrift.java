package dev.mlops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times SciPy's {@code ks_2samp} and {@code wasserstein_distance} on exactly the data of
 * {@link DriftBenchmark}: the columns are generated from the same seeds, written to a file of
 * little-endian doubles and timed by the committed script {@code scipy_drift.py} (a resource of
 * this module), one column after the other as Evidently runs them. Without {@code python3} or
 * SciPy the result says why, and the comparison rows are skipped.
 *
 * <pre>{@code
 * ScipyDrift.Result scipy = ScipyDrift.run();
 * scipy.ksSeconds();
 * }</pre>
 */
final class ScipyDrift {
  static final String SCRIPT = "scipy_drift.py";
  /** How many times SciPy runs over all columns; the mean is reported. */
  static final int REPEATS = 2;
  private static final long TIMEOUT_MINUTES = 10;

  private ScipyDrift() {}

  /**
   * The mean seconds per run over all columns and the SciPy version, or the reason there are none.
   *
   * @param ksSeconds mean seconds of {@code ks_2samp} over the 20 columns
   * @param wassersteinSeconds mean seconds of {@code wasserstein_distance} over the 20 columns
   * @param version SciPy's version
   * @param unavailable why SciPy could not be timed, or null
   */
  record Result(double ksSeconds, double wassersteinSeconds, String version, String unavailable) {
    static Result unavailable(String why) {
      return new Result(Double.NaN, Double.NaN, "", why);
    }
  }

  static Result run() throws InterruptedException {
    return run(REPEATS);
  }

  static Result run(int repeats) throws InterruptedException {
    try (ScratchFolder folder = ScratchFolder.create("scipy")) {
      Path script = folder.resolve(SCRIPT);
      try (InputStream in = ScipyDrift.class.getResourceAsStream(SCRIPT)) {
        Files.copy(in, script);
      }
      Path data = folder.resolve("columns.f64");
      write(data, SyntheticData.numericColumns(DriftBenchmark.ROWS, DriftBenchmark.COLUMNS, DriftBenchmark.REFERENCE_SEED, 0));
      append(data, SyntheticData.numericColumns(DriftBenchmark.ROWS, DriftBenchmark.COLUMNS,
          DriftBenchmark.CURRENT_SEED, DriftBenchmark.SHIFT));
      List<String> command = List.of("python3", script.toString(), data.toString(),
          Integer.toString(DriftBenchmark.ROWS), Integer.toString(DriftBenchmark.COLUMNS), Integer.toString(repeats));
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(false).start();
      } catch (IOException e) {
        return Result.unavailable("python3 is not installed here (" + e.getMessage() + ")");
      }
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return Result.unavailable("the SciPy script took more than " + TIMEOUT_MINUTES + " minutes");
      }
      if (process.exitValue() != 0) {
        return Result.unavailable(err.contains("No module named") ? "SciPy or NumPy is not installed for python3: "
            + lastLine(err) : "the SciPy script failed: " + lastLine(err));
      }
      JsonNode json = new ObjectMapper().readTree(out);
      return new Result(mean(json.get("ks").get("seconds")), mean(json.get("wasserstein").get("seconds")),
          json.get("scipy").asText(), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot time SciPy on the drift benchmark's data", e);
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }

  private static double mean(JsonNode seconds) {
    double sum = 0;
    for (JsonNode s : seconds) {
      sum += s.asDouble();
    }
    return sum / seconds.size();
  }

  private static void write(Path file, double[][] columns) throws IOException {
    store(file, columns, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }

  private static void append(Path file, double[][] columns) throws IOException {
    store(file, columns, StandardOpenOption.APPEND);
  }

  private static void store(Path file, double[][] columns, StandardOpenOption... options) throws IOException {
    try (FileChannel channel = FileChannel.open(file, options)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (double[] column : columns) {
        for (double v : column) {
          if (!buffer.hasRemaining()) {
            buffer.flip();
            while (buffer.hasRemaining()) {
              channel.write(buffer);
            }
            buffer.clear();
          }
          buffer.putDouble(v);
        }
      }
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }
}
