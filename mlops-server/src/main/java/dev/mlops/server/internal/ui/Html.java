package dev.mlops.server.internal.ui;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import com.google.common.net.UrlEscapers;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A page being written: every text and attribute value goes through the HTML escaper, so a value
 * from the store can never become markup. Markup itself comes only from string literals here
 * and in the pages.
 */
final class Html {
  private static final Escaper ESCAPER = HtmlEscapers.htmlEscaper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder(8192);

  /** Escapes text for an element's content or a quoted attribute value. */
  static String escape(String text) {
    return ESCAPER.escape(text);
  }

  /** Escapes one path segment or query value of a URL. */
  static String url(String value) {
    return UrlEscapers.urlFormParameterEscaper().escape(value);
  }

  /** Escapes one path segment of a URL. */
  static String segment(String value) {
    return UrlEscapers.urlPathSegmentEscaper().escape(value);
  }

  /** Escapes a path inside a URL, keeping its slashes. */
  static String urlPath(String value) {
    return UrlEscapers.urlPathSegmentEscaper().escape(value).replace("%2F", "/");
  }

  /** A time in milliseconds since the epoch, in UTC. */
  static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  /** Appends markup written in the page's source; never a value from the store. */
  Html markup(String literal) {
    out.append(literal);
    return this;
  }

  /** Appends escaped text. */
  Html text(String value) {
    out.append(ESCAPER.escape(value));
    return this;
  }

  /** Appends {@code <tag class="css">text</tag>}, the text escaped. */
  Html element(String tag, String css, String value) {
    out.append('<').append(tag);
    if (!css.isEmpty()) {
      out.append(" class=\"").append(css).append('"');
    }
    out.append('>').append(ESCAPER.escape(value)).append("</").append(tag).append('>');
    return this;
  }

  /** Appends a link; the href is built by the caller from escaped parts and a literal path. */
  Html link(String href, String value) {
    out.append("<a href=\"").append(ESCAPER.escape(href)).append("\">").append(ESCAPER.escape(value)).append("</a>");
    return this;
  }

  /** Appends an attribute {@code name="value"} with a leading space, the value escaped. */
  Html attribute(String name, String value) {
    out.append(' ').append(name).append("=\"").append(ESCAPER.escape(value)).append('"');
    return this;
  }

  /** A hidden form field. */
  Html hidden(String name, String value) {
    out.append("<input type=\"hidden\"");
    attribute("name", name).attribute("value", value);
    out.append('>');
    return this;
  }

  /** Appends a table row of header cells. */
  Html headerRow(String... cells) {
    out.append("<tr>");
    for (String c : cells) {
      element("th", "", c);
    }
    out.append("</tr>");
    return this;
  }

  /** Appends a table row of text cells. */
  Html row(String... cells) {
    out.append("<tr>");
    for (String c : cells) {
      element("td", "", c);
    }
    out.append("</tr>");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
