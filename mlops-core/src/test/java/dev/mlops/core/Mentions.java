package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that an error message names everything a user needs. */
final class Mentions {
  private Mentions() {}

  static void assertMentions(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(p),
          () -> "message should mention <" + p + "> but was: " + e.getMessage());
    }
  }
}
