package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read package keeps serving the bytes it verified, whatever happens to the path it was read
 * from, while it streams its artifacts instead of holding them.
 */
class PackageOwnsItsBytesTest {
  private static final int SIZE = 3 << 20;

  @TempDir Path dir;
  private byte[] artifact;
  private Path file;
  private Path other;

  @BeforeEach
  void writePackages() throws IOException {
    artifact = new byte[SIZE];
    new Random(3).nextBytes(artifact);
    file = dir.resolve("served.mlpkg");
    build("weights.bin", artifact).writeTo(file);
    byte[] different = artifact.clone();
    different[SIZE / 2] ^= 1;
    other = dir.resolve("other.mlpkg");
    build("weights.bin", different).writeTo(other);
  }

  private ModelPackage build(String name, byte[] bytes) throws IOException {
    Path source = Files.write(Files.createTempFile(dir, "artifact", ".bin"), bytes);
    return ModelPackage.builder("owned").version("1").model(PackageFixture.MODEL).environment(PackageFixture.ENVIRONMENT)
        .artifact(name, source).build();
  }

  @Test
  void deletingThePackageFileChangesNothing() throws IOException {
    try (ModelPackage p = ModelPackage.read(file)) {
      Files.delete(file);
      assertArrayEquals(artifact, p.artifacts().get("weights.bin").read());
      Path copy = dir.resolve("copy.mlpkg");
      p.writeTo(copy);
      assertEquals(p.digest(), ModelPackage.read(copy).digest());
    }
  }

  @Test
  void movingAnotherPackageOntoThePathChangesNothing() throws IOException {
    try (ModelPackage p = ModelPackage.read(file)) {
      Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
      assertArrayEquals(artifact, p.artifacts().get("weights.bin").read());
    }
  }

  @Test
  void copyingOrWritingAnotherPackageOverThePathChangesNothing() throws IOException {
    try (ModelPackage p = ModelPackage.read(file)) {
      Files.copy(other, file, StandardCopyOption.REPLACE_EXISTING);
      assertArrayEquals(artifact, p.artifacts().get("weights.bin").read());
      ModelPackage.read(other).writeTo(file);
      assertArrayEquals(artifact, p.artifacts().get("weights.bin").read());
    }
  }

  @Test
  void aPackageMadeFromAStreamServesItsArtifactsFromAPrivateCopyItRemoves() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = copies(tmp);
    ModelPackage p;
    try (InputStream in = Files.newInputStream(file)) {
      p = ModelPackage.read(in, "served.mlpkg", LoadOptions.defaults());
    }
    Files.delete(file);
    assertEquals(before, copies(tmp), "the private copy is unlinked at once");
    assertArrayEquals(artifact, p.artifacts().get("weights.bin").read());
    p.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.artifacts().get("weights.bin").read());
    assertTrue(e.getMessage().contains("was closed; read it again to use it"), e.getMessage());
  }

  @Test
  void aStreamOverTheLimitIsRefusedAndLeavesNothingBehind() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = copies(tmp);
    try (InputStream in = Files.newInputStream(file)) {
      LoadOptions small = LoadOptions.defaults().maxBytes(2 << 20);
      var e = assertThrows(dev.mlops.core.InvalidInputException.class, () -> ModelPackage.read(in, "big.mlpkg", small));
      assertEquals("big.mlpkg holds more than the limit of 2097152 bytes; raise LoadOptions.maxBytes if the package is trusted",
          e.getMessage());
    }
    assertEquals(before, copies(tmp));
  }

  @Test
  void anInterruptedReaderDoesNotBreakThePackageForOthers() throws Exception {
    try (ModelPackage p = ModelPackage.read(file)) {
      ByteSource weights = p.artifacts().get("weights.bin");
      Thread.currentThread().interrupt();
      try {
        assertArrayEquals(artifact, weights.read());
      } finally {
        Thread.interrupted();
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<byte[]>> reads = Stream.generate(() -> pool.submit((java.util.concurrent.Callable<byte[]>) weights::read)).limit(8).toList();
        for (Future<byte[]> r : reads) {
          assertArrayEquals(artifact, r.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static List<Path> copies(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().startsWith("mlops-package-")).sorted().toList();
    }
  }
}
