package dev.mlops.core;

import java.util.Locale;

/**
 * The type of a column. The JSON names are MLflow's column-spec types, so a {@link Schema} we
 * write can be read by MLflow and the other way round.
 *
 * <p>{@link #DOUBLE} and {@link #LONG} columns are numeric in a {@link Frame} (held as {@code
 * double}); {@link #BOOLEAN} and {@link #STRING} columns are categorical (held as {@code String},
 * booleans as {@code "true"} / {@code "false"}).
 *
 * <pre>{@code
 * FieldType t = FieldType.fromJsonName("long");   // LONG
 * t.isNumeric();                                  // true
 * }</pre>
 */
public enum FieldType {
  DOUBLE("double"),
  LONG("long"),
  BOOLEAN("boolean"),
  STRING("string");

  private final String jsonName;

  FieldType(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The MLflow column-spec name: {@code double}, {@code long}, {@code boolean} or {@code string}. */
  public String jsonName() {
    return jsonName;
  }

  /** Whether a {@link Frame} holds this column as numbers. */
  public boolean isNumeric() {
    return this == DOUBLE || this == LONG;
  }

  /**
   * The type with this MLflow name. MLflow's {@code integer} and {@code float} are accepted and
   * widened to {@link #LONG} and {@link #DOUBLE}.
   *
   * @throws InvalidInputException if the name is not a known type
   */
  public static FieldType fromJsonName(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    switch (n) {
      case "double":
      case "float":
        return DOUBLE;
      case "long":
      case "integer":
        return LONG;
      case "boolean":
        return BOOLEAN;
      case "string":
        return STRING;
      default:
        throw new InvalidInputException(
            "unknown column type '" + name + "'; use one of double, long, boolean, string");
    }
  }
}
