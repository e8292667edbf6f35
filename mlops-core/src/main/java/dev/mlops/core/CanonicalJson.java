package dev.mlops.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The project's one JSON configuration: keys sorted at every depth, no insignificant white
 * space, UTF-8. Equal content therefore gives equal bytes and so equal {@link Digest}s, which
 * is what package digests and content addressing rely on.
 *
 * <pre>{@code
 * byte[] a = CanonicalJson.toBytes(Map.of("b", 1, "a", 2));   // {"a":2,"b":1}
 * JsonNode n = CanonicalJson.parse("{\"x\":[1,2]}");
 * }</pre>
 */
public final class CanonicalJson {
  // Configured once here and never reconfigured; callers only reach the immutable reader and
  // writer derived from it, or a fresh copy from newMapper().
  private static final JsonMapper MAPPER = newMapper();
  private static final ObjectWriter WRITER = MAPPER.writer();
  private static final ObjectReader READER = MAPPER.reader();

  private CanonicalJson() {}

  /** A new mapper configured like the canonical one, for callers that need to extend it. */
  public static JsonMapper newMapper() {
    return JsonMapper.builder()
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
        .disable(SerializationFeature.INDENT_OUTPUT)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** The canonical writer (immutable, thread-safe). */
  public static ObjectWriter writer() {
    return WRITER;
  }

  /** A reader with the canonical configuration (immutable, thread-safe). */
  public static ObjectReader reader() {
    return READER;
  }

  /** A new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A new empty array node. */
  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** The canonical UTF-8 bytes of a value (a tree, a record, a map, a list, a scalar). */
  public static byte[] toBytes(Object value) {
    try {
      return WRITER.writeValueAsBytes(canonicalTree(value));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("cannot write " + describe(value) + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The canonical JSON text of a value. */
  public static String toString(Object value) {
    return new String(toBytes(value), StandardCharsets.UTF_8);
  }

  /** The same canonical text, indented for people to read; keys still sorted. */
  public static String toPrettyString(Object value) {
    try {
      return WRITER.withDefaultPrettyPrinter().writeValueAsString(canonicalTree(value));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("cannot write " + describe(value) + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A value as a JSON tree. */
  public static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /**
   * Parses JSON text.
   *
   * @throws InvalidInputException naming the position of the syntax error
   */
  public static JsonNode parse(String json) {
    try {
      return READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage() + " at " + location(e), e);
    }
  }

  /** Parses UTF-8 JSON bytes; see {@link #parse(String)}. */
  public static JsonNode parse(byte[] json) {
    try {
      return READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage() + " at " + location(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Binds JSON bytes to a type (a record, a map). */
  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return READER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "cannot read " + type.getSimpleName() + " from JSON: " + e.getOriginalMessage() + " at " + location(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Binds a tree to a type. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("cannot read " + type.getSimpleName() + " from " + node + ": " + e.getOriginalMessage(), e);
    }
  }

  private static Object canonicalTree(Object value) {
    // Going through a tree makes key order independent of how the value was built: records,
    // beans and maps all end as object nodes written with sorted properties.
    return value instanceof JsonNode ? value : MAPPER.valueToTree(value);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? "an unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String describe(Object value) {
    return value == null ? "null" : "a " + value.getClass().getSimpleName();
  }
}
