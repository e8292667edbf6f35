package dev.mlops.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The experiment and registry search filter: any text is read or refused with a 400, and what is written reads back. */
class SearchFilterProperties {
  private static final Set<String> TEXT = Set.of("name", "run_id");
  private static final Set<String> NUMBERS = Set.of("creation_time", "last_update_time");

  @Property(tries = 300)
  void anyTextIsReadOrRefusedAsInvalidInput(@ForAll("noise") String filter) {
    try {
      SearchFilter parsed = SearchFilter.parse(filter, TEXT, NUMBERS);
      assertTrue(parsed.clauses().size() <= filter.length());
    } catch (ApiException e) {
      assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
      assertTrue(e.getMessage().length() < 1_000, "a refusal quotes at most an abbreviation of the filter");
    }
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> pieces = Arbitraries.of("name", "tags.", "`k`", "run_id", "creation_time", " ", "=", "!=", "<",
        ">=", "LIKE", "ilike", "'", "''", "x%", "AND", "and", "OR", "12", "-3", "99999999999999999999", "\"", "attributes.");
    return Arbitraries.oneOf(pieces.list().ofMaxSize(12).map(l -> String.join("", l)),
        Arbitraries.strings().ofMaxLength(60), Arbitraries.strings().ofLength(SearchFilter.MAX_LENGTH + 1));
  }

  /** A clause as a client writes it, and what it means. */
  record Written(String text, String field, String tagKey, String op, String value) {}

  @Property(tries = 150)
  void writtenClausesReadBackAsWritten(@ForAll("clauses") List<Written> written) {
    List<String> texts = new ArrayList<>();
    written.forEach(w -> texts.add(w.text()));
    SearchFilter parsed = SearchFilter.parse(String.join(" AND ", texts), TEXT, NUMBERS);
    assertEquals(written.size(), parsed.clauses().size());
    for (int i = 0; i < written.size(); i++) {
      SearchFilter.Clause c = parsed.clauses().get(i);
      Written w = written.get(i);
      assertEquals(List.of(w.field(), String.valueOf(w.tagKey()), w.op(), w.value()),
          List.of(c.field(), String.valueOf(c.tagKey()), c.op(), c.text()));
    }
  }

  @Provide
  Arbitrary<List<Written>> clauses() {
    Arbitrary<String> values = Arbitraries.strings().withChars("ab' %_AND and").ofMaxLength(12);
    Arbitrary<Written> text = Combinators.combine(Arbitraries.of("name", "run_id", "tags"),
        Arbitraries.of("=", "!=", "LIKE", "ILIKE"), values, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5))
        .as((field, op, value, key) -> new Written((field.equals("tags") ? "tags.`" + key + "`" : field) + " " + op
            + " '" + value.replace("'", "''") + "'", field, field.equals("tags") ? key : null, op, value));
    Arbitrary<Written> number = Combinators.combine(Arbitraries.of(NUMBERS), Arbitraries.of("=", "!=", "<", "<=", ">",
        ">="), Arbitraries.longs()).as((field, op, n) -> new Written(field + op + n, field, null, op, Long.toString(n)));
    return Arbitraries.oneOf(text, number).list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 100)
  void likeMatchesAsSqlDoes(@ForAll("names") String name) {
    SearchFilter prefix = SearchFilter.parse("name LIKE '" + name.substring(0, 1).replace("'", "''") + "%'", TEXT,
        NUMBERS);
    assertTrue(prefix.matches(f -> name, f -> 0L, Map.of()));
    SearchFilter exact = SearchFilter.parse("name = '" + name.replace("'", "''") + "'", TEXT, NUMBERS);
    assertTrue(exact.matches(f -> name, f -> 0L, Map.of()));
    assertTrue(!exact.matches(f -> name + "x", f -> 0L, Map.of()));
    SearchFilter ignoringCase = SearchFilter.parse("name ILIKE '" + name.toUpperCase(java.util.Locale.ROOT)
        .replace("'", "''").replace("%", "_") + "'", TEXT, NUMBERS);
    assertTrue(ignoringCase.matches(f -> name.toLowerCase(java.util.Locale.ROOT), f -> 0L, Map.of()));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("abcXYZ.-'%_ ").ofMinLength(1).ofMaxLength(10);
  }
}
