package dev.mlops.tracking;

import dev.mlops.core.InvalidInputException;

/**
 * Raised when a search filter cannot be read. The message shows the filter, a caret under the
 * offending position, and what was expected there.
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

  private final String filter;
  private final int position;

  public FilterSyntaxException(String filter, int position, String problem) {
    super("invalid search filter at position " + position + ": " + problem + "\n  " + filter + "\n  "
        + " ".repeat(Math.max(0, position)) + "^\nwrite clauses like metrics.acc > 0.9 and params.lr = '0.1'");
    this.filter = filter;
    this.position = position;
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
