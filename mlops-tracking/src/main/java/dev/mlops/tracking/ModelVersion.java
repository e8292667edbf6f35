package dev.mlops.tracking;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mlops.core.Digest;
import dev.mlops.packaging.ModelSignature;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One numbered version of a registered model, as stored: where its package is, the package
 * digest and signature recorded when it was registered, and its lineage — the run that logged
 * it and the data sets that run used. Immutable snapshot; read it again after a change.
 *
 * <pre>{@code
 * ModelVersion v = tracker.registry().resolve("models:/iris@champion");
 * v.version();                    // 3
 * v.packagePath();                // the verified .mlpkg file
 * v.packageDigest();              // sha256:…, checked again whenever the package is loaded
 * v.runId();                      // Optional[the run that logged it]
 * v.datasets().get(0).digest();   // the training data's SHA-256
 * }</pre>
 *
 * @param modelName the registered model's name
 * @param version the version number: 1, 2, 3, … in order of registration, without gaps
 * @param runIdOrNull the run that logged the package, or null when it was registered from a file
 *     whose lineage names no run of this tracker
 * @param artifactNameOrNull the name the run logged the package under, or null
 * @param packagePath the stored package file
 * @param packageDigest the package digest recorded at registration
 * @param signature the package's signature: its inputs and outputs
 * @param description free text, empty when none was set
 * @param tags the version's tags, sorted by key
 * @param aliases the aliases that point at this version, sorted
 * @param datasets the data sets of the run when the version was registered
 * @param creationTime when it was registered, in milliseconds since the epoch
 * @param lastUpdateTime when its description or tags last changed
 */
public record ModelVersion(
    String modelName,
    int version,
    String runIdOrNull,
    String artifactNameOrNull,
    Path packagePath,
    Digest packageDigest,
    ModelSignature signature,
    String description,
    Map<String, String> tags,
    List<String> aliases,
    List<DatasetInput> datasets,
    long creationTime,
    long lastUpdateTime) {

  public ModelVersion {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(packagePath, "packagePath");
    Objects.requireNonNull(packageDigest, "packageDigest");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(description, "description");
    tags = ImmutableSortedMap.copyOf(tags);
    aliases = ImmutableList.sortedCopyOf(aliases);
    datasets = ImmutableList.copyOf(datasets);
  }

  /** The run that logged the package, when it is known. */
  public Optional<String> runId() {
    return Optional.ofNullable(runIdOrNull);
  }

  /** The name the run logged the package under, when it came from a run. */
  public Optional<String> artifactName() {
    return Optional.ofNullable(artifactNameOrNull);
  }

  /** The URI that names this version for good: {@code models:/<name>/<version>}. */
  public String uri() {
    return ModelUri.version(modelName, version).toString();
  }
}
