package dev.mlops.lifecycle;

import dev.mlops.core.Digest;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.monitoring.Alert;
import dev.mlops.monitoring.Profile;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.serving.ModelService;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.StoreLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * An automated life cycle for one registered model (MLOps level 1): each pass ingests the data
 * (digested, recorded as the run's dataset input), validates it, splits it with a seed, trains or
 * selects a candidate (grid or random search over the trainer's configurable fields, trials in
 * parallel, each a nested run), scores champion and candidate on the same holdout rows, gates the
 * candidate by value and change thresholds, packages it with the reference profile of its
 * training data, registers it as {@code challenger} and deploys it — at once, or in shadow or as
 * a canary until {@link #review} promotes it on online criteria or rolls a promoted model back
 * when its monitored quality falls below the gate. Every pass is a parent run with a nested run
 * per step and a {@link DecisionRecord}.
 *
 * <p>A pass whose data digest, configuration and code version are those of a finished pass
 * does nothing and registers nothing ({@link Outcome#UNCHANGED}). One pass at a time runs per
 * life cycle across every process on the store (a lock in the store, released by the database or
 * the operating system if the holder dies); the {@code champion} alias moves last, after the
 * version is registered and the decision record written, so a pass killed at any point leaves no
 * alias on a version that is not fully registered, and the next pass simply runs again (ending
 * as KILLED, with a tag saying why, the runs the killed pass left RUNNING, and naming them in its
 * record). The model is a classifier ({@link Builder#train(Trainer)}) or a regressor
 * ({@link Builder#trainRegressor(Trainer)}); its package carries its permutation importance.
 *
 * <pre>{@code
 * Lifecycle iris = Lifecycle.builder(tracker, "iris-classifier")
 *     .data(DataSource.csv(dir.resolve("incoming")))
 *     .label("species")
 *     .validateData(DataChecks.schema(schema).maxMissingShare(0.05).maxDriftedShare(0.5))
 *     .split(Split.holdout(0.2).seed(7))
 *     .train(trainer)
 *     .select(Search.grid("initialLearningRate", 0.05, 0.1, 0.5).maximize("accuracy").threads(2))
 *     .gate(Gate.atLeast("accuracy", 0.9).and(Gate.beatsChampion("accuracy", 0.01)))
 *     .deploy(Deploy.shadow(Duration.ofHours(1)).promoteIf(agreement(atLeast(0.95))))
 *     .retrainWhen(Trigger.drift().or(Trigger.conceptDrift()).or(Trigger.newData())
 *         .or(Trigger.every(Duration.ofDays(7))))
 *     .records(dir.resolve("decisions"))
 *     .build();
 * LifecycleResult r = iris.runOnce();                   // one pass, on demand
 * try (LifecycleDriver driver = iris.start(service)) {   // triggers, reviews, on a thread of its own
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe; passes of one instance run one at a time.
 */
public final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  static final String TAG_NAME = "mlops.lifecycle.name";
  static final String TAG_KIND = "mlops.lifecycle.kind";
  static final String TAG_KEY = "mlops.lifecycle.key";
  static final String TAG_TRAIN_KEY = "mlops.lifecycle.train_key";
  static final String TAG_OUTCOME = "mlops.lifecycle.outcome";
  static final String TAG_GATE = "mlops.lifecycle.gate";
  static final String TAG_TRIGGER = "mlops.lifecycle.trigger";
  static final String TAG_STEP = "mlops.lifecycle.step";
  /** Why a run was ended KILLED by a later pass: its process died before it ended it. */
  static final String TAG_INTERRUPTED = "mlops.lifecycle.interrupted";
  /** When a pass began by the life cycle's clock, which schedules count from (a run's start time is the tracker's). */
  static final String TAG_STARTED = "mlops.lifecycle.started";
  /** Version tags: the pass that registered it, its state, the champion it replaced, when its trial began. */
  static final String VERSION_PASS = "mlops.lifecycle.pass";
  static final String VERSION_STATE = "mlops.lifecycle.state";
  static final String VERSION_PREVIOUS = "mlops.lifecycle.previous_champion";
  static final String VERSION_TRIAL_STARTED = "mlops.lifecycle.trial_started";
  static final String CHAMPION = "champion";
  static final String CHALLENGER = "challenger";
  static final String PROFILE_ARTIFACT = "reference-profile.json";

  final Tracker tracker;
  final String name;
  final String experiment;
  final DataSource source;
  final String label;
  final DataChecks checks;
  final Split split;
  final Task<?> task;
  final Trainer<?> trainer;
  final Function<?, ?> trainFunction;
  final String trainerFingerprint;
  final Search search;
  final Gate gate;
  final Deploy deploy;
  final Trigger trigger;
  final Clock clock;
  final Path records;
  final String codeVersion;
  final Duration lockWait;
  final Consumer<StepRecord> onStep;
  final TriggerQueue queue = new TriggerQueue();
  private final Object passLock = new Object();
  private volatile Instant lastPassStart;
  private volatile Digest lastDigest;

  private Lifecycle(Builder b) {
    this.tracker = b.tracker;
    this.name = b.name;
    this.experiment = b.experiment;
    this.source = b.source;
    this.label = b.label;
    this.checks = b.checks;
    this.split = b.split;
    this.task = b.task;
    this.trainer = b.trainer;
    this.trainFunction = b.trainFunction;
    this.trainerFingerprint = b.trainer != null ? b.trainer.getProvenance().toString() : "function:" + b.trainDescription;
    this.search = b.search.resolvedFor(b.task);
    this.gate = b.gate;
    this.deploy = b.deploy;
    this.trigger = b.trigger;
    this.clock = b.clock;
    this.records = b.records;
    this.codeVersion = b.codeVersion;
    this.lockWait = b.lockWait;
    this.onStep = b.onStep;
  }

  /** A builder of a life cycle for the registered model {@code modelName}, tracked in {@code tracker}. */
  public static Builder builder(Tracker tracker, String modelName) {
    return new Builder(tracker, modelName);
  }

  /** The registered model's name. */
  public String name() {
    return name;
  }

  /** The experiment the passes' runs go to. */
  public String experiment() {
    return experiment;
  }

  /** Runs one pass, on demand; see the class description. */
  public LifecycleResult runOnce() {
    return runOnce(TriggerEvent.onDemand("runOnce()", clock.instant()));
  }

  /** Runs one pass for this trigger. */
  public LifecycleResult runOnce(TriggerEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (passLock) {
      lastPassStart = clock.instant();
      LifecycleResult result = new Pass(this).run(event);
      lastDigest = result.record().flatMap(DecisionRecord::dataDigest).orElse(lastDigest);
      return result;
    }
  }

  /**
   * Judges a challenger on trial in {@code service} (promoting it when its trial time is up and
   * the online criteria hold, rejecting it when they do not) and the promoted champion's quality
   * as the service's monitor measures it (rolling back to the champion it replaced when the
   * accuracy falls below the gate's bound). Returns what it did, or {@link Outcome#KEPT} when there
   * was nothing to change; a decision record is written for every promotion, rejection and rollback.
   */
  public LifecycleResult review(ModelService service) {
    Objects.requireNonNull(service, "service");
    synchronized (passLock) {
      return new Pass(this).review(service);
    }
  }

  /**
   * Takes a monitor's alert: a data-drift alert queues a {@link Trigger.Kind#DRIFT} pass and a
   * concept-drift alert a {@link Trigger.Kind#CONCEPT_DRIFT} pass, when {@link Builder#retrainWhen}
   * declared them. Pass it as the monitor's listener: {@code Monitor.builder(ref).onAlert(lifecycle::onAlert)}.
   * The pass runs on a {@link #start started} driver, or at the next {@link #runPending()}.
   */
  public void onAlert(Alert alert) {
    Trigger.Kind kind = alert.kind() == Alert.Kind.DATA_DRIFT ? Trigger.Kind.DRIFT : Trigger.Kind.CONCEPT_DRIFT;
    if (trigger.fires(kind)) {
      fire(new TriggerEvent(kind, alert.summary(), alert.time()));
    }
  }

  /**
   * Queues a pass for this event; while one is queued, further events are folded into it.
   *
   * @return true when it was queued, false when it was folded into a pending one
   */
  public boolean fire(TriggerEvent event) {
    return queue.offer(Objects.requireNonNull(event, "event"));
  }

  /**
   * Checks the schedule and the data source's digest and queues a pass when one is due. A host
   * with a scheduler of its own calls this and {@link #runPending()}; a driver does so itself.
   */
  public void tick() {
    Instant now = clock.instant();
    if (trigger.period().isPresent()) {
      Instant last = lastPassStart != null ? lastPassStart : lastPassTime().orElse(null);
      if (last == null || !now.isBefore(last.plus(trigger.period().get()))) {
        fire(new TriggerEvent(Trigger.Kind.SCHEDULE, "every " + trigger.period().get()
            + (last == null ? ", no pass yet" : ", last pass began " + last), now));
      }
    }
    if (trigger.fires(Trigger.Kind.NEW_DATA)) {
      Digest now2 = source.digest();
      Digest known = lastDigest != null ? lastDigest : lastPassDigest().orElse(null);
      if (!now2.equals(known)) {
        fire(new TriggerEvent(Trigger.Kind.NEW_DATA, "the data's digest is " + now2
            + (known == null ? "; no pass read data yet" : ", was " + known), now));
      }
    }
  }

  /** Runs the queued pass, if one is queued. */
  public Optional<LifecycleResult> runPending() {
    Optional<TriggerEvent> event = queue.poll();
    if (event.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(runOnce(event.get()));
    } finally {
      queue.done();
    }
  }

  /**
   * Starts a driver: a thread that runs queued passes one after another, and a tick every
   * {@code every} that checks the schedule and the data and reviews {@code service} (when given).
   * Close the driver to stop both.
   */
  public LifecycleDriver start(ModelService service, Duration every) {
    return new LifecycleDriver(this, service, every);
  }

  /** As {@link #start(ModelService, Duration)}, ticking every minute. */
  public LifecycleDriver start(ModelService service) {
    return start(service, Duration.ofMinutes(1));
  }

  /**
   * The reference profile of the champion's training features, which its package carries: the
   * reference of the {@link dev.mlops.monitoring.Monitor} that watches it and sends
   * {@link #onAlert} its alerts. Empty while there is no champion, or when the champion's package
   * was not made by a life cycle.
   */
  public Optional<Profile> championProfile() {
    Optional<ModelVersion> champion = aliased(CHAMPION);
    if (champion.isEmpty()) {
      return Optional.empty();
    }
    try (ModelPackage pkg = tracker.registry().load(champion.get())) {
      return Pass.referenceProfile(pkg);
    }
  }

  // ---------------------------------------------------------------- for passes

  /** The key that names a pass's inputs: data, every step's configuration, the code. */
  String passKey(Digest data) {
    return Digest.of(String.join("\n", "pass", data.toString(), trainKeyText(data), checks.fingerprint(),
        gate.fingerprint(), deploy.toString(), label)).hex();
  }

  /** The key of the training step's inputs: data, split, trainer, search, code. */
  String trainKey(Digest data) {
    return Digest.of(trainKeyText(data)).hex();
  }

  private String trainKeyText(Digest data) {
    return String.join("\n", "train", data.toString(), split.fingerprint(), trainerFingerprint, search.fingerprint(),
        label, codeVersion);
  }

  /** A finished run of this life cycle with this tag value, newest first. */
  Optional<RunRecord> finished(String tag, String value) {
    // the store filters and orders, so a pass where nothing changed reads one run
    return tracker.search(experiment)
        .filter("attributes.status = 'FINISHED' and tags.`" + tag + "` = '" + value + "' and tags.`" + TAG_NAME
            + "` = '" + name.replace("'", "''") + "'")
        .orderBy("attributes.start_time DESC").limit(1).list().stream().findFirst();
  }

  private Optional<RunRecord> lastPass() {
    return tracker.search(experiment)
        .filter("tags.`" + TAG_KIND + "` = 'pass' and tags.`" + TAG_NAME + "` = '" + name.replace("'", "''") + "'")
        .orderBy("attributes.start_time DESC").limit(1).list().stream().findFirst();
  }

  private Optional<Instant> lastPassTime() {
    return lastPass().map(r -> Instant.ofEpochMilli(Long.parseLong(
        r.tags().getOrDefault(TAG_STARTED, Long.toString(r.startTime())))));
  }

  private Optional<Digest> lastPassDigest() {
    return lastPass().flatMap(r -> r.datasets().stream().findFirst()).map(d -> d.digest());
  }

  Optional<ModelVersion> aliased(String alias) {
    ModelRegistry registry = tracker.registry();
    RegisteredModel model;
    try {
      model = registry.model(name);
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    Integer v = model.aliases().get(alias);
    return v == null ? Optional.empty() : Optional.of(registry.version(name, v));
  }

  /**
   * Ends as KILLED, with a tag saying why, every run of this life cycle still RUNNING: called with
   * the lock held, when no pass of this life cycle can be running anywhere, so such a run is left
   * by a process that died mid-pass (by {@code kill -9}, a crash or a power cut) and nothing else
   * would ever end it. Returns the interrupted passes and reviews (not their nested runs).
   */
  List<RunRecord> endInterrupted(String currentRunOrNull) {
    // by status alone, which the store's status index answers with the running runs only; the name is
    // checked on those, so no database builds the set of every run the life cycle ever had to check it
    List<RunRecord> stale = tracker.search(experiment).filter("attributes.status = 'RUNNING'")
        .orderBy("attributes.start_time ASC").list().stream()
        .filter(r -> name.equals(r.tags().get(TAG_NAME)))
        // the current pass and its own steps are running by right
        .filter(r -> currentRunOrNull == null
            || !r.runId().equals(currentRunOrNull) && !currentRunOrNull.equals(r.parentRunIdOrNull()))
        .toList();
    String why = "its process ended before the run did (killed or crashed); ended KILLED by "
        + (currentRunOrNull == null ? "the next review of life cycle '" + name + "'" : "pass " + currentRunOrNull)
        + " at " + clock.instant();
    for (RunRecord r : stale) {
      tracker.setTag(r.runId(), TAG_INTERRUPTED, why);
      tracker.setTerminated(r.runId(), RunStatus.KILLED);
      LOG.warn("{}: run {} ({}) was left RUNNING by a pass that did not end; ended it KILLED", name, r.runId(), r.name());
    }
    return stale.stream().filter(r -> !"step".equals(r.tags().get(TAG_KIND)) && !"trial".equals(r.tags().get(TAG_KIND)))
        .toList();
  }

  /** Takes the store lock of this life cycle, waiting up to the configured time. */
  Optional<StoreLock> acquireLock() {
    long deadline = System.nanoTime() + lockWait.toNanos();
    long pause = 10;
    while (true) {
      Optional<StoreLock> lock = tracker.tryLock("lifecycle:" + name);
      if (lock.isPresent() || System.nanoTime() >= deadline) {
        return lock;
      }
      // another process runs a pass; passes take seconds, so a short back-off keeps the store quiet
      LockSupport.parkNanos(Duration.ofMillis(pause).toNanos());
      pause = Math.min(500, pause * 2);
      if (Thread.currentThread().isInterrupted()) {
        return Optional.empty();
      }
    }
  }

  void stepEnded(StepRecord step) {
    LOG.debug("{}: step {} {} in {} ms{}", name, step.name(), step.note(), step.millis(), step.cached() ? " (reused)" : "");
    onStep.accept(step);
  }

  @Override
  public String toString() {
    return "Lifecycle[" + name + ", " + trigger + ", " + deploy + "]";
  }

  /**
   * The declaration of a life cycle. Required: {@link #data}, {@link #label}, and a trainer
   * ({@link #train(Trainer)} or {@link #train(String, Function)}); everything else has a default:
   * no data checks beyond a non-empty batch, a 20 % holdout with seed 0, no search, an open gate,
   * immediate deployment, on-demand passes only.
   */
  public static final class Builder {
    private final Tracker tracker;
    private final String name;
    private String experiment;
    private DataSource source;
    private String label;
    private DataChecks checks = DataChecks.none();
    private Split split = Split.holdout(0.2);
    private Task<?> task = Task.CLASSIFICATION;
    private Trainer<?> trainer;
    private Function<?, ?> trainFunction;
    private String trainDescription;
    private Search search = Search.none();
    private Gate gate = Gate.open();
    private Deploy deploy = Deploy.immediately();
    private Trigger trigger = Trigger.onDemand();
    private Clock clock = Clock.systemUTC();
    private Path records;
    private String codeVersion = "1";
    private Duration lockWait = Duration.ofMinutes(1);
    private Consumer<StepRecord> onStep = s -> { };

    private Builder(Tracker tracker, String name) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
      this.name = Objects.requireNonNull(name, "modelName");
      this.experiment = name;
    }

    /** The experiment the runs go to (default: the model's name). */
    public Builder experiment(String experiment) {
      this.experiment = Objects.requireNonNull(experiment, "experiment");
      return this;
    }

    /** Where the training data comes from. */
    public Builder data(DataSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The column the model predicts — a class label for a classifier, a number for a regressor;
     * every other column is a feature.
     */
    public Builder label(String column) {
      this.label = Objects.requireNonNull(column, "column");
      return this;
    }

    /** The checks a batch must pass before training. */
    public Builder validateData(DataChecks checks) {
      this.checks = Objects.requireNonNull(checks, "checks");
      return this;
    }

    /** How the batch is cut into training and holdout rows. */
    public Builder split(Split split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    /** A Tribuo trainer; its provenance is part of the cache key, and a search configures fresh copies of it. */
    public Builder train(Trainer<Label> trainer) {
      this.trainer = Objects.requireNonNull(trainer, "trainer");
      this.trainFunction = null;
      this.task = Task.CLASSIFICATION;
      return this;
    }

    /**
     * A Tribuo regression trainer (such as {@code org.tribuo.regression.sgd.linear.LinearSGDTrainer}):
     * the label column holds numbers, holdouts are scored by {@code rmse}, {@code mae} and
     * {@code r2}, and a search picks the lowest {@code rmse} unless told otherwise. As
     * {@link #train(Trainer)} in every other way.
     *
     * <pre>{@code
     * Lifecycle.builder(tracker, "house-prices").data(DataSource.csv(dir)).label("price")
     *     .trainRegressor(new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 10, 1L))
     *     .select(Search.grid("epochs", 5, 10).minimize("rmse"))
     *     .gate(Gate.atMost("rmse", 25_000).and(Gate.beatsChampion("rmse", 0.0)))
     *     .build();
     * }</pre>
     */
    public Builder trainRegressor(Trainer<Regressor> trainer) {
      this.trainer = Objects.requireNonNull(trainer, "trainer");
      this.trainFunction = null;
      this.task = Task.REGRESSION;
      return this;
    }

    /** A regression training function; as {@link #train(String, Function)} for a regressor. */
    public Builder trainRegressor(String description, Function<Dataset<Regressor>, Model<Regressor>> train) {
      this.trainDescription = Objects.requireNonNull(description, "description");
      this.trainFunction = Objects.requireNonNull(train, "train");
      this.trainer = null;
      this.task = Task.REGRESSION;
      return this;
    }

    /**
     * A training function; {@code description} stands for it in the cache key, so change it when
     * the function changes. A search needs a Tribuo trainer instead.
     */
    public Builder train(String description, Function<Dataset<Label>, Model<Label>> train) {
      this.trainDescription = Objects.requireNonNull(description, "description");
      this.trainFunction = Objects.requireNonNull(train, "train");
      this.trainer = null;
      this.task = Task.CLASSIFICATION;
      return this;
    }

    /** Model selection over the trainer's configurable fields. */
    public Builder select(Search search) {
      this.search = Objects.requireNonNull(search, "search");
      return this;
    }

    /** The model validation gate. */
    public Builder gate(Gate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /** How a blessed candidate reaches production. */
    public Builder deploy(Deploy deploy) {
      this.deploy = Objects.requireNonNull(deploy, "deploy");
      return this;
    }

    /** What starts a pass besides {@link Lifecycle#runOnce()}. */
    public Builder retrainWhen(Trigger trigger) {
      this.trigger = Objects.requireNonNull(trigger, "trigger");
      return this;
    }

    /** The clock of schedules, trials and records (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A folder that receives each decision record as {@code <pass run id>.json} and {@code .html}. */
    public Builder records(Path folder) {
      this.records = Objects.requireNonNull(folder, "folder");
      return this;
    }

    /** The version of the code around the trainer (default {@code 1}); part of the cache key. */
    public Builder codeVersion(String version) {
      this.codeVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /** How long a pass waits for another process's pass to end before answering {@link Outcome#BUSY} (default 1 minute). */
    public Builder lockWait(Duration wait) {
      if (Objects.requireNonNull(wait, "wait").isNegative()) {
        throw new InvalidInputException("a lock wait cannot be negative; got " + wait);
      }
      this.lockWait = wait;
      return this;
    }

    /** Called on the pass's thread after each step, for progress displays. */
    public Builder onStep(Consumer<StepRecord> listener) {
      this.onStep = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Checks the declaration and creates the experiment if needed.
     *
     * @throws InvalidInputException naming what is missing or contradictory
     */
    public Lifecycle build() {
      if (source == null) {
        throw new InvalidInputException("life cycle '" + name + "' has no data; declare .data(DataSource.csv(folder))");
      }
      if (label == null) {
        throw new InvalidInputException("life cycle '" + name + "' has no label column; declare .label(\"column\")");
      }
      if (trainer == null && trainFunction == null) {
        throw new InvalidInputException("life cycle '" + name + "' has no trainer; declare .train(trainer)");
      }
      if (trainer == null && !search.trials().equals(List.of(java.util.Map.of()))) {
        throw new InvalidInputException("a search configures a Tribuo trainer's fields; life cycle '" + name
            + "' trains with a function, so declare .train(trainer) to search");
      }
      search.resolvedFor(task);
      for (String metric : gate.metrics()) {
        if (!task.metrics().contains(metric)) {
          throw new InvalidInputException("the gate of life cycle '" + name + "' judges '" + metric + "', which a "
              + task.noun() + " is not scored by; use " + task.metrics());
        }
      }
      if (trainer != null) {
        // fails now, with the trainer's field names, rather than in the first pass
        TrialTrainers trials = new TrialTrainers(trainer);
        search.trials().forEach(trials::configure);
      }
      tracker.experiment(experiment);
      return new Lifecycle(this);
    }
  }
}
