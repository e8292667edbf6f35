package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of data batches, triggers and passes killed after a random step: after every
 * action the registry is consistent (every alias on a complete, verified package) and every
 * champion was promoted by a pass whose decision record shows its passed gate.
 */
class LifecycleProperties {
  /** Stands for the process dying: thrown from the step listener, it ends the pass where it is. */
  private static final class Killed extends Error {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed", null, false, false);
    }
  }

  sealed interface Action permits Batch, Fire, Kill {}

  record Batch(long seed, double shift, int rows) implements Action {}

  record Fire(Trigger.Kind kind) implements Action {}

  record Kill(String afterStep) implements Action {}

  @Property(tries = 6)
  void theRegistryStaysConsistentAndEveryPromotionIsBackedByAPassedGate(
      @ForAll("actions") @Size(min = 1, max = 5) List<Action> actions) throws IOException {
    Path dir = Files.createTempDirectory("lifecycle-property");
    try (Tracker tracker = Stores.sqlite(dir)) {
      Path incoming = dir.resolve("incoming");
      Blobs.write(incoming, "batch-0", Blobs.frame(60, 0, 0));
      String[] killAfter = {null};
      Lifecycle lc = Consistency.lifecycle(tracker, incoming)
          .retrainWhen(Trigger.drift().or(Trigger.newData()))
          .onStep(step -> {
            if (step.name().equals(killAfter[0])) {
              killAfter[0] = null;
              throw new Killed();
            }
          })
          .build();
      int batch = 1;
      for (Action a : actions) {
        if (a instanceof Batch b) {
          Blobs.write(incoming, "batch-" + batch++, Blobs.frame(b.rows(), b.seed(), b.shift()));
        } else if (a instanceof Fire f) {
          if (f.kind() == Trigger.Kind.NEW_DATA) {
            lc.tick();
          } else {
            lc.fire(new TriggerEvent(f.kind(), "property", Instant.EPOCH));
          }
          run(lc);
        } else if (a instanceof Kill k) {
          killAfter[0] = k.afterStep();
          lc.fire(TriggerEvent.onDemand("to be killed", Instant.EPOCH));
          run(lc);
          killAfter[0] = null;
        }
        Consistency.check(tracker);
      }
      LifecycleResult last = lc.runOnce();
      assertTrue(last.outcome() != Outcome.BUSY, "a killed pass left no lock behind");
      Consistency.check(tracker);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException ignored) {
        // a temporary folder
      }
    }
  }

  private static void run(Lifecycle lc) {
    try {
      lc.runPending();
    } catch (Killed expected) {
      // the pass died after its step; the registry must not show it
    }
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Action> batch = Combinators.combine(Arbitraries.longs().between(1, 1000),
        Arbitraries.of(0.0, 0.0, 3.0), Arbitraries.integers().between(20, 60)).as(Batch::new);
    Arbitrary<Action> fire = Arbitraries.of(Trigger.Kind.ON_DEMAND, Trigger.Kind.DRIFT, Trigger.Kind.NEW_DATA).map(Fire::new);
    Arbitrary<Action> kill = Arbitraries.of("ingest", "validate", "select", "gate", "package", "register", "deploy")
        .map(Kill::new);
    return Arbitraries.oneOf(batch, fire, kill).list();
  }
}
