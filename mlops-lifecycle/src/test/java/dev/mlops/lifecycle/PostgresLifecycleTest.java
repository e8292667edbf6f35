package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.tracking.PostgresTestDatabase;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.StoreLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life cycle on PostgreSQL: a pass, caching, the lock, and two processes racing on one trigger. */
class PostgresLifecycleTest {
  @TempDir Path dir;
  private PostgresTestDatabase db;
  private Path incoming;
  private Path artifacts;

  @BeforeEach
  void schema() {
    db = PostgresTestDatabase.createSchema("lifecycle");
    incoming = dir.resolve("incoming");
    artifacts = dir.resolve("artifacts");
    Blobs.write(incoming, "batch-1", Blobs.frame(90, 1, 0));
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.dropSchema();
    }
  }

  @Test
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  void aPassPromotesTheNextFindsNothingChangedAndAHeldLockMakesItBusy() {
    try (Tracker tracker = Stores.open(db.url(), artifacts); Tracker other = Stores.open(db.url(), artifacts)) {
      Lifecycle lc = Consistency.lifecycle(tracker, incoming).lockWait(Duration.ZERO).build();
      assertEquals(Outcome.PROMOTED, lc.runOnce().outcome());
      assertEquals(Outcome.UNCHANGED, lc.runOnce().outcome());
      Consistency.check(tracker);

      Blobs.write(incoming, "batch-2", Blobs.frame(30, 2, 0));
      try (StoreLock held = other.tryLock("lifecycle:" + Consistency.NAME).orElseThrow()) {
        LifecycleResult busy = lc.runOnce();
        assertEquals(Outcome.BUSY, busy.outcome(), busy.reason());
      }
      assertEquals(Outcome.PROMOTED, lc.runOnce().outcome());
      assertEquals(2, tracker.registry().resolve("models:/blobs@champion").version());
    }
  }

  @Test
  void twoProcessesOnOneStoreNeverPromoteTwiceForOneTrigger() throws Exception {
    try (Tracker tracker = Stores.open(db.url(), artifacts)) {
      Consistency.lifecycle(tracker, incoming).build().runOnce();
    }
    Blobs.write(incoming, "batch-2", Blobs.frame(30, 2, 0));

    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          LifecycleWorker.class.getName(), db.url(), artifacts.toString(), incoming.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }
    List<String> outcomes = new ArrayList<>();
    for (Process p : children) {
      outcomes.add(outcome(p));
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
    }

    assertEquals(List.of("PROMOTED", "UNCHANGED"), outcomes.stream().sorted().toList(), outcomes.toString());
    try (Tracker tracker = Stores.open(db.url(), artifacts)) {
      assertEquals(2, tracker.registry().versions(Consistency.NAME).size(), "one version for the one trigger");
      assertEquals(2, tracker.registry().resolve("models:/blobs@champion").version());
      Consistency.check(tracker);
    }
  }

  @Test
  void aPassKilledInAnotherProcessIsEndedKilledByTheNext() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        LifecycleWorker.class.getName(), db.url(), artifacts.toString(), incoming.toString(), "split")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null && !line.equals("STEP split"); line = out.readLine()) {
        // the child waits after the split step until it is killed
      }
    }
    child.destroyForcibly();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));

    try (Tracker tracker = Stores.open(db.url(), artifacts)) {
      List<dev.mlops.tracking.RunRecord> left = tracker.search(Consistency.NAME)
          .filter("attributes.status = 'RUNNING'").list();
      assertEquals(1, left.size(), "the killed pass's run: " + left);
      // the advisory lock went with the killed session, so this pass does not wait
      LifecycleResult next = Consistency.lifecycle(tracker, incoming).lockWait(Duration.ZERO).build().runOnce();
      assertEquals(Outcome.PROMOTED, next.outcome(), next.reason());
      assertEquals(dev.mlops.tracking.RunStatus.KILLED, tracker.getRun(left.get(0).runId()).status());
      assertEquals(List.of(left.get(0).runId()),
          next.record().orElseThrow().interrupted().stream().map(InterruptedRun::runId).toList());
      Consistency.check(tracker);
    }
  }

  private static String outcome(Process p) throws IOException {
    String outcome = "none";
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("OUTCOME ")) {
          outcome = line.substring("OUTCOME ".length());
        }
      }
    }
    return outcome;
  }
}
