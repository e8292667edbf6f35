package dev.mlops.packaging;

import dev.mlops.core.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * One small trained model and the package built from it, shared by the tests that tamper with
 * packages or rebuild them; plus the byte layout of a package file, for tests that flip bytes.
 */
final class PackageFixture {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);
  static final Model<Label> MODEL = TrainedModels.inMemory(300, 17);
  static final Environment ENVIRONMENT = Environment.capture();

  private PackageFixture() {}

  /** A complete package: example, lineage, metadata and two artifacts. */
  static ModelPackage build(Path workDir) {
    try {
      Path a = Files.writeString(workDir.resolve("a.txt"), "alpha");
      Path b = Files.write(workDir.resolve("b.bin"), new byte[] {0, 1, 2, 3});
      return ModelPackage.builder("fixture")
          .version("7")
          .model(MODEL)
          .inputExample(TrainedModels.example(4, 9))
          .lineage("run-1", "exp", Map.of("accuracy", 0.9))
          .metadata("owner", "tests")
          .artifact("a.txt", a)
          .artifact("nested/b.bin", b)
          .environment(ENVIRONMENT)
          .clock(CLOCK)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A package's entries with one changed, re-listed in a freshly digested manifest. */
  static byte[] rewrite(ModelPackage pkg, Map<String, byte[]> replaced) {
    SortedMap<String, byte[]> entries = entries(pkg);
    entries.putAll(replaced);
    PackageManifest m = pkg.manifest();
    PackageManifest manifest = PackageManifest.create(
        m.name(), m.version(), m.createdAt(), m.modelClass(), m.outputType(), m.metadata(),
        entries.entrySet().stream().map(e -> PackageFile.of(e.getKey(), e.getValue())).toList());
    return zip(manifest.toBytes(), entries);
  }

  /** Every entry of a package but the manifest, read into memory, by path; a copy the caller may change. */
  static SortedMap<String, byte[]> entries(ModelPackage pkg) {
    SortedMap<String, byte[]> entries = new TreeMap<>();
    try {
      for (PackageEntry e : pkg.entries().values()) {
        entries.put(e.path(), e.content().read());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  /** A package file of these entries as they are, whether or not the manifest lists them truly. */
  static byte[] zip(byte[] manifest, Map<String, byte[]> entries) {
    return PackageZip.toBytes(
        PackageEntry.ofBytes(PackageManifest.PATH, manifest),
        new TreeMap<>(entries).entrySet().stream().map(e -> PackageEntry.ofBytes(e.getKey(), e.getValue())).toList());
  }

  /** Where each entry's content lies in a package file: name to {offset, length}, in file order. */
  static Map<String, long[]> contentRanges(byte[] zip) {
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, long[]> ranges = new LinkedHashMap<>();
    int pos = 0;
    while (b.getInt(pos) == 0x04034b50) {
      int size = b.getInt(pos + 18);
      int nameLength = Short.toUnsignedInt(b.getShort(pos + 26));
      int extraLength = Short.toUnsignedInt(b.getShort(pos + 28));
      String name = new String(zip, pos + 30, nameLength, java.nio.charset.StandardCharsets.UTF_8);
      int start = pos + 30 + nameLength + extraLength;
      ranges.put(name, new long[] {start, size});
      pos = start + size;
    }
    return ranges;
  }

  static List<String> names(byte[] zip) {
    return List.copyOf(contentRanges(zip).keySet());
  }
}
