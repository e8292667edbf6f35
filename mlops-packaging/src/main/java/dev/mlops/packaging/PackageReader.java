package dev.mlops.packaging;

import com.google.common.collect.ImmutableSortedMap;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Environment;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.NotFoundException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Model;
import org.tribuo.Tribuo;
import org.tribuo.protos.core.ModelProto;

/**
 * Opens a package in the safe order: judge the zip directory (its canonical layout, names and
 * declared sizes against the limits), stream every entry once through CRC-32 and SHA-256 (holding
 * only the files it parses, each within its limit), check the CRCs, verify the manifest's digest
 * and every file's SHA-256, parse the model with protobuf's parser and check every class it names
 * against the allow-list, deserialize the model under a serialization filter, validate its output
 * type, and smoke-test it on the input example. The package file stays open for the package's
 * artifacts, so they are served from the very bytes that were verified.
 */
final class PackageReader {
  private static final Logger LOG = LoggerFactory.getLogger(PackageReader.class);

  private PackageReader() {}

  static ModelPackage read(Path file, LoadOptions options) {
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException("no package file '" + file + "'; check the path");
    }
    return read(PackageData.open(file), options);
  }

  /** Reads a package from a stream, through a private copy that the package owns. */
  static ModelPackage read(InputStream in, String label, LoadOptions options) {
    return read(PackageData.copyOf(in, label, options.maxBytes()), options);
  }

  /** Reads and verifies the package in {@code data}, which the package then owns; closes it if the package is refused. */
  private static ModelPackage read(PackageData data, LoadOptions options) {
    try {
      return verified(data, options);
    } catch (RuntimeException | Error e) {
      data.close();
      throw e;
    }
  }

  private static ModelPackage verified(PackageData data, LoadOptions options) {
    String file = data.label();
    List<ZipDirectory.Entry> directory = ZipDirectory.read(data, options);
    checkParsedSizes(file, directory, options);
    SortedMap<String, byte[]> held = new TreeMap<>();
    SortedMap<String, PackageEntry> contents = readEntries(data, directory, held);
    PackageEntry manifestEntry = contents.remove(PackageManifest.PATH);
    if (manifestEntry == null) {
      throw new IntegrityException("'" + file + "' has no " + PackageManifest.PATH + "; it is not a model package");
    }
    PackageManifest manifest = PackageManifest.parse(held.get(PackageManifest.PATH));
    verifyFiles(file, manifest, contents);

    ModelSignature signature = parse(held, PackageLayout.SIGNATURE, b -> ModelSignature.fromJsonNode(CanonicalJson.parse(b)));
    Environment environment = parse(held, PackageLayout.ENVIRONMENT, b -> CanonicalJson.read(b, Environment.class));
    Lineage lineage = held.containsKey(PackageLayout.LINEAGE)
        ? parse(held, PackageLayout.LINEAGE, b -> CanonicalJson.read(b, Lineage.class))
        : null;
    Frame example = held.containsKey(PackageLayout.INPUT_EXAMPLE)
        ? parse(held, PackageLayout.INPUT_EXAMPLE, InputExampleJson::fromBytes)
        : null;

    FeatureImportance importance = held.containsKey(PackageLayout.IMPORTANCE)
        ? parse(held, PackageLayout.IMPORTANCE, FeatureImportance::fromJson)
        : null;

    Model<?> model = loadModel(held.get(PackageLayout.MODEL), manifest, signature, options);
    checkProvenance(model, held);
    if (example != null) {
      smokeTest(model, signature, example);
    }
    LOG.debug("read package {} {} ({})", manifest.name(), manifest.version(), manifest.packageDigest());
    return new ModelPackage(
        manifest, manifestEntry, ImmutableSortedMap.copyOf(contents), model, signature, environment, lineage, example, importance, data);
  }

  /** The files parsed in memory are bounded one by one, before any is read. */
  private static void checkParsedSizes(String file, List<ZipDirectory.Entry> directory, LoadOptions options) {
    for (ZipDirectory.Entry d : directory) {
      if (!isParsed(d.name())) {
        continue;
      }
      boolean model = d.name().equals(PackageLayout.MODEL);
      long limit = model ? options.maxModelBytes() : options.maxMetadataBytes();
      if (d.size() > limit) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + d.name() + "' declares " + d.size() + " bytes, more than the limit of " + limit
                + " for a file parsed in memory; raise LoadOptions." + (model ? "maxModelBytes" : "maxMetadataBytes")
                + " if the package is trusted");
      }
    }
  }

  private static boolean isParsed(String name) {
    return name.equals(PackageManifest.PATH) || PackageLayout.PARSED.contains(name);
  }

  /**
   * Checks that {@code model/provenance.json} is the provenance of the model in {@code
   * model/model.tribuo}. The JSON is compared byte for byte, which is exact only under the
   * Tribuo version that wrote it; under another version the check is skipped with a warning,
   * as the digests still protect both files.
   */
  private static void checkProvenance(Model<?> model, Map<String, byte[]> entries) {
    String packagedWith = CanonicalJson.parse(entries.get(PackageLayout.ENVIRONMENT)).path(PackageLayout.TRIBUO_VERSION).asText();
    if (!packagedWith.equals(Tribuo.VERSION)) {
      LOG.warn(
          "the package was built with Tribuo {} and is read with Tribuo {}; {} is not compared with the model's provenance",
          packagedWith, Tribuo.VERSION, PackageLayout.PROVENANCE);
      return;
    }
    if (!Arrays.equals(ProvenanceJson.toBytes(model.getProvenance()), entries.get(PackageLayout.PROVENANCE))) {
      throw new IntegrityException(
          PackageLayout.PROVENANCE + " does not describe the model in " + PackageLayout.MODEL
              + "; the package was assembled from different models");
    }
  }

  /**
   * Streams every entry once, checking its CRC-32 and taking its SHA-256; the files the reader
   * parses go into {@code held}, the others stay in the package file.
   */
  private static SortedMap<String, PackageEntry> readEntries(
      PackageData data, List<ZipDirectory.Entry> directory, Map<String, byte[]> held) {
    SortedMap<String, PackageEntry> entries = new TreeMap<>();
    long total = directory.stream().mapToLong(ZipDirectory.Entry::size).sum();
    for (ReadEntry r : ParallelHashing.map(directory, total, (d, buffer) -> readEntry(data, d, buffer))) {
      entries.put(r.entry().path(), r.entry());
      if (r.held() != null) {
        held.put(r.entry().path(), r.held());
      }
    }
    return entries;
  }

  /** An entry as read, with its bytes when the reader parses it. */
  private record ReadEntry(PackageEntry entry, byte[] held) {}

  private static ReadEntry readEntry(PackageData data, ZipDirectory.Entry d, byte[] buffer) {
    Checksums sums = new Checksums();
    byte[] content = null;
    if (isParsed(d.name())) {
      // Within the limits checked above, and backed by the file: the layout check put every entry inside it.
      content = data.read(d.dataOffset(), (int) d.size());
      sums.update(content, 0, content.length);
    } else {
      for (long done = 0; done < d.size(); ) {
        int n = (int) Math.min(buffer.length, d.size() - done);
        data.read(d.dataOffset() + done, buffer, 0, n);
        sums.update(buffer, 0, n);
        done += n;
      }
    }
    if (sums.crc32() != d.crc()) {
      throw new IntegrityException("entry '" + d.name() + "' fails its CRC-32 check; its bytes were changed");
    }
    PackageFile listed = sums.file(d.name());
    return content == null
        ? new ReadEntry(PackageEntry.inPackage(data, d.dataOffset(), listed, sums.crc32()), null)
        : new ReadEntry(PackageEntry.held(listed, sums.crc32(), content), content);
  }

  private static void verifyFiles(String file, PackageManifest manifest, Map<String, PackageEntry> entries) {
    Set<String> listed = new HashSet<>();
    for (PackageFile f : manifest.files()) {
      if (!listed.add(f.path())) {
        throw new IntegrityException(PackageManifest.PATH + " lists '" + f.path() + "' twice");
      }
      PackageEntry entry = entries.get(f.path());
      if (entry == null) {
        throw new IntegrityException(
            PackageManifest.PATH + " lists '" + f.path() + "' but the package lacks it; an entry was removed");
      }
      PackageFile actual = entry.file();
      if (!actual.equals(f)) {
        throw new IntegrityException(
            "'" + f.path() + "': expected " + f.sha256() + " (" + f.size() + " bytes) but found " + actual.sha256()
                + " (" + actual.size() + " bytes); the file was changed");
      }
    }
    for (String path : entries.keySet()) {
      if (!listed.contains(path)) {
        throw new IntegrityException(
            "'" + path + "' is not listed in " + PackageManifest.PATH + "; an entry was added to '" + file + "'");
      }
      if (!PackageLayout.isKnown(path)) {
        throw new InvalidInputException(
            "'" + path + "' is not part of the package layout; extra files belong under " + PackageLayout.ARTIFACTS);
      }
    }
    for (String path : PackageLayout.REQUIRED) {
      if (!listed.contains(path)) {
        throw new IntegrityException("'" + file + "' lacks the required file '" + path + "'");
      }
    }
  }

  private static Model<?> loadModel(byte[] bytes, PackageManifest manifest, ModelSignature signature, LoadOptions options) {
    ModelProto proto = ClassAllowList.check(bytes, options, PackageLayout.MODEL).proto();
    if (!proto.getClassName().equals(manifest.modelClass())) {
      throw new IntegrityException(
          PackageLayout.MODEL + " holds a " + proto.getClassName() + " but " + PackageManifest.PATH
              + " says " + manifest.modelClass());
    }
    if (!options.allows(signature.outputType())) {
      throw new InvalidInputException(
          PackageLayout.SIGNATURE + " names the output type '" + signature.outputType()
              + "', which the loader's allow-list " + options.allowedClassPrefixes() + " does not allow");
    }
    Model<?> model;
    try {
      model = SerialFilterScope.run(SerialFilterScope.allowing(options), () -> Model.deserialize(proto));
    } catch (MlopsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IntegrityException(PackageLayout.MODEL + " cannot be deserialized: " + e, e);
    }
    Class<?> outputClass = TribuoOutputs.outputClass(model);
    if (!outputClass.getName().equals(signature.outputType()) || !validates(model, outputClass)) {
      throw new IntegrityException(
          PackageLayout.MODEL + " predicts " + outputClass.getName() + " but " + PackageLayout.SIGNATURE
              + " says " + signature.outputType());
    }
    return model;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean validates(Model<?> model, Class<?> outputClass) {
    return model.validate((Class) outputClass);
  }

  private static void smokeTest(Model<?> model, ModelSignature signature, Frame example) {
    try {
      Predictor.ofAnyModel(model, signature).predict(example);
    } catch (RuntimeException e) {
      throw new IntegrityException(
          PackageLayout.INPUT_EXAMPLE + " cannot be predicted by the packaged model: " + e.getMessage(), e);
    }
  }

  private static <T> T parse(Map<String, byte[]> entries, String path, Function<byte[], T> parser) {
    try {
      return parser.apply(entries.get(path));
    } catch (RuntimeException e) {
      throw new IntegrityException(path + " is malformed: " + e.getMessage(), e);
    }
  }
}
