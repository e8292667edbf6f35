package dev.mlops.packaging;

import com.google.common.collect.ImmutableList;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How cautiously {@link ModelPackage#read(java.nio.file.Path, LoadOptions)} opens a package: the
 * class-name prefixes a package may name (the package itself can never widen them), and the limits
 * that bound what reading a package may cost, every one known before anything is allocated.
 * Immutable; every other method returns a changed copy.
 *
 * <p>The allow-list covers every class a package's model names: the model, the objects nested
 * in it, the classes of its provenance records and the enum types those records name. Provenance
 * records may also use OLCUT's own provenance classes ({@code com.oracle.labs.mlrg.olcut.provenance.}),
 * from which Tribuo's provenance is built. The model is parsed with protobuf's own parser against
 * the message types of Tribuo's modules; a model that holds a message of another type cannot be
 * checked and is refused, unless its proto file is added with {@link #protoFile}.
 *
 * <pre>{@code
 * LoadOptions options = LoadOptions.defaults()            // org.tribuo., limits below
 *     .allowClassPrefix("com.example.models.")
 *     .maxEntries(100)
 *     .maxBytes(64L << 20)
 *     .maxModelBytes(32L << 20);
 * ModelPackage pkg = ModelPackage.read(Path.of("model.mlpkg"), options);
 * }</pre>
 *
 * @param allowedClassPrefixes class-name prefixes of the classes a package may name
 * @param maxEntries the most zip entries a package may hold
 * @param maxBytes the most bytes the package file, and the entries its directory declares, may hold
 * @param maxModelBytes the most bytes {@code model/model.tribuo} may hold; it is parsed in memory
 * @param maxMetadataBytes the most bytes each JSON file the reader parses may hold (manifest,
 *     signature, environment, lineage, input example, provenance)
 * @param maxModelDepth the deepest nesting of messages the model may have, counted across every
 *     nested object of the model
 * @param protoFiles proto files of message types a model may hold besides Tribuo's own
 */
public record LoadOptions(
    List<String> allowedClassPrefixes,
    int maxEntries,
    long maxBytes,
    long maxModelBytes,
    long maxMetadataBytes,
    int maxModelDepth,
    List<FileDescriptor> protoFiles) {
  /** Tribuo's own classes. */
  public static final String TRIBUO_PREFIX = "org.tribuo.";
  /** The default limit on entries. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000;
  /** The default limit on bytes: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  /** The default limit on the model's bytes: 256 MiB. */
  public static final long DEFAULT_MAX_MODEL_BYTES = 256L << 20;
  /** The default limit on each parsed JSON file: 16 MiB. */
  public static final long DEFAULT_MAX_METADATA_BYTES = 16L << 20;
  /** The default limit on the model's message nesting: 200. */
  public static final int DEFAULT_MAX_MODEL_DEPTH = 200;
  /** The largest model a byte array holds. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  public LoadOptions {
    allowedClassPrefixes = ImmutableList.copyOf(allowedClassPrefixes);
    protoFiles = ImmutableList.copyOf(protoFiles);
    for (String p : allowedClassPrefixes) {
      if (p.isEmpty() || !p.endsWith(".")) {
        throw new InvalidInputException(
            "class prefix '" + p + "' must be a package name ending in '.', such as 'org.tribuo.'");
      }
    }
    atLeastOne("maxEntries", maxEntries);
    atLeastOne("maxBytes", maxBytes);
    atLeastOne("maxModelBytes", maxModelBytes);
    atLeastOne("maxMetadataBytes", maxMetadataBytes);
    atLeastOne("maxModelDepth", maxModelDepth);
    if (maxModelBytes > MAX_ARRAY || maxMetadataBytes > MAX_ARRAY) {
      throw new InvalidInputException(
          "maxModelBytes and maxMetadataBytes must be at most " + MAX_ARRAY + " (files parsed in memory); got "
              + maxModelBytes + " and " + maxMetadataBytes);
    }
  }

  /** These prefixes and limits on entries and bytes, with the default limits on the model and the JSON files. */
  public LoadOptions(List<String> allowedClassPrefixes, int maxEntries, long maxBytes) {
    this(allowedClassPrefixes, maxEntries, maxBytes, DEFAULT_MAX_MODEL_BYTES, DEFAULT_MAX_METADATA_BYTES,
        DEFAULT_MAX_MODEL_DEPTH, List.of());
  }

  private static void atLeastOne(String name, long value) {
    if (value < 1) {
      throw new InvalidInputException(name + " must be at least 1; got " + value);
    }
  }

  /** Tribuo's classes only, at most 1000 entries, 1 GiB in all, a model of 256 MiB nested 200 deep, JSON files of 16 MiB. */
  public static LoadOptions defaults() {
    return new LoadOptions(
        List.of(TRIBUO_PREFIX), DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES, DEFAULT_MAX_MODEL_BYTES,
        DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_MODEL_DEPTH, List.of());
  }

  /** A copy that also allows classes whose names start with this prefix (ending in '.'). */
  public LoadOptions allowClassPrefix(String prefix) {
    List<String> prefixes = new ArrayList<>(allowedClassPrefixes);
    prefixes.add(prefix);
    return new LoadOptions(prefixes, maxEntries, maxBytes, maxModelBytes, maxMetadataBytes, maxModelDepth, protoFiles);
  }

  /** A copy with this limit on entries. */
  public LoadOptions maxEntries(int limit) {
    return new LoadOptions(allowedClassPrefixes, limit, maxBytes, maxModelBytes, maxMetadataBytes, maxModelDepth, protoFiles);
  }

  /** A copy with this limit on bytes. */
  public LoadOptions maxBytes(long limit) {
    return new LoadOptions(allowedClassPrefixes, maxEntries, limit, maxModelBytes, maxMetadataBytes, maxModelDepth, protoFiles);
  }

  /** A copy with this limit on the model's bytes. */
  public LoadOptions maxModelBytes(long limit) {
    return new LoadOptions(allowedClassPrefixes, maxEntries, maxBytes, limit, maxMetadataBytes, maxModelDepth, protoFiles);
  }

  /** A copy with this limit on each parsed JSON file. */
  public LoadOptions maxMetadataBytes(long limit) {
    return new LoadOptions(allowedClassPrefixes, maxEntries, maxBytes, maxModelBytes, limit, maxModelDepth, protoFiles);
  }

  /** A copy with this limit on the model's message nesting. */
  public LoadOptions maxModelDepth(int limit) {
    return new LoadOptions(allowedClassPrefixes, maxEntries, maxBytes, maxModelBytes, maxMetadataBytes, limit, protoFiles);
  }

  /**
   * A copy that also knows the message types of this proto file (and those it imports), for
   * models of a Tribuo module whose types the reader does not know, such as {@code
   * TribuoXGBoost.getDescriptor()}. The classes such a model names still need the allow-list.
   */
  public LoadOptions protoFile(FileDescriptor file) {
    List<FileDescriptor> files = new ArrayList<>(protoFiles);
    files.add(Objects.requireNonNull(file, "file"));
    return new LoadOptions(allowedClassPrefixes, maxEntries, maxBytes, maxModelBytes, maxMetadataBytes, maxModelDepth, files);
  }

  /** Whether a class of this name may be loaded. */
  public boolean allows(String className) {
    return allowedClassPrefixes.stream().anyMatch(className::startsWith);
  }
}
