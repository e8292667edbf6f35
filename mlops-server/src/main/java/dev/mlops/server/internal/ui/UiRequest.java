package dev.mlops.server.internal.ui;

import dev.mlops.core.InvalidInputException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.util.Fields;

/**
 * One page request: the path below {@code /ui/}, the query (or form) fields, who asks and the
 * token their forms must carry.
 *
 * @param path the path below {@code /ui/}, without a leading slash
 * @param fields the query fields, or the form fields of a POST
 * @param userOrNull the authenticated user's name, or null on a server without users
 * @param csrf the token a state-changing form of this user must carry
 * @param json whether the page is asked for as JSON, so that an HTML answer need not build it whole
 * @param access what the user may read and change
 */
record UiRequest(String path, Fields fields, String userOrNull, String csrf, boolean json, UiAccess access) {
  private static final int MAX_FIELD = 10_000;

  /** A field's value, or the default when it is absent or blank. */
  String param(String name, String otherwise) {
    Fields.Field f = fields.get(name);
    if (f == null || f.getValue() == null || f.getValue().isBlank()) {
      return otherwise;
    }
    String v = f.getValue();
    if (v.length() > MAX_FIELD) {
      throw new InvalidInputException("field '" + name + "' has " + v.length() + " characters; the limit is "
          + MAX_FIELD);
    }
    return v;
  }

  /** A field's value, which must be present. */
  String required(String name) {
    String v = param(name, null);
    if (v == null) {
      throw new InvalidInputException("the form field '" + name + "' is missing; fill it in");
    }
    return v;
  }

  /** Every value of a repeated field, non-blank ones only; comma-separated values are split. */
  List<String> all(String name) {
    Fields.Field f = fields.get(name);
    if (f == null) {
      return List.of();
    }
    return f.getValues().stream().flatMap(v -> List.of(v.split(",")).stream()).map(String::strip)
        .filter(v -> !v.isEmpty()).distinct().limit(200).toList();
  }

  /** A positive integer field, at most {@code most}. */
  int integer(String name, int otherwise, int most) {
    String v = param(name, null);
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 1 || n > most) {
        throw new InvalidInputException(name + " must be between 1 and " + most + "; got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be a whole number; got '" + v + "'", e);
    }
  }

  /** Whether a flag field is on. */
  boolean flag(String name) {
    String v = param(name, "");
    return v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("on");
  }

  /** The user, if the server has users. */
  Optional<String> user() {
    return Optional.ofNullable(userOrNull);
  }
}
