package dev.mlops.spark.internal;

import dev.mlops.core.IntegrityException;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.util.List;

/**
 * A verified package's bytes, broadcast to the executors, and the predictor loaded from them once
 * per executor JVM: Spark keeps one copy of a broadcast value per executor, and the predictor is a
 * transient field of that copy, loaded by the first task that needs it. Each executor reads and
 * verifies the bytes again (digests, allow-list, filtered deserialization), as any reader of a
 * package does, and checks that they name the package the driver verified.
 */
public final class PackagedModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private final String label;
  private final String digest;
  private final List<String> allowedClassPrefixes;
  private final int maxEntries;
  private final long maxBytes;
  private final long maxModelBytes;
  private final long maxMetadataBytes;
  private final int maxModelDepth;
  private transient volatile Predictor<?> predictor;

  /** The bytes of a package the driver verified, with the options it was read with. */
  public PackagedModel(byte[] bytes, String label, String digest, LoadOptions options) {
    this.bytes = bytes.clone();
    this.label = label;
    this.digest = digest;
    this.allowedClassPrefixes = List.copyOf(options.allowedClassPrefixes());
    this.maxEntries = options.maxEntries();
    this.maxBytes = options.maxBytes();
    this.maxModelBytes = options.maxModelBytes();
    this.maxMetadataBytes = options.maxMetadataBytes();
    this.maxModelDepth = options.maxModelDepth();
  }

  /** The predictor of this package, loaded on first use in this JVM. */
  public Predictor<?> predictor() {
    Predictor<?> p = predictor;
    if (p == null) {
      synchronized (this) {
        p = predictor;
        if (p == null) {
          p = load();
          predictor = p;
        }
      }
    }
    return p;
  }

  private Predictor<?> load() {
    LoadOptions options = new LoadOptions(allowedClassPrefixes, maxEntries, maxBytes, maxModelBytes, maxMetadataBytes,
        maxModelDepth, List.of());
    try (ModelPackage pkg = ModelPackage.read(new ByteArrayInputStream(bytes), label, options)) {
      if (!pkg.digest().toString().equals(digest)) {
        throw new IntegrityException("package " + label + " reached the executor as " + pkg.digest()
            + ", not the " + digest + " the driver verified; score it again");
      }
      return pkg.predictor();
    }
  }
}
