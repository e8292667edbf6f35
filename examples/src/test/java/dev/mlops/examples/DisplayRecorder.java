package dev.mlops.examples;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a notebook's {@code display(...)} calls land during a test. JShell snippets cannot be
 * handed an object, and a JShell variable is reset when a later import recompiles it, so the
 * stub calls this class, which the snippets reach through the shared class path; each runner
 * uses its own key.
 */
public final class DisplayRecorder {
  private static final Map<String, List<Object>> DISPLAYED = new ConcurrentHashMap<>();

  private DisplayRecorder() {}

  /** Records a displayed value under a runner's key. */
  public static Object record(String runner, Object value) {
    DISPLAYED.computeIfAbsent(runner, k -> new CopyOnWriteArrayList<>()).add(value);
    return value;
  }

  static List<Object> displayed(String runner) {
    return List.copyOf(DISPLAYED.getOrDefault(runner, List.of()));
  }

  static void forget(String runner) {
    DISPLAYED.remove(runner);
  }
}
