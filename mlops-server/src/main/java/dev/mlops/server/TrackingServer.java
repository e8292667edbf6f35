package dev.mlops.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.StoreUnavailableException;
import dev.mlops.server.internal.ApiHandler;
import dev.mlops.server.internal.ArtifactProxy;
import dev.mlops.server.internal.Authenticator;
import dev.mlops.server.internal.JsonErrorHandler;
import dev.mlops.server.internal.PackageProxy;
import dev.mlops.server.internal.RegistryApi;
import dev.mlops.server.internal.LockApi;
import dev.mlops.server.internal.ResourceAccess;
import dev.mlops.server.internal.Routes;
import dev.mlops.server.internal.TrackingApi;
import dev.mlops.server.internal.ui.UiHandler;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.AccessStore;
import dev.mlops.tracking.internal.ArtifactRepository;
import dev.mlops.tracking.internal.JdbcStore;
import dev.mlops.tracking.internal.WireJson;
import dev.mlops.tracking.internal.TrackingStore;
import dev.mlops.tracking.internal.TrackingUri;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A team tracking server: MLflow's REST API 2.0 over a SQLite or PostgreSQL tracking store,
 * with MLflow's artifact proxy, on embedded Jetty. MLflow clients and {@code Tracker.open("http://…")}
 * talk to it; only the server holds the database credentials and the artifact folder.
 *
 * <pre>{@code
 * try (TrackingServer server = TrackingServer.builder("postgresql://ml:secret@db:5432/mlops")
 *     .artifacts(Path.of("/srv/mlops"))
 *     .port(5000)
 *     .start()) {
 *   System.out.println("tracking at " + server.uri());   // http://127.0.0.1:5000
 *   server.join();
 * }
 * }</pre>
 *
 * <p>Limits: JSON bodies up to {@link Builder#maxJsonBytes} (1 MiB, MLflow's log-batch limit),
 * artifact uploads up to {@link Builder#maxArtifactBytes} (1 GiB); larger bodies are answered
 * 413. A connection idle for {@link Builder#idleTimeout} (30 s) mid-request is closed, so a slow
 * client holds one of the {@link Builder#maxThreads} worker threads for at most that long.
 * Without {@link Builder#users users}, or tokens or passwords recorded in the store
 * ({@link #createToken}, {@link #createUser}), the server listens on loopback only: it refuses to
 * start on any other address. A token or password recorded while such a server runs is asked for
 * from then on (within a second), without a restart. With them, each user
 * has a {@link Permission} on each experiment and registered model, as MLflow's basic-auth app.
 */
public final class TrackingServer implements AutoCloseable {
  /** MLflow's default port. */
  public static final int DEFAULT_PORT = 5000;

  private final Server jetty;
  private final ServerConnector connector;
  private final TrackingStore store;
  private final Tracker tracker;
  private final LockApi locks;
  private final String host;

  private TrackingServer(Server jetty, ServerConnector connector, TrackingStore store, Tracker tracker, LockApi locks,
      String host) {
    this.jetty = jetty;
    this.connector = connector;
    this.store = store;
    this.tracker = tracker;
    this.locks = locks;
    this.host = host;
  }

  /**
   * Records a new bearer token for a user in the store at this URI and returns it: the only time
   * the token is seen, since the store keeps its SHA-256 alone. A server over a store holding
   * tokens asks every caller for credentials, and may listen beyond loopback.
   *
   * <pre>{@code
   * String token = TrackingServer.createToken("postgresql://ml@db/mlops", "ci", Role.EDITOR);
   * // hand it to the job: MLOPS_TRACKING_TOKEN=<token>
   * }</pre>
   */
  public static String createToken(String storeUri, String user, Role role) {
    Users.checkName(user);
    Objects.requireNonNull(role, "role");
    String token = Users.newToken();
    Clock clock = Clock.systemUTC();
    try (JdbcStore store = JdbcStore.open(TrackingUri.parse(storeUri), Tracker.DEFAULT_STATEMENT_TIMEOUT,
        clock.millis())) {
      store.access().addToken(Users.hashToken(token), user, role.name(), clock.millis());
    }
    return token;
  }

  /**
   * Records a user who signs in with HTTP basic authentication in the store at this URI: the
   * password only as its salted hash ({@link Users#hashPassword}), with the role. A server over a
   * store holding users asks every caller for credentials, and may listen beyond loopback; it
   * checks each password against the store, so a user recorded or replaced later counts at once.
   *
   * <pre>{@code
   * TrackingServer.createUser("postgresql://ml@db/mlops", "ana", passwordFromAPrompt, Role.READER);
   * // ana then sets MLFLOW_TRACKING_USERNAME=ana and MLFLOW_TRACKING_PASSWORD=...
   * }</pre>
   *
   * @throws InvalidInputException if the name is not a user name or the password has fewer than 12 characters
   * @throws dev.mlops.core.ConflictException if the user has a password in the store already
   */
  public static void createUser(String storeUri, String user, String password, Role role) {
    recordUser(storeUri, user, password, role, false);
  }

  /** As {@link #createUser}, replacing the password and role of a user the store has already. */
  public static void replaceUser(String storeUri, String user, String password, Role role) {
    recordUser(storeUri, user, password, role, true);
  }

  private static void recordUser(String storeUri, String user, String password, Role role, boolean replace) {
    Users.checkName(user);
    Objects.requireNonNull(role, "role");
    String hash = Users.hashPassword(password);
    Clock clock = Clock.systemUTC();
    try (JdbcStore store = JdbcStore.open(TrackingUri.parse(storeUri), Tracker.DEFAULT_STATEMENT_TIMEOUT,
        clock.millis())) {
      store.access().setPassword(user, role.name(), hash, clock.millis(), replace);
    }
  }

  /** A builder for a server over the store at this tracking URI (as {@link Tracker#open} takes). */
  public static Builder builder(String storeUri) {
    return new Builder(storeUri);
  }

  /** The port the server listens on (the one chosen when it was started with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The server's base URI, for {@code Tracker.open} and {@code MLFLOW_TRACKING_URI}. */
  public URI uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port());
  }

  /** Waits until the server is stopped. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops accepting requests, lets running ones finish for a few seconds, and closes the store. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new StoreUnavailableException("the tracking server did not stop cleanly: " + e.getMessage(), e);
    } finally {
      try {
        locks.close();
        tracker.close();
      } finally {
        store.close();
      }
    }
  }

  /**
   * Options of a tracking server.
   *
   * <pre>{@code
   * TrackingServer.builder("sqlite:/srv/mlops/mlops.db")
   *     .artifacts(Path.of("/srv/mlops/artifacts"))
   *     .host("127.0.0.1").port(0)                 // any free port
   *     .maxJsonBytes(1 << 20).idleTimeout(Duration.ofSeconds(30))
   *     .start();
   * }</pre>
   */
  public static final class Builder {
    private final String storeUri;
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private Path artifacts;
    private int maxJsonBytes = 1 << 20;
    private long maxArtifactBytes = 1L << 30;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration statementTimeout = Tracker.DEFAULT_STATEMENT_TIMEOUT;
    private int maxThreads = 64;
    private int batchMemory = 100_000;
    private Duration batchExpiry = Duration.ofHours(24);
    private Clock clock = Clock.systemUTC();
    private Users users;
    private Permission defaultPermission = Permission.READ;

    private Builder(String storeUri) {
      this.storeUri = Objects.requireNonNull(storeUri, "storeUri");
    }

    /** The address to listen on; 127.0.0.1 by default. Anything but loopback needs authentication. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; {@value TrackingServer#DEFAULT_PORT} by default, 0 for any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new InvalidInputException("port must be between 0 and 65535; got " + port);
      }
      this.port = port;
      return this;
    }

    /** The folder the server keeps artifacts in; recorded in the store when the store is new. Required. */
    public Builder artifacts(Path location) {
      this.artifacts = Objects.requireNonNull(location, "location");
      return this;
    }

    /** The largest JSON request body, in bytes; 1 MiB by default. */
    public Builder maxJsonBytes(int bytes) {
      if (bytes < 1024) {
        throw new InvalidInputException("the JSON body limit must be at least 1024 bytes; got " + bytes);
      }
      this.maxJsonBytes = bytes;
      return this;
    }

    /** The largest artifact upload, in bytes; 1 GiB by default. */
    public Builder maxArtifactBytes(long bytes) {
      if (bytes < 1) {
        throw new InvalidInputException("the artifact size limit must be positive; got " + bytes);
      }
      this.maxArtifactBytes = bytes;
      return this;
    }

    /** How long a connection may sit idle, in a request or between requests; 30 s by default. */
    public Builder idleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new InvalidInputException("the idle timeout must be positive; got " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /** How long one search may run in the database; as {@link Tracker.Builder#statementTimeout}. */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The most requests served at once; 64 by default. */
    public Builder maxThreads(int threads) {
      if (threads < 8 || threads > 10_000) {
        throw new InvalidInputException("the thread limit must be between 8 and 10000; got " + threads);
      }
      this.maxThreads = threads;
      return this;
    }

    /**
     * How many log-batch ids the store remembers, across restarts, so that a batch a client sends
     * again is not written twice; 100,000 by default. The oldest are forgotten beyond it.
     */
    public Builder batchMemory(int batches) {
      if (batches < 1) {
        throw new InvalidInputException("the batch memory must be at least 1; got " + batches);
      }
      this.batchMemory = batches;
      return this;
    }

    /**
     * How long the store remembers a written log-batch's id; 24 hours by default, far beyond the
     * minute a client retries for.
     */
    public Builder batchExpiry(Duration expiry) {
      if (expiry.isNegative() || expiry.isZero()) {
        throw new InvalidInputException("the batch expiry must be positive; got " + expiry);
      }
      this.batchExpiry = expiry;
      return this;
    }

    /**
     * Who may call: every call then needs a bearer token or basic credentials (401 without), and
     * readers may not write (403). With users the server may listen beyond loopback; put it
     * behind a TLS-terminating proxy there, since credentials travel in every request.
     */
    public Builder users(Users users) {
      this.users = Objects.requireNonNull(users, "users");
      return this;
    }

    /**
     * What a user may do with an experiment or a registered model nobody granted them a permission
     * on; {@link Permission#READ} by default, as MLflow's basic-auth app. Their creators get
     * {@link Permission#MANAGE}.
     */
    public Builder defaultPermission(Permission permission) {
      this.defaultPermission = Objects.requireNonNull(permission, "permission");
      return this;
    }

    /** The clock for times a request leaves out; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens the store and starts listening.
     *
     * @throws InvalidInputException if the address is not loopback, the artifact folder is not
     *     set, or the port is taken
     */
    public TrackingServer start() {
      if (artifacts == null) {
        throw new InvalidInputException("set the server's artifact folder with .artifacts(Path.of(\"/srv/mlops\"))");
      }
      TrackingUri parsed = TrackingUri.parse(storeUri);
      Path root = artifacts.toAbsolutePath().normalize();
      JdbcStore store = JdbcStore.open(parsed, statementTimeout, clock.millis());
      Tracker tracker = null;
      try {
        AccessStore access = store.access();
        boolean authenticated = users != null || access.hasCredentials();
        if (!authenticated) {
          checkLoopback(host);
        }
        store.artifactLocation(root.toString());
        // the registry's verified registration lives in the public API; it shares the database
        tracker = Tracker.builder(storeUri).artifacts(root).statementTimeout(statementTimeout).clock(clock)
            .synchronous(true).build();
        ArtifactRepository repository = new ArtifactRepository(root, "set with TrackingServer.builder(uri).artifacts");
        ObjectMapper json = WireJson.mapper();
        Routes routes = new Routes();
        TrackingApi tracking = new TrackingApi(store, clock, batchExpiry, batchMemory);
        tracking.forgetOldBatches();
        tracking.register(routes);
        RegistryApi registryApi = new RegistryApi(tracker.registry(), root, store, clock, repository);
        registryApi.register(routes);
        LockApi locks = new LockApi(store, clock);
        locks.register(routes);
        ResourceAccess permissions = new ResourceAccess(store, access, tracker.registry(), defaultPermission);
        permissions.register(routes);
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        threads.setName("mlops-server");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrorHandler(json));
        Authenticator authenticator = new Authenticator(users, access, authenticated, clock);
        jetty.setHandler(new UiHandler(new ApiHandler(routes, new ArtifactProxy(store, repository, maxArtifactBytes),
            json, maxJsonBytes, authenticator, permissions, new PackageProxy(registryApi, json, maxArtifactBytes)),
            tracker, store, authenticator, permissions, json, clock));
        jetty.setStopTimeout(5_000);
        try {
          jetty.start();
        } catch (Exception e) {
          try {
            jetty.stop();
          } catch (Exception stopFailure) {
            e.addSuppressed(stopFailure);
          }
          throw new InvalidInputException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
              + "); choose another port or stop what holds it", e);
        }
        return new TrackingServer(jetty, connector, store, tracker, locks, host);
      } catch (RuntimeException | Error e) {
        if (tracker != null) {
          tracker.close();
        }
        store.close();
        throw e;
      }
    }

    private static void checkLoopback(String host) {
      InetAddress address;
      try {
        address = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new InvalidInputException("cannot resolve host '" + host + "'; give an address such as 127.0.0.1", e);
      }
      if (!address.isLoopbackAddress()) {
        throw new InvalidInputException("refusing to listen on " + host + " (" + address.getHostAddress() + ")"
            + " without authentication: anyone who reaches it could read and change every experiment. Listen on"
            + " 127.0.0.1 behind an authenticating reverse proxy");
      }
    }
  }
}
