package dev.mlops.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered list of uniquely named {@link Field}s: the one type used for model signatures and
 * for monitoring columns. Immutable.
 *
 * <p>Its JSON form is MLflow's column spec, {@code [{"name":"age","type":"double","required":true},
 * ...]}, so a signature written here can be read by MLflow.
 *
 * <pre>{@code
 * Schema s = Schema.of(Field.of("age", FieldType.DOUBLE), Field.of("city", FieldType.STRING));
 * String json = s.toJson();
 * Schema back = Schema.fromJson(json);   // equals s
 * }</pre>
 */
public final class Schema implements Iterable<Field> {
  private final ImmutableList<Field> fields;
  private final ImmutableMap<String, Integer> index;

  private Schema(List<Field> fields) {
    this.fields = ImmutableList.copyOf(fields);
    ImmutableMap.Builder<String, Integer> b = ImmutableMap.builder();
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < this.fields.size(); i++) {
      String name = this.fields.get(i).name();
      if (seen.put(name, i) != null) {
        throw new InvalidInputException(
            "column '" + name + "' appears twice in the schema; give every column a unique name");
      }
      b.put(name, i);
    }
    this.index = b.build();
  }

  /** A schema of these fields, in this order. */
  public static Schema of(Field... fields) {
    return new Schema(List.of(fields));
  }

  /** A schema of these fields, in this order. */
  public static Schema of(List<Field> fields) {
    return new Schema(fields);
  }

  /** The fields in order. */
  public List<Field> fields() {
    return fields;
  }

  /** The column names in order. */
  public List<String> names() {
    return fields.stream().map(Field::name).collect(ImmutableList.toImmutableList());
  }

  /** How many columns. */
  public int size() {
    return fields.size();
  }

  /** The field with this name, if any. */
  public Optional<Field> find(String name) {
    Integer i = index.get(name);
    return i == null ? Optional.empty() : Optional.of(fields.get(i));
  }

  /**
   * The field with this name.
   *
   * @throws NotFoundException naming the column and the columns there are
   */
  public Field field(String name) {
    return find(name)
        .orElseThrow(
            () -> new NotFoundException("no column '" + name + "'; the columns are " + names()));
  }

  /** The position of the named column, or -1. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /** Whether a column of this name exists. */
  public boolean contains(String name) {
    return index.containsKey(name);
  }

  @Override
  public Iterator<Field> iterator() {
    return fields.iterator();
  }

  /** This schema as a JSON array tree in MLflow's column-spec form. */
  public ArrayNode toJsonNode() {
    ArrayNode array = CanonicalJson.array();
    for (Field f : fields) {
      ObjectNode o = array.addObject();
      o.put("name", f.name());
      o.put("type", f.type().jsonName());
      o.put("required", f.required());
    }
    return array;
  }

  /** This schema as canonical JSON text in MLflow's column-spec form. */
  public String toJson() {
    return CanonicalJson.toString(toJsonNode());
  }

  /**
   * Reads MLflow's column-spec JSON. A missing {@code required} means required, as in MLflow.
   *
   * @throws InvalidInputException if the text is not such an array, naming the bad element
   */
  public static Schema fromJson(String json) {
    return fromJsonNode(CanonicalJson.parse(json));
  }

  /** Reads a column-spec array tree; see {@link #fromJson(String)}. */
  public static Schema fromJsonNode(JsonNode node) {
    if (node == null || !node.isArray()) {
      throw new InvalidInputException(
          "a schema must be a JSON array of {\"name\",\"type\",\"required\"} objects; got " + node);
    }
    List<Field> fields = new ArrayList<>();
    for (JsonNode e : node) {
      JsonNode name = e.get("name");
      JsonNode type = e.get("type");
      if (name == null || !name.isTextual() || type == null || !type.isTextual()) {
        throw new InvalidInputException(
            "schema element " + e + " needs a text \"name\" and a text \"type\"");
      }
      JsonNode required = e.get("required");
      fields.add(
          new Field(
              name.asText(),
              FieldType.fromJsonName(type.asText()),
              required == null || required.asBoolean(true)));
    }
    return new Schema(fields);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
