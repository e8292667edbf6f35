package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.tracking.internal.StoreLock;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A named store lock excludes every other holder of the name, on SQLite and on PostgreSQL, until it is closed. */
class StoreLockTest {
  @TempDir Path dir;

  @Test
  void aSqliteLockExcludesAnotherTrackerOfTheSameFileUntilReleased() {
    String uri = "sqlite:" + dir.resolve("mlops.db");
    try (Tracker a = Tracker.open(uri); Tracker b = Tracker.open(uri)) {
      exclusive(a, b);
    }
  }

  @Test
  void aPostgresLockExcludesAnotherSessionUntilReleased() {
    PostgresTestDatabase db = PostgresTestDatabase.createSchema("lock");
    try (Tracker a = Tracker.builder(db.url()).artifacts(dir.resolve("a")).build();
        Tracker b = Tracker.builder(db.url()).artifacts(dir.resolve("a")).build()) {
      exclusive(a, b);
    } finally {
      db.dropSchema();
    }
  }

  private static void exclusive(Tracker a, Tracker b) {
    Optional<StoreLock> held = a.tryLock("lifecycle:x");
    assertTrue(held.isPresent());
    assertFalse(b.tryLock("lifecycle:x").isPresent(), "another tracker cannot take a held name");
    assertFalse(a.tryLock("lifecycle:x").isPresent(), "the lock is not reentrant");
    try (StoreLock other = b.tryLock("lifecycle:y").orElseThrow()) {
      assertTrue(other.name().equals("lifecycle:y"), "other names are independent");
    }
    held.get().close();
    try (StoreLock again = b.tryLock("lifecycle:x").orElseThrow()) {
      assertTrue(again.toString().contains("lifecycle:x"));
    }
  }
}
