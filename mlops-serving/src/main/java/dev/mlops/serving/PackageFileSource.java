package dev.mlops.serving;

import dev.mlops.core.Digest;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelUri;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link ModelSource} of one package file: every URI resolves to it, under the name and
 * version its manifest records. The file's bytes are hashed at every call; only when they
 * change is the package opened (and verified) again to learn its name, version and digest.
 */
final class PackageFileSource implements ModelSource {
  private final Path file;
  private final LoadOptions options;
  private Known known;

  private record Known(Digest fileDigest, ResolvedModel resolved) {}

  PackageFileSource(Path file, LoadOptions options) {
    this.file = Objects.requireNonNull(file, "file");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public synchronized ResolvedModel resolve(ModelUri uri) {
    Digest bytes = Digest.ofFile(file);
    if (known == null || !known.fileDigest().equals(bytes)) {
      ModelPackage pkg = ModelPackage.read(file, options);
      known = new Known(bytes, ResolvedModel.ofFile(pkg.name(), pkg.version(), file, pkg.digest()));
    }
    return known.resolved();
  }

  @Override
  public String toString() {
    return "package file " + file;
  }
}
