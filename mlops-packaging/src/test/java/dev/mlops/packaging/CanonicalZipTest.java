package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader accepts a package only in the one layout the writer produces, so that no byte of
 * the file is left to interpretation: any changed byte is refused, and what other zip readers see
 * is exactly what was verified.
 */
class CanonicalZipTest {
  private static final byte[] X = "x".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path shared;
  @TempDir Path dir;
  private static ModelPackage fixture;
  private static byte[] original;

  @BeforeAll
  static void buildOnce() {
    fixture = PackageFixture.build(shared);
    original = fixture.toBytes();
  }

  /**
   * Every byte position of a real package, each changed once (all its bits, or its lowest or
   * highest bit, in turn): every one of the file's bytes is covered, not a sample. The package is
   * read from memory, as a package made from bytes is, so that the loop does not wait on the disk.
   */
  @Test
  void changingAnyByteOfAPackageIsRefused() {
    int[] masks = {0xFF, 0x01, 0x80};
    List<String> accepted = new ArrayList<>();
    for (int at = 0; at < original.length; at++) {
      int mask = masks[at % masks.length];
      byte[] changed = original.clone();
      changed[at] ^= (byte) mask;
      try (ModelPackage read = ModelPackage.read(new ByteArrayInputStream(changed), "flipped", LoadOptions.defaults())) {
        accepted.add("byte " + at + " ^ " + mask + " was read as " + read);
      } catch (MlopsException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
          accepted.add("byte " + at + " ^ " + mask + " gave an exception without a message");
        }
      }
    }
    assertEquals(List.of(), accepted.subList(0, Math.min(accepted.size(), 10)), accepted.size() + " changes not refused");
    assertTrue(original.length > 5_000, "the package covers real entries: " + original.length + " bytes");
    try (ModelPackage read = ModelPackage.read(new ByteArrayInputStream(original), "unchanged", LoadOptions.defaults())) {
      assertEquals(fixture.digest(), read.digest(), "the control: the unchanged bytes read");
    }
  }

  @Test
  void javaUtilZipReadsExactlyTheEntriesThatWereVerified() throws IOException {
    Path file = Files.write(dir.resolve("p.mlpkg"), original);
    Map<String, byte[]> verified = new LinkedHashMap<>();
    try (ModelPackage read = ModelPackage.read(file)) {
      verified.put(PackageManifest.PATH, read.manifest().toBytes());
      for (PackageEntry e : read.entries().values()) {
        verified.put(e.path(), e.content().read());
      }
    }
    Map<String, byte[]> streamed = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(original))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        streamed.put(e.getName(), zip.readAllBytes());
      }
    }
    assertEquals(List.copyOf(verified.keySet()), List.copyOf(streamed.keySet()));
    verified.forEach((name, bytes) -> assertArrayEquals(bytes, streamed.get(name), name));
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      for (Map.Entry<String, byte[]> v : verified.entrySet()) {
        assertArrayEquals(v.getValue(), zip.getInputStream(zip.getEntry(v.getKey())).readAllBytes(), v.getKey());
      }
    }
  }

  @Test
  void aSecondDirectoryHiddenInAZipCommentIsRefused() throws IOException {
    // The real end record gets a comment holding another directory and end record.
    byte[] tail = Arrays.copyOfRange(original, original.length - CanonicalZip.END_RECORD, original.length);
    byte[] hidden = new CraftedZip().file(PackageManifest.PATH, X).bytes();
    ByteBuffer end = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
    end.putShort(20, (short) hidden.length);
    byte[] forged = concat(Arrays.copyOf(original, original.length - CanonicalZip.END_RECORD), tail, hidden);
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(Files.write(dir.resolve("c.mlpkg"), forged)));
    assertTrue(e.getMessage().contains("the end record's comment length is not that of a model package")
        || e.getMessage().contains("declares a central directory"), e.getMessage());
  }

  @Test
  void aCommentOrBytesAfterTheEndRecordAreRefused() throws IOException {
    byte[] appended = concat(original, "trailing".getBytes(StandardCharsets.UTF_8));
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(Files.write(dir.resolve("t.mlpkg"), appended)));
    assertTrue(e.getMessage().contains("does not end with a zip end record"), e.getMessage());
  }

  @Test
  void bytesBeforeTheFirstEntryAreRefused() throws IOException {
    byte[] prefixed = concat(new byte[] {'M', 'Z'}, original);
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(Files.write(dir.resolve("p.mlpkg"), prefixed)));
    assertTrue(e.getMessage().contains("does not start where the previous entry ends (byte 0)")
        || e.getMessage().contains("declares a central directory"), e.getMessage());
  }

  @Test
  void aLocalHeaderThatDiffersFromItsDirectoryRecordIsRefusedNamingTheField() throws IOException {
    byte[] changed = original.clone();
    ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN).putShort(10, (short) 0x7777); // the manifest's local time
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(Files.write(dir.resolve("l.mlpkg"), changed)));
    assertTrue(e.getMessage().endsWith("entry 'manifest.json' has a local header whose time differs from its central directory"
        + " record; the file was changed"), e.getMessage());
  }

  @Test
  void zip64RecordsAreRefusedWithTheLibrarysException() throws IOException {
    // An end record that sends the reader to a ZIP64 record with offsets near Long.MAX_VALUE; the
    // entry count in it is within the limit, so only the ZIP64 markers are left to refuse.
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    ByteBuffer zip64 = ByteBuffer.allocate(56 + 20).order(ByteOrder.LITTLE_ENDIAN);
    zip64.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
        .putLong(1).putLong(1).putLong(Long.MAX_VALUE - 10).putLong(Long.MAX_VALUE - 100);
    zip64.putInt(0x07064b50).putInt(0).putLong(0).putInt(1);
    zip.writeBytes(zip64.array());
    ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
    end.putInt(CanonicalZip.END_SIGNATURE).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
        .putInt(-1).putInt(-1).putShort((short) 0);
    zip.writeBytes(end.array());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(Files.write(dir.resolve("z.mlpkg"), zip.toByteArray())));
    assertTrue(e.getMessage().contains("uses ZIP64 records, which a model package never has"), e.getMessage());
  }

  @Test
  void anExtraFieldRunningPastTheDirectoryIsRefusedWithTheLibrarysException() throws IOException {
    byte[] zip = new CraftedZip().file(PackageManifest.PATH, X).bytes();
    int cen = zip.length - CanonicalZip.END_RECORD - (CanonicalZip.CENTRAL_HEADER + PackageManifest.PATH.length());
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(cen + 20, -1).putInt(cen + 24, -1).putShort(cen + 30, (short) 0x7FFF); // ZIP64 sizes, a huge extra field
    MlopsException e = assertThrows(MlopsException.class, () -> ModelPackage.read(Files.write(dir.resolve("x.mlpkg"), zip)));
    assertTrue(e.getMessage().contains("broken central directory"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"artifacts/evil\u202Etxt.exe", "artifacts/a\u0085b", "artifacts/a\u200Bb", "artifacts/a\u2028b", "artifacts/\u2066x"})
  void namesWithBidiC1OrInvisibleCharactersAreRefused(String name) throws IOException {
    byte[] zip = new CraftedZip().file(PackageManifest.PATH, X).file(name, X).bytes();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(Files.write(dir.resolve("n.mlpkg"), zip)));
    assertTrue(e.getMessage().contains("unsafe entry name"), e.getMessage());
    assertTrue(e.getMessage().chars().noneMatch(c -> c >= 0x80 && c <= 0x9F || Character.getType(c) == Character.FORMAT),
        "the message escapes what it names: " + e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"artifacts/caf\u00e9|artifacts/cafe\u0301", "artifacts/Readme.txt|artifacts/README.txt", "artifacts/stra\u00dfe|artifacts/STRASSE"})
  void namesThatCollideUnderNormalisationOrCaseFoldingAreRefused(String pair) throws IOException {
    String[] names = pair.split("\\|");
    String[] sorted = names.clone();
    Arrays.sort(sorted);
    byte[] zip = new CraftedZip().file(PackageManifest.PATH, X).file(sorted[0], X).file(sorted[1], X).bytes();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(Files.write(dir.resolve("n.mlpkg"), zip)));
    assertTrue(e.getMessage().contains("differ only in letter case or Unicode normalisation"), e.getMessage());

    ModelPackage.Builder builder = ModelPackage.builder("p").version("1").model(PackageFixture.MODEL);
    Path a = Files.write(dir.resolve("a"), X);
    builder.artifact(names[0].substring("artifacts/".length()), a);
    InvalidInputException b = assertThrows(InvalidInputException.class, () -> builder.artifact(names[1].substring("artifacts/".length()), a));
    assertTrue(b.getMessage().contains("only in letter case or Unicode normalisation"), b.getMessage());
  }

  @Test
  void aDeflatedEntryIsRefusedBeforeItIsInflated() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(PackageManifest.PATH));
      zip.write(new byte[1 << 20]);
      zip.closeEntry();
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(Files.write(dir.resolve("d.mlpkg"), bytes.toByteArray())));
    assertTrue(e.getMessage().contains("uses compression method 8"), e.getMessage());
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
