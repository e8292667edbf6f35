package dev.mlops.tracking;

import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.Environment;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Names;
import dev.mlops.core.Schema;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.internal.ArtifactRepository;
import dev.mlops.tracking.internal.MetricPoint;
import dev.mlops.tracking.internal.NewRun;
import dev.mlops.tracking.internal.RestStore;
import dev.mlops.tracking.internal.StoredText;
import dev.mlops.tracking.internal.TribuoAutolog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tribuo.Model;
import org.tribuo.evaluation.Evaluation;

/**
 * One execution of training code: its params (write-once), metrics (append-only series),
 * tags (last write wins), data set inputs and artifacts. Closing the run ends it FINISHED;
 * {@link #end(RunStatus)} ends it otherwise. An ended run accepts no more writes. A run is
 * thread-safe: several threads may log metrics into it at once.
 *
 * <pre>{@code
 * try (Run run = tracker.experiment("iris").run("logreg").tag("team", "risk").start()) {
 *   run.param("lr", 0.1).params(Map.of("epochs", 5));
 *   for (int step = 0; step < epochs; step++) run.metric("loss", loss[step], step);
 *   run.artifact(Path.of("confusion.png"));
 *   run.logTribuo(model, evaluation);
 *   run.model("model", modelPackage);                    // then tracker.registry().register(...)
 *   try (Run fold = tracker.experiment("iris").run("fold-1").parent(run).start()) { ... }
 * }
 * }</pre>
 *
 * <p>Metrics are queued and written by the tracker's background writer; {@link #flush()}
 * waits until they are durable and reports any write error. Everything else, and the metrics of
 * {@link #logBatch}, is written before the method returns.
 */
public final class Run implements AutoCloseable {
  /** System tag: the user who started the run. */
  public static final String TAG_USER = "mlops.user";
  /** System tag: the class that started the run. */
  public static final String TAG_SOURCE = "mlops.source.name";
  /** System tag: the git commit of the working directory. */
  public static final String TAG_GIT_COMMIT = "mlops.source.git.commit";
  /** System tag: the git branch of the working directory. */
  public static final String TAG_GIT_BRANCH = "mlops.source.git.branch";
  /** System tag: whether tracked files had uncommitted changes. */
  public static final String TAG_GIT_DIRTY = "mlops.source.git.dirty";
  /** System tag: the Java version. */
  public static final String TAG_JAVA_VERSION = "mlops.java.version";
  /** System tag of a nested run: its parent's id, so that {@code tags.mlops.parentRunId = '…'} finds children. */
  public static final String TAG_PARENT_RUN_ID = "mlops.parentRunId";
  /** System tag: the host name. */
  public static final String TAG_HOST = "mlops.host";

  private static final int MAX_NAME_LENGTH = 250;
  private static final Set<String> ENTRY_CLASSES =
      Set.of(Run.class.getName(), Builder.class.getName(), Tracker.class.getName(), Experiment.class.getName());

  private final Tracker tracker;
  private final String id;
  private final String experimentId;
  private final String name;
  private final Set<String> checkedMetricKeys = ConcurrentHashMap.newKeySet();
  private volatile RunStatus endedWith;

  private Run(Tracker tracker, String id, String experimentId, String name) {
    this.tracker = tracker;
    this.id = id;
    this.experimentId = experimentId;
    this.name = name;
  }

  /** The run's 32-hex-digit id. */
  public String id() {
    return id;
  }

  /** The id of the experiment that holds it. */
  public String experimentId() {
    return experimentId;
  }

  /** The run's name. */
  public String name() {
    return name;
  }

  /** A snapshot of the run as stored now, after writing any queued metrics. */
  public RunRecord record() {
    tracker.checkOpen();
    tracker.writer().sync();
    return tracker.getRun(id);
  }

  // ---------------------------------------------------------------- params

