package dev.mlops.core;

import static dev.mlops.core.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameCsvTest {
  @TempDir Path dir;

  private Path csv(String text) throws Exception {
    Path p = dir.resolve("data.csv");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void infersNumericAndCategoricalColumnsAndMissingCells() throws Exception {
    Frame f = Frame.readCsv(csv("age,city,score\n31,Paris,1.5\n,Lyon,\n45,,2e3\n"));
    assertEquals(3, f.rowCount());
    assertEquals(FieldType.DOUBLE, f.schema().field("age").type());
    assertEquals(FieldType.STRING, f.schema().field("city").type());
    assertEquals(FieldType.DOUBLE, f.schema().field("score").type());
    assertTrue(f.numeric("age").isMissing(1));
    assertEquals(45.0, f.numeric("age").get(2));
    assertNull(f.categorical("city").get(2));
    assertEquals(2000.0, f.numeric("score").get(2));
    assertEquals(1, f.numeric("score").missingCount());
    assertFalse(f.schema().field("age").required());
  }

  @Test
  void quotedFieldsKeepCommasQuotesAndNewlines() throws Exception {
    Frame f = Frame.readCsv(csv("name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\nplain,\"two\nlines\"\n"));
    assertEquals(2, f.rowCount());
    assertEquals("Smith, J", f.categorical("name").get(0));
    assertEquals("said \"hi\"", f.categorical("note").get(0));
    assertEquals("two\nlines", f.categorical("note").get(1));
  }

  @Test
  void oneNonNumberMakesAColumnCategorical() throws Exception {
    Frame f = Frame.readCsv(csv("code\n1\n2\nx3\n"));
    assertEquals(FieldType.STRING, f.schema().field("code").type());
    assertEquals("1", f.categorical("code").get(0));
  }

  @Test
  void readsInfinitiesAndHexLikeTextAsCategorical() throws Exception {
    Frame f = Frame.readCsv(csv("a,b\nInfinity,0x10\n-inf,1\n"));
    assertEquals(Double.POSITIVE_INFINITY, f.numeric("a").get(0));
    assertEquals(Double.NEGATIVE_INFINITY, f.numeric("a").get(1));
    assertEquals(FieldType.STRING, f.schema().field("b").type());
  }

  @Test
  void raggedRowNamesTheLine() throws Exception {
    Path p = csv("a,b\n1,2\n3,4,5\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Frame.readCsv(p));
    assertMentions(e, "line 3", "3 cells", "header has 2");
  }

  @Test
  void shortRowAfterQuotedNewlineNamesItsOwnLine() throws Exception {
    Path p = csv("a,b\n\"x\ny\",2\n5\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Frame.readCsv(p));
    assertMentions(e, "line 4");
  }

  @Test
  void badNumberInANumericColumnNamesLineAndColumn() throws Exception {
    Schema s = Schema.of(Field.of("id", FieldType.STRING), Field.of("age", FieldType.DOUBLE));
    Path p = csv("id,age\na,31\nb,thirty\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Frame.readCsv(p, s));
    assertMentions(e, "line 3", "column 'age'", "'thirty'");
  }

  @Test
  void schemaAndHeaderMustAgree() throws Exception {
    Schema s = Schema.of(Field.of("a", FieldType.DOUBLE));
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(csv("a,b\n1,2\n"), s)), "'b'");
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(csv("c\n1\n"), s)), "'c'");
  }

  @Test
  void booleanColumnsAreCheckedAndNormalised() throws Exception {
    Schema s = Schema.of(Field.of("flag", FieldType.BOOLEAN));
    Frame f = Frame.readCsv(csv("flag\nTRUE\nfalse\n\n"), s);
    assertEquals("true", f.categorical("flag").get(0));
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(csv("flag\nyes\n"), s)), "'yes'");
  }

  @Test
  void emptyInputAndRepeatedHeaderAreRefused() {
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(new StringReader(""), "mem", null)), "empty");
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.readCsv(new StringReader("a,a\n1,2\n"), "mem", null)), "'a'");
  }

  @Test
  void missingFileIsNotFound() {
    assertThrows(NotFoundException.class, () -> Frame.readCsv(dir.resolve("nope.csv")));
  }

  @Test
  void headerOnlyGivesAnEmptyFrame() throws Exception {
    Frame f = Frame.readCsv(csv("a,b\n"));
    assertEquals(0, f.rowCount());
    assertEquals(2, f.columnCount());
  }
}
