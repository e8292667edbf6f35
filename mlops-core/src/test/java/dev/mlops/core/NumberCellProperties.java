package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written scanner that decides whether a CSV cell is a number accepts exactly what the
 * documented grammar (written here as the regular expression it was once checked with) accepts,
 * and the value read from every accepted cell is the JDK's {@link Double#parseDouble} of it, bit
 * for bit.
 */
class NumberCellProperties {
  private static final Pattern GRAMMAR =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(Infinity|inf|Inf|INF)|NaN|nan");

  @Property(tries = 3000)
  void scannerAgreesWithTheGrammar(@ForAll("cells") String cell) {
    assertEquals(GRAMMAR.matcher(cell.strip()).matches(), FrameCsv.isNumber(cell), "cell '" + cell + "'");
  }

  @Property(tries = 3000)
  void everyAcceptedCellReadsAsTheJdkReadsIt(@ForAll("cells") String cell) {
    if (FrameCsv.isNumber(cell)) {
      assertEquals(jdk(cell), FrameCsv.parseNumber(cell), "cell '" + cell + "'");
    }
  }

  /**
   * Decimal literals as CSV files hold them: doubles (jqwik's, and random bit patterns, so
   * subnormals and every exponent) written by {@link Double#toString} or with 1 to 17 significant
   * digits; a few known hard cases (0.1, 0.3, 1e23, 2^53 + 1, the normal/subnormal boundary, the
   * largest and smallest doubles); digit strings of up to 40 + 30 digits with exponents from -360
   * to 330; with or without a sign and surrounding blanks.
   */
  @Property(tries = 5000)
  void decimalLiteralsReadAsTheJdkReadsThem(@ForAll("literals") String cell) {
    assertEquals(true, FrameCsv.isNumber(cell), cell);
    assertEquals(Double.doubleToRawLongBits(jdk(cell)), Double.doubleToRawLongBits(FrameCsv.parseNumber(cell)), cell);
  }

  private static double jdk(String cell) {
    String s = cell.strip();
    if (s.endsWith("nf") || s.endsWith("NF")) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return s.equals("nan") ? Double.NaN : Double.parseDouble(s);
  }

  @Provide
  Arbitrary<String> literals() {
    Arbitrary<Double> doubles = Arbitraries.oneOf(
        Arbitraries.doubles(),
        Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
        Arbitraries.of(Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 0.1, 0.3, 1e23, 9007199254740993.0,
            2.2250738585072011e-308, 4.9e-324, 1.7976931348623157e308));
    Arbitrary<String> written = Arbitraries.oneOf(
        doubles.map(d -> Double.toString(d)),
        Combinators.combine(doubles, Arbitraries.integers().between(1, 17))
            .as((d, digits) -> String.format(java.util.Locale.ROOT, "%." + (digits - 1) + "e", d)),
        Combinators.combine(Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(40),
            Arbitraries.strings().withCharRange('0', '9').ofMaxLength(30), Arbitraries.integers().between(-360, 330))
            .as((whole, fraction, exp) -> whole + (fraction.isEmpty() ? "" : "." + fraction) + "e" + exp));
    return Combinators.combine(Arbitraries.of("", "-", "+"), written, Arbitraries.of("", " ", "\t"))
        .as((sign, body, blank) -> blank + (body.startsWith("-") ? body : sign + body) + blank);
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