  /**
   * Logs a param. Params are write-once: logging the same value again is accepted, another
   * value is a {@link dev.mlops.core.ConflictException} that names both.
   */
  public Run param(String key, Object value) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(key, value);
    return params(one);
  }

  /** Logs several params at once: all are written, or (on any bad key, value or conflict) none. */
  public Run params(Map<String, ?> params) {
    checkWritable("params", params.keySet());
    tracker.store().logParams(id, checkParams(params));
    return this;
  }

  private static Map<String, String> checkParams(Map<String, ?> params) {
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : params.entrySet()) {
      String key = StoredText.checkKey("param", e.getKey());
      if (e.getValue() == null) {
        throw new InvalidInputException("param '" + key + "' needs a value; got null");
      }
      String value = StoredText.check("param '" + key + "' value", String.valueOf(e.getValue()));
      checked.put(key, Names.checkParamValue(key, value));
    }
    return checked;
  }

  // ---------------------------------------------------------------- metrics

  /** Logs a metric point at step 0, timestamped now. */
  public Run metric(String key, double value) {
    return metric(key, value, 0L);
  }

  /** Logs a metric point at this step, timestamped now. */
  public Run metric(String key, double value, long step) {
    return metric(key, value, step, tracker.clock().millis());
  }

  /** Logs a metric point with an explicit timestamp in milliseconds since the epoch. */
  public Run metric(String key, double value, long step, long timestampMs) {
    checkWritable("metric", key);
    tracker.writer().submit(new MetricPoint(id, checkMetricKey(key), value, timestampMs, step));
    return this;
  }

  /** Logs several metrics at the same step and time; a bad key leaves all of them unlogged. */
  public Run metrics(Map<String, ? extends Number> metrics, long step) {
    checkWritable("metrics", metrics.keySet());
    tracker.writer().submitAll(points(metrics, step));
    return this;
  }

  private List<MetricPoint> points(Map<String, ? extends Number> metrics, long step) {
    long now = tracker.clock().millis();
    List<MetricPoint> points = new ArrayList<>(metrics.size());
    for (Map.Entry<String, ? extends Number> e : metrics.entrySet()) {
      String key = checkMetricKey(e.getKey());
      if (e.getValue() == null) {
        throw new InvalidInputException("metric '" + key + "' needs a value; got null");
      }
      points.add(new MetricPoint(id, key, e.getValue().doubleValue(), now, step));
    }
    return points;
  }

  /**
   * Logs metrics (at step 0, timestamped now), params and tags in one write to the store, as
   * MLflow's {@code log-batch}, within its limits (1,000 metrics, 100 params, 100 tags, 1,000 in
   * all): all of it is stored before the method returns, or (on a bad key or value, a batch beyond
   * the limits, or a param that conflicts with a stored one) none of it. The run's metrics queued
   * before are written first, so a series keeps the order it was logged in. Cheaper than the
   * separate calls when a run logs a few final values: one transaction instead of one per call and
   * one for the background writer.
   *
   * <pre>{@code
   * run.logBatch(Map.of("accuracy", 0.93, "macro_f1", 0.91), Map.of("epochs", 5), Map.of("stage", "trial"));
   * }</pre>
   */
  public Run logBatch(Map<String, ? extends Number> metrics, Map<String, ?> params, Map<String, String> tags) {
    Batch b = checkedBatch("a batch", metrics, params, tags);
    flush();
    tracker.store().logBatch(id, null, tracker.clock().millis(), b.params(), b.tags(), b.points());
    return this;
  }

  /** A log-batch's values, checked against the run's state, log-batch's limits and the stores' rules. */
  private record Batch(List<MetricPoint> points, Map<String, String> params, Map<String, String> tags) {}

  private Batch checkedBatch(String kind, Map<String, ? extends Number> metrics, Map<String, ?> params,
      Map<String, String> tags) {
    checkWritable(kind, metrics.keySet());
    RestStore.checkBatchLimits(metrics.size(), params.size(), tags.size());
    return new Batch(points(metrics, 0L), checkParams(params), checkTags(tags));
  }

  // The key check runs once per key and run: a training loop logs the same few keys many times.
  private String checkMetricKey(String key) {
    if (key == null || !checkedMetricKeys.contains(key)) {
      StoredText.checkKey("metric", key);
      checkedMetricKeys.add(key);
    }
    return key;
  }

  // ---------------------------------------------------------------- tags

  /** Sets a tag; the last write wins. */
  public Run tag(String key, String value) {
    checkWritable("tag", key);
    tracker.store().setTags(id, checkTag(key, value));
    return this;
  }

  /** Sets several tags at once. */
  public Run tags(Map<String, String> tags) {
    checkWritable("tags", tags.keySet());
    tracker.store().setTags(id, checkTags(tags));
    return this;
  }

  static Map<String, String> checkTag(String key, String value) {
    Map<String, String> one = new LinkedHashMap<>();
    one.put(key, value);
    return checkTags(one);
  }

  static Map<String, String> checkTags(Map<String, String> tags) {
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String key = StoredText.checkKey("tag", e.getKey());
      checked.put(key, Names.checkTagValue(key, StoredText.check("tag '" + key + "' value", e.getValue())));
    }
    return checked;
  }

  // ---------------------------------------------------------------- artifacts and inputs

  /** Copies a file into the run's artifacts under its file name. */
  public Run artifact(Path file) {
    Objects.requireNonNull(file, "file");
    Path fileName = file.getFileName();
    if (fileName == null) {
      throw new InvalidInputException("'" + file + "' has no file name; give a destination path");
    }
    return artifact(file, fileName.toString());
  }

  /**
   * Copies a file into the run's artifacts under {@code destPath}, a relative path with {@code /}
   * separators, recording its SHA-256.
   *
   * @throws dev.mlops.core.NotFoundException if the file does not exist
   * @throws InvalidInputException if the path would leave the run's artifact folder
   */
  public Run artifact(Path file, String destPath) {
    checkWritable("artifact", destPath);
    tracker.registry().checkNotLoggedPackage(this, ArtifactRepository.checkPath(destPath));
    ArtifactInfo info = tracker.artifacts().store(experimentId, id, file, destPath);
    tracker.store().recordArtifact(id, info);
    return this;
  }

  /** Stores text (UTF-8) as an artifact. */
  public Run text(String path, String content) {
    Objects.requireNonNull(content, "content");
    return bytes(path, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Stores a value as canonical JSON (sorted keys) as an artifact. */
  public Run json(String path, Object value) {
    return bytes(path, CanonicalJson.toBytes(value));
  }

  private Run bytes(String path, byte[] content) {
    checkWritable("artifact", path);
    tracker.registry().checkNotLoggedPackage(this, ArtifactRepository.checkPath(path));
    ArtifactInfo info = tracker.artifacts().store(experimentId, id, content, path);
    tracker.store().recordArtifact(id, info);
    return this;
  }

  /**
   * Stores a model package as the run's artifact {@code <name>/model.mlpkg} and records its
   * package digest and signature, so that {@link ModelRegistry#register(String, Run, String)}
   * can register it as a version linked to this run and its data sets. Logging the same package
   * under the same name again changes nothing.
   *
   * <pre>{@code
   * run.model("model", ModelPackage.builder("iris").model(model).lineage(run.id(), "iris", Map.of()).build());
   * tracker.registry().register("iris", run, "model");
   * }</pre>
   *
   * @throws dev.mlops.core.ConflictException if the run logged another package under this name
   */
  public Run model(String name, ModelPackage modelPackage) {
    checkWritable("model", name);
    Objects.requireNonNull(modelPackage, "modelPackage");
    tracker.registry().logModel(this, name, modelPackage);
    return this;
  }

  /**
   * Records a data set the run used.
   *
   * @param name the data set's name
   * @param digest the SHA-256 of its content
   * @param schema its columns, or null when unknown
   * @param context how it was used: {@code training}, {@code evaluation}, ...
   */
  public Run dataset(String name, Digest digest, Schema schema, String context) {
    checkWritable("dataset", name);
    tracker.store().logDataset(id, datasetInput(name, digest, schema, context));
    return this;
  }

  private static DatasetInput datasetInput(String name, Digest digest, Schema schema, String context) {
    StoredText.checkKey("dataset", name);
    Objects.requireNonNull(digest, "digest");
    StoredText.checkKey("dataset context", context);
    return new DatasetInput(name, digest, schema, context);
  }

  /**
   * Logs a trained Tribuo model's provenance: the trainer class and its configured fields as
   * params, the training data's provenance as a data set input, and the full provenance JSON as
   * the artifact {@code tribuo/provenance.json}.
   */
  public Run logTribuo(Model<?> model) {
    checkWritable("Tribuo model", model);
    TribuoAutolog.log(this, model, null);
    return this;
  }

  /** As {@link #logTribuo(Model)}, and the evaluation's metrics. */
  public Run logTribuo(Model<?> model, Evaluation<?> evaluation) {
    checkWritable("Tribuo model", model);
    TribuoAutolog.log(this, model, Objects.requireNonNull(evaluation, "evaluation"));
    return this;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Waits until every metric logged so far is durable.
   *
   * @throws dev.mlops.core.MlopsException the first error in writing this run's metrics since
   *     the previous flush; errors of other runs are kept for them
   */
  public void flush() {
    tracker.checkOpen();
    tracker.writer().flush(id);
  }

  /** Ends the run with this status, after writing its queued metrics. Ending an ended run does nothing. */
  public void end(RunStatus status) {
    requireTerminal("a run", status);
    synchronized (this) {
      if (endedWith != null) {
        return;
      }
      endedWith = status;
    }
    try {
      flush();
    } finally {
      tracker.store().endRun(id, status, tracker.clock().millis());
    }
  }

  /**
   * Logs a last batch of metrics (at step 0, timestamped now), params and tags, as
   * {@link #logBatch}, and ends the run with this status, in one write to a database store: the
   * values are stored and the run ended, or (on a bad key or value, a batch beyond log-batch's
   * limits, or a param that conflicts with a stored one) neither, and the run stays open. Through
   * a tracking server it takes the two calls. The run's queued metrics are written first.
   *
   * <pre>{@code
   * run.end(RunStatus.FINISHED, Map.of("accuracy", 0.93), Map.of("epochs", 5), Map.of("stage", "final"));
   * }</pre>
   *
   * @throws InvalidInputException if {@code status} is not terminal, the run has ended, or a key
   *     or value is bad
   */
  public void end(RunStatus status, Map<String, ? extends Number> metrics, Map<String, ?> params, Map<String, String> tags) {
    requireTerminal("a run", status);
    Batch b = checkedBatch("a last batch", metrics, params, tags);
    synchronized (this) {
      checkWritable("a last batch", metrics.keySet());
      endedWith = status;
    }
    boolean ended = false;
    try {
      flush();
      tracker.store().endRun(id, status, tracker.clock().millis(), b.params(), b.tags(), b.points());
      ended = true;
    } finally {
      if (!ended) {
        // nothing was written: the run stays open, so that the caller can end it otherwise
        synchronized (this) {
          endedWith = null;
        }
      }
    }
  }

  private static void requireTerminal(String what, RunStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isTerminal()) {
      throw new InvalidInputException(what + " ends FINISHED, FAILED or KILLED, not " + status);
    }
  }

  /** Ends the run FINISHED, unless it already ended. */
  @Override
  public void close() {
    end(RunStatus.FINISHED);
  }

  // Called on every metric: builds no message unless the run has ended.
  private void checkWritable(String kind, Object subject) {
    RunStatus ended = endedWith;
    if (ended != null) {
      throw new InvalidInputException("run '" + name + "' (" + id + ") has ended " + ended + "; cannot log " + kind
          + " '" + subject + "' to it, start a new run");
    }
  }

  @Override
  public String toString() {
    return "Run[" + id + ", " + name + "]";
  }

  /**
   * Starts a run: {@code experiment.run(name).parent(outer).tag(k, v).start()}.
   *
   * <pre>{@code
   * try (Run run = experiment.run("trial-3").parent(sweep).tag("kind", "trial").start()) { ... }
   * }</pre>
   */
  public static final class Builder {
    private final Tracker tracker;
    private final Experiment experiment;
    private final String name;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final List<DatasetInput> datasets = new ArrayList<>();
    private String parentRunId;
    /** When the builder was made: the start time of a run {@link #record recorded} once its work is done. */
    private final long createdAt;

    Builder(Tracker tracker, Experiment experiment, String name) {
      this.tracker = tracker;
      this.experiment = experiment;
      this.name = name;
      this.createdAt = tracker.clock().millis();
    }

    /** Nests the new run inside another. */
    public Builder parent(Run parent) {
      this.parentRunId = Objects.requireNonNull(parent, "parent").id();
      return this;
    }

    /** Nests the new run inside the run with this id. */
    public Builder parent(String parentRunId) {
      this.parentRunId = Objects.requireNonNull(parentRunId, "parentRunId");
      return this;
    }

    /** Sets a tag on the new run. */
    public Builder tag(String key, String value) {
      tags.putAll(checkTag(key, value));
      return this;
    }

    /**
     * Records a data set the new run uses, stored with the run when it is started or recorded
     * (in the same write on a database store), as {@link Run#dataset} would after.
     *
     * <pre>{@code
     * Run ingest = experiment.run("ingest").dataset("training", digest, frame.schema(), "training")
     *     .record(RunStatus.FINISHED, Map.of("rows", frame.rowCount()), Map.of());
     * }</pre>
     */
    public Builder dataset(String name, Digest digest, Schema schema, String context) {
      datasets.add(datasetInput(name, digest, schema, context));
      return this;
    }

    /**
     * Creates the run, RUNNING, with system tags from the environment.
     *
     * @throws dev.mlops.core.NotFoundException if the experiment or the parent run does not exist
     * @throws InvalidInputException if the experiment is deleted
     */
    public Run start() {
      tracker.checkOpen();
      NewRun run = newRun(tracker.clock().millis());
      tracker.store().createRun(run);
      return new Run(tracker, run.runId(), experiment.id(), run.name());
    }

    /**
     * Records a run whose work is done, in one write to the store: created with this builder's
     * name, parent, tags and the system tags, started when this builder was made
     * ({@code experiment.run(name)}), with these metrics (at step 0) and params, and ended with
     * {@code status} now. On a database store the run is stored whole or not at all, in one
     * transaction instead of the three of {@code start()}, {@code logBatch} and {@code close()};
     * through a tracking server it takes those three calls, and a batch the server refuses leaves
     * the run FAILED. The run is not seen RUNNING while the work runs, so use it for short work (a
     * trial, a check) whose run nothing logs to or nests in meanwhile. The metrics and params keep
     * {@link Run#logBatch log-batch}'s limits.
     *
     * <pre>{@code
     * Run.Builder trial = experiment.run("trial-3").parent(sweep).tag("kind", "trial"); // starts the clock
     * Map<String, Double> scores = trainAndScore(settings);
     * String id = trial.record(RunStatus.FINISHED, scores, settings).id();
     * }</pre>
     *
     * @return the run, ended: it takes no more values
     * @throws InvalidInputException if {@code status} is not terminal, a key or value is bad, or
     *     the values pass log-batch's limits
     * @throws dev.mlops.core.NotFoundException if the experiment or the parent run does not exist
     */
    public Run record(RunStatus status, Map<String, ? extends Number> metrics, Map<String, ?> params) {
      requireTerminal("a recorded run", status);
      tracker.checkOpen();
      RestStore.checkBatchLimits(metrics.size(), params.size(), 0);
      NewRun run = newRun(createdAt);
      Run recorded = new Run(tracker, run.runId(), experiment.id(), run.name());
      List<MetricPoint> points = recorded.points(metrics, 0L);
      Map<String, String> checkedParams = checkParams(params);
      tracker.store().recordRun(run, status, Math.max(createdAt, tracker.clock().millis()), checkedParams, points);
      recorded.endedWith = status;
      return recorded;
    }

    private NewRun newRun(long startTime) {
      String id = NewRun.newId(startTime);
      // the id's last digits are random, its first ones the time
      String runName = name == null ? "run-" + id.substring(24) : checkRunName(name);
      Map<String, String> all = new LinkedHashMap<>(systemTags(tracker.environment()));
      if (parentRunId != null) {
        all.put(TAG_PARENT_RUN_ID, parentRunId);
      }
      all.putAll(tags);
      return new NewRun(id, experiment.id(), runName, parentRunId, startTime, all, datasets);
    }

    private static String checkRunName(String name) {
      StoredText.check("run name '" + StoredText.printable(name) + "'", name);
      if (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidInputException("run name '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
            + "' must be 1 to " + MAX_NAME_LENGTH + " characters without control characters; rename it");
      }
      return name;
    }

    private static Map<String, String> systemTags(Environment env) {
      Map<String, String> tags = new LinkedHashMap<>();
      putIfValid(tags, TAG_USER, env.user());
      putIfValid(tags, TAG_JAVA_VERSION, env.javaVersion());
      putIfValid(tags, TAG_HOST, env.host());
      putIfValid(tags, TAG_SOURCE, sourceClass());
      env.gitState().ifPresent(git -> {
        putIfValid(tags, TAG_GIT_COMMIT, git.commit());
        putIfValid(tags, TAG_GIT_BRANCH, git.branch());
        tags.put(TAG_GIT_DIRTY, Boolean.toString(git.dirty()));
      });
      return tags;
    }

    private static void putIfValid(Map<String, String> tags, String key, String value) {
      if (value != null && value.length() <= Names.MAX_TAG_VALUE_LENGTH) {
        tags.put(key, value);
      }
    }

    // The first class on the stack that is not this library's entry points: the caller's code.
    private static String sourceClass() {
      return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
          .walk(frames -> frames.map(f -> f.getDeclaringClass().getName())
              .filter(n -> !ENTRY_CLASSES.contains(n))
              .findFirst()
              .orElse(null));
    }
  }
}
