package dev.mlops.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.StoreLock;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Tracker.tryLock} through the tracking server: trackers over one server, and processes on
 * the server's own store, never hold a lock of one name at once.
 */
class RestLockTest {
  @TempDir Path folder;
  private TrackingServer server;
  private Tracker a;
  private Tracker b;

  @BeforeEach
  void start() {
    server = TrackingServer.builder("sqlite:" + folder.resolve("mlops.db")).artifacts(folder.resolve("artifacts"))
        .port(0).start();
    a = tracker("a");
    b = tracker("b");
  }

  private Tracker tracker(String staging) {
    return Tracker.builder(server.uri().toString()).artifacts(folder.resolve(staging)).environmentVariables(Map.of())
        .build();
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    server.close();
  }

  @Test
  @SuppressWarnings("try") // the locks are held for their blocks, not used in them
  void oneHolderAtATimeAcrossTrackersAndTheServersStore() {
    try (StoreLock held = a.tryLock("lifecycle:iris").orElseThrow()) {
      assertTrue(b.tryLock("lifecycle:iris").isEmpty(), "another tracker over the server waits");
      try (Tracker direct = Tracker.open("sqlite:" + folder.resolve("mlops.db"))) {
        assertTrue(direct.tryLock("lifecycle:iris").isEmpty(), "so does a process on the server's own file");
      }
      try (StoreLock other = b.tryLock("lifecycle:other").orElseThrow()) {
        assertEquals("lifecycle:other", other.name());
      }
    }
    try (StoreLock next = b.tryLock("lifecycle:iris").orElseThrow()) {
      assertTrue(a.tryLock("lifecycle:iris").isEmpty());
    }
  }

  @Test
  void twoTrackersTryingAtOnceNeverBothHoldIt() {
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger taken = new AtomicInteger();
    CompletableFuture<?>[] both = new CompletableFuture<?>[2];
    Tracker[] trackers = {a, b};
    for (int t = 0; t < 2; t++) {
      Tracker mine = trackers[t];
      both[t] = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 40; i++) {
          Optional<StoreLock> lock = mine.tryLock("lifecycle:race");
          if (lock.isPresent()) {
            most.accumulateAndGet(holders.incrementAndGet(), Math::max);
            taken.incrementAndGet();
            mine.experiment("held");   // a round trip to the server while holding it, for the other to try in
            holders.decrementAndGet();
            lock.get().close();
          }
        }
      });
    }
    CompletableFuture.allOf(both).join();
    assertEquals(1, most.get(), "never two holders at once");
    assertTrue(taken.get() >= 1, "the lock was taken");
  }
}
