package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The comparison's page on its own: numbers people read, the best run, charts drawn from downsampled histories. */
class RunComparisonTest {
  private static RunRecord run(String id, String name, Map<String, String> params, Map<String, Double> metrics) {
    Map<String, Metric> latest = new java.util.TreeMap<>();
    metrics.forEach((k, v) -> latest.put(k, new Metric(v, 0, 9)));
    return new RunRecord(id, "1", name, null, RunStatus.FINISHED, 0, 1L, false, params, latest, Map.of(), List.of(),
        List.of());
  }

  private static List<Metric> curve(double scale, int n) {
    List<Metric> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(new Metric(scale / (1 + i), i, i));
    }
    return points;
  }

  @Test
  void valuesAreRoundedToSixSignificantDigitsAndIntegersStayWhole() {
    assertEquals("0.933333", RunComparison.format(0.9333333333333333));
    assertEquals("42", RunComparison.format(42.0));
    assertEquals("-0.5", RunComparison.format(-0.5));
    assertEquals("1.23457e-07", RunComparison.format(1.23456789e-7));
    assertEquals("NaN", RunComparison.format(Double.NaN));
    assertEquals("1234.57", RunComparison.format(1234.5678));
  }

  @Test
  void lossesAndErrorsAreBetterLowAndTheBestRunIsMarked() {
    assertTrue(RunComparison.lowerIsBetter("val_loss"));
    assertTrue(RunComparison.lowerIsBetter("rmse"));
    assertTrue(RunComparison.lowerIsBetter("error.rate"));
    assertFalse(RunComparison.lowerIsBetter("accuracy"));
    assertFalse(RunComparison.lowerIsBetter("f1"));
    RunRecord a = run("a1", "a", Map.of("lr", "0.1"), Map.of("loss", 0.4, "accuracy", 0.8));
    RunRecord b = run("b1", "b", Map.of("lr", "0.2"), Map.of("loss", 0.2, "accuracy", Double.NaN));
    RunComparison c = RunComparison.of(List.of(a, b));
    assertEquals("b1", c.best("loss").orElseThrow().runId());
    assertEquals("a1", c.best("accuracy").orElseThrow().runId(), "NaN never wins");
    assertTrue(c.best("missing").isEmpty());
  }

  @Test
  void thePageDrawsOneChartPerMetricFromAtMostChartPointsPerRun() {
    RunRecord a = run("a1", "a <i>", Map.of("lr", "0.1", "seed", "7"), Map.of("loss", 0.1));
    RunRecord b = run("b1", "b", Map.of("lr", "0.2", "seed", "7"), Map.of("loss", 0.2, "single", 1.0));
    RunComparison c = RunComparison.of(List.of(a, b), (runId, key) -> key.equals("loss")
        ? curve(runId.equals("a1") ? 1 : 2, 5_000) : List.of(new Metric(1, 0, 0)));
    assertEquals(RunComparison.CHART_POINTS, c.history("a1", "loss").size());
    assertEquals(List.of(), c.history("a1", "single"), "a run that did not log a metric has no history of it");
    String html = c.toHtml();
    assertEquals(1, count(html, "<svg "), "a metric logged at one step only gets no chart");
    Matcher polyline = Pattern.compile("<polyline[^>]* points=\"([^\"]*)\"").matcher(html);
    int lines = 0;
    while (polyline.find()) {
      lines++;
      assertEquals(RunComparison.CHART_POINTS, polyline.group(1).split(" ").length);
    }
    assertEquals(2, lines);
    assertTrue(html.contains("a &lt;i&gt;") && !html.contains("<i>"), "names are escaped everywhere");
    assertTrue(html.contains("1 param is equal in every run and hidden: seed=7"), html);
    assertTrue(html.contains("<td class=\"differs\">0.2</td>"), "the value that differs from the first run is marked");
    for (String external : List.of("<script", "<link", "src=", "@import", "url(", "https://")) {
      assertFalse(html.contains(external), "the page refers to something outside it: " + external);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
