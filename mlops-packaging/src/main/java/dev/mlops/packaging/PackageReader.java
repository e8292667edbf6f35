package dev.mlops.packaging;

import com.google.common.collect.ImmutableSortedMap;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.Environment;
import dev.mlops.core.Frame;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Model;
import org.tribuo.Tribuo;
import org.tribuo.protos.core.ModelProto;

/**
 * Opens a package in the safe order: judge the zip directory, read the entries within the
 * declared sizes and check their CRCs, verify the manifest's digest and every file's SHA-256,
 * check the classes the model names against the allow-list, deserialize the model under a
 * serialization filter, validate its output type, and smoke-test it on the input example.
 */
final class PackageReader {
  private static final Logger LOG = LoggerFactory.getLogger(PackageReader.class);

  private PackageReader() {}

  static ModelPackage read(Path file, LoadOptions options) {
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException("no package file '" + file + "'; check the path");
    }
    List<ZipDirectory.Entry> directory = ZipDirectory.read(file, options);
    SortedMap<String, byte[]> entries = readEntries(file, directory);
    byte[] manifestBytes = entries.remove(PackageManifest.PATH);
    if (manifestBytes == null) {
      throw new IntegrityException("'" + file + "' has no " + PackageManifest.PATH + "; it is not a model package");
    }
    PackageManifest manifest = PackageManifest.parse(manifestBytes);
    verifyFiles(file, manifest, entries);

    ModelSignature signature = parse(entries, PackageLayout.SIGNATURE, b -> ModelSignature.fromJsonNode(CanonicalJson.parse(b)));
    Environment environment = parse(entries, PackageLayout.ENVIRONMENT, b -> CanonicalJson.read(b, Environment.class));
    Lineage lineage = entries.containsKey(PackageLayout.LINEAGE)
        ? parse(entries, PackageLayout.LINEAGE, b -> CanonicalJson.read(b, Lineage.class))
        : null;
    Frame example = entries.containsKey(PackageLayout.INPUT_EXAMPLE)
        ? parse(entries, PackageLayout.INPUT_EXAMPLE, InputExampleJson::fromBytes)
        : null;

    Model<?> model = loadModel(entries.get(PackageLayout.MODEL), manifest, signature, options);
    checkProvenance(model, entries);
    if (example != null) {
      smokeTest(model, signature, example);
    }
    LOG.debug("read package {} {} ({})", manifest.name(), manifest.version(), manifest.packageDigest());
    return new ModelPackage(manifest, manifestBytes, ImmutableSortedMap.copyOf(entries), model, signature, environment, lineage, example);
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

  private static SortedMap<String, byte[]> readEntries(Path file, List<ZipDirectory.Entry> directory) {
    SortedMap<String, byte[]> entries = new TreeMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.size() != directory.size()) {
        throw new IntegrityException(
            "'" + file + "' declares " + directory.size() + " entries but its directory lists " + zip.size());
      }
      for (ZipDirectory.Entry d : directory) {
        ZipEntry e = zip.getEntry(d.name());
        if (e == null || e.getSize() != d.size() || e.getCrc() != d.crc()) {
          throw new IntegrityException("'" + file + "': entry '" + d.name() + "' is not what the directory declares");
        }
        entries.put(d.name(), readEntry(zip, e, d));
      }
    } catch (ZipException e) {
      throw new IntegrityException("'" + file + "' is not a readable zip file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "'", e);
    }
    return entries;
  }

  private static byte[] readEntry(ZipFile zip, ZipEntry e, ZipDirectory.Entry d) {
    byte[] bytes;
    try (InputStream in = zip.getInputStream(e)) {
      // One byte beyond the declared size is enough to know the entry lies about its size.
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, d.size() + 1));
    } catch (IOException ex) {
      throw new IntegrityException("entry '" + d.name() + "' cannot be read: " + ex.getMessage(), ex);
    }
    if (bytes.length != d.size()) {
      throw new IntegrityException(
          "entry '" + d.name() + "' holds " + (bytes.length > d.size() ? "more" : "fewer") + " bytes than the "
              + d.size() + " it declares");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (crc.getValue() != d.crc()) {
      throw new IntegrityException("entry '" + d.name() + "' fails its CRC-32 check; its bytes were changed");
    }
    return bytes;
  }

  private static void verifyFiles(Path file, PackageManifest manifest, Map<String, byte[]> entries) {
    Set<String> listed = new HashSet<>();
    for (PackageFile f : manifest.files()) {
      if (!listed.add(f.path())) {
        throw new IntegrityException(PackageManifest.PATH + " lists '" + f.path() + "' twice");
      }
      byte[] bytes = entries.get(f.path());
      if (bytes == null) {
        throw new IntegrityException(
            PackageManifest.PATH + " lists '" + f.path() + "' but the package lacks it; an entry was removed");
      }
      Digest actual = Digest.of(bytes);
      if (bytes.length != f.size() || !actual.equals(f.sha256())) {
        throw new IntegrityException(
            "'" + f.path() + "': expected " + f.sha256() + " (" + f.size() + " bytes) but found " + actual
                + " (" + bytes.length + " bytes); the file was changed");
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
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IntegrityException(PackageLayout.MODEL + " is not a Tribuo protobuf model: " + e.getMessage(), e);
    }
    if (!proto.getClassName().equals(manifest.modelClass())) {
      throw new IntegrityException(
          PackageLayout.MODEL + " holds a " + proto.getClassName() + " but " + PackageManifest.PATH
              + " says " + manifest.modelClass());
    }
    ClassAllowList.check(proto, options, PackageLayout.MODEL);
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
