package dev.mlops.core;

import java.util.regex.Pattern;

/**
 * MLflow's rules for keys (of params, metrics, tags, artifacts) and value lengths, so that
 * everything this library accepts can be exported to MLflow unchanged.
 *
 * <p>A key is 1 to 250 characters of letters, digits, {@code _ - . / :} and space (letters and
 * digits in the Unicode sense), and must equal its own normalised path: no leading or trailing
 * {@code /}, no empty, {@code .} or {@code ..} segment, and no leading {@code ..}.
 *
 * <pre>{@code
 * Names.checkKey("metric", "val/loss");        // returns "val/loss"
 * Names.checkKey("param", "../x");             // throws InvalidInputException
 * Names.checkParamValue("lr", "0.1");
 * }</pre>
 */
public final class Names {
  /** The longest key: 250 characters. */
  public static final int MAX_KEY_LENGTH = 250;
  /** The longest param value: 6000 characters. */
  public static final int MAX_PARAM_VALUE_LENGTH = 6000;
  /** The longest tag value: 5000 characters. */
  public static final int MAX_TAG_VALUE_LENGTH = 5000;

  private static final Pattern KEY_CHARS =
      Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);

  private Names() {}

  /**
   * Checks a key and returns it.
   *
   * @param kind what the key names ("param", "metric", "tag", "artifact"), used in the message
   * @throws InvalidInputException naming the key and the rule it breaks
   */
  public static String checkKey(String kind, String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidInputException(kind + " key must not be empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new InvalidInputException(
          kind + " key '" + abbreviate(key) + "' is " + key.length() + " characters long; the limit is "
              + MAX_KEY_LENGTH + ", shorten it");
    }
    if (!KEY_CHARS.matcher(key).matches()) {
      throw new InvalidInputException(
          kind + " key '" + key + "' has characters outside letters, digits, '_', '-', '.', '/', ':'"
              + " and space; rename it");
    }
    if (!isNormalPath(key)) {
      throw new InvalidInputException(
          kind + " key '" + key + "' is not a normalised relative path (no leading or trailing '/',"
              + " no '//', '.' or '..' segments); rename it");
    }
    return key;
  }

  /** Whether {@link #checkKey} would accept the key. */
  public static boolean isValidKey(String key) {
    return key != null
        && !key.isEmpty()
        && key.length() <= MAX_KEY_LENGTH
        && KEY_CHARS.matcher(key).matches()
        && isNormalPath(key);
  }

  /**
   * Checks a param value's length and returns it.
   *
   * @throws InvalidInputException if it is longer than {@value #MAX_PARAM_VALUE_LENGTH}
   */
  public static String checkParamValue(String key, String value) {
    return checkLength("param", key, value, MAX_PARAM_VALUE_LENGTH);
  }

  /**
   * Checks a tag value's length and returns it.
   *
   * @throws InvalidInputException if it is longer than {@value #MAX_TAG_VALUE_LENGTH}
   */
  public static String checkTagValue(String key, String value) {
    return checkLength("tag", key, value, MAX_TAG_VALUE_LENGTH);
  }

  private static String checkLength(String kind, String key, String value, int max) {
    if (value == null) {
      throw new InvalidInputException(kind + " '" + key + "' needs a value; got null");
    }
    if (value.length() > max) {
      throw new InvalidInputException(
          kind + " '" + key + "' has a value of " + value.length() + " characters; the limit is "
              + max + ", store long text as an artifact instead");
    }
    return value;
  }

  // Equivalent to MLflow's posixpath.normpath(key) == key with no leading '/' or '..'.
  private static boolean isNormalPath(String key) {
    if (key.startsWith("..")) {
      return false;
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
