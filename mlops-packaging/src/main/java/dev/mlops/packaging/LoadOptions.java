package dev.mlops.packaging;

import com.google.common.collect.ImmutableList;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * How cautiously {@link ModelPackage#read(java.nio.file.Path, LoadOptions)} opens a package: the
 * class-name prefixes a package may name (the package itself can never widen them), and the
 * most entries and bytes it may hold. Immutable; every other method returns a changed copy.
 *
 * <p>The allow-list covers every class a package's model names: the model, the objects nested
 * in it and the classes of its provenance records. Provenance records may also use OLCUT's own
 * provenance classes ({@code com.oracle.labs.mlrg.olcut.provenance.}), from which Tribuo's
 * provenance is built.
 *
 * <pre>{@code
 * LoadOptions options = LoadOptions.defaults()            // org.tribuo., 1000 entries, 1 GiB
 *     .allowClassPrefix("com.example.models.")
 *     .maxEntries(100)
 *     .maxBytes(64L << 20);
 * ModelPackage pkg = ModelPackage.read(Path.of("model.mlpkg"), options);
 * }</pre>
 *
 * @param allowedClassPrefixes class-name prefixes of the classes a package may name
 * @param maxEntries the most zip entries a package may hold
 * @param maxBytes the most bytes the package file and its content, together, may hold
 */
public record LoadOptions(List<String> allowedClassPrefixes, int maxEntries, long maxBytes) {
  /** Tribuo's own classes. */
  public static final String TRIBUO_PREFIX = "org.tribuo.";
  /** The default limit on entries. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000;
  /** The default limit on bytes: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  public LoadOptions {
    allowedClassPrefixes = ImmutableList.copyOf(allowedClassPrefixes);
    for (String p : allowedClassPrefixes) {
      if (p.isEmpty() || !p.endsWith(".")) {
        throw new InvalidInputException(
            "class prefix '" + p + "' must be a package name ending in '.', such as 'org.tribuo.'");
      }
    }
    if (maxEntries < 1) {
      throw new InvalidInputException("maxEntries must be at least 1; got " + maxEntries);
    }
    if (maxBytes < 1) {
      throw new InvalidInputException("maxBytes must be at least 1; got " + maxBytes);
    }
  }

  /** Tribuo's classes only, at most 1000 entries and 1 GiB. */
  public static LoadOptions defaults() {
    return new LoadOptions(List.of(TRIBUO_PREFIX), DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES);
  }

  /** A copy that also allows classes whose names start with this prefix (ending in '.'). */
  public LoadOptions allowClassPrefix(String prefix) {
    List<String> prefixes = new ArrayList<>(allowedClassPrefixes);
    prefixes.add(prefix);
    return new LoadOptions(prefixes, maxEntries, maxBytes);
  }

  /** A copy with this limit on entries. */
  public LoadOptions maxEntries(int limit) {
    return new LoadOptions(allowedClassPrefixes, limit, maxBytes);
  }

  /** A copy with this limit on bytes. */
  public LoadOptions maxBytes(long limit) {
    return new LoadOptions(allowedClassPrefixes, maxEntries, limit);
  }

  /** Whether a class of this name may be loaded. */
  public boolean allows(String className) {
    return allowedClassPrefixes.stream().anyMatch(className::startsWith);
  }
}
