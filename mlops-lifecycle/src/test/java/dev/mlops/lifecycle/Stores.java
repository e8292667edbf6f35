package dev.mlops.lifecycle;

import dev.mlops.tracking.Tracker;
import java.nio.file.Path;

/** Trackers of the tests: a SQLite file in a test folder, synchronous so what a test logged is there when it reads. */
final class Stores {
  private Stores() {}

  static Tracker sqlite(Path folder) {
    return Tracker.builder("sqlite:" + folder.resolve("mlops.db")).synchronous(true).build();
  }

  static Tracker open(String uri, Path artifacts) {
    return Tracker.builder(uri).artifacts(artifacts).synchronous(true).build();
  }
}
