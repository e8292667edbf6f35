package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report: self-contained, and drawn by a real browser without console errors. */
class HtmlReportTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private static DriftReport report() {
    SplittableRandom r = new SplittableRandom(9);
    Schema schema = Schema.of(Field.optional("age", FieldType.DOUBLE), Field.optional("income", FieldType.DOUBLE),
        Field.optional("city <&>", FieldType.STRING));
    var ref = Frame.builder(schema);
    var cur = Frame.builder(schema);
    String[] cities = {"Lyon", "Paris", "Nice"};
    for (int i = 0; i < 3_000; i++) {
      ref.row(20 + 40 * r.nextDouble(), 1000 * r.nextDouble(), cities[r.nextInt(3)]);
      cur.row(30 + 40 * r.nextDouble(), 1000 * r.nextDouble(), i % 5 == 0 ? "Brest" : cities[r.nextInt(2)]);
    }
    return Drift.between(ref.build(), cur.build()).run();
  }

  @Test
  void shareLabelsKeepTheirZerosBeforeTheDecimalPoint() {
    assertEquals("80%", HtmlReport.percentLabel(0.8));
    assertEquals("100%", HtmlReport.percentLabel(1.0));
    assertEquals("12%", HtmlReport.percentLabel(0.1222));
    assertEquals("0.5%", HtmlReport.percentLabel(0.005));
    assertEquals("67%", HtmlReport.percentLabel(2.0 / 3));
    assertEquals("0%", HtmlReport.percentLabel(0));
  }

  @Test
  void pageIsSelfContainedAndEscaped() {
    String html = report().toHtml();
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    for (String external : List.of("<script", "<link", "src=", "href=", "@import", "url(", "https://")) {
      assertFalse(html.contains(external), "the page refers to something outside it: " + external);
    }
    assertEquals(3, count(html, "<svg "));
    assertTrue(html.contains("city &lt;&amp;&gt;"));
    assertFalse(html.contains("city <&>"));
    int age = html.indexOf("<td>age</td>");
    int income = html.indexOf("<td>income</td>");
    assertTrue(age > 0 && income > age, "drifted columns are listed first");
  }

  @Test
  void writeHtmlReplacesTheFileWhole(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("drift.html");
    Files.writeString(file, "old");
    DriftReport report = report();
    report.writeHtml(file);
    assertEquals(report.toHtml(), Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void chromiumRendersTheHistogramsWithoutConsoleErrors(@TempDir Path dir) throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    if (!Files.isExecutable(CHROMIUM)) {
      if (ci) {
        fail("CI=true but " + CHROMIUM + " is missing; install the chromium package");
      }
      Assumptions.abort(CHROMIUM + " is not installed; install the chromium package to run this test");
    }
    Path page = dir.resolve("drift.html");
    report().writeHtml(page);
    Path shot = dir.resolve("drift.png");
    Result screenshot = chromium(dir, "--screenshot=" + shot, "--window-size=1280,1600", page.toUri().toString());
    assertNoConsoleErrors(screenshot.stderr);
    assertTrue(Files.size(shot) > 10_000, "screenshot is suspiciously small");
    BufferedImage image = ImageIO.read(shot.toFile());
    assertTrue(pixelsNear(image, 0x4e79a7) > 500, "reference bars are not drawn");
    assertTrue(pixelsNear(image, 0xf28e2b) > 500, "current bars are not drawn");

    Result dom = chromium(dir, "--dump-dom", page.toUri().toString());
    assertNoConsoleErrors(dom.stderr);
    assertEquals(3, count(dom.stdout, "<svg "));
    assertTrue(count(dom.stdout, "<rect ") > 20);
  }

  private record Result(String stdout, String stderr) {}

  private static Result chromium(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0"));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within 90 s");
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "chromium failed: " + stderr);
    return new Result(Files.readString(out, StandardCharsets.UTF_8), stderr);
  }

  private static void assertNoConsoleErrors(String stderr) {
    Matcher m = Pattern.compile("^.*(CONSOLE\\(|Uncaught|Failed to load resource).*$", Pattern.MULTILINE)
        .matcher(stderr);
    if (m.find()) {
      fail("the page wrote to the console: " + m.group());
    }
  }

  private static int pixelsNear(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 12
            && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 12
            && Math.abs((p & 0xff) - (rgb & 0xff)) < 12) {
          n++;
        }
      }
    }
    return n;
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** A report with a shifted continuous column, 20 per-value bars and long category names. */
  private static DriftReport crowdedReport() {
    SplittableRandom r = new SplittableRandom(4);
    Schema schema = Schema.of(Field.optional("shifted", FieldType.DOUBLE), Field.optional("steps", FieldType.DOUBLE),
        Field.optional("segment", FieldType.STRING));
    var ref = Frame.builder(schema);
    var cur = Frame.builder(schema);
    String[] segments = {"enterprise customers", "small and medium business", "public sector", "consumers"};
    for (int i = 0; i < 4_000; i++) {
      ref.row(r.nextGaussian(), 0.5 * r.nextInt(20) + (r.nextInt(20) == 0 ? 0.1 : 0), segments[r.nextInt(4)]);
      cur.row(3 + r.nextGaussian(), 0.5 * r.nextInt(20), segments[r.nextInt(3)]);
    }
    return Drift.between(ref.build(), cur.build()).run();
  }

  @Test
  void numbersHaveSignificantDigitsAndEveryColumnItsSummary() {
    String html = crowdedReport().toHtml();
    assertFalse(html.matches("(?s).*\\d\\.\\d*0<.*"), "a number ends in a trailing zero");
    assertEquals(2, count(html, "<table class=\"stats\">"), "a summary beside each numeric histogram");
    assertTrue(html.contains("<td>25%</td>"));
    assertTrue(html.contains(">0%</text>"), "the y-axis starts at 0% of rows");
  }

  @Test
  void rangeBinsStandAtTheirEdgesWithTheOpenEndsAtTheDataRange() {
    assertEquals(List.of(-1.5, 0.25, 3.0), java.util.Arrays.stream(HtmlReport.rangeEdges(
        List.of("[-inf, -1.5)", "[-1.5, 0.25)", "[0.25, 3)", "[3, +inf)")).orElseThrow()).boxed().toList());
    assertTrue(HtmlReport.rangeEdges(List.of("0.5", "1", "other")).isEmpty(), "per-value bins keep their slots");
    Frame ref = Frames.numeric("x", java.util.stream.IntStream.range(0, 1_001).asDoubleStream().toArray());
    Frame cur = Frames.numeric("x", java.util.stream.IntStream.range(0, 1_001).mapToDouble(i -> i + 2_000).toArray());
    String html = Drift.between(ref, cur).run().toHtml();
    assertTrue(html.contains(">0</text>"), "the axis starts at the data's minimum");
    assertTrue(html.contains(">3000</text>"), "and ends at its maximum");
    assertFalse(html.contains("inf</text>"), "no open end is drawn as a slot labelled with infinity");
  }

  @Test
  void anEmptyCurrentFrameIsAWarning() {
    Frame ref = Frames.numeric("x", new double[] {1, 2, 3, 4, 5, 6, 7});
    DriftReport report = Drift.between(ref, Frames.numeric("x", new double[0])).run();
    assertTrue(report.summary().startsWith("warning: the current data has no rows"), report.summary());
    assertTrue(report.toHtml().contains("<p class=\"bad\">warning: the current data has no rows"));
  }

  /**
   * Chromium lays out the report with a probe script added to a copy of the page: every axis and
   * bin label's box lies inside its chart and no two labels of a chart overlap.
   */
  @Test
  void chromiumLaysEveryLabelInsideItsChartWithoutOverlap(@TempDir Path dir) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + CHROMIUM + " is missing; install the chromium package");
      }
      Assumptions.abort(CHROMIUM + " is not installed; install the chromium package to run this test");
    }
    String probe = """
        <script>
        const out = [];
        document.querySelectorAll('svg').forEach((svg, k) => {
          const c = svg.getBoundingClientRect();
          const boxes = [...svg.querySelectorAll('text.label')].map(t => t.getBoundingClientRect());
          boxes.forEach((b, i) => {
            if (b.left < c.left - 0.5 || b.right > c.right + 0.5 || b.top < c.top - 0.5 || b.bottom > c.bottom + 0.5)
              out.push('chart ' + k + ' label ' + i + ' outside');
            boxes.forEach((o, j) => {
              if (j > i && b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom)
                out.push('chart ' + k + ' labels ' + i + ' and ' + j + ' overlap');
            });
          });
          out.push('chart ' + k + ' has ' + boxes.length + ' labels');
        });
        const pre = document.createElement('pre');
        pre.id = 'layout';
        pre.textContent = out.join('|');
        document.body.appendChild(pre);
        </script>
        """;
    Path page = dir.resolve("layout.html");
    Files.writeString(page, crowdedReport().toHtml().replace("</body>", probe + "</body>"));
    Result dom = chromium(dir, "--dump-dom", page.toUri().toString());
    Matcher m = Pattern.compile("<pre id=\"layout\">([^<]*)</pre>").matcher(dom.stdout);
    assertTrue(m.find(), "the probe did not run: " + dom.stderr);
    String layout = m.group(1);
    assertFalse(layout.contains("outside") || layout.contains("overlap"), layout);
    assertEquals(3, count(layout, " labels"), layout);
    assertFalse(layout.contains("has 0 labels") || layout.contains("has 1 labels"), layout);
  }
}
