package dev.mlops.tracking;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The second JVM of the process tests: logs into a tracker the way a training job would, and
 * reports on standard output.
 *
 * <ul>
 *   <li>{@code crash <uri> <points>}: logs points, flushes, prints {@code FLUSHED <run id> <n>},
 *       then keeps logging until it is killed.
 *   <li>{@code write <uri> <worker> <runs> <points>}: logs runs with params and metrics into the
 *       experiment {@code shared}, prints {@code DONE}.
 *   <li>{@code exit <uri> <points>}: logs points and exits without closing the tracker.
 *   <li>{@code local}: opens {@link Tracker#local()} and prints its URI.
 *   <li>{@code hooks <uri>}: prints {@code HOOKS} with the number of JVM shutdown hooks once the
 *       driver is loaded, with a default tracker open, and with one that flushes at exit
 *       (needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}).
 *   <li>{@code register <uri> <model> <package file> <count>}: opens the tracker, prints
 *       {@code READY}, waits for a line on standard input, registers the file {@code count} times
 *       and prints {@code VERSIONS} with the numbers it got.
 * </ul>
 */
public final class TrackingWorker {
  private TrackingWorker() {}

  /** The value of point {@code i} in the crash test: exact doubles, with NaN and infinities among them. */
  static double crashValue(long i) {
    if (i % 97 == 0) {
      return Double.NaN;
    }
    if (i % 89 == 0) {
      return i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    return Math.sqrt(i) / 3.0 - i;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    switch (args[0]) {
      case "crash" -> crash(out, args[1], Integer.parseInt(args[2]));
      case "write" -> write(out, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      case "exit" -> exitWithoutClosing(out, args[1], Integer.parseInt(args[2]));
      case "register" -> register(out, args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]));
      case "hooks" -> hooks(out, args[1]);
      case "local" -> {
        try (Tracker tracker = Tracker.local()) {
          out.println("URI " + tracker.uri());
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void crash(PrintStream out, String uri, int points) {
    Tracker tracker = Tracker.open(uri);
    Run run = tracker.experiment("crash").run("killed").start();
    long i = 0;
    for (; i < points; i++) {
      run.metric("loss", crashValue(i), i);
    }
    run.flush();
    out.println("FLUSHED " + run.id() + " " + points);
    while (true) {
      run.metric("loss", crashValue(i), i);
      i++;
    }
  }

  // Leaves the tracker open and unflushed: the shutdown hook must write what is queued.
  private static void exitWithoutClosing(PrintStream out, String uri, int points) {
    Tracker tracker = Tracker.builder(uri).flushAtExit(true).build();
    Run run = tracker.experiment("exit").run("unclosed").start();
    for (int i = 0; i < points; i++) {
      run.metric("loss", crashValue(i), i);
    }
    out.println("LOGGED " + run.id());
    System.exit(0);
  }

  @SuppressWarnings("try") // the trackers are opened only for the hooks they may add
  private static void hooks(PrintStream out, String uri) {
    // the first opening loads the JDBC driver, which may add hooks of its own
    Tracker.open(uri).close();
    int before = shutdownHooks();
    try (Tracker plain = Tracker.open(uri)) {
      int withDefault = shutdownHooks();
      try (Tracker flushing = Tracker.builder(uri).flushAtExit(true).build()) {
        out.println("HOOKS " + before + " " + withDefault + " " + shutdownHooks());
      }
    }
  }

  // The JDK keeps application hooks in a private map; the test JVM opens java.lang to read it.
  private static int shutdownHooks() {
    try {
      java.lang.reflect.Field hooks = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
      hooks.setAccessible(true);
      return ((java.util.Map<?, ?>) hooks.get(null)).size();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the JVM's shutdown hooks", e);
    }
  }

  private static void register(PrintStream out, String uri, String model, Path file, int count) {
    try (Tracker tracker = Tracker.open(uri)) {
      out.println("READY");
      try {
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      StringBuilder versions = new StringBuilder("VERSIONS");
      for (int i = 0; i < count; i++) {
        versions.append(' ').append(tracker.registry().register(model, file).version());
      }
      out.println(versions);
    }
  }

  private static void write(PrintStream out, String uri, int worker, int runs, int points) {
    try (Tracker tracker = Tracker.open(uri)) {
      Experiment shared = tracker.experiment("shared");
      for (int r = 0; r < runs; r++) {
        try (Run run = shared.run("w" + worker + "-r" + r).tag("worker", Integer.toString(worker)).start()) {
          run.param("worker", worker).param("run", r);
          for (int i = 0; i < points; i++) {
            run.metric("m", worker * 1_000_000.0 + r * 1_000.0 + i, i);
          }
        }
      }
    }
    out.println("DONE");
  }
}
