package dev.mlops.tracking;

import dev.mlops.core.InvalidInputException;

/**
 * Raised when a search filter cannot be read or goes beyond the grammar's limits. The message
 * shows the filter (around the offending position, when it is long), a caret under that
 * position, and what was expected there or which limit was passed.
 *
 * <pre>{@code
 * try {
 *   tracker.search("iris").filter("metrics.acc >> 0.9").list();
 * } catch (FilterSyntaxException e) {
 *   e.position();   // 12
 * }
 * }</pre>
 */
public final class FilterSyntaxException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private static final int WINDOW = 100;

  private final String filter;
  private final int position;

  public FilterSyntaxException(String filter, int position, String problem) {
    super("invalid search filter at position " + position + ": " + problem + "\n" + excerpt(filter, position)
        + "\nwrite clauses like metrics.acc > 0.9 and params.lr = '0.1'");
    this.filter = filter;
    this.position = position;
  }

  // The text around the position with a caret under it; at most a line's worth, whatever the
  // filter's length, and control characters and lone surrogates shown as '?' so the caret aligns.
  private static String excerpt(String filter, int position) {
    int at = Math.max(0, Math.min(position, filter.length()));
    int from = Math.max(0, at - WINDOW);
    int to = Math.min(filter.length(), at + WINDOW);
    StringBuilder line = new StringBuilder(from > 0 ? "..." : "");
    int caret = line.length() + at - from;
    for (int i = from; i < to; i++) {
      char c = filter.charAt(i);
      boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < filter.length()
          && Character.isLowSurrogate(filter.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
          && Character.isHighSurrogate(filter.charAt(i - 1)));
      line.append(Character.isISOControl(c) || lone ? '?' : c);
    }
    if (to < filter.length()) {
      line.append("...");
    }
    return "  " + line + "\n  " + " ".repeat(caret) + "^";
  }

  /** The filter text as given. */
  public String filter() {
    return filter;
  }

  /** The zero-based character position where reading failed. */
  public int position() {
    return position;
  }
}
