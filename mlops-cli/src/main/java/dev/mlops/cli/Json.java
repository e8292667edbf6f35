package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/** How the commands write values that JSON has no form for: instants and non-finite numbers. */
final class Json {
  private Json() {}

  /** Milliseconds since the epoch as an ISO-8601 instant in UTC. */
  static String instant(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  /** Puts a number, or its name ({@code NaN}, {@code Infinity}) when JSON cannot hold it. */
  static void putNumber(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.put(key, Double.toString(value));
    }
  }

  /** Puts a map of strings as an object. */
  static void putStrings(ObjectNode node, String key, Map<String, String> values) {
    ObjectNode object = node.putObject(key);
    values.forEach(object::put);
  }
}
