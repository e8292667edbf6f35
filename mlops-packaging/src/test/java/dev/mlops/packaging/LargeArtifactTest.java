package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Artifacts of several megabytes, many times the buffer they are streamed through: they round
 * trip byte for byte, any byte flipped inside one is named, and a file that changes between
 * {@code build()} and {@code writeTo} (or a package file that changes after it was read) fails
 * naming it, with nothing written.
 */
class LargeArtifactTest {
  private static final String BIG = "big.bin";
  private static final String BIG_ENTRY = PackageLayout.ARTIFACTS + BIG;
  // Not a multiple of the streaming buffer, so the last read is a short one.
  private static final int BIG_SIZE = 20 * Checksums.BUFFER_SIZE + 123;

  @TempDir Path dir;

  private Path bigFile() throws IOException {
    byte[] bytes = new byte[BIG_SIZE];
    new Random(42).nextBytes(bytes);
    return Files.write(dir.resolve("big-source.bin"), bytes);
  }

  private ModelPackage build(Path big) {
    return ModelPackage.builder("large").version("1").model(PackageFixture.MODEL)
        .environment(PackageFixture.ENVIRONMENT).clock(PackageFixture.CLOCK)
        .artifact(BIG, big)
        .build();
  }

  private Path out() throws IOException {
    return Files.createDirectories(dir.resolve("out")).resolve("large.mlpkg");
  }

