package dev.mlops.packaging.probe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Records which probe classes have been initialised; reading it initialises no probe. */
public final class Initialisations {
  private static final Set<String> INITIALISED = ConcurrentHashMap.newKeySet();

  private Initialisations() {}

  public static void record(Class<?> c) {
    INITIALISED.add(c.getName());
  }

  public static boolean happened(String className) {
    return INITIALISED.contains(className);
  }
}
