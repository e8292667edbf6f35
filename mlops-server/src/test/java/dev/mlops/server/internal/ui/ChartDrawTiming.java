package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Records (never asserts) how long Chromium takes to fetch and draw the chart of a metric of
 * 1,000,000 points, from the page's own {@code performance.measure} entries: run it with
 * {@code mvn -pl mlops-server -am verify -Dtest=ChartDrawTiming -Dmlops.ui.timing=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; it writes {@code target/ui-chart-timing.txt}.
 */
@EnabledIfSystemProperty(named = "mlops.ui.timing", matches = "true")
class ChartDrawTiming {
  static final int POINTS = 1_000_000;
  static final int LOADS = 10;

  @Test
  void recordsTheFetchAndDrawTimesOfAMillionPointChart(@TempDir Path dir) throws Exception {
    String store = "sqlite:" + dir.resolve("mlops.db");
    String runId;
    try (Tracker tracker = Tracker.open(store); Run run = tracker.experiment("timing").run("million").start()) {
      runId = run.id();
      for (int i = 0; i < POINTS; i++) {
        run.metric("loss", Math.exp(-i / 200_000.0) + 0.01 * Math.sin(i / 100.0), i);
      }
    }
    List<Double> fetch = new ArrayList<>();
    List<Double> draw = new ArrayList<>();
    try (TrackingServer server = TrackingServer.builder(store).artifacts(dir.resolve("a")).port(0).start();
         Browser browser = Browser.start(dir.resolve("profile"), Path.of("target", "ui-screenshots"))) {
      for (int i = 0; i < LOADS; i++) {
        browser.open(server.uri().resolve("/ui/runs/" + runId).toString());
        browser.waiting().until(d -> !d.findElements(By.cssSelector("figure.chart[data-drawn]")).isEmpty());
        assertEquals(String.valueOf(POINTS), browser.driver.findElement(By.cssSelector("figure.chart"))
            .getAttribute("data-total"));
        fetch.add(measure(browser, "mlops-chart-fetch loss"));
        draw.add(measure(browser, "mlops-chart-draw loss"));
      }
      browser.screenshot("20-million-point-chart");
      browser.assertClean();
    }
    String text = String.format(Locale.ROOT, "chart of %,d points, %d page loads in headless Chromium%n"
        + "fetch (request to parsed JSON), ms: %s%ndraw (uPlot from data to canvas), ms: %s%n"
        + "first load includes reading the history from SQLite; later loads use the server's cache%n",
        POINTS, LOADS, fetch, draw);
    Files.writeString(Path.of("target", "ui-chart-timing.txt"), text);
  }

  private static double measure(Browser browser, String name) {
    return ((Number) browser.driver.executeScript("const e = performance.getEntriesByName(arguments[0]);"
        + " return e[e.length - 1].duration;", name)).doubleValue();
  }
}
