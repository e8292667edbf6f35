package dev.mlops.core;

import static dev.mlops.core.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameCsvLimitsTest {
  @TempDir Path dir;

  private Path file(byte[] bytes) throws Exception {
    Path p = dir.resolve("data.csv");
    Files.write(p, bytes);
    return p;
  }

  @Test
  void aCellOfTwentyFiveMillionCharactersIsRefusedNamingLineColumnAndLimit() throws Exception {
    String big = "a,b\n1,2\n3," + "x".repeat(25_000_000) + "\n";
    Path p = file(big.getBytes(StandardCharsets.US_ASCII));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Frame.readCsv(p));
    assertMentions(e, "line 3", "column 2", String.valueOf(CsvLimits.DEFAULT_MAX_CELL_CHARS), "maxCellChars");
  }

  @Test
  void theCellLimitIsConfigurable() {
    String csv = "a\n" + "y".repeat(100) + "\n";
    CsvLimits tight = CsvLimits.defaults().withMaxCellChars(50);
    assertMentions(assertThrows(InvalidInputException.class,
        () -> Frame.readCsv(new StringReader(csv), "mem", null, tight)), "mem", "line 2", "column 1", "50");
    assertEquals(100, Frame.readCsv(new StringReader(csv), "mem", null, tight.withMaxCellChars(100))
        .categorical("a").get(0).length());
  }

  @Test
  void recordColumnAndInputLimitsNameWhatPassedThem() {
    String csv = "a,b,c\n" + "1234,5678,9\n";
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(new StringReader(csv), "mem", null,
        CsvLimits.defaults().withMaxRecordChars(8))), "line 2", "column 3", "8 characters", "maxRecordChars");
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(new StringReader(csv), "mem", null,
        CsvLimits.defaults().withMaxColumns(2))), "line 1", "limit of 2 cells", "maxColumns");
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(new StringReader(csv), "mem", null,
        CsvLimits.defaults().withMaxInputChars(10))), "10 characters", "maxInputChars");
    assertThrows(InvalidInputException.class, () -> CsvLimits.defaults().withMaxColumns(0));
  }

  @Test
  void aByteThatIsNotUtf8IsNamedWithItsOffsetAndLine() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("name,city\nAnn,Paris\nBob,Lyo".getBytes(StandardCharsets.UTF_8));
    b.write(0xFF);
    b.writeBytes("n\n".getBytes(StandardCharsets.UTF_8));
    Path p = file(b.toByteArray());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Frame.readCsv(p));
    assertMentions(e, "byte 27", "line 3", "0xFF", "UTF-8");
  }

  @Test
  void aTruncatedMultiByteCharacterAtTheEndIsRefused() throws Exception {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("a\nx".getBytes(StandardCharsets.UTF_8));
    b.write(euro, 0, 2);
    Path p = file(b.toByteArray());
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(p)), "byte 3", "line 2", "0xE2");
  }

  @Test
  void multiByteTextAcrossBufferBoundariesAndAByteOrderMarkReadBack() throws Exception {
    String cell = "é€😀".repeat(5_000);
    Path p = file(("\uFEFFname\n" + cell + "\n").getBytes(StandardCharsets.UTF_8));
    Frame f = Frame.readCsv(p);
    assertEquals(java.util.List.of("name"), f.columnNames());
    assertEquals(cell, f.categorical("name").get(0));
  }

  @Test
  void anUnclosedQuoteNamesItsLine() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Frame.readCsv(new StringReader("a,b\n1,\"open\n2,3\n"), "mem", null));
    assertMentions(e, "mem", "line");
  }

  /**
   * Refusing an oversized cell allocates about the limit, not the cell: a 64 MiB cell under a
   * 1 Mi-character limit is refused having allocated far less than the cell's size.
   */
  @Test
  void refusingAHugeCellAllocatesAboutTheLimitNotTheCell() throws Exception {
    Path p = dir.resolve("huge.csv");
    try (var out = Files.newOutputStream(p)) {
      out.write("a\n".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = "z".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 64; i++) {
        out.write(chunk);
      }
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    assertThrows(InvalidInputException.class, () -> Frame.readCsv(p));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 24L << 20, "allocated " + allocated + " bytes refusing a 64 MiB cell");
  }
}
