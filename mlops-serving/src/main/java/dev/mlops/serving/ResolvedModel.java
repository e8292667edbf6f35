package dev.mlops.serving;

import com.google.common.io.ByteSource;
import dev.mlops.core.Digest;
import dev.mlops.core.InvalidInputException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ModelSource} says a model URI points at right now: the model's name and
 * version, where the package's bytes are (a file, or bytes the source holds), and the package
 * digest the source recorded when the version was registered. A service loads the package
 * only when this value changes, and refuses a package whose digest differs from the recorded
 * one. Immutable.
 *
 * <pre>{@code
 * ResolvedModel m = ResolvedModel.ofFile("iris", "3", Path.of("iris-3.mlpkg"), digest);
 * ResolvedModel n = ResolvedModel.ofBytes("iris", "4", ByteSource.wrap(bytes), digest);
 * }</pre>
 *
 * @param name the registered model's name
 * @param version the version: the registry's number, or the package's own version
 * @param packagePath the package file, when the source keeps packages as files
 * @param packageBytes the package's bytes, when the source holds them otherwise
 * @param packageDigest the digest recorded for the version; empty when the source recorded none
 */
public record ResolvedModel(
    String name,
    String version,
    Optional<Path> packagePath,
    Optional<ByteSource> packageBytes,
    Optional<Digest> packageDigest) {

  public ResolvedModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(packagePath, "packagePath");
    Objects.requireNonNull(packageBytes, "packageBytes");
    Objects.requireNonNull(packageDigest, "packageDigest");
    if (packagePath.isPresent() == packageBytes.isPresent()) {
      throw new InvalidInputException(
          "a resolved model of '" + name + "' version " + version + " needs either a package file or package bytes, not "
              + (packagePath.isPresent() ? "both" : "neither"));
    }
  }

  /** A version whose package is a file, registered with this digest. */
  public static ResolvedModel ofFile(String name, String version, Path packagePath, Digest packageDigest) {
    return new ResolvedModel(name, version, Optional.of(packagePath), Optional.empty(), Optional.of(packageDigest));
  }

  /** A version whose package the source holds as bytes, registered with this digest. */
  public static ResolvedModel ofBytes(String name, String version, ByteSource packageBytes, Digest packageDigest) {
    return new ResolvedModel(name, version, Optional.empty(), Optional.of(packageBytes), Optional.of(packageDigest));
  }

  /** Whether this names the same content as {@code other}: same version and same recorded digest. */
  boolean sameAs(ResolvedModel other) {
    return other != null
        && name.equals(other.name)
        && version.equals(other.version)
        && packageDigest.equals(other.packageDigest)
        && packagePath.equals(other.packagePath);
  }

  /** Where the package is, for messages. */
  String location() {
    return packagePath.map(Path::toString).orElse("bytes of " + name + " version " + version);
  }
}
