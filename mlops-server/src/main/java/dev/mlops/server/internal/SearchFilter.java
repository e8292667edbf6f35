package dev.mlops.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filter of MLflow's experiment and registry searches: clauses such as {@code name LIKE 'iris%'},
 * {@code tags.team = 'risk'}, {@code run_id = '…'} or {@code creation_time > 1700000000000} joined
 * by {@code AND}. Text compares with {@code =}, {@code !=}, {@code LIKE} and {@code ILIKE}
 * ({@code %} any run of characters, {@code _} one); numbers with {@code = != < <= > >=}.
 *
 * @param clauses the parsed clauses, in the order written
 */
record SearchFilter(List<SearchFilter.Clause> clauses) {
  /** The longest filter read. */
  static final int MAX_LENGTH = 10_000;

  private static final Pattern CLAUSE = Pattern.compile("\\G\\s*(?:attributes\\.)?(name|run_id|creation_time"
      + "|last_update_time|tags\\.(?:`([^`]+)`|\"([^\"]+)\"|([\\w.\\-]+)))\\s*(=|!=|<=|>=|<|>|(?i:ilike|like))\\s*"
      + "(?:'((?:[^']|'')*)'|(-?\\d{1,19}))\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern AND = Pattern.compile("\\G(?i:and)(?=\\s)");

  /**
   * One comparison.
   *
   * @param field {@code name}, {@code run_id}, {@code creation_time}, {@code last_update_time} or {@code tags}
   * @param tagKey the tag's key when the field is {@code tags}, else null
   * @param op the operator, upper case
   * @param text the value compared with, as written (quotes removed)
   * @param number whether the value was a number
   */
  record Clause(String field, String tagKey, String op, String text, boolean number) {

    /** Whether a text value satisfies this clause; a missing value (null) satisfies none. */
    boolean matches(String actual) {
      if (actual == null) {
        return false;
      }
      return switch (op) {
        case "=" -> actual.equals(text);
        case "!=" -> !actual.equals(text);
        case "LIKE" -> like(text, false).matcher(actual).matches();
        case "ILIKE" -> like(text, true).matcher(actual).matches();
        default -> throw new IllegalStateException("checked when parsed: " + op);
      };
    }

    /** Whether a number satisfies this clause. */
    boolean matches(long actual) {
      long value = Long.parseLong(text);
      return switch (op) {
        case "=" -> actual == value;
        case "!=" -> actual != value;
        case "<" -> actual < value;
        case "<=" -> actual <= value;
        case ">" -> actual > value;
        case ">=" -> actual >= value;
        default -> throw new IllegalStateException("checked when parsed: " + op);
      };
    }
  }

  /**
   * Parses a filter whose clauses may name the {@code textFields} and {@code numberFields} and tags.
   *
   * @throws ApiException {@code INVALID_PARAMETER_VALUE} naming the clause that cannot be read
   */
  static SearchFilter parse(String filter, Set<String> textFields, Set<String> numberFields) {
    if (filter.length() > MAX_LENGTH) {
      throw ApiException.invalid("filter", "at most " + MAX_LENGTH + " characters; got " + filter.length());
    }
    String example = "expected clauses such as name LIKE 'iris%'" + (textFields.contains("run_id")
        ? ", run_id = '<id>'" : "") + (numberFields.isEmpty() ? "" : ", creation_time > 1700000000000")
        + " or tags.team = 'risk' joined by AND";
    List<Clause> clauses = new ArrayList<>();
    String text = filter.strip();
    Matcher m = CLAUSE.matcher(text);
    Matcher and = AND.matcher(text);
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw ApiException.invalid("filter", example + "; cannot read '" + ApiRequest.abbreviate(text.substring(at))
            + "'");
      }
      clauses.add(clause(m, textFields, numberFields));
      at = m.end();
      if (at < text.length()) {
        if (!and.find(at) || and.start() != at) {
          throw ApiException.invalid("filter", example + "; expected AND before '"
              + ApiRequest.abbreviate(text.substring(at)) + "'");
        }
        at = and.end();
      }
    }
    return new SearchFilter(List.copyOf(clauses));
  }

  private static Clause clause(Matcher m, Set<String> textFields, Set<String> numberFields) {
    String written = m.group().strip();
    String field = m.group(1).toLowerCase(Locale.ROOT);
    String tagKey = null;
    if (field.startsWith("tags.")) {
      tagKey = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
      field = "tags";
    }
    String op = m.group(5).toUpperCase(Locale.ROOT);
    boolean number = m.group(7) != null;
    String value = number ? m.group(7) : m.group(6).replace("''", "'");
    boolean numeric = numberFields.contains(field);
    if (!numeric && !field.equals("tags") && !textFields.contains(field)) {
      throw ApiException.invalid("filter", "'" + ApiRequest.abbreviate(written) + "': this search cannot filter by "
          + field + "; it filters by " + fieldNames(textFields, numberFields));
    }
    if (numeric != number || numeric && (op.equals("LIKE") || op.equals("ILIKE"))
        || !numeric && !List.of("=", "!=", "LIKE", "ILIKE").contains(op)) {
      throw ApiException.invalid("filter", "'" + ApiRequest.abbreviate(written) + "': " + (numeric ? field
          + " compares with a whole number by =, !=, <, <=, > or >=" : field + " compares with a quoted text by =, !=,"
          + " LIKE or ILIKE"));
    }
    return new Clause(field, tagKey, op, value, number);
  }

  private static String fieldNames(Set<String> textFields, Set<String> numberFields) {
    List<String> names = new ArrayList<>(textFields);
    names.addAll(numberFields);
    names.add("tags.<key>");
    return String.join(", ", names);
  }

  /**
   * Whether a thing passes every clause.
   *
   * @param text a text field's value by name (null when the thing has none)
   * @param number a number field's value by name
   * @param tags the thing's tags
   */
  boolean matches(Function<String, String> text, Function<String, Long> number, Map<String, String> tags) {
    for (Clause c : clauses) {
      boolean ok = c.field().equals("tags") ? c.matches(tags.get(c.tagKey()))
          : c.number() ? c.matches(number.apply(c.field())) : c.matches(text.apply(c.field()));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The value of the first {@code =} clause on a field, or null: what a store can look up directly. */
  String equalTo(String field) {
    return clauses.stream().filter(c -> c.field().equals(field) && c.op().equals("=")).map(Clause::text)
        .findFirst().orElse(null);
  }

  /** The pattern of the first {@code LIKE} clause on the name, for a store's case-sensitive LIKE, or null. */
  String namePattern() {
    return clauses.stream().filter(c -> c.field().equals("name") && c.op().equals("LIKE")).map(Clause::text)
        .findFirst().orElse(null);
  }

  /** The tags every result must carry with exactly these values. */
  Map<String, String> requiredTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Clause c : clauses) {
      if (c.field().equals("tags") && c.op().equals("=")) {
        tags.putIfAbsent(c.tagKey(), c.text());
      }
    }
    return tags;
  }

  private static Pattern like(String pattern, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
    }
    int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    return Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
  }
}
