package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.protos.core.ModelProto;

/**
 * Small hostile packages that ran the reader out of memory are refused in a JVM with a 64 MiB
 * heap, with the library's message: every read is bounded by limits known before allocation.
 */
class HostilePackageHeapTest {
  private static final long GIB = 1L << 30;
  private static final int SIXTEEN_MIB = 16 << 20;
  private static final int LEVELS = 70;

  @TempDir Path dir;

  @Test
  void hostilePackagesAreRefusedInASixtyFourMebibyteHeap() throws Exception {
    Path bomb = Files.write(dir.resolve("manifest-bomb.mlpkg"), manifestInflatingToOneGibibyte());
    assertTrue(Files.size(bomb) < 1_200_000, "about 1 MB: " + Files.size(bomb));
    byte[] nestedModel = nestedModel();
    Path deflated = Files.write(dir.resolve("nested-deflated.mlpkg"), deflatedPackageOf(nestedModel));
    assertTrue(Files.size(deflated) < 60_000, "about 50 KB: " + Files.size(deflated));
    Path stored = Files.write(dir.resolve("nested-stored.mlpkg"), PackageFixture.zip(manifestListing(nestedModel), withModel(nestedModel)));

    ChildJvm.Result r = ChildJvm.run(dir, List.of("-Xmx64m", "-XX:+UseSerialGC"), Map.of(), HostileReads.class,
        bomb.toString(), deflated.toString(), stored.toString());

    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size(), r.out());
    assertEquals("REFUSED\tInvalidInputException\t'" + bomb + "': entry 'manifest.json' uses compression method 8; model package"
        + " entries are stored uncompressed, so the package is refused", lines.get(0));
    assertEquals("REFUSED\tInvalidInputException\t'" + deflated + "': entry 'model/model.tribuo' uses compression method 8; model"
        + " package entries are stored uncompressed, so the package is refused", lines.get(1));
    assertTrue(lines.get(2).startsWith("REFUSED\tIntegrityException\tmodel/model.tribuo holds a malformed tribuo.core.ModelProto"),
        lines.get(2));
    long peak = Long.parseLong(lines.get(3).split("\t")[1]);
    assertTrue(peak < 64L << 20, "peak heap " + peak);
  }

  /** A deflated manifest of 1 GiB of zeros in about 1 MB: one deflate block repeated, as a compressor makes it. */
  private static byte[] manifestInflatingToOneGibibyte() {
    byte[] zeros = new byte[1 << 20];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] first = flushed(deflater, zeros);
    byte[] steady = flushed(deflater, zeros);
    // After the second megabyte the compressor's state repeats, and so does its output.
    if (!Arrays.equals(steady, flushed(deflater, zeros))) {
      throw new AssertionError("the deflate output of zeros does not repeat");
    }
    deflater.finish();
    byte[] buffer = new byte[64];
    int last = deflater.deflate(buffer);
    deflater.end();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(first);
    for (int i = 1; i < 1024; i++) {
      stream.writeBytes(steady);
    }
    stream.write(buffer, 0, last);
    CRC32 crc = new CRC32();
    for (int i = 0; i < 1024; i++) {
      crc.update(zeros);
    }
    return new CraftedZip().deflated(PackageManifest.PATH, stream.toByteArray(), crc.getValue(), GIB).bytes();
  }

  private static byte[] flushed(Deflater deflater, byte[] input) {
    deflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** A model of {@value #LEVELS} envelopes nested in each other around 16 MiB of zeros, each level about 16 MiB. */
  private static byte[] nestedModel() throws IOException {
    ByteString inner = ByteString.copyFrom(new byte[SIXTEEN_MIB]);
    for (int i = 0; i < LEVELS; i++) {
      ModelProto level = ModelProto.newBuilder().setClassName("org.tribuo.ensemble.WeightedEnsembleModel")
          .setSerializedData(Any.newBuilder().setTypeUrl("type.googleapis.com/tribuo.core.ModelProto").setValue(inner)).build();
      ByteString.Output out = ByteString.newOutput(level.getSerializedSize());
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      level.writeTo(coded);
      coded.flush();
      inner = out.toByteString();
    }
    return inner.toByteArray();
  }

  private byte[] manifestListing(byte[] model) {
    return PackageManifest.create("hostile", "1", PackageFixture.CLOCK.instant(), "org.tribuo.ensemble.WeightedEnsembleModel",
            "org.tribuo.classification.Label", Map.of(),
            withModel(model).entrySet().stream().map(e -> PackageFile.of(e.getKey(), e.getValue())).toList())
        .toBytes();
  }

  private SortedMap<String, byte[]> withModel(byte[] model) {
    SortedMap<String, byte[]> entries = PackageFixture.entries(PackageFixture.build(dir));
    entries.put(PackageLayout.MODEL, model);
    return entries;
  }

  /** The package with its model deflated, every other entry stored, the manifest listing them all truly. */
  private byte[] deflatedPackageOf(byte[] model) {
    CraftedZip zip = new CraftedZip().file(PackageManifest.PATH, manifestListing(model));
    for (Map.Entry<String, byte[]> e : withModel(model).entrySet()) {
      if (e.getKey().equals(PackageLayout.MODEL)) {
        zip.deflated(e.getKey(), deflate(model), CraftedZip.crc(model), model.length);
      } else {
        zip.file(e.getKey(), e.getValue());
      }
    }
    return zip.bytes();
  }

  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(bytes);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }
}
