package dev.mlops.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FiguresTest {
  @Test
  void timesTakeTheLargestUnitBelowTheValue() {
    assertEquals("650 ns", Figures.time(650));
    assertEquals("10.3 µs", Figures.time(10_300));
    assertEquals("1.50 ms", Figures.time(1_500_000));
    assertEquals("2.35 s", Figures.time(2_345_000_000.0));
  }

  @Test
  void ratesAndRatiosKeepThreeSignificantFigures() {
    assertEquals("1.23 M points/s", Figures.rate(1_234_567, "points"));
    assertEquals("5.60 k requests/s", Figures.rate(5_600, "requests"));
    assertEquals("12.0 rows/s", Figures.rate(12, "rows"));
    assertEquals("0.823×", Figures.ratio(0.8234));
    assertEquals("256 MiB", Figures.mebibytes(256L << 20));
    assertEquals("0.000362×", Figures.ratio(0.000362));
    assertEquals("1,235", Figures.format(1234.5));
    assertEquals("0", Figures.format(0));
  }
}
