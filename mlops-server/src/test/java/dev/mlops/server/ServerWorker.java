package dev.mlops.server;

import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The other JVMs of the server process tests, reporting on standard output.
 *
 * <ul>
 *   <li>{@code serve <store uri> <artifact folder> <port>}: runs a tracking server, prints
 *       {@code LISTENING <port>} and serves until it is killed.
 *   <li>{@code log <server uri> <experiment> <threads> <points> <pause>}: each thread logs
 *       {@code points} values of metric {@code x} (value {@code thread * 1e6 + i} at step {@code i})
 *       into one run, after printing {@code STARTED <run id>}. With {@code pause} set to
 *       {@code pause}, after the first half it prints {@code HALF} and waits for a line on
 *       standard input. Then it flushes and prints {@code FLUSHED}.
 * </ul>
 */
final class ServerWorker {
  private ServerWorker() {}

  /** The value thread {@code thread} logs at step {@code i}. */
  static double value(int thread, long i) {
    return thread * 1_000_000.0 + i;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    switch (args[0]) {
      case "serve" -> {
        TrackingServer server = TrackingServer.builder(args[1]).artifacts(Path.of(args[2]))
            .port(Integer.parseInt(args[3])).start();
        out.println("LISTENING " + server.port());
        server.join();
      }
      case "log" -> log(out, args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          args[5].equals("pause"));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void log(PrintStream out, String uri, String experiment, int threads, int points, boolean pause)
      throws Exception {
    try (Tracker tracker = Tracker.builder(uri).environmentVariables(Map.of()).build()) {
      Run run = tracker.experiment(experiment).run("worker").start();
      out.println("STARTED " + run.id());
      int half = pause ? points / 2 : points;
      logRange(run, threads, 0, half);
      if (pause) {
        out.println("HALF");
        readLine();
        logRange(run, threads, half, points);
      }
      run.flush();
      out.println("FLUSHED");
      run.close();
    }
  }

  // The threads log their share at once, into the one run.
  private static void logRange(Run run, int threads, int from, int to) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = from; i < to; i++) {
            run.metric("x", value(thread, i), i);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void readLine() {
    try {
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
