package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Reading any bytes as CSV either gives a frame or raises this library's exception with a
 * message: never a parser's, decoder's or JDK exception. Inputs are valid CSV texts mutated by
 * byte insertions, deletions and replacements drawn from the characters that matter to CSV
 * (quotes, separators, line ends, NUL, a byte-order mark, bytes that are not UTF-8, truncated
 * multi-byte sequences, long runs), and raw random bytes; all read under small limits so that
 * the limits themselves are hit often. No read allocates more than a fixed budget.
 */
class FrameCsvFuzzProperties {
  private static final CsvLimits SMALL = new CsvLimits(64, 256, 12, 4_096);
  private static final List<String> SEEDS = List.of(
      "a,b,c\n1,2,x\n3,,y\n",
      "name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\nplain,\"two\nlines\"\n",
      "x\n1e308\n-inf\nNaN\n.5\n",
      "flag,v\ntrue,1\nfalse,2\n",
      "\uFEFFé,€\n😀,ü\n");
  private static final byte[][] PIECES = {
      {'"'}, {','}, {'\n'}, {'\r'}, {'\r', '\n'}, {0}, {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {'\\'}, {'#'}, {' '},
      {'1', 'e', '9', '9', '9', '9'}, {'-'}, {'.'}, "\"\"".getBytes(StandardCharsets.US_ASCII),
      "x".repeat(70).getBytes(StandardCharsets.US_ASCII), ",,,,,,,,,,,,,".getBytes(StandardCharsets.US_ASCII)};

  private static Path dir;

  @BeforeContainer
  static void makeDir() throws Exception {
    dir = Files.createTempDirectory("csv-fuzz");
    // Loading and initialising the parser's and writer's classes allocates once, before any budget.
    Path warm = Files.writeString(dir.resolve("warm.csv"), SEEDS.get(0));
    Frame f = Frame.readCsv(warm, null, SMALL);
    Frame.readCsv(new java.io.StringReader(f.toCsv()), "warm", f.schema());
  }

  @AfterContainer
  static void removeDir() throws Exception {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** One edit of a byte string: where, what kind, which piece. */
  record Edit(int position, int kind, int piece) {}

  @Provide
  Arbitrary<byte[]> mutatedCsv() {
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 10_000),
        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, PIECES.length - 1)).as(Edit::new);
    return Combinators.combine(Arbitraries.of(SEEDS), edit.list().ofMinSize(1).ofMaxSize(8))
        .as(FrameCsvFuzzProperties::apply);
  }

  private static byte[] apply(String seed, List<Edit> edits) {
    byte[] b = seed.getBytes(StandardCharsets.UTF_8);
    for (Edit e : edits) {
      int at = b.length == 0 ? 0 : e.position() % (b.length + 1);
      byte[] piece = PIECES[e.piece()];
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(b, 0, at);
      int skip = switch (e.kind()) {
        case 0 -> 0; // insert
        case 1 -> Math.min(piece.length, b.length - at); // replace
        default -> Math.min(1 + e.piece() % 3, b.length - at); // delete
      };
      if (e.kind() != 2) {
        out.writeBytes(piece);
      }
      out.write(b, at + skip, b.length - at - skip);
      b = out.toByteArray();
    }
    return b;
  }

  @Property(tries = 3_000, seed = "20261201")
  void mutatedCsvGivesAFrameOrALibraryError(@ForAll("mutatedCsv") byte[] bytes) throws Exception {
    readOrRefuse(bytes);
  }

  @Property(tries = 1_500, seed = "42")
  void randomBytesGiveAFrameOrALibraryError(@ForAll byte[] bytes) throws Exception {
    readOrRefuse(bytes);
  }

  /**
   * What one read under {@link #SMALL} may allocate: its buffers (the decoder's, the parser's),
   * the frame of at most 4,096 characters, and the round trip, far below this.
   */
  private static final long ALLOCATION_BUDGET = 4L << 20;

  private static void readOrRefuse(byte[] bytes) throws Exception {
    Path p = Files.write(dir.resolve("fuzz.csv"), bytes);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      Frame f = Frame.readCsv(p, null, SMALL);
      assertNotNull(f.schema());
      // What was read writes and reads back under the default limits.
      assertNotNull(Frame.readCsv(new java.io.StringReader(f.toCsv()), "round trip", f.schema()));
    } catch (MlopsException e) {
      assertNotNull(e.getMessage());
      assertFalse(e.getMessage().isBlank());
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    org.junit.jupiter.api.Assertions.assertTrue(allocated < ALLOCATION_BUDGET,
        "reading " + bytes.length + " bytes allocated " + allocated);
  }
}
