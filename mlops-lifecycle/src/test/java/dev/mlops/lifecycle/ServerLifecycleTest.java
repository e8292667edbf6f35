package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.StoreLock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life cycle through {@code Tracker.open("http://…")}: every step's runs, the package, the
 * registry, the aliases and the lock go through a tracking server on loopback, and a second
 * tracker of the same server (another process, in effect) sees the result.
 */
class ServerLifecycleTest {
  @TempDir Path dir;
  private TrackingServer server;
  private Path incoming;

  @BeforeEach
  void start() {
    server = TrackingServer.builder("sqlite:" + dir.resolve("server.db")).artifacts(dir.resolve("server-artifacts"))
        .port(0).start();
    incoming = dir.resolve("incoming");
    Blobs.write(incoming, "batch-1", Blobs.frame(90, 1, 0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  void aPassOverHttpPromotesTheNextFindsNothingChangedAndTheServersLockMakesItBusy() {
    String uri = server.uri().toString();
    try (Tracker tracker = Stores.open(uri, dir.resolve("client-a"));
        Tracker other = Stores.open(uri, dir.resolve("client-b"))) {
      Lifecycle lc = Consistency.lifecycle(tracker, incoming).lockWait(Duration.ZERO).build();
      LifecycleResult first = lc.runOnce();
      assertEquals(Outcome.PROMOTED, first.outcome(), first.reason());
      assertEquals(Outcome.UNCHANGED, lc.runOnce().outcome());
      Consistency.check(tracker);
      assertEquals(1, other.registry().resolve("models:/blobs@champion").version(),
          "the other client resolves the champion the pass promoted");

      Blobs.write(incoming, "batch-2", Blobs.frame(30, 2, 0));
      try (StoreLock held = other.tryLock("lifecycle:" + Consistency.NAME).orElseThrow()) {
        LifecycleResult busy = lc.runOnce();
        assertEquals(Outcome.BUSY, busy.outcome(), busy.reason());
      }
      LifecycleResult second = lc.runOnce();
      assertEquals(Outcome.PROMOTED, second.outcome(), second.reason());
      assertEquals(2, other.registry().resolve("models:/blobs@champion").version());
      Consistency.check(other);
    }
  }
}
