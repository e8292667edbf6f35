package dev.mlops.core;

import static dev.mlops.core.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SchemaTest {
  private final Schema schema =
      Schema.of(
          Field.of("age", FieldType.DOUBLE),
          Field.optional("visits", FieldType.LONG),
          Field.of("member", FieldType.BOOLEAN),
          Field.of("city", FieldType.STRING));

  @Test
  void writesMlflowColumnSpec() {
    assertEquals(
        "[{\"name\":\"age\",\"required\":true,\"type\":\"double\"},"
            + "{\"name\":\"visits\",\"required\":false,\"type\":\"long\"},"
            + "{\"name\":\"member\",\"required\":true,\"type\":\"boolean\"},"
            + "{\"name\":\"city\",\"required\":true,\"type\":\"string\"}]",
        schema.toJson());
  }

  @Test
  void jsonRoundTrip() {
    assertEquals(schema, Schema.fromJson(schema.toJson()));
  }

  @Test
  void readsMlflowSpecWrittenByMlflow() {
    Schema s =
        Schema.fromJson(
            "[{\"type\": \"double\", \"name\": \"sepal length (cm)\"}, {\"name\": \"n\", \"type\": \"integer\", \"required\": false}]");
    assertEquals(FieldType.DOUBLE, s.field("sepal length (cm)").type());
    assertEquals(FieldType.LONG, s.field("n").type());
    assertFalse(s.field("n").required());
  }

  @Test
  void badSchemasAreRefusedWithTheReason() {
    assertMentions(assertThrows(InvalidInputException.class, () -> Schema.fromJson("{\"name\":\"a\"}")), "JSON array");
    assertMentions(assertThrows(InvalidInputException.class, () -> Schema.fromJson("[{\"name\":\"a\",\"type\":\"tensor\"}]")), "'tensor'");
    assertMentions(assertThrows(InvalidInputException.class, () -> Schema.fromJson("[{\"name\":\"a\"}]")), "\"type\"");
    assertMentions(
        assertThrows(InvalidInputException.class, () -> Schema.of(Field.of("a", FieldType.DOUBLE), Field.of("a", FieldType.LONG))),
        "'a'", "twice");
    assertMentions(assertThrows(InvalidInputException.class, () -> Schema.fromJson("[1,")), "malformed JSON");
    assertMentions(assertThrows(NotFoundException.class, () -> schema.field("zip")), "'zip'", "age");
  }
}
