package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.core.MlopsException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes the reader is given, only the library's own exceptions come out, each with a
 * message: seeded mutations of a real package (changed bytes, extreme values written over
 * 16- and 32-bit fields, cuts, insertions, deletions, copied ranges), and random bytes behind a
 * zip's signatures; and entries mutated then digested again, as whoever crafts a package can.
 */
class PackageReaderFuzzProperties {
  private static Path dir;
  private static ModelPackage fixture;
  private static byte[] original;
  private static List<String> entryNames;

  @BeforeContainer
  static void buildOnce() throws IOException {
    dir = Files.createTempDirectory("fuzz");
    fixture = PackageFixture.build(dir);
    original = fixture.toBytes();
    entryNames = PackageFixture.names(original);
    // Reading once loads and initialises the reader's and Tribuo's classes before any budget.
    assertOnlyLibraryExceptions(original);
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One change to a byte array. */
  private record Mutation(int kind, int at, int length, int value) {
    byte[] apply(byte[] in) {
      if (in.length == 0) {
        return in;
      }
      int pos = Math.floorMod(at, in.length);
      switch (kind) {
        case 0 -> {
          byte[] out = in.clone();
          out[pos] ^= (byte) (value | 1);
          return out;
        }
        case 1 -> {
          byte[] out = in.clone();
          int[] extremes = {0, -1, 0x7FFFFFFF, 0xFFFF, 0x8000_0000, value};
          int v = extremes[Math.floorMod(value, extremes.length)];
          ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
          if (pos + 4 <= out.length && length % 2 == 0) {
            b.putInt(pos, v);
          } else if (pos + 2 <= out.length) {
            b.putShort(pos, (short) v);
          }
          return out;
        }
        case 2 -> {
          return Arrays.copyOf(in, pos);
        }
        case 3 -> {
          byte[] inserted = new byte[1 + Math.floorMod(length, 64)];
          Arrays.fill(inserted, (byte) value);
          return concat(Arrays.copyOf(in, pos), inserted, Arrays.copyOfRange(in, pos, in.length));
        }
        case 4 -> {
          int end = Math.min(in.length, pos + 1 + Math.floorMod(length, 256));
          return concat(Arrays.copyOf(in, pos), Arrays.copyOfRange(in, end, in.length));
        }
        default -> {
          int from = Math.floorMod(value, in.length);
          int n = Math.min(1 + Math.floorMod(length, 512), in.length - from);
          return concat(Arrays.copyOf(in, pos), Arrays.copyOfRange(in, from, from + n), Arrays.copyOfRange(in, pos, in.length));
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one = Combinators.combine(
            Arbitraries.integers().between(0, 5), Arbitraries.integers(), Arbitraries.integers().between(0, 1 << 16),
            Arbitraries.integers())
        .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 3000, seed = "20260301")
  void mutatedPackagesGiveOnlyTheLibrarysExceptions(@ForAll("mutations") List<Mutation> mutations) {
    byte[] bytes = original;
    for (Mutation m : mutations) {
      bytes = m.apply(bytes);
    }
    assertOnlyLibraryExceptions(bytes);
  }

  /**
   * A digest proves integrity, not validity: whoever hands over a package can re-digest what they
   * changed. Here one entry's content is mutated and the package rebuilt with a manifest that
   * lists it truly (or, for the manifest itself, with the mutated manifest), so the mutation
   * reaches the JSON readers, the protobuf check and Tribuo.
   */
  @Property(tries = 1000, seed = "20260303")
  void consistentlyRedigestedMutationsGiveOnlyTheLibrarysExceptions(
      @ForAll("entryPicks") int pick, @ForAll("mutations") List<Mutation> mutations) {
    String name = entryNames.get(pick % entryNames.size());
    java.util.SortedMap<String, byte[]> entries = PackageFixture.entries(fixture);
    byte[] content = name.equals(PackageManifest.PATH) ? fixture.manifest().toBytes() : entries.get(name);
    for (Mutation m : mutations) {
      content = m.apply(content);
    }
    byte[] bytes = name.equals(PackageManifest.PATH)
        ? PackageFixture.zip(content, entries)
        : PackageFixture.rewrite(fixture, java.util.Map.of(name, content));
    assertOnlyLibraryExceptions(bytes);
  }

  @Provide
  Arbitrary<Integer> entryPicks() {
    return Arbitraries.integers().between(0, 1 << 20);
  }

  @Property(tries = 1000, seed = "20260302")
  void randomBytesBehindZipSignaturesGiveOnlyTheLibrarysExceptions(
      @ForAll("randomZips") byte[] bytes) {
    assertOnlyLibraryExceptions(bytes);
  }

  /** Random bytes with a local header signature in front and an end record signature 22 bytes from the end. */
  @Provide
  Arbitrary<byte[]> randomZips() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(22).ofMaxSize(600).map(b -> {
      ByteBuffer buffer = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      buffer.putInt(b.length - 22, CanonicalZip.END_SIGNATURE);
      if (b.length >= 26) {
        buffer.putInt(0, CanonicalZip.LOCAL_SIGNATURE);
      }
      return b;
    });
  }

  /**
   * What one read of a fuzzed package (tens of kilobytes) may allocate: the verified bytes, the
   * parsed model and Tribuo's deserialised one; a read that believed a declared size would take
   * far more.
   */
  private static final long ALLOCATION_BUDGET = 16L << 20;

  private static void assertOnlyLibraryExceptions(byte[] bytes) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try (ModelPackage read = ModelPackage.read(new ByteArrayInputStream(bytes), "fuzzed", LoadOptions.defaults())) {
      // A mutation may leave the package valid (a changed float in the model, a no-op), never unverified.
      assertNotNull(read.digest());
    } catch (MlopsException e) {
      assertNotNull(e.getMessage());
      assertFalse(e.getMessage().isBlank(), e.toString());
    } catch (RuntimeException | Error e) {
      fail("a foreign exception came out of the reader: " + e, e);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < ALLOCATION_BUDGET, "reading " + bytes.length + " bytes allocated " + allocated);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
