package dev.mlops.tracking;

import com.google.common.base.Suppliers;
import dev.mlops.core.Environment;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.NotFoundException;
import dev.mlops.tracking.internal.ArtifactRepository;
import dev.mlops.tracking.internal.ExperimentRow;
import dev.mlops.tracking.internal.JdbcStore;
import dev.mlops.tracking.internal.MetricWriter;
import dev.mlops.tracking.internal.RestStore;
import dev.mlops.tracking.internal.StoreLock;
import dev.mlops.tracking.internal.TrackingStore;
import dev.mlops.tracking.internal.TrackingUri;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of experiment tracking: experiments, runs and their params, metrics, tags,
 * data sets and artifacts, stored in SQLite or PostgreSQL, with MLflow's semantics and search
 * grammar. Metrics are written by a background thread in batches, so logging does not slow a
 * training loop; {@link #flush()} and {@link #close()} wait until they are durable.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.local()) {              // sqlite:mlops/mlops.db, or $MLOPS_TRACKING_URI
 *   Experiment iris = tracker.experiment("iris");
 *   try (Run run = iris.run("logreg-0.1").tag("team", "risk").start()) {
 *     run.param("lr", 0.1);
 *     for (int step = 0; step < 5; step++) run.metric("loss", loss[step], step);
 *   }                                                    // FINISHED
 *   List<RunRecord> best = tracker.search("iris")
 *       .filter("metrics.loss < 0.3 and params.lr = '0.1'")
 *       .orderBy("metrics.loss ASC").limit(5).list();
 *   ModelVersion v = tracker.registry().register("iris", best.get(0).runId(), "model");
 *   tracker.registry().setAlias("iris", "champion", v.version());
 * }
 * }</pre>
 *
 * <p>URIs: {@code sqlite:<path>}, MLflow's {@code sqlite:///relative/path} and
 * {@code sqlite:////absolute/path}, {@code postgresql://user:password@host:port/db?…} (or
 * {@code postgres://…}, {@code jdbc:postgresql://host/db?user=…&password=…}). A password never
 * appears in {@link #uri()}, a message, a log line or an exception.
 *
 * <p>The artifact location belongs to the store: the first process that opens a store records
 * it there (an {@code artifacts} folder beside a SQLite file; for PostgreSQL the folder given,
 * else {@code mlops/artifacts} under that process's working directory), and every process that
 * opens the store later uses it, whatever its working directory. A process may override it with
 * {@link Builder#artifacts(Path)}, the URI parameter {@code ?artifacts=<folder>} or the
 * environment variable {@value #ARTIFACTS_VARIABLE}, in that order; an override in effect when
 * the store is created is what gets recorded. A team shares one PostgreSQL database and one
 * mounted folder:
 *
 * <pre>{@code
 * Tracker.open("postgresql://ml:secret@db.internal:5432/mlops?artifacts=/srv/mlops");
 * }</pre>
 *
 * <p>A tracker is thread-safe; share one per process. Searches are bounded: the database
 * abandons one that runs longer than {@link Builder#statementTimeout} (30 s by default).
 */
public final class Tracker implements AutoCloseable {
  /** The environment variable that overrides the URI {@link #local()} opens. */
  public static final String URI_VARIABLE = "MLOPS_TRACKING_URI";
  /** The URI {@link #local()} opens by default. */
  public static final String DEFAULT_URI = "sqlite:mlops/mlops.db";
  /** The environment variable that overrides the artifact location recorded in the store. */
  public static final String ARTIFACTS_VARIABLE = "MLOPS_ARTIFACTS";
  /** How long a search may run before the database abandons it, unless the builder says otherwise. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);

  private final String uri;
  private final String storeUri;
  private final TrackingStore store;
  private final ArtifactRepository artifacts;
  private final MetricWriter writer;
  private final Clock clock;
  private final Supplier<Environment> environment;
  private final Thread shutdownHook;
  private final ModelRegistry registry;
  private volatile boolean closed;

  private Tracker(Builder b, String uri, TrackingStore store, ArtifactRepository artifacts) {
    this.uri = uri;
    this.storeUri = b.uri;
    this.store = store;
    this.artifacts = artifacts;
    this.clock = b.clock;
    this.environment = b.environment == null ? Suppliers.memoize(Environment::capture) : () -> b.environment;
    this.registry = new ModelRegistry(this, store.registry(artifacts.root()));
    this.writer = b.synchronous ? MetricWriter.synchronous(store) : MetricWriter.asynchronous(store, b.queueCapacity);
    if (b.flushAtExit && !b.synchronous) {
      this.shutdownHook = new Thread(this::flushAtExit, "mlops-tracker-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      this.shutdownHook = null;
    }
  }

  /** Opens the tracker at this URI with default options. */
  public static Tracker open(String uri) {
    return builder(uri).build();
  }

  /**
   * Opens the tracker named by the environment variable {@value #URI_VARIABLE}, or else the
   * SQLite database {@code mlops/mlops.db} under the working directory.
   */
  public static Tracker local() {
    String fromEnvironment = System.getenv(URI_VARIABLE);
    return open(fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_URI : fromEnvironment.strip());
  }

  /** A builder for a tracker at this URI with non-default options. */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  /** The URI this tracker was opened with, its password replaced by {@code ***}. */
  public String uri() {
    return uri;
  }

  /** The folder artifacts are stored under. */
  public Path artifactRoot() {
    return artifacts.root();
  }

  // ---------------------------------------------------------------- experiments

  /** The experiment with this name, created when there is none. */
  public Experiment experiment(String name) {
    return experiment(name, Map.of());
  }

  /** The experiment with this name, created when there is none; the tags are set either way. */
  public Experiment experiment(String name, Map<String, String> tags) {
    checkOpen();
    String checked = Experiment.checkName(name);
    Map<String, String> checkedTags = Run.checkTags(tags);
    ExperimentRow row = store.experiment(checked, checkedTags, clock.millis());
    return new Experiment(this, row.id(), row.name());
  }

  /**
   * The experiment with this id.
   *
   * @throws NotFoundException if there is none
   */
  public Experiment experimentById(String id) {
    checkOpen();
    ExperimentRow row = store.experimentById(id).orElseThrow(() -> new NotFoundException(
        "no experiment with id '" + id + "'; get or create one by name with tracker.experiment(name)"));
    return new Experiment(this, row.id(), row.name());
  }

  // ---------------------------------------------------------------- runs

  /**
   * Runs {@code body} inside a new run of {@code experiment}: the run ends FINISHED when the body
   * returns and FAILED when it throws, and the exception is rethrown.
   *
   * @return the ended run's snapshot
   */
  public RunRecord run(Experiment experiment, String runName, Consumer<Run> body) {
    Objects.requireNonNull(body, "body");
    Run run = experiment.run(runName).start();
    try {
      body.accept(run);
    } catch (RuntimeException | Error e) {
      try {
        run.end(RunStatus.FAILED);
      } catch (RuntimeException endFailure) {
        e.addSuppressed(endFailure);
      }
      throw e;
    }
    run.end(RunStatus.FINISHED);
    return getRun(run.id());
  }

  /**
   * A snapshot of the run with this id.
   *
   * @throws NotFoundException if there is none
   */
  public RunRecord getRun(String runId) {
    checkOpen();
    return store.run(runId).orElseThrow(() -> unknownRun(runId));
  }

  /**
   * Ends the run with this id, as MLflow's {@code set_terminated} does: for a run whose process
   * is gone, so that no {@link Run} object is left to close it (a run killed mid-way stays
   * RUNNING). The end time is the tracker's clock.
   *
   * <pre>{@code
   * tracker.setTerminated(staleRunId, RunStatus.KILLED);
   * }</pre>
   *
   * @throws InvalidInputException if the status is RUNNING or SCHEDULED
   * @throws NotFoundException if there is no such run
   */
  public void setTerminated(String runId, RunStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isTerminal()) {
      throw new InvalidInputException("a run ends FINISHED, FAILED or KILLED, not " + status);
    }
    checkOpen();
    store.endRun(runId, status, clock.millis());
  }

  /** Sets a tag on the run with this id (last write wins), for a run no {@link Run} object holds. */
  public void setTag(String runId, String key, String value) {
    checkOpen();
    store.setTags(runId, Run.checkTag(key, value));
  }

  /** Marks a run deleted: searches no longer show it, and it accepts no writes until restored. */
  public void deleteRun(String runId) {
    checkOpen();
    store.setRunDeleted(runId, true);
  }

  /** Undoes {@link #deleteRun}. */
  public void restoreRun(String runId) {
    checkOpen();
    store.setRunDeleted(runId, false);
  }

  /**
   * Every point logged for a metric, in the order logged. Points still in the queue are written
   * first.
   *
   * @throws NotFoundException if there is no such run
   */
  public List<Metric> metricHistory(String runId, String key) {
    checkOpen();
    writer.sync();
    return store.metricHistory(runId, key);
  }

  /**
   * Reads an artifact back, after checking it against the SHA-256 recorded when it was logged.
   * Over a tracking server this process's folder is a cache: a copy missing from it is downloaded
   * first, and a copy changed there is refused like a changed file of any store.
   *
   * @throws NotFoundException if the run has no artifact at this path
   * @throws dev.mlops.core.IntegrityException if the file changed since it was logged
   */
  public byte[] readArtifact(String runId, String path) {
    ArtifactRepository.checkPath(path);
    RunRecord run = getRun(runId);
    ArtifactInfo info = run.artifacts().stream().filter(a -> a.path().equals(path)).findFirst()
        .orElseThrow(() -> new NotFoundException("run '" + runId + "' has no artifact '" + path + "'; it has "
            + run.artifacts().stream().map(ArtifactInfo::path).toList()));
    store.fetchArtifact(run.experimentId(), runId, info);
    return artifacts.read(run.experimentId(), runId, info);
  }

  // ---------------------------------------------------------------- registry

  /**
   * The model registry in this tracker's store: registered models, numbered versions, aliases
   * and lineage.
   *
   * <pre>{@code
   * ModelVersion v = tracker.registry().register("iris", run, "model");
   * tracker.registry().setAlias("iris", "champion", v.version());
   * }</pre>
   */
  public ModelRegistry registry() {
    checkOpen();
    return registry;
  }

  // ---------------------------------------------------------------- reading

  /**
   * A search over the runs of these experiments, by name.
   *
   * @throws NotFoundException if an experiment does not exist
   */
  public RunSearch search(String... experimentNames) {
    checkOpen();
    if (experimentNames.length == 0) {
      throw new InvalidInputException("name at least one experiment to search");
    }
    List<String> ids = new ArrayList<>();
    for (String name : experimentNames) {
      ids.add(store.experimentByName(name).orElseThrow(() -> new NotFoundException(
          "no experiment named '" + name + "'; create it with tracker.experiment(name)")).id());
    }
    return new RunSearch(this, ids);
  }

  /** A search over the runs of these experiments. */
  public RunSearch search(Experiment... experiments) {
    checkOpen();
    if (experiments.length == 0) {
      throw new InvalidInputException("name at least one experiment to search");
    }
    return new RunSearch(this, Arrays.stream(experiments).map(Experiment::id).toList());
  }

  /** A side-by-side comparison of these runs: the params that differ, and every metric. */
  public RunComparison compare(Collection<RunRecord> runs) {
    checkOpen();
    return RunComparison.of(List.copyOf(runs), this::metricHistory);
  }

  /** A side-by-side comparison of these runs. */
  public RunComparison compare(RunRecord... runs) {
    return compare(Arrays.asList(runs));
  }

  /**
   * Starts the web UI over this tracker's store on a free loopback port and returns it; its
   * address is logged and is what the returned value prints as. Needs the {@code mlops-server}
   * module on the class path ({@code mlops-all} holds it).
   *
   * <pre>{@code
   * UiServer ui = tracker.ui();   // in a notebook cell: shows http://127.0.0.1:41234/ui/
   * }</pre>
   *
   * @throws InvalidInputException if this tracker talks to a tracking server, which serves its own UI
   * @throws MlopsException if no module provides the UI
   */
  public UiServer ui() {
    return ui(0);
  }

  /** As {@link #ui()}, on this port (0 for any free one). */
  public UiServer ui(int port) {
    checkOpen();
    if (RestStore.isServer(storeUri)) {
      throw new InvalidInputException("this tracker talks to the tracking server at " + uri + ", which serves the"
          + " UI itself: open " + uri.replaceAll("/+$", "") + "/ui/ in a browser");
    }
    writer.flush();
    UiServer.Provider provider = ServiceLoader.load(UiServer.Provider.class, Tracker.class.getClassLoader())
        .findFirst().orElseThrow(() -> new MlopsException("the web UI lives in the mlops-server module, which is"
            + " not on the class path; add the dependency dev.mlops:mlops-server (or use mlops-all)"));
    UiServer ui = provider.start(storeUri, artifacts.root(), port);
    LOG.info("mlops UI for {} at {}", uri, ui.uri());
    return ui;
  }

  /**
   * Waits until every metric point logged so far is durable.
   *
   * @throws MlopsException the first write error since the previous flush
   */
  public void flush() {
    checkOpen();
    writer.flush();
  }

  /** Writes what is queued and releases the database; rethrows a pending write error. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } finally {
      store.close();
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down and the hook is running
        }
      }
    }
  }

  private void flushAtExit() {
    try {
      writer.close();
    } catch (RuntimeException e) {
      LOG.error("metrics queued at exit could not be written to {}: {}", store.describe(), e.getMessage());
    }
  }

  /**
   * Takes a named lock that excludes every other holder of that name on this store, in any
   * process or machine, until it is closed; empty when another holder has it. The database or the
   * operating system releases it when its holder dies, even by {@code kill -9}; through a tracking
   * server it is a lease the server holds with its store's lock, renewed while this tracker holds
   * it and released by the server {@link RestStore#LOCK_LEASE} after a dead holder stops renewing.
   *
   * <pre>{@code
   * Optional<StoreLock> lock = tracker.tryLock("lifecycle:iris-classifier");
   * if (lock.isPresent()) {
   *   try (StoreLock held = lock.get()) {
   *     // one process at a time gets here
   *   }
   * }
   * }</pre>
   *
   * @throws IllegalStateException when the store cannot hold locks (an MLflow server, which has no lock endpoint)
   */
  public Optional<StoreLock> tryLock(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    return store.tryLock(name);
  }

  // ---------------------------------------------------------------- for Run and Experiment

  TrackingStore store() {
    return store;
  }

  ArtifactRepository artifacts() {
    return artifacts;
  }

  MetricWriter writer() {
    return writer;
  }

  Clock clock() {
    return clock;
  }

  Environment environment() {
    return environment.get();
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the tracker for " + store.describe() + " is closed; open a new one");
    }
  }

  static NotFoundException unknownRun(String runId) {
    return new NotFoundException("no run with id '" + runId + "'; find runs with tracker.search(experiment)");
  }

  /**
   * Options of a tracker.
   *
   * <pre>{@code
   * Tracker tracker = Tracker.builder("postgresql://ml:secret@db:5432/mlops")
   *     .artifacts(Path.of("/srv/mlops"))          // this process's view of the shared folder
   *     .statementTimeout(Duration.ofSeconds(10))  // no search holds the database longer
   *     .flushAtExit(true)                         // a JVM shutdown hook writes queued metrics
   *     .clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final String uri;
    private Clock clock = Clock.systemUTC();
    private boolean synchronous;
    private boolean flushAtExit;
    private int queueCapacity = 65_536;
    private Path artifacts;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private Map<String, String> variables;
    private Environment environment;

    private Builder(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** The clock for run times and metric timestamps; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Writes metrics on the caller's thread instead of a background writer; for tests. */
    public Builder synchronous(boolean synchronous) {
      this.synchronous = synchronous;
      return this;
    }

    /**
     * Whether a JVM shutdown hook writes the metrics still queued when the JVM exits without
     * {@link Tracker#close()}; off by default, since a hook is a change to the whole JVM. The
     * tracker removes its hook when it is closed.
     */
    public Builder flushAtExit(boolean flushAtExit) {
      this.flushAtExit = flushAtExit;
      return this;
    }

    /** How many metric points may wait for the writer before logging blocks; 65,536 by default. */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new InvalidInputException("queue capacity must be at least 1; got " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * Where this process finds the store's artifacts, overriding the location recorded in the
     * store, the URI's {@code artifacts=} parameter and {@value Tracker#ARTIFACTS_VARIABLE}; when
     * the store is new, this is the location recorded for everyone.
     */
    public Builder artifacts(Path location) {
      this.artifacts = Objects.requireNonNull(location, "location");
      return this;
    }

    /**
     * How long a search may run before the database abandons it (PostgreSQL's
     * {@code statement_timeout}, a progress handler on SQLite); 30 s by default.
     */
    public Builder statementTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
        throw new InvalidInputException("statement timeout must be between 1 ms and 1 day; got " + timeout);
      }
      this.statementTimeout = timeout;
      return this;
    }

    /**
     * The environment variables this tracker reads ({@value Tracker#ARTIFACTS_VARIABLE}); the
     * process's own by default.
     */
    public Builder environmentVariables(Map<String, String> variables) {
      this.variables = Map.copyOf(variables);
      return this;
    }

    /** The environment recorded as system tags; captured from this machine by default. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Opens the database, applying any schema migration it lacks. */
    public Tracker build() {
      Map<String, String> env = variables != null ? variables : System.getenv();
      if (RestStore.isServer(uri)) {
        // a server keeps the artifacts; this process caches them (and stages its uploads) under mlops/staging or the
        // builder's folder
        Path staging = (artifacts != null ? artifacts : Path.of("mlops", "staging")).toAbsolutePath().normalize();
        ArtifactRepository repository = new ArtifactRepository(staging, "this process's cache of the server's files");
        return new Tracker(this, RestStore.redact(uri), RestStore.open(uri, env, repository), repository);
      }
      TrackingUri parsed = TrackingUri.parse(uri);
      String override;
      String origin;
      if (artifacts != null) {
        override = artifacts.toString();
        origin = "set with Tracker.builder(uri).artifacts(location)";
      } else if (parsed.artifacts().isPresent()) {
        override = parsed.artifacts().get();
        origin = "set by the URI's " + TrackingUri.ARTIFACTS_PARAMETER + "= parameter";
      } else if (env.get(ARTIFACTS_VARIABLE) != null && !env.get(ARTIFACTS_VARIABLE).isBlank()) {
        override = env.get(ARTIFACTS_VARIABLE).strip();
        origin = "set by " + ARTIFACTS_VARIABLE;
      } else {
        override = null;
        origin = "recorded in the store";
      }
      Path overridden = override == null ? null : folder(override, Path.of("").toAbsolutePath());
      Path base = parsed.isSqlite() ? parsed.sqliteFile().toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
      String proposal = overridden != null ? overridden.toString()
          : parsed.isSqlite() ? "artifacts" : base.resolve("mlops").resolve("artifacts").toString();
      TrackingStore store = JdbcStore.open(parsed, statementTimeout, clock.millis());
      try {
        String recorded = store.artifactLocation(proposal);
        Path root = overridden != null ? overridden : folder(recorded, base);
        return new Tracker(this, parsed.redacted(), store, new ArtifactRepository(root, origin));
      } catch (RuntimeException | Error e) {
        store.close();
        throw e;
      }
    }

    // A folder path or a file: URI; a relative path is taken from the base folder.
    private static Path folder(String location, Path base) {
      try {
        Path p = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        return base.resolve(p).toAbsolutePath().normalize();
      } catch (IllegalArgumentException | FileSystemNotFoundException e) {
        throw new InvalidInputException("artifact location '" + location + "' is not a folder path or file: URI;"
            + " give a local or mounted folder such as /srv/mlops", e);
      }
    }
  }
}
