package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A number in a gate's verdict and the decision record: four significant digits, a plain
 * fraction's trailing zeros (and then its point) dropped, anything else as {@code %.4g} writes it.
 */
class GateNumberProperties {
  @Property(tries = 2000)
  void aNumberIsItsFourSignificantDigitsWithoutTheTrailingZerosOfAPlainFraction(@ForAll("numbers") double v) {
    String definition = String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    assertEquals(definition, Gate.number(v));
  }

  @Provide
  Arbitrary<Double> numbers() {
    // any double, scores in [0, 1], round values whose zeros go, and the special values
    return Arbitraries.oneOf(
        Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(Double.POSITIVE_INFINITY)
            .withSpecialValue(Double.NEGATIVE_INFINITY).withSpecialValue(-0.0).withSpecialValue(0.0),
        Arbitraries.doubles().between(0, 1),
        Arbitraries.integers().between(-100_000, 100_000).map(i -> i / 1000.0),
        Arbitraries.integers().between(-30, 30).map(e -> Math.pow(10, e)),
        Arbitraries.longs().map(Double::longBitsToDouble));
  }
}
