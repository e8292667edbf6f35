package dev.mlops.tracking.internal;

import dev.mlops.core.Names;
import dev.mlops.tracking.FilterSyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads MLflow's {@code search_runs} filter grammar and its {@code order_by} terms.
 *
 * <pre>
 * filter     := clause ( AND clause )*
 * clause     := entity '.' key operator value
 * entity     := metrics | params | tags | attributes   (and MLflow's singular spellings)
 * key        := name | `quoted` | "quoted"
 * value      := number | 'string' | "string" | ( 'string' [, 'string']* )
 * order term := entity '.' key [ ASC | DESC ]
 * </pre>
 *
 * Every error names the position where reading failed. The grammar is bounded so that no filter,
 * however it was made, costs the database more than a fixed amount: at most
 * {@value #MAX_FILTER_LENGTH} characters, {@value #MAX_CLAUSES} clauses, {@value #MAX_KEYS}
 * distinct metric, param or tag keys (each costs the query one join), keys of at most
 * {@value Names#MAX_KEY_LENGTH} characters without control characters, string values of at most
 * {@value #MAX_VALUE_LENGTH} characters and lists of at most {@value #MAX_LIST_VALUES} values.
 * Text the stores cannot hold (NUL, a lone surrogate) is refused where it stands.
 */
public final class FilterParser {
  /** The longest filter, in characters; checked before anything is parsed. */
  public static final int MAX_FILTER_LENGTH = 20_000;
  /** The most clauses a filter may join with AND. */
  public static final int MAX_CLAUSES = 100;
  /** The most distinct metric, param and tag keys a search may name in its filter and order terms. */
  public static final int MAX_KEYS = 32;
  /** The longest string value, in characters: the longest param value. */
  public static final int MAX_VALUE_LENGTH = Names.MAX_PARAM_VALUE_LENGTH;
  /** The most values an {@code IN (...)} list may hold. */
  public static final int MAX_LIST_VALUES = 1_000;
  /** The longest order term, in characters. */
  public static final int MAX_ORDER_TERM_LENGTH = 300;
  /** The attribute names a filter or an order term may use. */
  public static final Set<String> ATTRIBUTES = Set.of("run_id", "run_name", "status", "start_time", "end_time");

  private static final Set<String> TIME_ATTRIBUTES = Set.of("start_time", "end_time");
  private static final Map<String, Entity> ENTITIES = Map.ofEntries(
      Map.entry("metric", Entity.METRIC),
      Map.entry("metrics", Entity.METRIC),
      Map.entry("param", Entity.PARAM),
      Map.entry("params", Entity.PARAM),
      Map.entry("parameter", Entity.PARAM),
      Map.entry("parameters", Entity.PARAM),
      Map.entry("tag", Entity.TAG),
      Map.entry("tags", Entity.TAG),
      Map.entry("attribute", Entity.ATTRIBUTE),
      Map.entry("attributes", Entity.ATTRIBUTE),
      Map.entry("attr", Entity.ATTRIBUTE),
      Map.entry("run", Entity.ATTRIBUTE));

  private final String text;
  private int pos;

  private FilterParser(String text) {
    this.text = text;
  }

  /** Parses a filter; an empty or blank filter has no clauses. */
  public static List<FilterClause> parseFilter(String filter) {
    if (filter == null || filter.isBlank()) {
      return List.of();
    }
    if (filter.length() > MAX_FILTER_LENGTH) {
      throw new FilterSyntaxException(filter, MAX_FILTER_LENGTH, "the filter is " + filter.length()
          + " characters long; the limit is " + MAX_FILTER_LENGTH + ", search with fewer or shorter clauses");
    }
    return new FilterParser(filter).filter();
  }

  /** Parses one order term such as {@code metrics.acc DESC}. */
  public static OrderClause parseOrder(String term) {
    if (term == null || term.isBlank()) {
      throw new FilterSyntaxException(String.valueOf(term), 0, "an order term must not be empty; write e.g. metrics.acc DESC");
    }
    if (term.length() > MAX_ORDER_TERM_LENGTH) {
      throw new FilterSyntaxException(term, MAX_ORDER_TERM_LENGTH, "the order term is " + term.length()
          + " characters long; the limit is " + MAX_ORDER_TERM_LENGTH);
    }
    return new FilterParser(term).order();
  }

  /**
   * Checks that a search names at most {@value #MAX_KEYS} distinct keys in its filter and order
   * terms together, since each costs one join.
   *
   * @throws FilterSyntaxException naming the limit
   */
  public static void checkKeys(String filter, List<FilterClause> clauses, List<OrderClause> order) {
    Set<String> keys = new HashSet<>();
    for (FilterClause c : clauses) {
      if (c.entity() != Entity.ATTRIBUTE) {
        keys.add(c.entity() + "." + c.key());
      }
    }
    for (OrderClause o : order) {
      if (o.entity() != Entity.ATTRIBUTE) {
        keys.add(o.entity() + "." + o.key());
      }
    }
    if (keys.size() > MAX_KEYS) {
      throw new FilterSyntaxException(String.valueOf(filter), 0, "the search names " + keys.size()
          + " distinct metric, param and tag keys in its filter and order terms; the limit is " + MAX_KEYS
          + ", search with fewer keys");
    }
  }

  private List<FilterClause> filter() {
    List<FilterClause> clauses = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int first = pos;
    clauses.add(counted(clause(), keys, first));
    while (true) {
      skipSpace();
      if (pos >= text.length()) {
        return clauses;
      }
      int start = pos;
      String word = word();
      if (word.equalsIgnoreCase("and")) {
        if (clauses.size() == MAX_CLAUSES) {
          throw error(start, "the filter has more than " + MAX_CLAUSES + " clauses; the limit is " + MAX_CLAUSES
              + ", search with fewer clauses");
        }
        skipSpace();
        int clauseStart = pos;
        clauses.add(counted(clause(), keys, clauseStart));
      } else if (word.equalsIgnoreCase("or")) {
        throw error(start, "OR is not supported; a filter joins clauses with AND only");
      } else {
        throw error(start, "expected AND or the end of the filter but found '" + rest(start) + "'");
      }
    }
  }

  private FilterClause counted(FilterClause clause, Set<String> keys, int start) {
    if (clause.entity() != Entity.ATTRIBUTE && keys.add(clause.entity() + "." + clause.key())
        && keys.size() > MAX_KEYS) {
      throw error(start, "the filter names more than " + MAX_KEYS + " distinct metric, param and tag keys; the"
          + " limit is " + MAX_KEYS + ", search with fewer keys");
    }
    return clause;
  }

  private OrderClause order() {
    Reference ref = reference();
    skipSpace();
    boolean ascending = true;
    if (pos < text.length()) {
      int start = pos;
      String word = word();
      if (word.equalsIgnoreCase("desc")) {
        ascending = false;
      } else if (!word.equalsIgnoreCase("asc")) {
        throw error(start, "expected ASC or DESC but found '" + rest(start) + "'");
      }
      skipSpace();
      if (pos < text.length()) {
        throw error(pos, "unexpected '" + rest(pos) + "' after the sort direction");
      }
    }
    return new OrderClause(ref.entity, ref.key, ascending);
  }

  private record Reference(Entity entity, String key, int position) {}

  private Reference reference() {
    skipSpace();
    int start = pos;
    String prefix = word();
    if (prefix.isEmpty()) {
      throw error(start, "expected metrics., params., tags. or attributes. but found '" + rest(start) + "'");
    }
    Entity entity = ENTITIES.get(prefix.toLowerCase(Locale.ROOT));
    if (entity == null) {
      throw error(start, "unknown entity '" + prefix + "'; use metrics, params, tags or attributes");
    }
    if (pos >= text.length() || text.charAt(pos) != '.') {
      throw error(pos, "expected '.' and a key after '" + prefix + "'");
    }
    pos++;
    int keyStart = pos;
    String key;
    if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
      key = quoted(text.charAt(pos));
    } else {
      while (pos < text.length() && isKeyChar(text.charAt(pos))) {
        pos++;
      }
      key = text.substring(keyStart, pos);
    }
    if (key.isEmpty()) {
      throw error(keyStart, "expected a key after '" + prefix + ".'");
    }
    if (key.length() > Names.MAX_KEY_LENGTH) {
      throw error(keyStart, "the key is " + key.length() + " characters long; the limit is " + Names.MAX_KEY_LENGTH);
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw error(keyStart + 1 + i, "a key holds no control characters (found U+"
            + String.format(Locale.ROOT, "%04X", (int) key.charAt(i)) + "); remove it");
      }
    }
    checkStorable(key, keyStart + 1);
    if (entity == Entity.ATTRIBUTE && !ATTRIBUTES.contains(key)) {
      throw error(keyStart, "unknown attribute '" + key + "'; use one of " + ATTRIBUTES.stream().sorted().toList());
    }
    return new Reference(entity, key, start);
  }

  private FilterClause clause() {
    Reference ref = reference();
    skipSpace();
    int opStart = pos;
    FilterOperator op = operator();
    skipSpace();
    int valueStart = pos;
    Object value = value();
    check(ref, op, opStart, value, valueStart);
    return new FilterClause(ref.entity, ref.key, op, value);
  }

  private void check(Reference ref, FilterOperator op, int opStart, Object value, int valueStart) {
    boolean numeric = ref.entity == Entity.METRIC
        || (ref.entity == Entity.ATTRIBUTE && TIME_ATTRIBUTES.contains(ref.key));
    boolean runId = ref.entity == Entity.ATTRIBUTE && ref.key.equals("run_id");
    String what = describe(ref);
    if (numeric) {
      if (!op.isOrdering()) {
        throw error(opStart, what + " is compared with =, !=, >, >=, < or <=, not " + op.sql());
      }
      if (!(value instanceof Double)) {
        throw error(valueStart, what + " is compared with a number, not " + rest(valueStart));
      }
      return;
    }
    boolean stringOp = op == FilterOperator.EQ || op == FilterOperator.NE
        || op == FilterOperator.LIKE || op == FilterOperator.ILIKE;
    boolean listOp = op == FilterOperator.IN || op == FilterOperator.NOT_IN;
    if (listOp && !runId) {
      throw error(opStart, "IN is allowed for attributes.run_id only, not for " + what);
    }
    if (!stringOp && !listOp) {
      throw error(opStart, what + " is compared with =, !=, LIKE or ILIKE, not " + op.sql());
    }
    if (listOp && !(value instanceof List)) {
      throw error(valueStart, "IN needs a parenthesised list of quoted strings, such as ('a', 'b')");
    }
    if (!listOp && !(value instanceof String)) {
      throw error(valueStart, what + " is compared with a quoted string, such as '0.1'");
    }
  }

  private static String describe(Reference ref) {
    return switch (ref.entity) {
      case METRIC -> "metric '" + ref.key + "'";
      case PARAM -> "param '" + ref.key + "'";
      case TAG -> "tag '" + ref.key + "'";
      case ATTRIBUTE -> "attribute '" + ref.key + "'";
    };
  }

  private FilterOperator operator() {
    int start = pos;
    if (pos >= text.length()) {
      throw error(start, "expected a comparison operator at the end of the filter");
    }
    char c = text.charAt(pos);
    String two = text.substring(pos, Math.min(text.length(), pos + 2));
    switch (two) {
      case "!=", "<>" -> {
        pos += 2;
        return FilterOperator.NE;
      }
      case ">=" -> {
        pos += 2;
        return FilterOperator.GE;
      }
      case "<=" -> {
        pos += 2;
        return FilterOperator.LE;
      }
      case "==" -> {
        pos += 2;
        return FilterOperator.EQ;
      }
      default -> {
        // a one-character operator or a word
      }
    }
    switch (c) {
      case '=' -> {
        pos++;
        return FilterOperator.EQ;
      }
      case '>' -> {
        pos++;
        return FilterOperator.GT;
      }
      case '<' -> {
        pos++;
        return FilterOperator.LT;
      }
      default -> {
        // a word operator
      }
    }
    String word = word().toUpperCase(Locale.ROOT);
    switch (word) {
      case "LIKE":
        return FilterOperator.LIKE;
      case "ILIKE":
        return FilterOperator.ILIKE;
      case "IN":
        return FilterOperator.IN;
      case "NOT":
        skipSpace();
        int inStart = pos;
        if (word().equalsIgnoreCase("in")) {
          return FilterOperator.NOT_IN;
        }
        throw error(inStart, "expected IN after NOT");
      default:
        throw error(start, "expected a comparison operator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN) but found '"
            + rest(start) + "'");
    }
  }

  private Object value() {
    if (pos >= text.length()) {
      throw error(pos, "expected a value at the end of the filter");
    }
    char c = text.charAt(pos);
    if (c == '\'' || c == '"') {
      return checkedValue(pos);
    }
    if (c == '(') {
      return list();
    }
    int start = pos;
    while (pos < text.length() && isNumberChar(text.charAt(pos))) {
      pos++;
    }
    String number = text.substring(start, pos);
    if (number.isEmpty()) {
      throw error(start, "expected a number or a quoted string but found '" + rest(start) + "'");
    }
    try {
      return Double.valueOf(number);
    } catch (NumberFormatException e) {
      throw error(start, "'" + number + "' is not a number");
    }
  }

  private List<String> list() {
    pos++;
    List<String> values = new ArrayList<>();
    while (true) {
      skipSpace();
      if (pos >= text.length() || (text.charAt(pos) != '\'' && text.charAt(pos) != '"')) {
        throw error(pos, "expected a quoted string in the list");
      }
      if (values.size() == MAX_LIST_VALUES) {
        throw error(pos, "the list has more than " + MAX_LIST_VALUES + " values; the limit is " + MAX_LIST_VALUES);
      }
      values.add(checkedValue(pos));
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == ',') {
        pos++;
      } else if (pos < text.length() && text.charAt(pos) == ')') {
        pos++;
        return values;
      } else {
        throw error(pos, "expected ',' or ')' in the list");
      }
    }
  }

  private String checkedValue(int start) {
    String value = quoted(text.charAt(start));
    if (value.length() > MAX_VALUE_LENGTH) {
      throw error(start, "the value is " + value.length() + " characters long; the limit is " + MAX_VALUE_LENGTH);
    }
    checkStorable(value, start + 1);
    return value;
  }

  // Positions are exact when the text has no doubled quotes before the problem, close otherwise.
  private void checkStorable(String s, int offset) {
    int bad = StoredText.firstUnstorable(s);
    if (bad >= 0) {
      throw error(Math.min(text.length(), offset + bad), StoredText.describe(s, bad)
          + " cannot be stored or searched for; remove it");
    }
  }

  private String quoted(char quote) {
    int start = pos;
    pos++;
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        if (pos < text.length() && text.charAt(pos) == quote) {
          out.append(quote);
          pos++;
        } else {
          return out.toString();
        }
      } else {
        out.append(c);
      }
    }
    throw error(start, "the quote " + quote + " opened here is never closed");
  }

  private String word() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '/' || c == ':';
  }

  private static boolean isNumberChar(char c) {
    return Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  }

  private String rest(int from) {
    String r = text.substring(Math.min(from, text.length()));
    return r.length() > 20 ? r.substring(0, 20) + "..." : r;
  }

  private FilterSyntaxException error(int at, String problem) {
    return new FilterSyntaxException(text, at, problem);
  }
}
