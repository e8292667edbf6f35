package dev.mlops.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.tracking.Metric;
import dev.mlops.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server and its clients in JVMs of their own: a server killed by SIGKILL while clients log
 * and then restarted, and many threads of several processes logging into one server.
 */
class ServerProcessTest {
  @TempDir Path temp;
  private final List<Process> started = new ArrayList<>();

  /** A child JVM with its standard output read line by line. */
  private record Child(Process process, BufferedReader out) {
    String await(String prefix) throws IOException {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      throw new AssertionError("the process ended without printing " + prefix + "; see its stderr file");
    }

    void send(String line) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
  }

  private Child start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ServerWorker.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(temp.toFile())
        .redirectError(temp.resolve("stderr-" + started.size() + ".txt").toFile()).start();
    started.add(p);
    return new Child(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
  }

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private String store() {
    return "sqlite:" + temp.resolve("mlops.db");
  }

  private Child server(int port) throws IOException {
    return start("serve", store(), temp.resolve("artifacts").toString(), Integer.toString(port));
  }

  private static int port(Child server) throws IOException {
    return Integer.parseInt(server.await("LISTENING ").split(" ")[1]);
  }

  // Every point of every thread stored exactly once, in each thread's order.
  private void assertEachPointOnce(List<String> runIds, int threads, int points) {
    try (Tracker direct = Tracker.builder(store()).synchronous(true).build()) {
      for (String runId : runIds) {
        List<Metric> history = direct.metricHistory(runId, "x");
        assertEquals(threads * points, history.size(), "run " + runId + " holds every point once");
        Set<Double> seen = new HashSet<>();
        long[] last = new long[threads];
        java.util.Arrays.fill(last, -1);
        for (Metric m : history) {
          assertTrue(seen.add(m.value()), "point " + m.value() + " stored twice");
          int thread = (int) (m.value() / 1_000_000);
          assertEquals(ServerWorker.value(thread, m.step()), m.value());
          assertTrue(m.step() > last[thread], "a thread's points keep their order");
          last[thread] = m.step();
        }
      }
    }
  }

  @Test
  void aServerKilledWhileTwoClientsLogIsRestartedAndEveryPointIsStoredOnce() throws Exception {
    Child server = server(0);
    int port = port(server);
    String uri = "http://127.0.0.1:" + port;
    int threads = 2;
    int points = 6_000;
    List<Child> clients = List.of(start("log", uri, "killed", "" + threads, "" + points, "pause"),
        start("log", uri, "killed", "" + threads, "" + points, "pause"));
    List<String> runIds = new ArrayList<>();
    for (Child c : clients) {
      runIds.add(c.await("STARTED ").split(" ")[1]);
    }
    // killed while the first halves are on their way: batches in flight lose their answers
    server.process().destroyForcibly();
    assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, server.process().exitValue(), "killed by SIGKILL");
    for (Child c : clients) {
      c.await("HALF");
      c.send("go");
    }
    Child restarted = server(port);
    assertEquals(port, port(restarted));
    for (Child c : clients) {
      c.await("FLUSHED");
      assertTrue(c.process().waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, c.process().exitValue());
    }
    assertEachPointOnce(runIds, threads, points);
  }

  @Test
  void eightThreadsInEachOfThreeProcessesLoseNothing() throws Exception {
    Child server = server(0);
    String uri = "http://127.0.0.1:" + port(server);
    int threads = 8;
    int points = 2_500;
    List<Child> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clients.add(start("log", uri, "shared", "" + threads, "" + points, "straight"));
    }
    List<String> runIds = new ArrayList<>();
    for (Child c : clients) {
      runIds.add(c.await("STARTED ").split(" ")[1]);
    }
    for (Child c : clients) {
      c.await("FLUSHED");
      assertTrue(c.process().waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, c.process().exitValue());
    }
    assertEachPointOnce(runIds, threads, points);
  }
}
