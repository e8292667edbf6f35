package dev.mlops.tracking.internal;

import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.RunPage;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage SPI behind a tracker: one implementation per database. Every method is
 * thread-safe, each write is atomic (all of it or nothing), and writes that collide with
 * another process are retried inside the store rather than reported to the caller.
 */
public interface TrackingStore extends AutoCloseable {

  /**
   * The artifact location recorded for the store; when none is recorded yet, {@code proposed}
   * is recorded and returned, so that the first process to open a store decides for everyone.
   */
  String artifactLocation(String proposed);

  /** Returns the experiment with this name, creating it (with these tags) when there is none. */
  ExperimentRow experiment(String name, Map<String, String> tags, long now);

  /** The experiment with this id. */
  Optional<ExperimentRow> experimentById(String id);

  /** The experiment with this name. */
  Optional<ExperimentRow> experimentByName(String name);

  /**
   * Experiments whose name contains {@code nameContains}, ignoring case, the most recently
   * active first, at most {@code limit} of them.
   */
  default List<ExperimentSummary> experiments(String nameContains, boolean includeDeleted, int limit) {
    throw new UnsupportedOperationException(describe() + " cannot list experiments; open the database itself");
  }

  /** Sets experiment tags, last write wins. */
  void setExperimentTags(String experimentId, Map<String, String> tags, long now);

  /** Marks an experiment deleted or active again. */
  void setExperimentDeleted(String experimentId, boolean deleted, long now);

  /**
   * Gives an experiment a new name; a {@link dev.mlops.core.ConflictException} when another
   * experiment has it.
   */
  void renameExperiment(String experimentId, String newName, long now);

  /** Every experiment, deleted ones too, by id. */
  List<ExperimentRow> experiments();

  /** Creates a run with its first tags. */
  void createRun(NewRun run);

  /**
   * Creates a run that has done its work, with its params and metric points, and ends it, in one
   * transaction where the store has them: the run exists whole or not at all. Stores without
   * transactions across calls create, log and end it one call after the other; a batch refused
   * between them ends the created run FAILED.
   */
  default void recordRun(NewRun run, RunStatus status, long endTime, Map<String, String> params, List<MetricPoint> points) {
    createRun(run);
    try {
      logBatch(run.runId(), null, endTime, params, Map.of(), points);
    } catch (RuntimeException e) {
      try {
        endRun(run.runId(), RunStatus.FAILED, endTime);
      } catch (RuntimeException ending) {
        e.addSuppressed(ending);
      }
      throw e;
    }
    endRun(run.runId(), status, endTime);
  }

  /** A run's snapshot. */
  Optional<RunRecord> run(String runId);

  /** Gives a run a new name. */
  void renameRun(String runId, String name);

  /** Ends a run with this status and end time. */
  void endRun(String runId, RunStatus status, long endTime);

  /**
   * Writes a last log-batch (as {@link #logBatch} without a key) and ends the run, in one
   * transaction where the store has them: the values are stored and the run ended, or neither.
   * Stores without transactions across calls write the batch, then end the run; a batch refused
   * leaves the run as it was.
   */
  default void endRun(String runId, RunStatus status, long endTime, Map<String, String> params, Map<String, String> tags,
      List<MetricPoint> points) {
    if (!params.isEmpty() || !tags.isEmpty() || !points.isEmpty()) {
      logBatch(runId, null, endTime, params, tags, points);
    }
    endRun(runId, status, endTime);
  }

  /** Marks a run deleted or active again. */
  void setRunDeleted(String runId, boolean deleted);

  /**
   * Logs params, write-once: a key already stored with the same value is accepted, with
   * another value it is a {@link dev.mlops.core.ConflictException} naming both values, and then
   * none of the given params is written.
   */
  void logParams(String runId, Map<String, String> params);

  /** Sets run tags, last write wins. */
  void setTags(String runId, Map<String, String> tags);

  /** Removes a run's tag; whether it was there. */
  boolean deleteTag(String runId, String key);

  /**
   * Writes a log-batch in one transaction: params (write-once, as {@link #logParams}), tags and
   * points, to a run that exists and is not deleted. With a batch key, the key is recorded in the
   * same transaction, and a batch whose key is recorded already is not written again.
   *
   * @param batchKeyOrNull what names this batch across retries and restarts, or null
   * @param now the time recorded with the key
   * @return false when the key was recorded already, and nothing was written
   */
  boolean logBatch(String runId, String batchKeyOrNull, long now, Map<String, String> params, Map<String, String> tags,
      List<MetricPoint> points);

  /**
   * Forgets the keys of batches written before {@code before}, and all but the newest {@code keep};
   * how many were forgotten.
   */
  int forgetBatches(long before, int keep);

  /** Appends metric points, in the order given, and updates each key's latest value. */
  void logMetrics(Collection<MetricPoint> points);

  /**
   * A channel for the metric writer's batches, which keeps its connection and prepared
   * statements from one batch to the next; the writer closes it when it stops.
   */
  MetricAppender metricAppender();

  /** Records a data set input; logging the same input again changes nothing. */
  void logDataset(String runId, DatasetInput input);

  /** Records (or replaces) an artifact's path, digest and size. */
  void recordArtifact(String runId, ArtifactInfo artifact);

  /**
   * Makes sure a recorded artifact has a file in this process's artifact folder before it is read
   * and verified. A store whose folder is where artifacts are kept has nothing to do (a missing
   * file is then reported by the reader); a store that keeps them elsewhere (a tracking server)
   * downloads a missing copy.
   */
  default void fetchArtifact(String experimentId, String runId, ArtifactInfo artifact) {}

  /**
   * Forgets the artifacts at this path of a run: the file itself, or every file under it when
   * it names a folder; the records removed, empty when there were none.
   */
  List<ArtifactInfo> deleteArtifacts(String runId, String path);

  /** A metric's points in the order they were logged. */
  List<Metric> metricHistory(String runId, String key);

  /**
   * A metric's history summarised for a chart in at most {@code maxBuckets} buckets of steps
   * (see {@link MetricSummary}), read without reading the history; empty when the store keeps no
   * summary of this history or none that fine, and then a chart reads {@link #metricHistory}.
   */
  default Optional<MetricSummary> metricSummary(String runId, String key, int maxBuckets) {
    return Optional.empty();
  }

  /** Runs matching a search, one page. */
  RunPage search(SearchQuery query);

  /** The model registry in this store; package locations are resolved against {@code artifactRoot}. */
  RegistryStore registry(Path artifactRoot);

  /** The database, for messages: its kind and location, without credentials. */
  String describe();

  /**
   * Takes the named lock across every process on this store, or answers empty when another holder
   * has it. Stores that cannot hold one refuse with an {@link IllegalStateException}.
   */
  default java.util.Optional<StoreLock> tryLock(String name) {
    throw new IllegalStateException(describe() + " holds no cross-process locks; use a SQLite or PostgreSQL store");
  }

  /** Releases the store's connections. */
  @Override
  void close();
}
