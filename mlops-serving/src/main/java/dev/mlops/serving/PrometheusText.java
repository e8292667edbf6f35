package dev.mlops.serving;

/**
 * Writes Prometheus' text exposition format (version 0.0.4): a {@code # HELP} and
 * {@code # TYPE} line per metric family, then one {@code name{label="value"} number} line per
 * sample, label values escaped as the format requires.
 */
final class PrometheusText {
  /** The content type of the format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder text = new StringBuilder(2048);

  void family(String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A sample with label name/value pairs. */
  void sample(String name, double value, String... labels) {
    text.append(name);
    if (labels.length > 0) {
      text.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          text.append(',');
        }
        text.append(labels[i]).append("=\"");
        escape(labels[i + 1]);
        text.append('"');
      }
      text.append('}');
    }
    text.append(' ').append(number(value)).append('\n');
  }

  private void escape(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '"' -> text.append("\\\"");
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
  }

  /** A number as the format writes it: integers without a fraction, NaN and infinities by name. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
