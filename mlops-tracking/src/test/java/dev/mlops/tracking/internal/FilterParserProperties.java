package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.tracking.FilterSyntaxException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the filter and order-term parser: whatever the text, it either parses within the
 * grammar's limits or fails with a {@link FilterSyntaxException} whose position lies inside the
 * text and whose message names it; nothing else ever comes out. Three samplers, seeded: strings
 * of any characters (NUL, lone surrogates, controls included), sequences of the grammar's own
 * tokens (which reach deep into the parser), and valid filters with one character inserted,
 * deleted or replaced.
 */
class FilterParserProperties {
  private static final List<String> VALID = List.of(
      "metrics.acc >= 0.9 AND params.lr = '0.1' and tags.`my tag` ILIKE \"%x%\"",
      "attribute.run_id IN ('a','b') and metric.\"val loss\" < -1e-3",
      "attributes.status != 'FAILED' and params.name = 'it''s' and attributes.start_time > 5",
      "tags.team LIKE 'ri%' and attributes.run_id NOT IN ('x')");

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.strings().all().ofMaxLength(120);
  }

  @Provide
  Arbitrary<String> tokens() {
    Arbitrary<String> token = Arbitraries.of("metrics", "params", "tags", "attributes", "attr", "run", ".", "`",
        "\"", "'", "(", ")", ",", "=", "==", "!=", "<>", ">", ">=", "<", "<=", "LIKE", "ILIKE", "IN", "NOT", "AND",
        "and", "OR", " ", "  ", "acc", "lr", "run_id", "status", "start_time", "0.9", "-1e-3", "1e999", "1.2.3",
        "+", "e", "\0", "\uD800", "\uDC00", "\t", "\n", "x".repeat(300), "''", "status'");
    return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<String> mutated() {
    Arbitrary<String> base = Arbitraries.of(VALID);
    return Combinators.combine(base, Arbitraries.integers().between(0, 200), Arbitraries.chars().all(),
        Arbitraries.integers().between(0, 2)).as((text, at, c, kind) -> {
          int i = Math.min(at, text.length());
          return switch (kind) {
            case 0 -> text.substring(0, i) + c + text.substring(i);
            case 1 -> i < text.length() ? text.substring(0, i) + text.substring(i + 1) : text;
            default -> i < text.length() ? text.substring(0, i) + c + text.substring(i + 1) : text + c;
          };
        });
  }

  @Property(tries = 4000, seed = "20261201")
  void anyTextParsesOrFailsWithAPosition(@ForAll("anyText") String text) {
    check(text);
  }

  @Property(tries = 4000, seed = "20261202")
  void grammarTokensParseOrFailWithAPosition(@ForAll("tokens") String text) {
    check(text);
  }

  @Property(tries = 4000, seed = "20261203")
  void mutatedFiltersParseOrFailWithAPosition(@ForAll("mutated") String text) {
    check(text);
  }

  /** What parsing one fuzzed filter (at most a few thousand characters) may allocate. */
  private static final long ALLOCATION_BUDGET = 4L << 20;

  private static void check(String text) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      List<FilterClause> clauses = FilterParser.parseFilter(text);
      assertTrue(clauses.size() <= FilterParser.MAX_CLAUSES);
      for (FilterClause c : clauses) {
        assertTrue(c.key().length() <= 250 && StoredText.firstUnstorable(c.key()) < 0, c.key());
        assertFalse(c.key().chars().anyMatch(Character::isISOControl), c.key());
        if (c.value() instanceof String s) {
          assertTrue(StoredText.firstUnstorable(s) < 0, s);
        }
      }
    } catch (FilterSyntaxException e) {
      checkError(text, e);
    } catch (RuntimeException e) {
      fail("parsing " + StoredText.printable(text) + " threw " + e, e);
    }
    try {
      FilterParser.parseOrder(text);
    } catch (FilterSyntaxException e) {
      checkError(text, e);
    } catch (RuntimeException e) {
      fail("parsing the order term " + StoredText.printable(text) + " threw " + e, e);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < ALLOCATION_BUDGET, "parsing " + text.length() + " characters allocated " + allocated);
  }

  private static void checkError(String text, FilterSyntaxException e) {
    assertTrue(e.position() >= 0 && e.position() <= Math.max(text.length(), FilterParser.MAX_FILTER_LENGTH),
        e.getMessage());
    assertTrue(e.getMessage().contains("at position " + e.position()), e.getMessage());
    assertTrue(e.getMessage().length() < 2_000, "a short message");
  }
}
