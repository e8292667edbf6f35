package dev.mlops.core;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns Tribuo's own logging down to warnings. Tribuo reports every training and every data
 * load on {@code java.util.logging} at {@code INFO}, which floods a notebook or a command's
 * output; this call is for the application (a notebook's first cell, a command line's
 * {@code main}) that wants only what went wrong:
 *
 * <pre>{@code
 * TribuoLogging.quiet();          // Tribuo now logs warnings and errors only
 * }</pre>
 *
 * <p>It changes the level of the {@code java.util.logging} logger {@code org.tribuo} for the
 * whole JVM, so a library never calls it on its own; it is the one explicit, opt-in switch.
 */
public final class TribuoLogging {
  // java.util.logging holds loggers only weakly, and a collected logger forgets its level;
  // this reference keeps the level set until the JVM ends, which is what the call promises.
  private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

  private TribuoLogging() {}

  /** Sets Tribuo's logger to {@link Level#WARNING}; calling it again changes nothing. */
  public static void quiet() {
    TRIBUO.setLevel(Level.WARNING);
  }
}
