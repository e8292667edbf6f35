package dev.mlops.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiling streams the rows: a JVM whose heap (256 MiB) is smaller than the rows' numeric
 * columns alone (12 million rows of 3 columns, 288 MB of doubles) profiles them all,
 * with counts and extremes equal to Spark's own aggregation. The rows are generated lazily by Spark, so nothing but the profiling
 * could hold them.
 */
class ManyRowsTest {
  private static final long ROWS = 12_000_000;

  @TempDir Path dir;

  @Test
  void profilesMoreRowsThanTheHeapHolds() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseParallelGC");
    command.addAll(Arrays.asList(System.getProperty("mlops.spark.javaFlags", "").trim().split("\\s+")));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ManyRowsMain.class.getName());
    command.add(Long.toString(ROWS));
    command.removeIf(String::isEmpty);
    File out = dir.resolve("out.txt").toFile();
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
    assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the child JVM finished");
    String output = Files.readString(out.toPath());
    assertEquals(0, child.exitValue(), output);
    Map<String, String> values = new HashMap<>();
    for (String line : output.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    assertEquals(Long.toString(ROWS), values.get("rows"), output);
    assertTrue(Long.parseLong(values.get("numbers")) > Long.parseLong(values.get("heap")), output);
    assertEquals("true", values.get("agrees"), output);
  }
}
