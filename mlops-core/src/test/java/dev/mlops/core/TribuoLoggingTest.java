package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class TribuoLoggingTest {
  @Test
  void quietKeepsTribuosWarningsDropsItsInfoAndLeavesOtherLoggersAlone() {
    Logger other = Logger.getLogger("org.example.Unrelated");
    Level otherBefore = other.getLevel();
    Level before = Logger.getLogger("org.tribuo").getLevel();
    try {
      TribuoLogging.quiet();
      TribuoLogging.quiet();
      System.gc();   // java.util.logging holds loggers weakly: the level must survive a collection
      Logger trainer = Logger.getLogger("org.tribuo.classification.sgd.linear.LinearSGDTrainer");
      assertFalse(trainer.isLoggable(Level.INFO));
      assertTrue(trainer.isLoggable(Level.WARNING));
      assertEquals(Level.WARNING, Logger.getLogger("org.tribuo").getLevel());
      assertEquals(otherBefore, other.getLevel());
    } finally {
      Logger.getLogger("org.tribuo").setLevel(before);
    }
  }
}
