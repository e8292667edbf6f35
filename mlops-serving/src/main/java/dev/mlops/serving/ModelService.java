package dev.mlops.serving;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mlops.core.InvalidInputException;
import dev.mlops.explain.Explainer;
import dev.mlops.explain.Explanation;
import dev.mlops.monitoring.Monitor;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelSignature;
import dev.mlops.tracking.ModelUri;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Tracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployed model: follows a registry URI such as {@code models:/iris@champion}, loads and
 * verifies the package it points at, and predicts through the package's signature. When the
 * alias moves, the new version is loaded and verified off the request path and swapped in
 * atomically; requests already running finish on the old model, and a package that fails
 * verification is never swapped in (see {@link #lastRefreshError()}). A challenger can run
 * beside the champion, either in shadow (both predict, the champion answers, agreement is
 * counted) or as a canary (a share of the requests is answered by the challenger). Thread-safe.
 *
 * <p>Its meters (predictions by model, version and label; swaps; refresh failures; the served
 * versions; the challenger's record; the monitor's state and alerts) go to a Micrometer
 * registry: the host's, given with {@link Builder#meterRegistry}, or else a Prometheus registry
 * of the service's own, which a {@link ScoringServer} serves on {@code /metrics}. A closed
 * service refuses {@link #predict} and {@link #refresh()} with an {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (ModelService service = ModelService.builder(tracker, "models:/iris@champion")
 *         .pollEvery(Duration.ofSeconds(30))
 *         .shadow("models:/iris@challenger")
 *         .build()) {
 *   ServedPrediction p = service.predict(Map.of("sepal_length", 5.1, "sepal_width", 3.5,
 *       "petal_length", 1.4, "petal_width", 0.2));
 *   p.output();                                      // "Iris-setosa"
 *   service.challengerStats().orElseThrow().agreementRate();
 * }
 * }</pre>
 */
public final class ModelService implements AutoCloseable {
  /** The column under which a monitored row carries the service's answer. */
  public static final String PREDICTION_COLUMN = "prediction";

  private static final Logger LOG = LoggerFactory.getLogger(ModelService.class);

  private enum Mode { SINGLE, SHADOW, CANARY }

  private final ModelSlot champion;
  private final ModelSlot challenger;
  private final Mode mode;
  private final double canaryShare;
  private final long seed;
  private final MonitorFeed feed;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final ScheduledFuture<?> polling;
  private final AutoCloseable resource;
  private final MeterRegistry registry;
  private final boolean ownsRegistry;
  private final ServiceMeters meters;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong routed = new AtomicLong();
  private final LongAdder rows = new LongAdder();
  private final LongAdder toChallenger = new LongAdder();
  private final LongAdder compared = new LongAdder();
  private final LongAdder agreed = new LongAdder();
  private final LongAdder challengerFailures = new LongAdder();

  private ModelService(Builder b, ModelSlot champion, ModelSlot challenger) {
    this.champion = champion;
    this.challenger = challenger;
    this.mode = b.mode;
    this.canaryShare = b.canaryShare;
    this.seed = b.seed;
    this.feed = b.monitor == null ? null : new MonitorFeed(b.monitor);
    this.resource = b.resource;
    this.ownsRegistry = b.registry == null;
    this.registry = ownsRegistry ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : b.registry;
    this.meters = new ServiceMeters(registry, this, champion, challenger, feed);
    if (b.pollInterval.isZero()) {
      this.scheduler = null;
      this.ownsScheduler = false;
      this.polling = null;
    } else {
      this.ownsScheduler = b.scheduler == null;
      this.scheduler = ownsScheduler ? defaultScheduler() : b.scheduler;
      long millis = b.pollInterval.toMillis();
      this.polling = scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** A service following {@code uri} in {@code source}, polling every 30 seconds; see {@link #builder}. */
  public static ModelService from(ModelSource source, String uri) {
    return builder(source, uri).build();
  }

  /** A builder for a service that follows {@code uri} ({@code models:/name@alias} or {@code models:/name/3}). */
  public static Builder builder(ModelSource source, String uri) {
    return new Builder(source, ModelUri.parse(uri));
  }

  /**
   * A service following {@code uri} in the tracker's model registry, polling every 30 seconds;
   * see {@link #builder(Tracker, String)}.
   */
  public static ModelService from(Tracker tracker, String uri) {
    return builder(tracker, uri).build();
  }

  /**
   * A builder for a service that follows {@code uri} in the tracker's model registry: each poll
   * resolves the URI there, and a version's package is loaded from where the registry stored it
   * and must carry the package digest recorded when it was registered. The tracker must stay
   * open while the service runs; the service does not close it.
   *
   * <pre>{@code
   * try (Tracker tracker = Tracker.open("sqlite:mlops/mlops.db");
   *      ModelService service = ModelService.builder(tracker, "models:/iris@champion")
   *          .pollEvery(Duration.ofSeconds(10)).build()) {
   *   service.predict(row);
   * }
   * }</pre>
   */
  public static Builder builder(Tracker tracker, String uri) {
    return builder(registry(tracker), uri);
  }

  private static ModelSource registry(Tracker tracker) {
    Objects.requireNonNull(tracker, "tracker");
    return uri -> {
      ModelVersion v = tracker.registry().resolve(uri);
      return ResolvedModel.ofFile(v.modelName(), Integer.toString(v.version()), v.packagePath(), v.packageDigest());
    };
  }

  /**
   * Predicts one row (column name to value) with the champion, or with the challenger for the
   * canary's share of requests.
   *
   * @throws InvalidInputException naming a missing required input (and an unknown input that
   *     may have been meant for it), a value of the wrong type or an infinite number
   * @throws IllegalStateException when the service is closed
   */
  public ServedPrediction predict(Map<String, ?> row) {
    checkOpen();
    return predictRow(champion.current(), challenger == null ? null : challenger.current(), row);
  }

  /**
   * Predicts rows in order, all with the model versions being served when the call began.
   *
   * @throws InvalidInputException naming the first bad row and what is wrong with it
   * @throws IllegalStateException when the service is closed
   */
  public List<ServedPrediction> predict(List<? extends Map<String, ?>> rows) {
    checkOpen();
    LoadedModel main = champion.current();
    LoadedModel other = challenger == null ? null : challenger.current();
    List<ServedPrediction> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      try {
        out.add(predictRow(main, other, rows.get(i)));
      } catch (InvalidInputException e) {
        throw rows.size() == 1 ? e : new InvalidInputException("row " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * Predicts one row with the champion and explains the prediction: each input's contribution,
   * ranked, by the method {@link Explainer} chooses for the model. The canary and the shadow do
   * not take part: the explanation is of the model that answered. The row is counted and
   * monitored as {@link #predict(Map)} does; only this call pays for the explanation.
   *
   * @throws InvalidInputException as {@link #predict(Map)} does
   * @throws IllegalStateException when the service is closed
   */
  public ExplainedPrediction explain(Map<String, ?> row) {
    checkOpen();
    return explainRow(champion.current(), row);
  }

  /**
   * Predicts and explains rows in order, all with the champion being served when the call began.
   *
   * @throws InvalidInputException naming the first bad row and what is wrong with it
   * @throws IllegalStateException when the service is closed
   */
  public List<ExplainedPrediction> explain(List<? extends Map<String, ?>> rows) {
    checkOpen();
    LoadedModel main = champion.current();
    List<ExplainedPrediction> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      try {
        out.add(explainRow(main, rows.get(i)));
      } catch (InvalidInputException e) {
        throw rows.size() == 1 ? e : new InvalidInputException("row " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private ExplainedPrediction explainRow(LoadedModel main, Map<String, ?> row) {
    try {
      ServedPrediction answer = main.predict(row);
      Explanation explanation = main.explainer().explain(row);
      meters.predicted(answer);
      answered(row, answer);
      return new ExplainedPrediction(answer, explanation);
    } catch (InvalidInputException e) {
      throw UnknownInputs.explain(e, row, main.modelPackage().signature());
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the model service of " + champion.uri() + " is closed; build a new one to predict");
    }
  }

  private ServedPrediction predictRow(LoadedModel main, LoadedModel other, Map<String, ?> row) {
    try {
      ServedPrediction answer = route(main, other, row);
      meters.predicted(answer);
      return answer;
    } catch (InvalidInputException e) {
      throw UnknownInputs.explain(e, row, main.modelPackage().signature());
    }
  }

  private ServedPrediction route(LoadedModel main, LoadedModel other, Map<String, ?> row) {
    ServedPrediction answer;
    if (mode == Mode.CANARY && new SplittableRandom(seed + routed.getAndIncrement()).nextDouble() < canaryShare) {
      answer = tryChallenger(other, row);
      if (answer == null) {
        answer = main.predict(row);
      } else {
        toChallenger.increment();
      }
    } else {
      answer = main.predict(row);
      if (mode == Mode.SHADOW) {
        ServedPrediction shadow = tryChallenger(other, row);
        if (shadow != null) {
          compared.increment();
          if (shadow.agreesWith(answer)) {
            agreed.increment();
          }
        }
      }
    }
    answered(row, answer);
    return answer;
  }

  /** Counts an answered row and feeds it to the monitor. */
  private void answered(Map<String, ?> row, ServedPrediction answer) {
    rows.increment();
    if (feed != null) {
      feed.offer(row, answer);
    }
  }

  /** The challenger's answer, or null when it cannot give one; its failures never fail a request. */
  private ServedPrediction tryChallenger(LoadedModel other, Map<String, ?> row) {
    try {
      return other.predict(row);
    } catch (RuntimeException e) {
      challengerFailures.increment();
      LOG.debug("challenger {} could not predict a row: {}", other.served().uri(), e.getMessage());
      return null;
    }
  }

  /** The champion version being served. */
  public ServedModel current() {
    return champion.current().served();
  }

  /** The champion's signature: the inputs a row must carry. */
  public ModelSignature signature() {
    return champion.current().modelPackage().signature();
  }

  /** The challenger version, in shadow or canary mode. */
  public Optional<ServedModel> challenger() {
    return challenger == null ? Optional.empty() : Optional.of(challenger.current().served());
  }

  /** The challenger's record so far, in shadow or canary mode. */
  public Optional<ChallengerStats> challengerStats() {
    if (challenger == null) {
      return Optional.empty();
    }
    return Optional.of(new ChallengerStats(
        rows.sum(), toChallenger.sum(), compared.sum(), agreed.sum(), challengerFailures.sum()));
  }

  /**
   * Asks the source now where the URIs point, and loads, verifies and swaps in any new
   * version; a version that failed before is tried again. Failures do not throw: they are
   * logged and kept in {@link #lastRefreshError()}, and the old model keeps serving.
   *
   * @return whether a new version was swapped in
   * @throws IllegalStateException when the service is closed
   */
  public boolean refresh() {
    checkOpen();
    boolean swapped = champion.refresh(true);
    if (challenger != null) {
      swapped |= challenger.refresh(true);
    }
    if (swapped) {
      meters.refreshInfo(champion, challenger);
    }
    return swapped;
  }

  /** The registry the service's meters go to: the host's, or the service's own Prometheus registry. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    return closed.get();
  }

  /** The champion being served, with its package; package-private for the server's status answers. */
  LoadedModel loaded() {
    return champion.current();
  }

  /** The challenger being served; only when there is one. */
  LoadedModel loadedChallenger() {
    return challenger.current();
  }

  /**
   * Why the latest refresh of the champion (or else of the challenger) did not swap in the
   * version its URI points at; empty once the service serves what the URIs point at.
   */
  public Optional<RefreshFailure> lastRefreshError() {
    Optional<RefreshFailure> main = champion.lastFailure();
    return main.isPresent() || challenger == null ? main : challenger.lastFailure();
  }

  private void poll() {
    try {
      boolean swapped = champion.refresh(false);
      if (challenger != null) {
        swapped |= challenger.refresh(false);
      }
      if (swapped) {
        meters.refreshInfo(champion, challenger);
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; polling must outlive any one failure.
      LOG.error("polling {} failed: {}", champion.uri(), e.getMessage(), e);
    }
  }

  /** The monitor every answered row is fed to, when there is one. */
  public Optional<Monitor> monitor() {
    return feed == null ? Optional.empty() : Optional.of(feed.monitor());
  }

  /** Rows the monitor did not get: dropped because it fell behind, or refused by it. */
  long monitorRowsLost() {
    return feed == null ? 0 : feed.dropped() + feed.failed();
  }

  /**
   * Stops polling and hands the monitor the rows still queued for it; requests still running
   * finish. The monitor itself stays open, and so does a registry the host gave; the service's
   * meters are taken out of it. Closing twice does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (polling != null) {
      polling.cancel(false);
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    if (feed != null) {
      feed.close();
    }
    meters.close();
    if (ownsRegistry) {
      registry.close();
    }
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("could not close {} after serving {}: {}", resource, champion.uri(), e.getMessage());
      }
    }
  }

  private static ScheduledExecutorService defaultScheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        new ThreadFactoryBuilder().setNameFormat("mlops-model-poll-%d").setDaemon(true).build());
  }

  /** Configures a {@link ModelService}; {@link #build()} loads and verifies the models. */
  public static final class Builder {
    private final ModelSource source;
    private final ModelUri uri;
    private Mode mode = Mode.SINGLE;
    private ModelUri challengerUri;
    private double canaryShare;
    private long seed;
    private Duration pollInterval = Duration.ofSeconds(30);
    private ScheduledExecutorService scheduler;
    private Clock clock = Clock.systemUTC();
    private LoadOptions loadOptions = LoadOptions.defaults();
    private Monitor monitor;
    private AutoCloseable resource;
    private MeterRegistry registry;

    private Builder(ModelSource source, ModelUri uri) {
      this.source = Objects.requireNonNull(source, "source");
      this.uri = uri;
    }

    /** Runs this challenger in shadow: both predict every row, the champion answers, agreement is counted. */
    public Builder shadow(String challengerUri) {
      return challenger(Mode.SHADOW, challengerUri, 0);
    }

    /**
     * Lets this challenger answer {@code share} (between 0 and 1) of the rows: the n-th row the
     * service answers goes to the challenger when the n-th draw of a random sequence seeded by
     * {@link #seed(long)} falls below the share, so the same seed and the same order of rows
     * route the same rows. A row the challenger cannot predict is answered by the champion.
     */
    public Builder canary(String challengerUri, double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new InvalidInputException("a canary share is between 0 and 1; got " + share);
      }
      return challenger(Mode.CANARY, challengerUri, share);
    }

    private Builder challenger(Mode m, String challengerUri, double share) {
      if (mode != Mode.SINGLE) {
        throw new InvalidInputException(
            "the service already has a " + mode.name().toLowerCase(java.util.Locale.ROOT) + " challenger "
                + this.challengerUri + "; a service runs one challenger, in shadow or as a canary");
      }
      this.mode = m;
      this.challengerUri = ModelUri.parse(challengerUri);
      this.canaryShare = share;
      return this;
    }

    /** The seed of the canary's routing sequence (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** How often to ask the source whether an alias moved (default 30 s); zero turns polling off. */
    public Builder pollEvery(Duration interval) {
      if (interval.isNegative()) {
        throw new InvalidInputException("a polling interval cannot be negative; got " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** The scheduler that runs polling; the service cancels its task on close but leaves the scheduler running. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock that dates swaps and failures (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Feeds every answered row to this monitor, with the answer under the column
     * {@value ModelService#PREDICTION_COLUMN} (a monitor ignores it unless its reference has
     * that column, so prediction drift is watched when the reference profiles predictions).
     * Rows reach the monitor from a thread of the service's, so a window's drift test never
     * delays a request; if the monitor falls behind by 10,000 rows,
     * further rows are dropped and counted. The service does not close the monitor.
     */
    public Builder monitor(Monitor monitor) {
      this.monitor = Objects.requireNonNull(monitor, "monitor");
      return this;
    }

    /** How cautiously packages are opened (default {@link LoadOptions#defaults()}). */
    public Builder loadOptions(LoadOptions options) {
      this.loadOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Sends the service's meters to the host's registry (default: a Prometheus registry of the
     * service's own). The service takes its meters out of the registry when it closes, and
     * leaves the registry open.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Something the service owns, such as the tracker a command line opened: closed with the service. */
    Builder closing(AutoCloseable resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * Loads and verifies the champion (and the challenger), then starts polling.
     *
     * @throws dev.mlops.core.NotFoundException when a URI does not resolve
     * @throws dev.mlops.core.IntegrityException when a package fails verification
     */
    public ModelService build() {
      ModelLoader loader = new ModelLoader(loadOptions, clock);
      ModelSlot main = ModelSlot.open(source, uri, loader, clock);
      ModelSlot other = challengerUri == null ? null : ModelSlot.open(source, challengerUri, loader, clock);
      return new ModelService(this, main, other);
    }
  }
}
