package dev.mlops.benchmarks;

import java.util.Locale;

/** How the results table writes numbers: three significant figures and a readable unit. */
final class Figures {
  private Figures() {}

  /** A duration given in nanoseconds, in ns, µs, ms or s. */
  static String time(double nanos) {
    if (nanos < 1e3) {
      return format(nanos) + " ns";
    }
    if (nanos < 1e6) {
      return format(nanos / 1e3) + " µs";
    }
    if (nanos < 1e9) {
      return format(nanos / 1e6) + " ms";
    }
    return format(nanos / 1e9) + " s";
  }

  /** A rate per second, such as "1.23 M points/s". */
  static String rate(double perSecond, String what) {
    if (perSecond >= 1e6) {
      return format(perSecond / 1e6) + " M " + what + "/s";
    }
    if (perSecond >= 1e3) {
      return format(perSecond / 1e3) + " k " + what + "/s";
    }
    return format(perSecond) + " " + what + "/s";
  }

  /** Bytes in MiB. */
  static String mebibytes(long bytes) {
    return format(bytes / (double) (1L << 20)) + " MiB";
  }

  /** A ratio, such as "0.82×". */
  static String ratio(double r) {
    return format(r) + "×";
  }

  /** Three significant figures, no exponent. */
  static String format(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    double a = Math.abs(v);
    int decimals = a == 0 ? 0 : Math.max(0, 2 - (int) Math.floor(Math.log10(a)));
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }
}