  private void assertNothingWritten(Path target) throws IOException {
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void aLargeArtifactRoundTripsByteForByte() throws IOException {
    Path big = bigFile();
    ModelPackage pkg = build(big);
    Path file = out();
    pkg.writeTo(file);

    ModelPackage loaded = ModelPackage.read(file);
    assertEquals(pkg.digest(), loaded.digest());
    assertEquals(BIG_SIZE, loaded.artifacts().get(BIG).size());
    assertArrayEquals(Files.readAllBytes(big), loaded.artifacts().get(BIG).read());
    assertArrayEquals(Files.readAllBytes(big), pkg.artifacts().get(BIG).read());
    assertArrayEquals(Files.readAllBytes(file), pkg.toBytes());
    assertArrayEquals(Files.readAllBytes(file), loaded.toBytes());

    Path again = dir.resolve("again.mlpkg");
    loaded.writeTo(again);
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.37, 0.5, 0.999_999, 1.0})
  void aByteFlippedInsideALargeArtifactIsNamed(double where) throws IOException {
    Path file = out();
    build(bigFile()).writeTo(file);
    long[] range = PackageFixture.contentRanges(Files.readAllBytes(file)).get(BIG_ENTRY);
    long at = range[0] + Math.min(range[1] - 1, (long) (where * range[1]));
    flip(file, at);

    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().contains("'" + BIG_ENTRY + "'"), e.getMessage());
  }

  @Test
  void anArtifactChangedAfterBuildFailsTheWriteNamingItAndWritesNothing() throws IOException {
    Path big = bigFile();
    ModelPackage pkg = build(big);
    flip(big, BIG_SIZE / 2);
    Path target = out();

    IntegrityException e = assertThrows(IntegrityException.class, () -> pkg.writeTo(target));
    assertTrue(e.getMessage().startsWith("'" + BIG_ENTRY + "': expected " + pkg.manifest().file(BIG_ENTRY).orElseThrow().sha256()
        + " (" + BIG_SIZE + " bytes) but the file '" + big + "' now holds other bytes"), e.getMessage());
    assertTrue(e.getMessage().endsWith("must not change until it is written, so build the package again"), e.getMessage());
    assertNothingWritten(target);
  }

  @Test
  void anArtifactThatGrewOrShrankAfterBuildFailsTheWrite() throws IOException {
    Path big = bigFile();
    ModelPackage pkg = build(big);
    Path target = out();

    Files.write(big, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    IntegrityException longer = assertThrows(IntegrityException.class, () -> pkg.writeTo(target));
    assertTrue(longer.getMessage().contains("now holds more bytes"), longer.getMessage());
    assertNothingWritten(target);

    try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
      raf.setLength(BIG_SIZE - 10);
    }
    IntegrityException shorter = assertThrows(IntegrityException.class, () -> pkg.toBytes());
    assertTrue(shorter.getMessage().contains("(" + (BIG_SIZE - 10) + " bytes)"), shorter.getMessage());
  }

  @Test
  void anArtifactFileThatIsGoneAtBuildIsNotFound() {
    Path missing = dir.resolve("missing.bin");
    NotFoundException e = assertThrows(NotFoundException.class, () -> build(missing));
    assertEquals("'" + BIG_ENTRY + "': no file '" + missing + "'; check the path", e.getMessage());
  }

  @Test
  void aPackageFileChangedAfterReadingFailsItsArtifactsAndItsCopies() throws IOException {
    Path file = out();
    build(bigFile()).writeTo(file);
    ModelPackage loaded = ModelPackage.read(file);
    long[] range = PackageFixture.contentRanges(Files.readAllBytes(file)).get(BIG_ENTRY);
    flip(file, range[0] + range[1] / 3);

    IntegrityException read = assertThrows(IntegrityException.class, () -> loaded.artifacts().get(BIG).read());
    assertTrue(read.getMessage().startsWith("'" + BIG_ENTRY + "': expected "), read.getMessage());
    assertTrue(read.getMessage().contains("the package file '" + file + "' now holds"), read.getMessage());

    Path copy = Files.createDirectories(dir.resolve("copy")).resolve("copy.mlpkg");
    assertThrows(IntegrityException.class, () -> loaded.writeTo(copy));
    assertNothingWritten(copy);
  }

  @Test
  void aReadPackageKeepsItsModelAndItsArtifactsWhenTheFileIsGone() throws IOException {
    Path big = bigFile();
    Path file = out();
    ModelPackage pkg = build(big);
    pkg.writeTo(file);
    try (ModelPackage loaded = ModelPackage.read(file)) {
      Files.delete(file);

      assertEquals(pkg.digest(), loaded.digest());
      assertEquals(PackageFixture.MODEL.getProvenance(), loaded.model().getProvenance());
      assertArrayEquals(Files.readAllBytes(big), loaded.artifacts().get(BIG).read());
    }
  }

  @Test
  void anArtifactFileDeletedAfterBuildFailsTheWriteNamingIt() throws IOException {
    Path big = bigFile();
    ModelPackage pkg = build(big);
    Files.delete(big);
    Path target = out();

    NotFoundException e = assertThrows(NotFoundException.class, () -> pkg.writeTo(target));
    assertTrue(e.getMessage().startsWith("'" + BIG_ENTRY + "' cannot be read: the file '" + big + "' is gone"), e.getMessage());
    assertNothingWritten(target);
  }

  @Test
  void severalLargeArtifactsAreHashedSideBySideAndTheFirstBrokenOneIsNamed() throws IOException {
    // Together over the size from which files are hashed on several threads.
    int count = (int) (ParallelHashing.PARALLEL_THRESHOLD / BIG_SIZE) + 1;
    ModelPackage.Builder b = ModelPackage.builder("several").version("1").model(PackageFixture.MODEL)
        .environment(PackageFixture.ENVIRONMENT).clock(PackageFixture.CLOCK);
    for (int i = 0; i < count; i++) {
      byte[] bytes = new byte[BIG_SIZE];
      new Random(i).nextBytes(bytes);
      b.artifact("part-" + i + ".bin", Files.write(dir.resolve("part-" + i + ".bin"), bytes));
    }
    Path missing = dir.resolve("missing.bin");
    NotFoundException gone = assertThrows(NotFoundException.class, () -> b.artifact("zz-missing.bin", missing).build());
    assertEquals("'artifacts/zz-missing.bin': no file '" + missing + "'; check the path", gone.getMessage());
    Files.write(missing, new byte[] {7});
    ModelPackage pkg = b.build();
    Path file = out();
    pkg.writeTo(file);

    ModelPackage loaded = ModelPackage.read(file);
    for (int i = 0; i < count; i++) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("part-" + i + ".bin")), loaded.artifacts().get("part-" + i + ".bin").read());
    }
    java.util.Map<String, long[]> ranges = PackageFixture.contentRanges(Files.readAllBytes(file));
    flip(file, ranges.get("artifacts/part-" + (count - 1) + ".bin")[0] + 5);
    flip(file, ranges.get("artifacts/part-1.bin")[0] + BIG_SIZE / 2);
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().contains("'artifacts/part-1.bin'"), e.getMessage());
  }

  @Test
  void artifactFilesCopiedBetweenHeldEntriesGiveTheStreamedBytesAndAChangedOneIsNamed() throws IOException {
    // Large and small files alternate in the zip's order, the large ones together over the size
    // from which they are hashed side by side.
    int large = (int) (ParallelHashing.PARALLEL_THRESHOLD / BIG_SIZE) + 1;
    ModelPackage.Builder b = ModelPackage.builder("interleaved").version("1").model(PackageFixture.MODEL)
        .environment(PackageFixture.ENVIRONMENT).clock(PackageFixture.CLOCK);
    Random random = new Random(7);
    for (int i = 0; i < large; i++) {
      byte[] small = new byte[1 + random.nextInt(300)];
      random.nextBytes(small);
      b.artifact(i + "-a-small.bin", Files.write(dir.resolve(i + "-small.bin"), small));
      byte[] bytes = new byte[BIG_SIZE - i];
      random.nextBytes(bytes);
      b.artifact(i + "-b-large.bin", Files.write(dir.resolve(i + "-large.bin"), bytes));
    }
    ModelPackage pkg = b.build();
    Path file = out();
    pkg.writeTo(file);
    assertArrayEquals(pkg.toBytes(), Files.readAllBytes(file));
    try (ModelPackage loaded = ModelPackage.read(file)) {
      assertEquals(pkg.digest(), loaded.digest());
      Path again = dir.resolve("again.mlpkg");
      loaded.writeTo(again);
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    Files.delete(file);
    flip(dir.resolve("2-large.bin"), BIG_SIZE / 3);
    IntegrityException e = assertThrows(IntegrityException.class, () -> pkg.writeTo(file));
    assertTrue(e.getMessage().startsWith("'" + PackageLayout.ARTIFACTS + "2-b-large.bin': expected "), e.getMessage());
    assertNothingWritten(file);
  }

  @Test
  void aStreamReadToItsEndIsJudgedEvenWhenPartsWereSkipped() throws IOException {
    Path big = bigFile();
    ModelPackage pkg = build(big);
    flip(big, BIG_SIZE / 4);
    try (InputStream in = pkg.artifacts().get(BIG).openStream()) {
      in.skipNBytes(BIG_SIZE / 2);
      IntegrityException e = assertThrows(IntegrityException.class, in::readAllBytes);
      assertTrue(e.getMessage().startsWith("'" + BIG_ENTRY + "': expected "), e.getMessage());
    }
  }

  @Test
  void aDeflatedEntryInflatingBeyondItsDeclaredSizeIsRefused() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(BIG_ENTRY));
      zip.write(new byte[BIG_SIZE]);
      zip.closeEntry();
    }
    byte[] zip = bytes.toByteArray();
    // The central directory's uncompressed size, patched to claim a thousand bytes.
    int cen = lastIndexOf(zip, new byte[] {0x50, 0x4b, 0x01, 0x02});
    java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(cen + 24, 1_000);
    Path file = Files.write(dir.resolve("liar.mlpkg"), zip);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().contains("entry '" + BIG_ENTRY + "' uses compression method 8"), e.getMessage());
  }

  private static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x5a);
    }
  }

  private static int lastIndexOf(byte[] haystack, byte[] needle) {
    for (int i = haystack.length - needle.length; i >= 0; i--) {
      if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
