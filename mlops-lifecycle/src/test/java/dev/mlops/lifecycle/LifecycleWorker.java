package dev.mlops.lifecycle;

import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A separate JVM running one pass of the test life cycle: {@code <tracking uri> <artifacts> <incoming>
 * [step to stop after]}. Prints {@code STEP <name>} after each step and {@code OUTCOME <outcome>} at
 * the end, so the test that started it can kill it at a chosen step or compare what two of them
 * did; given a step, it waits after that step until it is killed, so the kill lands mid-pass.
 */
public final class LifecycleWorker {
  private LifecycleWorker() {}

  public static void main(String[] args) {
    try (Tracker tracker = Stores.open(args[0], Path.of(args[1]))) {
      Lifecycle lc = Consistency.lifecycle(tracker, Path.of(args[2]))
          .onStep(step -> {
            System.out.println("STEP " + step.name());
            System.out.flush();
            if (args.length > 3 && step.name().equals(args[3])) {
              while (true) {
                java.util.concurrent.locks.LockSupport.park();
              }
            }
          })
          .build();
      LifecycleResult r = lc.runOnce(new TriggerEvent(Trigger.Kind.NEW_DATA, "a new batch", Instant.now()));
      System.out.println("OUTCOME " + r.outcome());
    }
  }
}
