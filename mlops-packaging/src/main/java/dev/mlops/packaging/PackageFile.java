package dev.mlops.packaging;

import dev.mlops.core.Digest;
import java.util.Objects;

/**
 * One file of a model package as its manifest lists it: the path inside the package, the
 * SHA-256 of its bytes and their count.
 *
 * <pre>{@code
 * for (PackageFile f : pkg.manifest().files()) {
 *   System.out.println(f.path() + " " + f.sha256() + " " + f.size());
 * }
 * }</pre>
 *
 * @param path the path inside the package, {@code /}-separated
 * @param sha256 the digest of the file's bytes
 * @param size the number of bytes
 */
public record PackageFile(String path, Digest sha256, long size) {
  public PackageFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
  }

  /** The entry of these bytes at this path. */
  static PackageFile of(String path, byte[] bytes) {
    return new PackageFile(path, Digest.of(bytes), bytes.length);
  }
}
