package dev.mlops.tracking;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Names;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A registry model URI as MLflow writes it: {@code models:/name@alias} names whatever version an
 * alias points at (it can move; {@code @latest} is the newest version), {@code models:/name/3}
 * names one fixed version. The one parser of model URIs: the registry and serving read them
 * here and pass the value on. Immutable.
 *
 * <pre>{@code
 * ModelUri champion = ModelUri.parse("models:/iris@champion");
 * champion.aliasName();             // Optional[champion]
 * ModelUri three = ModelUri.parse("models:/iris/3");
 * three.fixedVersion();             // OptionalInt[3]
 * }</pre>
 *
 * @param name the registered model's name
 * @param alias the alias, or {@code null} when the URI names a version
 * @param version the version, or 0 when the URI names an alias
 */
public record ModelUri(String name, String alias, int version) {
  /** The scheme and separator every registry URI starts with. */
  public static final String PREFIX = "models:/";

  private static final Pattern ALIAS = Pattern.compile("[\\w\\-]+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");
  private static final int MAX_LENGTH = 1_000;

  public ModelUri {
    if (name == null || name.isBlank() || name.contains("/") || name.contains("@")
        || name.length() > Names.MAX_KEY_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("'" + name + "' is not a registered model name; a name is 1 to "
          + Names.MAX_KEY_LENGTH + " characters, not blank, without control characters, '/' or '@'");
    }
    if (alias == null ? version < 1 : version != 0 || !ALIAS.matcher(alias).matches()) {
      throw new InvalidInputException(
          "a model URI names either an alias (letters, digits, '_', '-') or a version (1 or more), not alias '"
              + alias + "' and version " + version);
    }
  }

  /** The URI of the version this alias points at. */
  public static ModelUri alias(String name, String alias) {
    return new ModelUri(name, Objects.requireNonNull(alias, "alias"), 0);
  }

  /** The URI of one fixed version. */
  public static ModelUri version(String name, int version) {
    return new ModelUri(name, null, version);
  }

  /**
   * Reads {@code models:/name@alias} or {@code models:/name/<version>}.
   *
   * @throws InvalidInputException naming the text and the two accepted forms
   */
  public static ModelUri parse(String uri) {
    if (uri == null || !uri.startsWith(PREFIX) || uri.length() > MAX_LENGTH) {
      throw malformed(uri);
    }
    String rest = uri.substring(PREFIX.length());
    int at = rest.lastIndexOf('@');
    int slash = rest.lastIndexOf('/');
    if (at > 0 && slash < 0 && at < rest.length() - 1) {
      String alias = rest.substring(at + 1);
      if (!ALIAS.matcher(alias).matches()) {
        throw malformed(uri);
      }
      return of(uri, rest.substring(0, at), alias, 0);
    }
    if (slash > 0 && at < 0 && VERSION.matcher(rest.substring(slash + 1)).matches()) {
      long v = Long.parseLong(rest.substring(slash + 1));
      if (v <= Integer.MAX_VALUE) {
        return of(uri, rest.substring(0, slash), null, (int) v);
      }
    }
    throw malformed(uri);
  }

  // A part the record refuses makes the whole text malformed, named as given.
  private static ModelUri of(String uri, String name, String alias, int version) {
    try {
      return new ModelUri(name, alias, version);
    } catch (InvalidInputException e) {
      throw malformed(uri);
    }
  }

  /** The alias, when the URI names one. */
  public Optional<String> aliasName() {
    return Optional.ofNullable(alias);
  }

  /** The version, when the URI names a fixed one. */
  public OptionalInt fixedVersion() {
    return alias == null ? OptionalInt.of(version) : OptionalInt.empty();
  }

  /** Whether the URI names an alias, whose version can move. */
  public boolean isAlias() {
    return alias != null;
  }

  private static InvalidInputException malformed(String uri) {
    String shown = uri == null || uri.length() <= 200 ? uri : uri.substring(0, 200) + "...";
    return new InvalidInputException(
        "'" + shown + "' is not a model URI; write models:/<name>@<alias> or models:/<name>/<version>");
  }

  @Override
  public String toString() {
    return PREFIX + name + (alias != null ? "@" + alias : "/" + version);
  }
}
