package dev.mlops.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What an example's {@code main} prints, captured for a test (and kept out of the build's output). */
final class Printed {
  /** An example's {@code main}. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  private Printed() {}

  static String by(Main main, String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run(args);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
