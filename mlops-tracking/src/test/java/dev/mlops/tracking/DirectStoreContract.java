package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a store that a process opens directly (SQLite, PostgreSQL) does with its artifact location:
 * it records the location when it is created, every later opening uses it unless that process
 * overrides it, and a file missing from it is reported with the location in use and how to change
 * it. A tracker opened on a tracking server has no such location (its folder is a cache of the
 * server's files); what it guarantees instead is in the server module's REST contract.
 */
interface DirectStoreContract {
  /** The open tracker on the database under test. */
  Tracker tracker();

  /** A temporary folder of the test. */
  Path temp();

  /** The URI of the database under test, shared by the tests of the class. */
  String uri();

  /** The URI of a new, empty database. */
  String freshUri();

  /** A builder with the test's clock, environment and artifact folder, and no environment variables. */
  Tracker.Builder builder(String uri);

  /** The URI with one more query parameter. */
  default String withParameter(String uri, String name, String value) {
    return uri + (uri.contains("?") ? "&" : "?") + name + "=" + value;
  }

  private static String unique(String name) {
    return TrackerContract.unique(name);
  }

  @Test
  default void theArtifactLocationIsRecordedWithANewStoreAndUsedByEveryLaterOpening() throws Exception {
    String fresh = freshUri();
    Path shared = temp().resolve("shared folder");
    try (Tracker first = Tracker.builder(fresh).environmentVariables(Map.of()).artifacts(shared).build()) {
      assertEquals(shared.toAbsolutePath(), first.artifactRoot());
    }
    try (Tracker later = Tracker.builder(fresh).environmentVariables(Map.of()).build()) {
      assertEquals(shared.toAbsolutePath(), later.artifactRoot(), "the location recorded in the store");
      try (Run run = later.experiment("located").run("r").start()) {
        run.text("notes.txt", "hello");
        assertTrue(Files.exists(shared.resolve(run.experimentId()).resolve(run.id()).resolve("notes.txt")));
      }
    }
  }

  @Test
  default void anOverrideReplacesTheRecordedLocationForThisProcessOnly() {
    String fresh = freshUri();
    Path recorded = temp().resolve("recorded");
    Path fromUri = temp().resolve("from-uri");
    Path fromVariable = temp().resolve("from-variable");
    Path fromBuilder = temp().resolve("from-builder");
    String withArtifacts = withParameter(fresh, "artifacts", recorded.toString());
    try (Tracker t = Tracker.builder(withArtifacts).environmentVariables(Map.of()).build()) {
      assertEquals(recorded, t.artifactRoot(), "the URI parameter, recorded with the new store");
    }
    Map<String, String> variables = Map.of(Tracker.ARTIFACTS_VARIABLE, fromVariable.toString());
    try (Tracker t = Tracker.builder(fresh).environmentVariables(variables).build()) {
      assertEquals(fromVariable, t.artifactRoot());
    }
    try (Tracker t = Tracker.builder(withParameter(fresh, "artifacts", fromUri.toString()))
        .environmentVariables(variables).build()) {
      assertEquals(fromUri, t.artifactRoot(), "the URI parameter wins over the variable");
    }
    try (Tracker t = Tracker.builder(withParameter(fresh, "artifacts", fromUri.toString()))
        .environmentVariables(variables).artifacts(fromBuilder).build()) {
      assertEquals(fromBuilder, t.artifactRoot(), "the builder wins over both");
    }
    try (Tracker t = Tracker.builder(fresh).environmentVariables(Map.of()).build()) {
      assertEquals(recorded, t.artifactRoot(), "overrides do not change what the store recorded");
    }
  }

  @Test
  default void aMissingArtifactNamesTheLocationInUseAndHowToChangeIt() throws Exception {
    Path elsewhere = temp().resolve("elsewhere");
    RunRecord logged;
    try (Run run = tracker().experiment(unique("missing")).run("r").start()) {
      run.text("notes.txt", "hello");
      run.model("model", TestPackages.pkg("located", "1", run.id()));
      logged = tracker().getRun(run.id());
    }
    tracker().registry().register("located", logged.runId(), "model");
    try (Tracker other = builder(uri()).artifacts(elsewhere).build()) {
      NotFoundException artifact = assertThrows(NotFoundException.class,
          () -> other.readArtifact(logged.runId(), "notes.txt"));
      NotFoundException pkg = assertThrows(NotFoundException.class,
          () -> other.registry().load("models:/located/1"));
      for (NotFoundException e : List.of(artifact, pkg)) {
        assertTrue(e.getMessage().contains(elsewhere.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Tracker.builder(uri).artifacts(folder)"), e.getMessage());
        assertTrue(e.getMessage().contains("MLOPS_ARTIFACTS") && e.getMessage().contains("?artifacts="),
            e.getMessage());
      }
    }
  }

  @Test
  default void aDeletedRunPackageIsNotFoundAtTheLocationInUseAndNothingIsRegistered() throws Exception {
    String model = unique("deleted-package");
    RunRecord run;
    try (Run r = tracker().experiment(unique("deleted-package")).run("r").start()) {
      r.model("model", TestPackages.pkg("churn", "1", r.id()));
      run = r.record();
    }
    Path stored = tracker().artifactRoot().resolve(run.experimentId()).resolve(run.runId()).resolve("model")
        .resolve(ModelRegistry.PACKAGE_FILE);
    Files.delete(stored);
    NotFoundException missing = assertThrows(NotFoundException.class,
        () -> tracker().registry().register(model, run.runId(), "model"));
    assertTrue(missing.getMessage().contains(stored.toString()), missing.getMessage());
    assertTrue(missing.getMessage().contains(tracker().artifactRoot().toString()), missing.getMessage());
    assertThrows(NotFoundException.class, () -> tracker().registry().model(model), "no model was created");
    assertTrue(tracker().registry().versionsOfRun(run.runId()).isEmpty());
  }
}
