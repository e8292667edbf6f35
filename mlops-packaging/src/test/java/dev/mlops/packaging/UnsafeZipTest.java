package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Crafted zips are refused from their directory, before any entry's content is read or anything written. */
class UnsafeZipTest {
  private static final byte[] X = "x".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private Path write(byte[] bytes) throws IOException {
    Path inner = Files.createDirectories(dir.resolve("inner"));
    return Files.write(inner.resolve("crafted.mlpkg"), bytes);
  }

  private InvalidInputException refused(byte[] zip) throws IOException {
    Path file = write(zip);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file));
    assertNothingWritten(file);
    return e;
  }

  private void assertNothingWritten(Path file) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      assertEquals(List.of(dir, file.getParent(), file), all.sorted().toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "artifacts/../../evil", "/abs", "C:/abs", "a\\b", "a//b", "./a", "dir/", "a\u0000b"})
  void unsafeNamesAreRefused(String name) throws IOException {
    InvalidInputException e = refused(new CraftedZip().file(PackageManifest.PATH, X).file(name, X).bytes());
    assertTrue(e.getMessage().contains("unsafe entry name '" + name.replace("\u0000", "\\u0000") + "'"), e.getMessage());
  }

  @Test
  void theMessageSaysWhatIsWrongWithAName() throws IOException {
    assertTrue(refused(new CraftedZip().file("../evil", X).bytes()).getMessage()
        .endsWith("unsafe entry name '../evil' climbs out of the package with '..'; the package is refused"));
    assertTrue(refused(new CraftedZip().file("/abs", X).bytes()).getMessage().contains("is an absolute path"));
    assertTrue(refused(new CraftedZip().file("a\\b", X).bytes()).getMessage().contains("contains a backslash"));
  }

  @Test
  void aDuplicateEntryIsRefused() throws IOException {
    InvalidInputException e = refused(new CraftedZip().file("signature.json", X).file("signature.json", X).bytes());
    assertTrue(e.getMessage().endsWith("holds the entry 'signature.json' twice; a package names every file once"), e.getMessage());
  }

  @Test
  void aLocalHeaderNamingAnotherFileIsRefused() throws IOException {
    InvalidInputException e = refused(new CraftedZip().file(PackageManifest.PATH, X).localName("../../../evil.t").file("artifacts/a.txt", X).bytes());
    assertTrue(e.getMessage().endsWith("entry 'artifacts/a.txt' has a local header that names another file; the package is refused"), e.getMessage());
  }

  @Test
  void aSymbolicLinkIsRefused() throws IOException {
    InvalidInputException e = refused(new CraftedZip().file(PackageManifest.PATH, X).link("artifacts/passwd", "/etc/passwd").bytes());
    assertTrue(e.getMessage().endsWith("entry 'artifacts/passwd' is a symbolic link; the package is refused"), e.getMessage());
  }

  @Test
  void aTenThousandEntryZipIsRefused() throws IOException {
    Path file = dir.resolve("many.mlpkg");
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < 10_000; i++) {
        zip.putNextEntry(new ZipEntry("artifacts/" + i));
        zip.closeEntry();
      }
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().contains("holds 10000 entries, more than the limit of 1000; it may be a zip bomb"), e.getMessage());
  }

  @Test
  void theEntryCountIsJudgedBeforeTheDirectoryIsRead() throws IOException {
    // The end record claims 10,000 entries, the directory holds one: reading the directory
    // would fail differently, so this message shows that it was never read.
    InvalidInputException e = refused(new CraftedZip().file(PackageManifest.PATH, X).bytes(10_000));
    assertTrue(e.getMessage().contains("holds 10000 entries, more than the limit of 1000"), e.getMessage());
  }

  @Test
  void anEntryDeclaringTenGigabytesIsRefusedWithoutReadingIt() throws IOException {
    long tenGb = 10L * 1024 * 1024 * 1024;
    // The entry holds 16 bytes: had the reader tried to read 10 GB, it would have failed on the
    // short entry instead of refusing the declaration.
    byte[] zip = new CraftedZip().file(PackageManifest.PATH, X).entry("artifacts/bomb.bin", new byte[16], 0100644 << 16, tenGb).bytes();
    assertTrue(zip.length < 1_000);
    InvalidInputException e = refused(zip);
    assertTrue(e.getMessage().contains("entry 'artifacts/bomb.bin' uses ZIP64 sizes or offsets, which a model package never has"),
        e.getMessage());
  }

  @Test
  void declaredSizesAddUpAgainstTheLimit() throws IOException {
    byte[] zip = new CraftedZip().file("a", new byte[600]).entry("b", new byte[16], 0100644 << 16, 1_000).bytes();
    Path file = write(zip);
    LoadOptions small = LoadOptions.defaults().maxBytes(1_500);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file, small));
    assertTrue(e.getMessage().contains("entry 'b' declares 1000 bytes, which takes the package over the limit of 1500"), e.getMessage());
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeItIsOpened() throws IOException {
    Path file = write(new byte[5_000]);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelPackage.read(file, LoadOptions.defaults().maxBytes(4_096)));
    assertTrue(e.getMessage().contains("has 5000 bytes, more than the limit of 4096"), e.getMessage());
  }

  @Test
  void anEntryHoldingMoreThanItDeclaresIsAnIntegrityError() throws IOException {
    // A regular entry whose directory record understates its size: read up to the declared
    // size plus one byte, never to the end.
    byte[] zip = new CraftedZip().entry(PackageManifest.PATH, new byte[64], 0100644 << 16, 8).bytes();
    Path file = write(zip);
    MlopsException e = assertThrows(MlopsException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().contains(PackageManifest.PATH), e.getMessage());
    assertNothingWritten(file);
  }

  @Test
  void nothingIsWrittenNextToTheTempFolder() throws IOException {
    refused(new CraftedZip().file("../evil", X).bytes());
    assertFalse(Files.exists(dir.resolve("evil")));
    assertFalse(Files.exists(dir.getParent().resolve("evil")));
  }
}
