package dev.mlops.tracking;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model in the registry: a name under which packages are registered as numbered versions,
 * with a description, tags and aliases ({@code champion}, {@code challenger}) that point at
 * versions. Immutable snapshot.
 *
 * <pre>{@code
 * RegisteredModel m = tracker.registry().model("iris");
 * m.latestVersion();              // 4
 * m.aliases().get("champion");    // 3
 * m.tags().get("team");           // "risk"
 * }</pre>
 *
 * @param name the model's name
 * @param description free text, empty when none was set
 * @param latestVersion the highest version registered so far
 * @param tags the model's tags, sorted by key
 * @param aliases alias to version, sorted by alias
 * @param creationTime when its first version was registered, in milliseconds since the epoch
 * @param lastUpdateTime when it last changed: a new version, alias, tag or description
 */
public record RegisteredModel(
    String name,
    String description,
    int latestVersion,
    Map<String, String> tags,
    Map<String, Integer> aliases,
    long creationTime,
    long lastUpdateTime) {

  public RegisteredModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    tags = ImmutableSortedMap.copyOf(tags);
    aliases = ImmutableSortedMap.copyOf(aliases);
  }
}
