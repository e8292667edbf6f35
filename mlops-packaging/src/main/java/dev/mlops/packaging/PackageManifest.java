package dev.mlops.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The table of contents of a model package ({@code manifest.json}): format version, name,
 * version, model and output classes, metadata, every other file with its SHA-256 and size, and
 * the package digest. The digest is the SHA-256 of the canonical manifest without the volatile
 * {@code createdAt} and without the digest itself, so it names the content: two packages with
 * the same files, names and metadata have the same digest whenever they were made.
 *
 * <pre>{@code
 * PackageManifest m = pkg.manifest();
 * m.packageDigest();              // sha256:…
 * m.file("model/model.tribuo");   // Optional<PackageFile>
 * System.out.println(m.toPrettyJson());
 * }</pre>
 *
 * @param formatVersion the package format's version, {@value #FORMAT_VERSION} for this library
 * @param name the model's name
 * @param version the model's version
 * @param createdAt when the package was built; outside the digest
 * @param modelClass the Tribuo model's class name
 * @param outputType the Tribuo output's class name
 * @param metadata free-form key/value pairs, sorted by key
 * @param files every file but the manifest, sorted by path
 * @param packageDigest the digest of the content
 */
public record PackageManifest(
    int formatVersion,
    String name,
    String version,
    Instant createdAt,
    String modelClass,
    String outputType,
    Map<String, String> metadata,
    List<PackageFile> files,
    Digest packageDigest) {
  /** The format version this library writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** The manifest's path inside a package. */
  public static final String PATH = "manifest.json";

  private static final String CREATED_AT = "createdAt";
  private static final String PACKAGE_DIGEST = "packageDigest";

  public PackageManifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(modelClass, "modelClass");
    Objects.requireNonNull(outputType, "outputType");
    Objects.requireNonNull(packageDigest, "packageDigest");
    metadata = ImmutableSortedMap.copyOf(metadata);
    files = ImmutableList.sortedCopyOf(Comparator.comparing(PackageFile::path), files);
  }

  /** A manifest of this content, with its digest computed. */
  static PackageManifest create(
      String name,
      String version,
      Instant createdAt,
      String modelClass,
      String outputType,
      Map<String, String> metadata,
      List<PackageFile> files) {
    PackageManifest draft =
        new PackageManifest(
            FORMAT_VERSION, name, version, createdAt, modelClass, outputType, metadata, files,
            Digest.of(new byte[0]));
    return new PackageManifest(
        FORMAT_VERSION, name, version, createdAt, modelClass, outputType, metadata, files,
        contentDigest(draft.toJsonNode()));
  }

  /** The listed file at this path, if any. */
  public java.util.Optional<PackageFile> file(String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst();
  }

  /** The manifest as a JSON tree. */
  public ObjectNode toJsonNode() {
    ObjectNode root = CanonicalJson.object();
    root.put("formatVersion", formatVersion);
    root.put("name", name);
    root.put("version", version);
    root.put(CREATED_AT, createdAt.toString());
    root.put("modelClass", modelClass);
    root.put("outputType", outputType);
    ObjectNode meta = root.putObject("metadata");
    metadata.forEach(meta::put);
    ArrayNode list = root.putArray("files");
    for (PackageFile f : files) {
      ObjectNode o = list.addObject();
      o.put("path", f.path());
      o.put("sha256", f.sha256().toString());
      o.put("size", f.size());
    }
    root.put(PACKAGE_DIGEST, packageDigest.toString());
    return root;
  }

  /** The canonical bytes stored as {@code manifest.json}. */
  byte[] toBytes() {
    return CanonicalJson.toBytes(toJsonNode());
  }

  /** The manifest as indented JSON for people. */
  public String toPrettyJson() {
    return CanonicalJson.toPrettyString(toJsonNode());
  }

  /**
   * Reads {@code manifest.json} and checks that its package digest matches its content.
   *
   * @throws IntegrityException naming {@code manifest.json} when it is malformed or edited
   */
  static PackageManifest parse(byte[] bytes) {
    JsonNode root;
    try {
      root = CanonicalJson.parse(bytes);
    } catch (RuntimeException e) {
      // Whatever the JSON reader throws (a bad encoding surfaces as an unchecked I/O error), the file is not JSON.
      throw new IntegrityException(PATH + " is not valid JSON: " + e.getMessage(), e);
    }
    PackageManifest m;
    try {
      m = fromJsonNode(root);
    } catch (RuntimeException e) {
      throw new IntegrityException(PATH + " is malformed: " + e.getMessage(), e);
    }
    if (m.formatVersion != FORMAT_VERSION) {
      throw new IntegrityException(
          PATH + " has format version " + m.formatVersion + "; this library reads version "
              + FORMAT_VERSION + ", so upgrade mlops-packaging to read it");
    }
    Digest actual = contentDigest(root);
    if (!actual.equals(m.packageDigest)) {
      throw new IntegrityException(
          PATH + ": the package digest " + m.packageDigest + " does not match the manifest's content "
              + actual + "; the manifest was edited");
    }
    return m;
  }

  private static PackageManifest fromJsonNode(JsonNode root) {
    Map<String, String> meta = new TreeMap<>();
    root.path("metadata").properties().forEach(e -> meta.put(e.getKey(), e.getValue().asText()));
    List<PackageFile> files = new ArrayList<>();
    for (JsonNode f : required(root, "files")) {
      files.add(
          new PackageFile(
              required(f, "path").asText(),
              Digest.parse(required(f, "sha256").asText()),
              required(f, "size").asLong()));
    }
    return new PackageManifest(
        required(root, "formatVersion").asInt(),
        required(root, "name").asText(),
        required(root, "version").asText(),
        Instant.parse(required(root, CREATED_AT).asText()),
        required(root, "modelClass").asText(),
        required(root, "outputType").asText(),
        meta,
        files,
        Digest.parse(required(root, PACKAGE_DIGEST).asText()));
  }

  private static JsonNode required(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new InvalidInputException("missing \"" + key + "\" in " + node);
    }
    return v;
  }

  private static Digest contentDigest(JsonNode manifest) {
    ObjectNode content = manifest.deepCopy();
    content.remove(CREATED_AT);
    content.remove(PACKAGE_DIGEST);
    return Digest.of(CanonicalJson.toBytes(content));
  }
}
