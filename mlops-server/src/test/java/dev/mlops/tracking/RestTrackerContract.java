package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Digest;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.server.TrackingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract through {@code Tracker.open("http://…")}, against a server on loopback over
 * the store a subclass names: one server for the class, one more per fresh store. Every test of
 * {@link TrackerContract} runs unchanged. What direct stores do with their recorded artifact
 * location ({@link DirectStoreContract}) has no counterpart here, since the server owns that
 * location and the tracker's folder is only a cache of it; the tests below say what a server's
 * client guarantees instead.
 */
abstract class RestTrackerContract extends TrackerContract {
  @TempDir static Path serverDir;
  private static final Map<String, String> JDBC = new HashMap<>();
  private static final Map<String, Path> SERVER_ARTIFACTS = new HashMap<>();
  private static final Map<String, TrackingServer> SERVERS = new HashMap<>();
  private static final Map<Class<?>, String> SHARED = new HashMap<>();

  /**
   * A store for one server.
   *
   * @param uri the tracking URI of the store
   * @param jdbcUrl its plain JDBC URL, to look at the tables directly
   */
  record Store(String uri, String jdbcUrl) {}

  /** A new store, named for messages. */
  abstract Store newStore(String name);

  private String start(String name) {
    Store store = newStore(name);
    Path artifacts = serverDir.resolve(name + "-artifacts");
    TrackingServer server = TrackingServer.builder(store.uri()).artifacts(artifacts).port(0).start();
    String uri = server.uri().toString();
    SERVERS.put(uri, server);
    JDBC.put(uri, store.jdbcUrl());
    SERVER_ARTIFACTS.put(uri, artifacts.toAbsolutePath());
    return uri;
  }

  @AfterAll
  static void stopServers() {
    SERVERS.values().forEach(TrackingServer::close);
    SERVERS.clear();
    SHARED.clear();
  }

  @Override
  public String uri() {
    return SHARED.computeIfAbsent(getClass(), c -> start("shared"));
  }

  @Override
  public String freshUri() {
    return start("fresh-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Override
  String jdbcUrl(String uri) {
    return JDBC.get(uri);
  }

  private Path serverFile(RunRecord run, String path) {
    return SERVER_ARTIFACTS.get(uri()).resolve(run.experimentId()).resolve(run.runId()).resolve(path);
  }

  private static Path localFile(Tracker t, RunRecord run, String path) {
    return t.artifactRoot().resolve(run.experimentId()).resolve(run.runId()).resolve(path);
  }

  private RunRecord loggedRun(String name) {
    try (Run run = tracker.experiment(unique(name)).run("r").start()) {
      run.text("notes.txt", "hello");
      run.model("model", TestPackages.pkg("cached", "1", run.id()));
      return run.record();
    }
  }

  // ---------------------------------------------------------------- the server owns the location

  @Test
  void theServerKeepsTheArtifactsAndEachClientFolderIsACacheOfThem() throws Exception {
    String model = unique("cached");
    RunRecord run = loggedRun("cache");
    ModelVersion v = tracker.registry().register(model, run.runId(), "model");
    assertEquals("hello", Files.readString(serverFile(run, "notes.txt")), "the server holds what a client logged");

    Path other = temp.resolve("another client");
    try (Tracker second = builder(uri()).artifacts(other).build()) {
      assertEquals(other.toAbsolutePath(), second.artifactRoot());
      assertFalse(Files.exists(localFile(second, run, "notes.txt")));
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), second.readArtifact(run.runId(), "notes.txt"),
          "a client with an empty folder reads through the server");
      assertEquals("hello", Files.readString(localFile(second, run, "notes.txt")), "and keeps a copy");
      ModelVersion seen = second.registry().version(model, v.version());
      assertEquals(tracker.artifactRoot().relativize(v.packagePath()), other.toAbsolutePath()
          .relativize(seen.packagePath()), "each client caches a package at the server's location");
      assertEquals(v.packageDigest(), second.registry().load(seen).digest());
      assertEquals(Digest.ofFile(v.packagePath()), Digest.ofFile(seen.packagePath()), "the cached copy is the same file");
    }
  }

