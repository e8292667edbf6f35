package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Flipping any byte of any entry of a package is an {@link IntegrityException} naming that entry. */
class TamperProperties {
  private static Path dir;
  private static byte[] original;
  private static Map<String, long[]> ranges;
  private static List<String> names;

  @BeforeContainer
  static void buildOnce() throws IOException {
    dir = Files.createTempDirectory("tamper");
    original = PackageFixture.build(dir).toBytes();
    ranges = PackageFixture.contentRanges(original);
    names = List.copyOf(ranges.keySet());
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Property(tries = 300)
  void flippingAnyByteOfAnyEntryIsDetected(
      @ForAll @IntRange(min = 0, max = 10_000) int entryPick,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int positionPick,
      @ForAll @IntRange(min = 1, max = 255) int mask)
      throws IOException {
    String entry = names.get(entryPick % names.size());
    long[] range = ranges.get(entry);
    int at = (int) (range[0] + positionPick % range[1]);
    byte[] tampered = Arrays.copyOf(original, original.length);
    tampered[at] ^= (byte) mask;
    Path file = Files.write(dir.resolve("tampered.mlpkg"), tampered);

    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().contains(entry), () -> "flipped byte " + at + " of " + entry + ": " + e.getMessage());
  }

  @Property(tries = 50)
  void truncatingThePackageAnywhereIsDetected(@ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int cut)
      throws IOException {
    int length = cut % original.length;
    Path file = Files.write(dir.resolve("truncated.mlpkg"), Arrays.copyOf(original, length));
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
