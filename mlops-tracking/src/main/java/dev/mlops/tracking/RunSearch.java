package dev.mlops.tracking;

import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.internal.FilterClause;
import dev.mlops.tracking.internal.FilterParser;
import dev.mlops.tracking.internal.OrderClause;
import dev.mlops.tracking.internal.PageTokens;
import dev.mlops.tracking.internal.SearchQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * A search over runs with MLflow's filter grammar: clauses joined by {@code AND}; metrics with
 * {@code > >= = != < <=} against numbers; params and tags with {@code = != LIKE ILIKE} against
 * quoted strings; the attributes {@code run_name}, {@code status}, {@code start_time},
 * {@code end_time} and {@code run_id} (which also takes {@code IN (...)}). Metric clauses and
 * sorts use each run's latest value. Deleted runs are left out unless asked for.
 *
 * <pre>{@code
 * List<RunRecord> best = tracker.search("iris")
 *     .filter("metrics.accuracy > 0.9 and params.lr = '0.1' and tags.team ILIKE 'risk%'")
 *     .orderBy("metrics.accuracy DESC", "attributes.start_time ASC")
 *     .limit(10)
 *     .list();
 * }</pre>
 */
public final class RunSearch {
  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 1000;
  /** The largest page size. */
  public static final int MAX_LIMIT = 50_000;
  /** The longest filter, in characters. */
  public static final int MAX_FILTER_LENGTH = FilterParser.MAX_FILTER_LENGTH;
  /** The most clauses a filter may join with AND. */
  public static final int MAX_CLAUSES = FilterParser.MAX_CLAUSES;
  /** The most order terms. */
  public static final int MAX_ORDER_TERMS = 16;
  /** The most distinct metric, param and tag keys in a search's filter and order terms together. */
  public static final int MAX_KEYS = FilterParser.MAX_KEYS;
  /** The longest string value in a filter, in characters. */
  public static final int MAX_VALUE_LENGTH = FilterParser.MAX_VALUE_LENGTH;

  private final Tracker tracker;
  private final List<String> experimentIds;
  private String filterText = "";
  private List<FilterClause> filter = List.of();
  private final List<OrderClause> orderBy = new ArrayList<>();
  private int limit = DEFAULT_LIMIT;
  private int offset;
  private boolean includeDeleted;

  RunSearch(Tracker tracker, List<String> experimentIds) {
    this.tracker = tracker;
    this.experimentIds = List.copyOf(experimentIds);
  }

  /**
   * Keeps the runs that match this filter.
   *
   * @throws FilterSyntaxException showing the filter and the position of the error
   */
  public RunSearch filter(String filter) {
    this.filter = FilterParser.parseFilter(filter);
    this.filterText = filter == null ? "" : filter;
    return this;
  }

  /**
   * Sorts by these terms, most significant first, such as {@code metrics.acc DESC}.
   *
   * @throws FilterSyntaxException for a malformed term, or beyond {@value #MAX_ORDER_TERMS} terms
   */
  public RunSearch orderBy(String... terms) {
    if (orderBy.size() + terms.length > MAX_ORDER_TERMS) {
      String text = String.join(", ", terms);
      throw new FilterSyntaxException(text.length() > 200 ? text.substring(0, 200) + "..." : text, 0, "a search sorts"
          + " by at most " + MAX_ORDER_TERMS + " order terms; got " + (orderBy.size() + terms.length));
    }
    List<OrderClause> parsed = new ArrayList<>(terms.length);
    for (String term : terms) {
      parsed.add(FilterParser.parseOrder(term));
    }
    orderBy.addAll(parsed);
    return this;
  }

  /** Returns at most this many runs per page; {@value #DEFAULT_LIMIT} by default. */
  public RunSearch limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT + "; got " + limit);
    }
    this.limit = limit;
    return this;
  }

  /** Starts at the page a previous {@link RunPage#nextPageToken()} named. */
  public RunSearch pageToken(String token) {
    this.offset = PageTokens.decode(token);
    return this;
  }

  /** Includes deleted runs. */
  public RunSearch includeDeleted(boolean includeDeleted) {
    this.includeDeleted = includeDeleted;
    return this;
  }

  /** The first page of results (all of them, when they fit in the limit). */
  public List<RunRecord> list() {
    return page().runs();
  }

  /** One page of results and the token of the next. */
  public RunPage page() {
    tracker.checkOpen();
    FilterParser.checkKeys(filterText, filter, orderBy);
    tracker.writer().sync();
    return tracker.store().search(new SearchQuery(experimentIds, filter, orderBy, limit, offset, includeDeleted));
  }
}
