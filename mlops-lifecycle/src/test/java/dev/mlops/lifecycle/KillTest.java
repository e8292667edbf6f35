package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.CanonicalJson;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pass killed with SIGKILL ({@code Process.destroyForcibly}) in another JVM, right after a
 * chosen step, leaves the registry consistent, releases its lock with its process, and the next
 * pass completes; the runs the killed pass left RUNNING are ended KILLED by the next one.
 */
class KillTest {
  @TempDir Path dir;

  @Test
  void theNextPassEndsAKilledPassAndItsStepsAsKilledAndItsRecordSaysSo() throws Exception {
    Path incoming = dir.resolve("incoming");
    Blobs.write(incoming, "batch-1", Blobs.frame(90, 1, 0));
    String uri = "sqlite:" + dir.resolve("mlops.db");
    Path artifacts = dir.resolve("artifacts");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        LifecycleWorker.class.getName(), uri, artifacts.toString(), incoming.toString(), "select")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null && !line.equals("STEP select"); line = out.readLine()) {
        // the child waits after the select step until it is killed
      }
    }
    child.destroyForcibly();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));

    try (Tracker tracker = Stores.open(uri, artifacts)) {
      List<RunRecord> left = tracker.search("blobs").filter("attributes.status = 'RUNNING'").list();
      RunRecord killedPass = left.stream().filter(r -> "pass".equals(r.tags().get(Lifecycle.TAG_KIND))).findFirst()
          .orElseThrow(() -> new AssertionError("the killed pass left its run RUNNING: " + left));

      LifecycleResult next = Consistency.lifecycle(tracker, incoming).lockWait(java.time.Duration.ZERO).build().runOnce();

      assertEquals(Outcome.PROMOTED, next.outcome(), next.reason());
      assertEquals(List.of(), tracker.search("blobs").filter("attributes.status = 'RUNNING'").list());
      for (RunRecord r : left) {
        RunRecord now = tracker.getRun(r.runId());
        assertEquals(RunStatus.KILLED, now.status(), r.name());
        assertTrue(now.tags().get(Lifecycle.TAG_INTERRUPTED).contains(next.record().orElseThrow().passRunId()),
            now.tags().toString());
      }
      DecisionRecord record = next.record().orElseThrow();
      assertEquals(List.of(killedPass.runId()), record.interrupted().stream().map(InterruptedRun::runId).toList());
      assertEquals(killedPass.runId(), CanonicalJson.parse(tracker.readArtifact(record.passRunId(), "decision.json"))
          .get("interrupted").get(0).get("run_id").asText());
      assertTrue(record.toHtml().contains("was interrupted"), "the page says the earlier pass was interrupted");
    }
  }

  @ParameterizedTest(name = "killed after {0}")
  @ValueSource(strings = {"package", "register"})
  void aPassKilledAfterAStepLeavesTheRegistryConsistentAndTheNextPassContinues(String step) throws Exception {
    Path incoming = dir.resolve("incoming");
    Blobs.write(incoming, "batch-1", Blobs.frame(90, 1, 0));
    String uri = "sqlite:" + dir.resolve("mlops.db");
    Path artifacts = dir.resolve("artifacts");
    try (Tracker tracker = Stores.open(uri, artifacts)) {
      Consistency.lifecycle(tracker, incoming).build().runOnce();
    }
    Blobs.write(incoming, "batch-2", Blobs.frame(30, 2, 0));

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        LifecycleWorker.class.getName(), uri, artifacts.toString(), incoming.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    boolean killed = false;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals("STEP " + step)) {
          child.destroyForcibly();
          killed = true;
          break;
        }
      }
    } catch (IOException e) {
      // the pipe closes as the process dies
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertTrue(killed, "the child reached the step");

    try (Tracker tracker = Stores.open(uri, artifacts)) {
      Consistency.check(tracker);
      LifecycleResult next = Consistency.lifecycle(tracker, incoming).lockWait(java.time.Duration.ZERO).build().runOnce();
      assertTrue(next.outcome() == Outcome.PROMOTED || next.outcome() == Outcome.UNCHANGED, next.reason());
      Consistency.check(tracker);
      int champion = tracker.registry().resolve("models:/blobs@champion").version();
      assertTrue(champion >= 2, "the new batch's candidate is the champion, not version 1: " + champion);
      assertEquals(120, CanonicalJson.parse(tracker.readArtifact(
          tracker.registry().version("blobs", champion).tags().get(Lifecycle.VERSION_PASS), "decision.json"))
          .get("data").get("rows").asInt(), "trained on both batches");
    }
  }
}
