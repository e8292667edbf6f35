package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parameters of one API call, from its JSON body (POST) or its query string (GET), read
 * with MLflow's rules: int64 fields may come as numbers or as decimal strings, doubles also as
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, and a field of the wrong type is an
 * {@code INVALID_PARAMETER_VALUE} naming it.
 *
 * @param params the parameters as a JSON object
 * @param principal who is calling, or null when the server runs without authentication
 * @param header a request header by name (first value, or null), for headers such as the batch id
 */
public record ApiRequest(ObjectNode params, String principal, java.util.function.Function<String, String> header) {

  /** A required string parameter. */
  public String string(String name) {
    return optionalString(name).orElseThrow(() -> ApiException.missing(name));
  }

  /** The first of two names of a required string parameter (MLflow's {@code run_id} and its older {@code run_uuid}). */
  public String string(String name, String alias) {
    return optionalString(name).or(() -> optionalString(alias)).orElseThrow(() -> ApiException.missing(name));
  }

  /** An optional string parameter; an empty string counts as absent, as protobuf's defaults do. */
  public Optional<String> optionalString(String name) {
    return optionalString(params, name);
  }

  /** An optional int64 parameter. */
  public Optional<Long> optionalLong(String name) {
    return optionalLong(params, name);
  }

  /** A required int64 parameter. */
  public long requiredLong(String name) {
    return optionalLong(name).orElseThrow(() -> ApiException.missing(name));
  }

  /** A repeated string parameter; a single value counts as a list of one. */
  public List<String> strings(String name) {
    JsonNode node = params.get(name);
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw ApiException.invalid(name, "expected a list of strings; got " + node.getNodeType());
        }
        out.add(item.asText());
      }
    } else if (node.isTextual()) {
      out.add(node.asText());
    } else {
      throw ApiException.invalid(name, "expected a list of strings; got " + node.getNodeType());
    }
    return out;
  }

  /** A repeated message parameter: each item must be a JSON object. */
  public List<ObjectNode> objects(String name) {
    return objects(params, name);
  }

  /** A repeated message field of an object. */
  public static List<ObjectNode> objects(ObjectNode parent, String name) {
    JsonNode node = parent.get(name);
    List<ObjectNode> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw ApiException.invalid(name, "expected a list of objects; got " + node.getNodeType());
    }
    for (JsonNode item : node) {
      if (!(item instanceof ObjectNode o)) {
        throw ApiException.invalid(name, "expected a list of objects; got an item of type " + item.getNodeType());
      }
      out.add(o);
    }
    return out;
  }

  /** An optional string field of an object. */
  public static Optional<String> optionalString(ObjectNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiException.invalid(name, "expected a string; got " + node.getNodeType());
    }
    String text = node.asText();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** A required string field of an object; an empty string is a value here (tag values may be empty). */
  public static String requiredText(ObjectNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw ApiException.missing(name);
    }
    if (!node.isTextual()) {
      throw ApiException.invalid(name, "expected a string; got " + node.getNodeType());
    }
    return node.asText();
  }

  /** An optional int64 field of an object. */
  public static Optional<Long> optionalLong(ObjectNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Optional.of(node.asLong());
    }
    if (node.isTextual()) {
      try {
        return Optional.of(Long.parseLong(node.asText()));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw ApiException.invalid(name, "expected a 64-bit integer; got " + abbreviate(node.toString()));
  }

  /** A required double field of an object. */
  public static double requiredDouble(ObjectNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw ApiException.missing(name);
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      switch (node.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw ApiException.invalid(name, "expected a number; got " + abbreviate(node.toString()));
  }

  static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }
}
