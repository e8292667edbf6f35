package dev.mlops.tracking.internal;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Small self-contained SVG charts, drawn without script: lines over a shared x axis, or points.
 * Every label is escaped. Used by pages that must work with no script at all, such as a
 * comparison shown in a notebook.
 *
 * <pre>{@code
 * String svg = SvgChart.lines("loss", "step", List.of(new SvgChart.Line("run a", "#1f77b4", steps, values)),
 *     SvgChart.PALETTE::toString);
 * }</pre>
 */
public final class SvgChart {
  /** Colors told apart by most readers, one per line in order. */
  public static final List<String> PALETTE = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
      "#8c564b", "#e377c2", "#17becf");
  private static final int WIDTH = 360;
  private static final int HEIGHT = 200;
  private static final int LEFT = 66;
  private static final int RIGHT = 10;
  private static final int TOP = 22;
  private static final int BOTTOM = 28;

  private SvgChart() {}

  /**
   * One series.
   *
   * @param name its name, for the tooltip
   * @param color its stroke color, from {@link #PALETTE}
   * @param x its x coordinates
   * @param y its values, as many; non-finite ones are left out
   */
  public record Line(String name, String color, double[] x, double[] y) {}

  /** The color of the series at this position. */
  public static String color(int index) {
    return PALETTE.get(index % PALETTE.size());
  }

  /**
   * A chart of these lines, or an empty string when no line has two finite points at distinct x.
   *
   * @param points whether to draw each point as a dot instead of joining them
   * @param format how axis bounds are written
   */
  public static String lines(String title, String xLabel, List<Line> lines, boolean points, DoubleFunction<String> format) {
    Escaper esc = HtmlEscapers.htmlEscaper();
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    int finite = 0;
    for (Line line : lines) {
      for (int i = 0; i < line.x.length; i++) {
        if (Double.isFinite(line.y[i]) && Double.isFinite(line.x[i])) {
          finite++;
          minX = Math.min(minX, line.x[i]);
          maxX = Math.max(maxX, line.x[i]);
          minY = Math.min(minY, line.y[i]);
          maxY = Math.max(maxY, line.y[i]);
        }
      }
    }
    if (finite < 2 || !(maxX > minX) && !points) {
      return "";
    }
    if (maxX == minX) {
      maxX += 0.5;
      minX -= 0.5;
    }
    if (maxY == minY) {
      maxY += 0.5;
      minY -= 0.5;
    }
    double lowX = minX;
    double highX = maxX;
    double lowY = minY;
    double highY = maxY;
    if (points) {
      // dots on the bounds would be cut in half by the frame
      double padX = (maxX - minX) * 0.06;
      double padY = (maxY - minY) * 0.06;
      minX -= padX;
      maxX += padX;
      minY -= padY;
      maxY += padY;
    }
    double sx = (WIDTH - LEFT - RIGHT) / (maxX - minX);
    double sy = (HEIGHT - TOP - BOTTOM) / (maxY - minY);
    StringBuilder out = new StringBuilder(1024);
    out.append("<svg class=\"chart\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"><title>").append(esc.escape(title))
        .append("</title><rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
        .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(HEIGHT - TOP - BOTTOM)
        .append("\" fill=\"#fff\" stroke=\"#ccc\"/>");
    text(out, LEFT, 14, "start", esc.escape(title), true);
    // the bounds of the data, not of the padded frame
    text(out, LEFT - 4, TOP + 8, "end", esc.escape(format.apply(highY)), false);
    text(out, LEFT - 4, HEIGHT - BOTTOM, "end", esc.escape(format.apply(lowY)), false);
    text(out, LEFT, HEIGHT - 10, "start", esc.escape(xLabel + " " + format.apply(lowX)), false);
    text(out, WIDTH - RIGHT, HEIGHT - 10, "end", esc.escape(format.apply(highX)), false);
    int legend = lines.stream().mapToInt(l -> 7 * l.name.length() + 12).sum();
    // a legend only where it fits beside the title; a page with many lines names their colors elsewhere
    if (lines.size() > 1 && !points && legend <= WIDTH - RIGHT - LEFT - 7 * title.length() - 10) {
      int at = WIDTH - RIGHT;
      for (int i = lines.size() - 1; i >= 0; i--) {
        String name = esc.escape(lines.get(i).name);
        out.append("<text x=\"").append(at).append("\" y=\"14\" text-anchor=\"end\" fill=\"")
            .append(lines.get(i).color).append("\">").append(name).append("</text>");
        at -= 7 * lines.get(i).name.length() + 12;
      }
    }
    for (Line line : lines) {
      StringBuilder coords = new StringBuilder();
      for (int i = 0; i < line.x.length; i++) {
        if (!Double.isFinite(line.y[i]) || !Double.isFinite(line.x[i])) {
          continue;
        }
        double px = LEFT + (line.x[i] - minX) * sx;
        double py = HEIGHT - BOTTOM - (line.y[i] - minY) * sy;
        if (points) {
          out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>", px, py,
              line.color)).append(esc.escape(line.name)).append("</title></circle>");
        } else {
          coords.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        }
      }
      if (!coords.isEmpty()) {
        out.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(line.color)
            .append("\" points=\"").append(coords.toString().strip()).append("\"><title>").append(esc.escape(line.name))
            .append("</title></polyline>");
      }
    }
    return out.append("</svg>").toString();
  }

  private static void text(StringBuilder out, int x, int y, String anchor, String escaped, boolean bold) {
    out.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
        .append('"').append(bold ? " font-weight=\"600\"" : "").append('>').append(escaped).append("</text>");
  }
}
