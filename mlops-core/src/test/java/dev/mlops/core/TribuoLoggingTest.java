package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class TribuoLoggingTest {
  @Test
  void quietKeepsTribuosWarningsAndDropsItsInfoEvenAfterACollection() {
    Level before = Logger.getLogger("org.tribuo").getLevel();
    try {
      TribuoLogging.quiet();
      System.gc();
      Logger trainer = Logger.getLogger("org.tribuo.classification.sgd.linear.LinearSGDTrainer");
      assertFalse(trainer.isLoggable(Level.INFO));
      assertTrue(trainer.isLoggable(Level.WARNING));
      assertEquals(Level.WARNING, TribuoLogging.quiet(), "a second call reports the level the first one set");
      assertTrue(Logger.getLogger("org.other").isLoggable(Level.INFO) || Logger.getLogger("").getLevel().intValue() > Level.INFO.intValue(),
          "only Tribuo's loggers change");
    } finally {
      Logger.getLogger("org.tribuo").setLevel(before);
    }
  }
}
