package dev.mlops.tracking.internal;

import dev.mlops.core.Digest;
import java.util.Map;

/**
 * What the store needs to register a version; the store chooses its number.
 *
 * @param modelName the registered model, created when it does not exist
 * @param runIdOrNull the run the package came from, or null
 * @param artifactNameOrNull the name the run logged it under, or null
 * @param location the verified package file, relative to the artifact root
 * @param packageDigest the package digest
 * @param signatureJson the package's signature as JSON
 * @param now the registration time
 * @param tags the version's first tags, written with it
 */
public record NewModelVersion(
    String modelName,
    String runIdOrNull,
    String artifactNameOrNull,
    String location,
    Digest packageDigest,
    String signatureJson,
    long now,
    Map<String, String> tags) {
  public NewModelVersion {
    tags = Map.copyOf(tags);
  }
}
