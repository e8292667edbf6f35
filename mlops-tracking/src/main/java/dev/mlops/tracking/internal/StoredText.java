package dev.mlops.tracking.internal;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Names;
import java.util.Locale;

/**
 * The text both stores keep exactly: any string without NUL and without a lone surrogate.
 * PostgreSQL refuses NUL in text and every UTF-8 encoder replaces a lone surrogate with
 * {@code ?}, while SQLite would keep a NUL; refusing both up front gives one answer on every
 * store, and MLflow's rules let neither round-trip either.
 *
 * <pre>{@code
 * StoredText.check("param 'lr' value", "0.1");     // returns "0.1"
 * StoredText.check("tag 'note' value", "a\0b");     // InvalidInputException: NUL at position 1
 * }</pre>
 */
public final class StoredText {
  private StoredText() {}

  /** The index of the first NUL or lone surrogate in {@code s}, or -1 when there is none. */
  public static int firstUnstorable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0') {
        return i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** What is wrong at {@code index}, for a message: {@code "a NUL character at position 3"}. */
  public static String describe(String s, int index) {
    char c = s.charAt(index);
    return (c == '\0' ? "a NUL character" : "a lone surrogate U+" + String.format(Locale.ROOT, "%04X", (int) c))
        + " at position " + index;
  }

  /**
   * A form of {@code s} safe to show in a message: each NUL and lone surrogate written as a
   * {@code \\uXXXX} escape, and long text cut at 80 characters.
   */
  public static String printable(String s) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(s.length(), 80);
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
          : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
      if (c == '\0' || (Character.isSurrogate(c) && !paired)) {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return end < s.length() ? out.append("...").toString() : out.toString();
  }

  /**
   * Checks a key by {@link Names#checkKey}, after naming the position of a NUL or lone surrogate.
   *
   * @param kind what the key names, such as {@code "param"}
   * @throws InvalidInputException naming the key's kind, the key and the broken rule
   */
  public static String checkKey(String kind, String key) {
    // the message is built only for a bad key: this runs for every metric point a server receives
    if (key != null && firstUnstorable(key) >= 0) {
      check(kind + " key '" + printable(key) + "'", key);
    }
    return Names.checkKey(kind, key);
  }

  /**
   * Returns {@code value} when both stores keep it exactly.
   *
   * @param what the value's name for the message, such as {@code "param 'lr' value"}
   * @throws InvalidInputException naming the position of the first NUL or lone surrogate
   */
  public static String check(String what, String value) {
    if (value != null) {
      int bad = firstUnstorable(value);
      if (bad >= 0) {
        throw new InvalidInputException(what + " has " + describe(value, bad)
            + "; the tracking stores cannot keep it, remove or replace that character");
      }
    }
    return value;
  }
}
