package dev.mlops.core;

import java.util.Objects;

/**
 * One named, typed column of a {@link Schema}.
 *
 * <pre>{@code
 * Field age = Field.of("age", FieldType.DOUBLE);          // required
 * Field note = Field.optional("note", FieldType.STRING);
 * }</pre>
 *
 * @param name the column name, not empty
 * @param type the column type
 * @param required whether a row must carry a non-missing value for it
 */
public record Field(String name, FieldType type, boolean required) {

  public Field {
    Objects.requireNonNull(type, "type");
    if (name == null || name.isEmpty()) {
      throw new InvalidInputException("a field needs a non-empty name; got '" + name + "'");
    }
  }

  /** A required field. */
  public static Field of(String name, FieldType type) {
    return new Field(name, type, true);
  }

  /** A field whose value may be missing. */
  public static Field optional(String name, FieldType type) {
    return new Field(name, type, false);
  }
}
