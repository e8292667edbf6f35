package dev.mlops.tracking.internal;

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
 */
public record NewRun(
    String runId, String experimentId, String name, String parentRunId, long startTime, Map<String, String> tags) {
  public NewRun {
    tags = Map.copyOf(tags);
  }
}
