package dev.mlops.lifecycle;

import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A SQLite store in a test folder and an incoming folder holding a first batch of 150 rows. */
abstract class StoreFixture {
  @TempDir Path dir;
  Tracker tracker;
  Path incoming;

  @BeforeEach
  void open() {
    tracker = Stores.sqlite(dir);
    incoming = dir.resolve("incoming");
    Blobs.write(incoming, "batch-1", Blobs.frame(firstBatchRows(), 1, 0));
  }

  int firstBatchRows() {
    return 150;
  }

  @AfterEach
  void close() {
    tracker.close();
  }
}
