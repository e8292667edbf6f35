package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.MlopsException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against a real SQLite file. */
class SqliteTrackerTest extends TrackerContract implements DirectStoreContract {
  @TempDir static Path databaseDir;

  @Override
  public String uri() {
    return "sqlite:" + databaseDir.resolve("mlops.db");
  }

  @Override
  public String freshUri() {
    return "sqlite:" + databaseDir.resolve("fresh-" + UUID.randomUUID() + "/mlops.db");
  }

  @Override
  String jdbcUrl(String uri) {
    return "jdbc:" + uri;
  }

  @Test
  void aMetricWriteErrorReachesTheRunWhoseDataFailedAndNoOther() throws Exception {
    String fresh = freshUri();
    try (Tracker async = builder(fresh).build()) {
      Experiment e = async.experiment("attributed");
      Run refused = e.run("refused").start();
      Run kept = e.run("kept").start();
      try (Connection c = DriverManager.getConnection(jdbcUrl(fresh)); Statement s = c.createStatement()) {
        s.execute("CREATE TRIGGER refuse_one_run BEFORE INSERT ON metrics WHEN NEW.run_id = '" + refused.id() + "'"
            + " BEGIN SELECT RAISE(ABORT, 'this run''s points are refused'); END");
      }
      for (int step = 0; step < 50; step++) {
        refused.metric("loss", step, step);
        kept.metric("loss", step, step);
      }
      kept.flush();
      kept.close();
      assertEquals(50, async.metricHistory(kept.id(), "loss").size(), "the other run's points are all written");
      MlopsException error = assertThrows(MlopsException.class, refused::flush);
      assertTrue(error.getMessage().contains("refused"), error.getMessage());
      refused.flush();
      assertEquals(0, async.metricHistory(refused.id(), "loss").size());
      async.flush();
    }
  }
}
