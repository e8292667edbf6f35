package dev.mlops.tracking.internal;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;

/**
 * An experiment as stored.
 *
 * @param id the experiment's id
 * @param name its unique name
 * @param deleted whether it is deleted
 * @param creationTime when it was created, in milliseconds since the epoch
 * @param lastUpdateTime when it was last changed
 * @param tags its tags
 */
public record ExperimentRow(
    String id, String name, boolean deleted, long creationTime, long lastUpdateTime, Map<String, String> tags) {
  public ExperimentRow {
    tags = ImmutableSortedMap.copyOf(tags);
  }
}
