package dev.mlops.tracking;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An immutable snapshot of a run as stored: identity, status, times, params, the latest value
 * of each metric, tags, data set inputs and artifacts. Maps are sorted by key.
 *
 * <pre>{@code
 * RunRecord r = tracker.getRun(runId);
 * r.status();                          // FINISHED
 * r.params().get("lr");                // "0.1"
 * r.metrics().get("acc").value();      // latest accuracy
 * r.parentRunId();                     // Optional.empty() for a top-level run
 * }</pre>
 *
 * @param runId the run's 32-hex-digit id
 * @param experimentId the id of the experiment that holds it
 * @param name the run's name
 * @param parentRunIdOrNull the id of the enclosing run of a nested run, or null
 * @param status the run's state
 * @param startTime when it started, in milliseconds since the epoch
 * @param endTimeOrNull when it ended, or null while it runs
 * @param deleted whether it is deleted (and so hidden from searches)
 * @param params its params
 * @param metrics the latest point of each metric: the highest step, then the latest timestamp
 * @param tags its tags, system tags included
 * @param datasets the data sets it used
 * @param artifacts the files stored with it, sorted by path
 */
public record RunRecord(
    String runId,
    String experimentId,
    String name,
    String parentRunIdOrNull,
    RunStatus status,
    long startTime,
    Long endTimeOrNull,
    boolean deleted,
    Map<String, String> params,
    Map<String, Metric> metrics,
    Map<String, String> tags,
    List<DatasetInput> datasets,
    List<ArtifactInfo> artifacts) {

  public RunRecord {
    params = ImmutableSortedMap.copyOf(params);
    metrics = ImmutableSortedMap.copyOf(metrics);
    tags = ImmutableSortedMap.copyOf(tags);
    datasets = ImmutableList.copyOf(datasets);
    artifacts = ImmutableList.copyOf(artifacts);
  }

  /** The enclosing run's id, for a nested run. */
  public Optional<String> parentRunId() {
    return Optional.ofNullable(parentRunIdOrNull);
  }

  /** When the run ended, once it has. */
  public OptionalLong endTime() {
    return endTimeOrNull == null ? OptionalLong.empty() : OptionalLong.of(endTimeOrNull);
  }

  /** The latest value of a metric, if the run logged it. */
  public Optional<Double> metric(String key) {
    Metric m = metrics.get(key);
    return m == null ? Optional.empty() : Optional.of(m.value());
  }
}