  @Test
  void aServerUriNamesNoArtifactFolderAndTheClientFolderIsChosenOnTheBuilder() throws Exception {
    String withFolder = uri() + "?artifacts=" + temp.resolve("folder");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Tracker.builder(withFolder).environmentVariables(Map.of()).build());
    assertTrue(e.getMessage().contains("Tracker.builder(uri).artifacts(folder)"), e.getMessage());
    assertFalse(e.getMessage().contains(temp.toString()), "the message quotes the URI without its query");
    Path cache = temp.resolve("chosen");
    try (Tracker t = Tracker.builder(uri()).environmentVariables(Map.of(Tracker.ARTIFACTS_VARIABLE,
        temp.resolve("variable").toString())).artifacts(cache).build()) {
      assertEquals(cache.toAbsolutePath(), t.artifactRoot());
      try (Run run = t.experiment(unique("chosen")).run("r").start()) {
        run.text("notes.txt", "cached here");
        assertEquals("cached here", Files.readString(localFile(t, run.record(), "notes.txt")));
        assertEquals("cached here", Files.readString(serverFile(run.record(), "notes.txt")));
      }
    }
  }

  // ---------------------------------------------------------------- missing copies

  @Test
  void aMissingLocalCopyIsFetchedFromTheServerAndVerified() throws Exception {
    String model = unique("refetched");
    RunRecord run = loggedRun("refetch");
    Path notes = localFile(tracker, run, "notes.txt");
    Path pkg = localFile(tracker, run, "model/" + ModelRegistry.PACKAGE_FILE);
    Files.delete(notes);
    Files.delete(pkg);
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), tracker.readArtifact(run.runId(), "notes.txt"));
    assertTrue(Files.isRegularFile(notes), "the fetched copy is kept");

    ModelVersion v = tracker.registry().register(model, run.runId(), "model");
    ArtifactInfo recorded = tracker.getRun(run.runId()).artifacts().stream()
        .filter(a -> a.path().equals("model/" + ModelRegistry.PACKAGE_FILE)).findFirst().orElseThrow();
    assertEquals(recorded.sha256(), Digest.ofFile(pkg), "the run's package was fetched to register it");
    Files.delete(v.packagePath());
    assertEquals(v.packageDigest(), tracker.registry().load("models:/" + model + "/1").digest());
    assertTrue(Files.isRegularFile(v.packagePath()));
  }

  @Test
  void aFileMissingOnTheServerNamesTheServerAndWhatIsMissing() throws Exception {
    String model = unique("lost");
    RunRecord run = loggedRun("lost");
    tracker.registry().register(model, run.runId(), "model");
    for (String path : new String[] {"notes.txt", "model/" + ModelRegistry.PACKAGE_FILE}) {
      Files.delete(serverFile(run, path));
      Files.delete(localFile(tracker, run, path));
    }
    NotFoundException artifact = assertThrows(NotFoundException.class, () -> tracker.readArtifact(run.runId(),
        "notes.txt"));
    assertTrue(artifact.getMessage().contains("notes.txt") && artifact.getMessage().contains(run.runId()),
        artifact.getMessage());
    NotFoundException pkg = assertThrows(NotFoundException.class, () -> tracker.registry().load("models:/" + model
        + "/1"));
    assertTrue(pkg.getMessage().contains("models:/" + model + "/1"), pkg.getMessage());
    NotFoundException logged = assertThrows(NotFoundException.class,
        () -> tracker.registry().register(unique("again"), run.runId(), "model"));
    assertTrue(logged.getMessage().contains("'model'"), logged.getMessage());
    for (NotFoundException e : new NotFoundException[] {artifact, pkg, logged}) {
      assertTrue(e.getMessage().contains(uri()), e.getMessage());
      assertFalse(e.getMessage().contains(SERVER_ARTIFACTS.get(uri()).toString()),
          "the server's own folder stays private: " + e.getMessage());
    }
  }
}
