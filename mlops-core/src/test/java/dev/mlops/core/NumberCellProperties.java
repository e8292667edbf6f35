package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written scanner that decides whether a CSV cell is a number accepts exactly what the
 * documented grammar (written here as the regular expression it was once checked with) accepts.
 */
class NumberCellProperties {
  private static final Pattern GRAMMAR =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(Infinity|inf|Inf|INF)|NaN|nan");

  @Property(tries = 3000)
  void scannerAgreesWithTheGrammar(@ForAll("cells") String cell) {
    assertEquals(GRAMMAR.matcher(cell.strip()).matches(), FrameCsv.isNumber(cell), "cell '" + cell + "'");
  }

  @Example
  void knownCells() {
    for (String yes : new String[] {"1", " -2.5 ", "+.5", "3.", "1e9", "1E-9", "-inf", "Infinity", "NaN", "nan", "007"}) {
      assertEquals(true, FrameCsv.isNumber(yes), yes);
    }
    for (String no : new String[] {"", ".", "-", "e5", "1e", "1e+", "1.2.3", "--1", "+NaN", "0x10", "1_000", "١"}) {
      assertEquals(false, FrameCsv.isNumber(no), no);
    }
  }

  @Provide
  Arbitrary<String> cells() {
    Arbitrary<String> pieces = Arbitraries.of("0", "7", "42", ".", "+", "-", "e", "E", "inf", "Inf", "INF",
        "Infinity", "NaN", "nan", " ", "x", "١", "\t");
    return pieces.list().ofMaxSize(7).map(l -> String.join("", l));
  }
}
