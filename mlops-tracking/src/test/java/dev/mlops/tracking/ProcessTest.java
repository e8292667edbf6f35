package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trackers in other JVMs: killed mid-write, and several writing one SQLite file at once. */
class ProcessTest {
  @TempDir Path temp;

  private Process startWorker(Map<String, String> env, String... args) throws IOException {
    return startWorker(List.of(), env, args);
  }

  private Process startWorker(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrackingWorker.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
        .redirectError(temp.resolve("stderr-" + String.join("-", args).hashCode() + ".txt").toFile());
    builder.environment().remove(Tracker.URI_VARIABLE);
    builder.environment().putAll(env);
    return builder.start();
  }

  private static String readLineStartingWith(Process p, String prefix) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("the worker ended without printing " + prefix);
  }

  @Test
  void everyFlushedPointSurvivesASigkill() throws Exception {
    String uri = "sqlite:" + temp.resolve("crash.db");
    Process worker = startWorker(Map.of(), "crash", uri, "20000");
    String runId;
    int flushed;
    try {
      String[] line = readLineStartingWith(worker, "FLUSHED").split(" ");
      runId = line[1];
      flushed = Integer.parseInt(line[2]);
      Thread.sleep(200);
    } finally {
      worker.toHandle().destroyForcibly();
      assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(137, worker.exitValue(), "killed by SIGKILL");

    try (Tracker tracker = Tracker.builder(uri).synchronous(true).build()) {
      List<Metric> history = tracker.metricHistory(runId, "loss");
      assertTrue(history.size() >= flushed, history.size() + " points, " + flushed + " flushed");
      for (int i = 0; i < history.size(); i++) {
        Metric m = history.get(i);
        assertEquals(i, m.step(), "points are stored in order, without gaps");
        assertEquals(Double.doubleToLongBits(TrackingWorker.crashValue(i)), Double.doubleToLongBits(m.value()),
            "point " + i);
      }
      assertEquals(RunStatus.RUNNING, tracker.getRun(runId).status());
      // the database is writable after the crash
      tracker.experiment("after-crash").run("r").start().close();
    }
  }

  @Test
  void theShutdownHookWritesWhatIsQueued() throws Exception {
    String uri = "sqlite:" + temp.resolve("exit.db");
    Process worker = startWorker(Map.of(), "exit", uri, "50000");
    String runId = readLineStartingWith(worker, "LOGGED").split(" ")[1];
    assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, worker.exitValue());
    try (Tracker tracker = Tracker.builder(uri).synchronous(true).build()) {
      assertEquals(50_000, tracker.metricHistory(runId, "loss").size());
    }
  }

  @Test
  void aTrackerAddsAShutdownHookOnlyWhenAskedTo() throws Exception {
    String uri = "sqlite:" + temp.resolve("hooks.db");
    Process worker = startWorker(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), Map.of(), "hooks", uri);
    String[] counts = readLineStartingWith(worker, "HOOKS").split(" ");
    assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
    int before = Integer.parseInt(counts[1]);
    assertEquals(before, Integer.parseInt(counts[2]), "a default tracker changes nothing JVM-wide");
    assertEquals(before + 1, Integer.parseInt(counts[3]), "flushAtExit(true) adds one hook");
  }

  @Test
  void fourProcessesWriteOneNewSqliteFileAtOnce() throws Exception {
    String uri = "sqlite:" + temp.resolve("shared.db");
    int workers = 4;
    int runs = 5;
    int points = 400;
    List<Process> processes = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      processes.add(startWorker(Map.of(), "write", uri, Integer.toString(w), Integer.toString(runs),
          Integer.toString(points)));
    }
    for (Process p : processes) {
      assertEquals("DONE", readLineStartingWith(p, "DONE"));
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
    }
    try (var files = Files.list(temp)) {
      for (Path err : files.filter(f -> f.getFileName().toString().startsWith("stderr-")).toList()) {
        String text = Files.readString(err);
        assertFalse(text.contains("locked") || text.contains("BUSY") || text.contains("Exception"), text);
      }
    }
    try (Tracker tracker = Tracker.builder(uri).synchronous(true).build()) {
      List<RunRecord> all = tracker.search("shared").list();
      assertEquals(workers * runs, all.size());
      for (RunRecord run : all) {
        int w = Integer.parseInt(run.params().get("worker"));
        int r = Integer.parseInt(run.params().get("run"));
        assertEquals("w" + w + "-r" + r, run.name());
        assertEquals(RunStatus.FINISHED, run.status());
        List<Metric> history = tracker.metricHistory(run.runId(), "m");
        assertEquals(points, history.size());
        for (int i = 0; i < points; i++) {
          assertEquals(w * 1_000_000.0 + r * 1_000.0 + i, history.get(i).value());
        }
      }
    }
  }

  @Test
  void twoProcessesRegisteringOneModelAtOnceGetDistinctGapFreeVersions() throws Exception {
    String uri = "sqlite:" + temp.resolve("registry.db");
    Path file = TestPackages.file(temp, "churn", "1", null);
    int each = 8;
    List<Process> processes = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      Process p = startWorker(Map.of(), "register", uri, "churn", file.toString(), Integer.toString(each));
      processes.add(p);
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      outputs.add(out);
      assertEquals("READY", out.readLine());
    }
    for (Process p : processes) {
      p.getOutputStream().write('\n');
      p.getOutputStream().flush();
    }
    Set<Integer> seen = new HashSet<>();
    for (int w = 0; w < 2; w++) {
      String line = outputs.get(w).readLine();
      assertTrue(line != null && line.startsWith("VERSIONS "), String.valueOf(line));
      for (String n : line.substring("VERSIONS ".length()).split(" ")) {
        assertTrue(seen.add(Integer.parseInt(n)), "version " + n + " given to both processes");
      }
      assertTrue(processes.get(w).waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, processes.get(w).exitValue());
    }
    Set<Integer> expected = new HashSet<>();
    for (int n = 1; n <= 2 * each; n++) {
      expected.add(n);
    }
    assertEquals(expected, seen);
    try (Tracker tracker = Tracker.builder(uri).synchronous(true).build()) {
      assertEquals(2 * each, tracker.registry().versions("churn").size());
      assertEquals(2 * each, tracker.registry().model("churn").latestVersion());
    }
  }

  @Test
  void localHonoursTheTrackingUriVariable() throws Exception {
    String uri = "sqlite:" + temp.resolve("from-env/mlops.db");
    Process p = startWorker(Map.of(Tracker.URI_VARIABLE, uri), "local");
    assertEquals("URI " + uri, readLineStartingWith(p, "URI"));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files.exists(temp.resolve("from-env/mlops.db")));

    Process defaults = startWorker(Map.of(), "local");
    assertEquals("URI " + Tracker.DEFAULT_URI, readLineStartingWith(defaults, "URI"));
    assertTrue(defaults.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files.exists(temp.resolve("mlops/mlops.db")), "the default database is under the working directory");
  }
}
