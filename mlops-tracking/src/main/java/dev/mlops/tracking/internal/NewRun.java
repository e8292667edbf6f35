package dev.mlops.tracking.internal;

import dev.mlops.tracking.DatasetInput;
import java.util.List;
import java.util.Map;

/**
 * What the store needs to create a run.
 *
 * @param runId the new run's id
 * @param experimentId the experiment that holds it
 * @param name the run's name
 * @param parentRunId the enclosing run, or null
 * @param startTime when it started
 * @param tags its first tags, system tags included
 * @param datasets the data sets it used, stored with it
 */
public record NewRun(
    String runId, String experimentId, String name, String parentRunId, long startTime, Map<String, String> tags,
    List<DatasetInput> datasets) {
  public NewRun {
    tags = Map.copyOf(tags);
    datasets = List.copyOf(datasets);
  }

  /** A run that starts with no data set. */
  public NewRun(String runId, String experimentId, String name, String parentRunId, long startTime, Map<String, String> tags) {
    this(runId, experimentId, name, parentRunId, startTime, tags, List.of());
  }
}
