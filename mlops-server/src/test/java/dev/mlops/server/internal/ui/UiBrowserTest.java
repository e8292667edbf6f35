package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.server.Permission;
import dev.mlops.server.Role;
import dev.mlops.server.TrackingServer;
import dev.mlops.server.Users;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.ServerTestPackages;
import dev.mlops.tracking.Tracker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The UI in a real browser against the server on loopback: browse, filter, sort, compare, chart,
 * preview artifacts, follow lineage, read drift and quality reports and generated model cards,
 * rename, tag and describe through the forms; the injection strings in the store never run, and the
 * console stays free of errors and warnings. Every page is saved as a screenshot under
 * {@code target/ui-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiBrowserTest {
  private UiFixture fx;
  private Browser browser;

  @BeforeAll
  void start(@TempDir Path dir) {
    browser = Browser.start(dir.resolve("profile"), Path.of("target", "ui-screenshots"));
    fx = new UiFixture(dir.resolve("store"), null);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  @AfterEach
  void clean() {
    browser.assertClean();
  }

  private WebElement find(String css) {
    return browser.driver.findElement(By.cssSelector(css));
  }

  private List<String> texts(String css) {
    return browser.driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  private void open(String path) {
    browser.open(fx.url(path));
  }

  private List<String> runNames() {
    return texts("#runs tbody td:nth-child(2) a");
  }

  @Test
  void experimentsAreListedSearchedAndDeletedOnesShownOnRequest() {
    open("/");
    assertEquals("Experiments", find("#title").getText());
    List<String> names = texts("#experiments tbody td:first-child a");
    assertEquals(List.of("iris"), names);
    assertEquals("6", find("#experiments tbody td.num").getText());
    browser.screenshot("01-experiments");
    find("input[name=deleted]").click();
    find("form.bar button").click();
    browser.waiting().until(ExpectedConditions.urlContains("deleted=1"));
    assertTrue(texts("#experiments tbody td:first-child").stream().anyMatch(t -> t.startsWith("archived-trials")));
    find("#q").sendKeys("arch");
    find("form.bar button").click();
    browser.waiting().until(ExpectedConditions.urlContains("q=arch"));
    assertEquals(List.of("archived-trials"), texts("#experiments tbody td:first-child a"));
  }

  @Test
  void runsAreFilteredSortedNestedAndComparedAndTheInjectionsStayText() {
    open("/ui/");
    browser.driver.findElement(By.linkText("iris")).click();
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
    List<String> names = runNames();
    assertTrue(names.contains(UiFixture.SCRIPT_NAME), "the run named as a script shows as text: " + names);
    int sweep = names.indexOf("sweep");
    List<WebElement> rows = browser.driver.findElements(By.cssSelector("#runs tbody tr"));
    for (int i = 1; i <= 3; i++) {
      assertEquals("child", rows.get(sweep + i).getAttribute("class"), "the trials are nested under the sweep");
      assertTrue(rows.get(sweep + i).getText().startsWith("\u21b3 lr-"), rows.get(sweep + i).getText());
    }
    String page = browser.driver.getPageSource();
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is escaped in the markup");
    browser.screenshot("02-runs");

    find("#filter").sendKeys("metrics.loss < 0.3 and params.optimizer = 'sgd'");
    find("#search button").click();
    browser.waiting().until(ExpectedConditions.urlContains("filter=metrics.loss"));
    List<String> filtered = runNames();
    assertEquals(List.of("lr-0.1"), filtered, "only the sgd trial whose last loss is below 0.3");
    browser.screenshot("03-runs-filtered");

    find("#filter").clear();
    find("#filter").sendKeys("metrics.loss >> 1");
    find("#search button").click();
    WebElement error = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-error")));
    String[] lines = error.getText().split("\n");
    assertTrue(lines[0].startsWith("invalid search filter at position 14"), error.getText());
    int caret = lines[2].indexOf('^');
    assertEquals('>', lines[1].charAt(caret), "the caret is under the second '>': " + error.getText());
    browser.screenshot("04-runs-filter-error");

    open("/ui/experiments/" + fx.experimentId + "?m=loss&p=lr");
    browser.driver.findElement(By.cssSelector("a.sort[data-key='metrics.loss']")).click();
    browser.waiting().until(ExpectedConditions.urlContains("order=metrics.loss+ASC"));
    List<Double> top = new ArrayList<>();
    List<Double> nested = new ArrayList<>();
    for (WebElement row : browser.driver.findElements(By.cssSelector("#runs tbody tr"))) {
      String cell = row.findElement(By.cssSelector("td:nth-child(7)")).getText();
      if (!cell.isEmpty()) {
        ("child".equals(row.getAttribute("class")) ? nested : top).add(Double.parseDouble(cell));
      }
    }
    assertEquals(2, top.size(), top.toString());
    assertEquals(3, nested.size(), nested.toString());
    assertTrue(top.get(0) <= top.get(1), "top-level runs sorted by loss: " + top);
    assertTrue(nested.get(0) <= nested.get(1) && nested.get(1) <= nested.get(2), "nested runs sorted: " + nested);
    assertEquals(List.of("Run", "Status", "Started", "Duration", "lr", "loss"),
        texts("#runs thead th").subList(1, 7).stream().map(t -> t.replaceAll(" [\u25b2\u25bc]$", "")).toList());
    browser.screenshot("05-runs-sorted");

    for (String id : fx.trialIds) {
      find("input.pick[value='" + id + "']").click();
    }
    assertEquals("Compare 3", find("#compare-button").getText());
    find("#compare-button").click();
    browser.waiting().until(ExpectedConditions.titleContains("Comparing 3 runs"));
    assertEquals(List.of("params.lr", "params.optimizer"), texts("#comparison tr.param th"));
    String equal = find("#equal-params").getText();
    assertTrue(equal.contains("epochs=30") && equal.contains("seed=7"), equal);
    List<String> columns = texts("#comparison thead th").stream().skip(1).map(String::strip).toList();
    List<WebElement> lossRow = browser.driver.findElements(By.xpath(
        "//table[@id='comparison']//tr[th[starts-with(.,'metrics.loss')]]/td"));
    assertEquals(3, lossRow.size());
    int best = columns.indexOf("lr-1.0");
    assertEquals("num best", lossRow.get(best).getAttribute("class"), "lr 1.0 reaches the lowest loss: " + columns);
    assertTrue(lossRow.get(best).getText().endsWith("\u2605"));
    assertEquals(1, browser.driver.findElements(By.cssSelector("#comparison td.best")).size() / 2,
        "one best value per metric");
    List<String> optimizers = texts("#comparison tr.param:nth-child(2) td");
    assertEquals(List.of("adam", "sgd", "sgd"), optimizers.stream().sorted().toList());
    String first = optimizers.get(0);
    assertEquals(optimizers.stream().filter(o -> !o.equals(first)).toList(),
        texts("tr.param:nth-child(2) td.differs"), "what differs from the first run is marked");
    waitForCharts(2);
    assertEquals(3, browser.driver.findElements(By.cssSelector("#scatter svg circle")).size());
    assertEquals(3, browser.driver.findElements(By.cssSelector("#parallel svg polyline")).size());
    browser.screenshot("06-compare");
  }

  private void waitForCharts(int count) {
    browser.waiting().until(d -> d.findElements(By.cssSelector("figure.chart[data-drawn]")).size() == count);
    assertEquals(0, browser.driver.findElements(By.cssSelector("figure.chart[data-failed]")).size());
  }

  @Test
  void aLongHistoryIsDownsampledOnTheServerAndZoomsHoversAndSwitchesToLogScale() {
    open("/ui/runs/" + fx.longId);
    waitForCharts(1);
    WebElement fig = find("figure.chart");
    int points = Integer.parseInt(fig.getAttribute("data-points"));
    assertEquals(String.valueOf(UiFixture.LONG_POINTS), fig.getAttribute("data-total"));
    assertTrue(points > 100 && points <= MetricSeries.MAX_POINTS, "points drawn: " + points);
    browser.screenshot("07-run-chart");

    WebElement over = find("figure.chart .u-over");
    new Actions(browser.driver).moveToElement(over, 40, 20).perform();
    String hovered = find("figure.chart .u-legend .u-series:nth-child(2) .u-value").getText();
    assertNotEquals("--", hovered, "the legend shows the value under the cursor");

    int width = over.getSize().getWidth();
    new Actions(browser.driver).moveToElement(over, -width / 2 + 20, 0).clickAndHold().moveByOffset(width / 10, 0)
        .release().perform();
    browser.waiting().until(d -> "2".equals(find("figure.chart").getAttribute("data-drawn")));
    double lastStep = ((Number) browser.driver.executeScript(
        "const u = document.querySelector('figure.chart')._chart; return u.data[0][u.data[0].length - 1];"))
        .doubleValue();
    assertTrue(lastStep < UiFixture.LONG_POINTS / 2.0, "the zoomed range was fetched again: last step " + lastStep);
    browser.screenshot("08-run-chart-zoomed");

    find("figure.chart .log").click();
    browser.waiting().until(d -> "3".equals(find("figure.chart").getAttribute("data-drawn")));
    Object distr = browser.driver.executeScript(
        "return document.querySelector('figure.chart')._chart.scales.y.distr;");
    assertEquals(3L, ((Number) distr).longValue(), "the y scale is logarithmic");
    browser.screenshot("09-run-chart-log");
  }

  @Test
  void aRunShowsItsPartsAndItsArtifactsPreviewSafely() {
    open("/ui/runs/" + fx.trialIds.get(1));
    waitForCharts(2);
    assertEquals("lr-0.1", find("#title").getText());
    assertEquals("sweep", find("#parent a").getText());
    assertTrue(texts("#params th").containsAll(List.of("epochs", "lr", "optimizer", "seed")));
    assertTrue(texts("#system-tags th").contains("mlops.parentRunId"));
    assertTrue(find("#datasets").getText().contains("sha256:"), find("#datasets").getText());
    assertTrue(find("#models").getText().contains("iris-classifier v1"), find("#models").getText());
    assertTrue(find("#models").getText().contains("x1 DOUBLE"), "the signature is shown: " + find("#models").getText());
    browser.screenshot("10-run");

    browser.driver.findElement(By.linkText("notes.txt")).click();
    assertTrue(find("#preview").getText().contains(UiFixture.SCRIPT_NAME), "the script tag is text in the preview");
    browser.screenshot("11-artifact-text");

    open("/ui/runs/" + fx.trialIds.get(1) + "/artifacts/data/sample.csv");
    assertEquals(List.of("sepal_length", "species"), texts("#preview th"));
    assertEquals(List.of("5.1", "setosa", "6.2", "versi,color", "7.7", "<b>virginica</b>"), texts("#preview td"));
    browser.screenshot("12-artifact-csv");

    open("/ui/runs/" + fx.trialIds.get(1) + "/artifacts/config.json");
    assertTrue(find("#preview").getText().contains("\"layers\" : [ 16, 8 ]"), find("#preview").getText());

    open("/ui/runs/" + fx.trialIds.get(1) + "/artifacts/plot.png");
    browser.waiting().until(d -> ((Number) browser.driver.executeScript(
        "return document.getElementById('preview').naturalWidth;")).intValue() == 120);
    browser.screenshot("13-artifact-image");

    open("/ui/runs/" + fx.trialIds.get(1) + "/artifacts/drift-report.html");
    WebElement frame = find("iframe#preview");
    assertEquals("", frame.getAttribute("sandbox"), "the report's frame allows nothing");
    browser.driver.switchTo().frame(frame);
    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Drift report 1"));
    browser.driver.switchTo().defaultContent();
    assertFalse(browser.driver.getTitle().contains("pwned"), "the report's script did not run");
    browser.screenshot("14-artifact-html");
  }

  @Test
  void theInjectedRunRendersAsText() {
    open("/ui/runs/" + fx.injectedId);
    assertEquals(UiFixture.SCRIPT_NAME, find("#title").getText());
    assertEquals(UiFixture.IMG_VALUE, find("#params td").getText());
    assertEquals(0, browser.driver.findElements(By.cssSelector("main img")).size(), "no image element was injected");
    browser.screenshot("15-run-injected");
  }

  @Test
  void aVersionsLineageIsFollowedFromTheRegistry() {
    open("/ui/models");
    assertEquals(List.of("iris-classifier"), texts("#registered-models tbody td:first-child a"));
    browser.screenshot("16-models");
    browser.driver.findElement(By.linkText("iris-classifier")).click();
    assertTrue(find("#aliases").getText().contains("@champion \u2192 v1"), find("#aliases").getText());
    assertTrue(find("p.description").getText().contains("<b>by</b>"), "the description is text");
    browser.screenshot("17-model");
    browser.driver.findElement(By.linkText("v1")).click();
    List<String> kinds = texts("#lineage .kind");
    assertEquals(List.of("DATA SET", "RUN", "PACKAGE", "VERSION", "ALIAS"), kinds);
    List<String> nodes = texts("#lineage li");
    assertTrue(nodes.get(0).contains("sha256:") && nodes.get(2).contains("sha256:"), nodes.toString());
    assertTrue(nodes.get(4).contains("@champion"), nodes.toString());
    assertTrue(find("#model-card").getText().startsWith("# Iris classifier"));
    browser.screenshot("18-version-lineage");
    find("#lineage li.run a").click();
    assertEquals("lr-0.1", find("#title").getText());
  }

  @Test
  void monitoringShowsTheDriftOfEachColumnAndTheQualityOverTheReports() {
    open("/ui/monitoring/" + fx.experimentId);
    assertEquals(3, browser.driver.findElements(By.cssSelector("#drift-reports tbody tr")).size());
    assertEquals(2, browser.driver.findElements(By.cssSelector("#drift-charts svg")).size());
    assertEquals(3, browser.driver.findElements(By.cssSelector("iframe.report[sandbox]")).size());

    // the quality reports in the order the runs started: accuracy 0.9, 0.8, then 0.6 below the condition's 0.75
    assertEquals(List.of("passed", "passed", "failed"), texts("#quality-reports tbody td:nth-child(4)"));
    List<String> heads = texts("#quality-reports thead th");
    int accuracy = heads.indexOf("accuracy");
    assertTrue(accuracy > 0, heads.toString());
    assertEquals(List.of("0.9", "0.8", "0.6"), texts("#quality-reports tbody td:nth-child(" + (accuracy + 1) + ")"));
    WebElement latest = find("#quality-3");
    assertEquals("true", latest.getAttribute("open"), "the latest report is open in place");
    assertFalse(find("#quality-1").getAttribute("open") != null, "earlier reports are folded");
    List<String> values = latest.findElements(By.cssSelector("table.conditions td:first-child")).stream()
        .map(WebElement::getText).toList();
    assertEquals(List.of("accuracy", "f1:" + UiFixture.SCRIPT_NAME), values, "the class named as a script is text");
    assertTrue(latest.findElement(By.cssSelector("table.conditions tr.failed")).getText().startsWith("accuracy"));
    assertTrue(latest.findElement(By.cssSelector("table.quality-values")).getText().contains("accuracy 0.95 0.6"),
        latest.findElement(By.cssSelector("table.quality-values")).getText());
    List<String> charted = browser.driver.findElements(By.cssSelector("#quality-charts svg > title")).stream()
        .map(t -> t.getAttribute("textContent")).toList();
    assertTrue(charted.containsAll(List.of("accuracy", "f1", "f1:" + UiFixture.SCRIPT_NAME)), charted.toString());
    WebElement accuracyChart = browser.driver.findElement(By.xpath(
        "//div[@id='quality-charts']/*[name()='svg'][*[name()='title']='accuracy']"));
    assertEquals(3, accuracyChart.findElements(By.cssSelector("polyline")).size(),
        "current, reference and the condition's bound");
    browser.screenshot("19-monitoring");
  }

  @Test
  void aVersionWithoutALoggedCardShowsTheGeneratedModelCard() {
    open("/ui/models/" + fx.modelName + "/versions/2");
    WebElement frame = find("iframe#model-card-frame");
    assertEquals("", frame.getAttribute("sandbox"), "the card's frame allows nothing");
    assertEquals(0, browser.driver.findElements(By.id("model-card")).size(), "no card was logged for v2");
    browser.driver.switchTo().frame(frame);
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
    String card = browser.driver.findElement(By.tagName("body")).getText();
    browser.driver.switchTo().defaultContent();
    assertTrue(card.contains(fx.modelName) && card.contains("Classifies iris flowers <b>by</b>"),
        "the model's description is text on its card: " + card);
    assertTrue(card.contains(fx.trialIds.get(2)), "the card's lineage names the run: " + card);
    browser.driver.switchTo().frame(frame);
    String drifted = browser.driver.findElement(By.id("drifted-columns")).getText();
    String checks = browser.driver.findElement(By.id("quality-checks")).getText();
    browser.driver.switchTo().defaultContent();
    assertTrue(drifted.contains("sepal_length") && drifted.contains("wasserstein") && !drifted.contains("species"),
        "the run's drift report: only sepal_length drifted: " + drifted);
    assertTrue(checks.contains("accuracy") && checks.contains("failed") && checks.contains("f1:" + UiFixture.SCRIPT_NAME),
        "the run's quality check, the class named as a script shown as text: " + checks);
    browser.screenshot("23-version-model-card");
    open("/ui/models/" + fx.modelName + "/versions/2/card");
    assertEquals(0, browser.driver.findElements(By.cssSelector("script")).size(), "the card has no script");
    assertTrue(browser.driver.findElement(By.tagName("h1")).getText().contains(fx.modelName));
    browser.screenshot("24-model-card");
  }

  @Test
  void renamesTagsAndDescriptionsGoThroughTheFormsAndAForgedFormChangesNothing() {
    String experimentId;
    String runId;
    try (Tracker t = Tracker.open(fx.store)) {
      Experiment e = t.experiment("scratch");
      experimentId = e.id();
      try (Run run = e.run("first-name").start()) {
        runId = run.id();
        run.model("model", ServerTestPackages.forRun("scratch-model", run.id()));
      }
      t.registry().register("scratch-model", runId, "model");
    }
    try {
      open("/ui/");
      browser.driver.findElement(By.cssSelector("a[href='/ui/experiments/" + experimentId + "/settings']")).click();
      submit("#rename-experiment", "name", UiFixture.SCRIPT_NAME + " renamed");
      assertEquals(UiFixture.SCRIPT_NAME + " renamed", find("#experiment-name").getText());
      submit("#tag-experiment", "key", "owner", "value", UiFixture.IMG_VALUE);
      assertEquals(UiFixture.IMG_VALUE, find("#tags td").getText());
      assertEquals(0, browser.driver.findElements(By.cssSelector("main img")).size(), "no image element was injected");
      browser.screenshot("20-experiment-settings");

      open("/ui/runs/" + runId);
      submit("#rename-run", "name", "second-name");
      assertEquals("second-name", find("#title").getText());
      assertTrue(find(".crumbs").getText().startsWith(UiFixture.SCRIPT_NAME + " renamed"), find(".crumbs").getText());
      browser.screenshot("21-run-renamed");

      // another site's form, without the token, is refused, and nothing changes
      browser.driver.executeScript("const f = document.createElement('form'); f.method = 'post';"
          + " f.action = arguments[0]; const i = document.createElement('input'); i.name = 'name';"
          + " i.value = 'forged'; f.appendChild(i); document.body.appendChild(f); f.submit();",
          "/ui/runs/" + runId + "/rename");
      WebElement error = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("error")));
      assertTrue(error.getText().contains("CSRF token is missing"), error.getText());
      browser.expectConsoleError("403");
      open("/ui/runs/" + runId);
      assertEquals("second-name", find("#title").getText());

      open("/ui/models/scratch-model");
      submit("#rename-model", "name", "scratch-renamed");
      browser.waiting().until(ExpectedConditions.urlContains("/ui/models/scratch-renamed"));
      assertEquals("scratch-renamed", find("#title").getText());
      submit("#model-description", "description", "Predicts <i>nothing</i>.");
      assertEquals("Predicts <i>nothing</i>.", find("p.description").getText());
      submit("#alias-form", "alias", "staging");
      assertTrue(find("#aliases").getText().contains("@staging \u2192 v1"), find("#aliases").getText());
      browser.screenshot("22-model-forms");
      WebElement aliases = find("#aliases");
      find("#delete-alias-staging button").click();
      // the form's answer is a new page: read the list once the old one is gone, not while it goes
      browser.waiting().until(replaced(aliases));
      assertFalse(find("#aliases").getText().contains("@staging"), find("#aliases").getText());

      browser.driver.findElement(By.linkText("v1")).click();
      submit("#tag-version", "key", "reviewed", "value", "yes");
      assertEquals("yes", find("#tags td").getText());
      submit("#version-description", "description", "The first try.");
      assertEquals("The first try.", find("p.description").getText());
      browser.screenshot("25-version-forms");
      try (Tracker t = Tracker.open(fx.store)) {
        assertEquals("second-name", t.getRun(runId).name());
        assertEquals("yes", t.registry().version("scratch-renamed", 1).tags().get("reviewed"));
      }
    } finally {
      // the other tests list the fixture's experiments and models alone
      try (Tracker t = Tracker.open(fx.store)) {
        t.experimentById(experimentId).delete();
        t.registry().search("scratch%").forEach(m -> t.registry().delete(m.name()));
      }
    }
  }

  @Test
  void aReaderIsShownNoFormIsRefusedAndSeesRunsHeMayNotReadWithoutALink() {
    String password = "correct-horse-battery";
    Users users = Users.builder().password("rita", password, Role.READER).password("root", password, Role.ADMIN)
        .build();
    // a second server over the same store, with users, where nothing is granted unless said
    try (TrackingServer guarded = TrackingServer.builder(fx.store).artifacts(fx.dir.resolve("artifacts")).port(0)
        .users(users).defaultPermission(Permission.NO_PERMISSIONS).start()) {
      String origin = "http://rita:" + password + "@" + guarded.uri().getHost() + ":" + guarded.uri().getPort();
      grant(guarded, "root:" + password, "registered-models", "name", fx.modelName, "rita");
      browser.open(origin + "/ui/models/" + fx.modelName);
      assertEquals(fx.modelName, find("#title").getText());
      List<String> runs = texts("#versions td:nth-child(3)");
      assertEquals(2, runs.size(), runs.toString());
      assertTrue(runs.stream().allMatch(t -> t.endsWith("not visible to you")), runs.toString());
      assertEquals(0, browser.driver.findElements(By.cssSelector("#versions a[href^='/ui/runs/']")).size());
      assertEquals(0, browser.driver.findElements(By.cssSelector("form[method=post]")).size(), "a reader's forms");
      browser.screenshot("26-model-as-reader");
      browser.open(origin + "/ui/models/" + fx.modelName + "/versions/1");
      assertTrue(find("#lineage li.run").getText().contains("not visible to you"), find("#lineage").getText());
      assertEquals(0, browser.driver.findElements(By.id("model-card")).size(), "the run's card is the run's");

      grant(guarded, "root:" + password, "experiments", "experiment_id", fx.experimentId, "rita");
      browser.open(origin + "/ui/models/" + fx.modelName);
      assertEquals(2, browser.driver.findElements(By.cssSelector("#versions a[href^='/ui/runs/']")).size());
      browser.open(origin + "/ui/runs/" + fx.trialIds.get(1));
      assertEquals("lr-0.1", find("#title").getText());
      assertEquals(0, browser.driver.findElements(By.cssSelector("form[method=post]")).size(), "a reader's forms");
      browser.screenshot("27-run-as-reader");
      browser.driver.executeScript("const f = document.createElement('form'); f.method = 'post';"
          + " f.action = arguments[0]; for (const [k, v] of [['key', 'stage'], ['value', 'forged']]) {"
          + " const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i); }"
          + " document.body.appendChild(f); f.submit();", "/ui/runs/" + fx.trialIds.get(1) + "/tag");
      WebElement error = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("error")));
      assertTrue(error.getText().contains("has role READER and may not change anything"), error.getText());
      browser.expectConsoleError("403");
      try (Tracker t = Tracker.open(fx.store)) {
        assertEquals(null, t.getRun(fx.trialIds.get(1)).tags().get("stage"));
      }
    }
  }

  // Grants READ through the API as an admin.
  private static void grant(TrackingServer server, String admin, String kind, String idField, String id, String user) {
    HttpResponse<String> r = UiFixture.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(server.uri().resolve(
        "/api/2.0/mlflow/" + kind + "/permissions/create")).header("Content-Type", "application/json")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(admin.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString("{\"" + idField + "\":\"" + id + "\",\"username\":\"" + user
            + "\",\"permission\":\"READ\"}")));
    assertEquals(200, r.statusCode(), r.body());
  }

  // Fills a form's fields, submits it and waits for the page it leads to.
  private void submit(String form, String... fieldsAndValues) {
    WebElement f = find(form);
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      WebElement field = f.findElement(By.name(fieldsAndValues[i]));
      field.clear();
      field.sendKeys(fieldsAndValues[i + 1]);
    }
    f.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waiting().until(replaced(f));
  }

  /**
   * Whether the element's page has been replaced. {@code ExpectedConditions.stalenessOf} waits for
   * a stale-element error only; Chrome sometimes answers for a node of a replaced document that it
   * "does not belong to the document" instead, which is the same fact.
   */
  private static ExpectedCondition<Boolean> replaced(WebElement e) {
    return driver -> {
      try {
        e.isEnabled();
        return false;
      } catch (StaleElementReferenceException stale) {
        return true;
      } catch (WebDriverException other) {
        if (String.valueOf(other.getMessage()).contains("does not belong to the document")) {
          return true;
        }
        throw other;
      }
    };
  }
}
