package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, with a fresh profile and no
 * network of its own: the tests are skipped where Chromium is missing, and fail then under
 * {@code CI=true}.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final int WIDTH = 1400;
  private static final int HEIGHT = 1000;

  final ChromeDriver driver;
  private final Path screenshots;
  // held so that the level set on it stays: Selenium warns that it has no DevTools for this Chromium, which it does not need
  private final Logger selenium;

  private Browser(ChromeDriver driver, Path screenshots, Logger selenium) {
    this.driver = driver;
    this.screenshots = screenshots;
    this.selenium = selenium;
  }

  /** Starts Chromium, or skips the calling test class where it is not installed. */
  static Browser start(Path profile, Path screenshots) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      String message = CHROMIUM + " or " + DRIVER + " is missing; install Debian's chromium and chromium-driver"
          + " packages to run the browser tests";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + message);
      }
      Assumptions.abort(message);
    }
    Logger selenium = Logger.getLogger("org.openqa.selenium");
    selenium.setLevel(Level.SEVERE);
    // the driver's path is given, so Selenium Manager never looks for one on the network
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withSilent(true).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
        "--window-size=" + WIDTH + "," + HEIGHT, "--disable-dev-shm-usage");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    try {
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Browser(new ChromeDriver(service, options), screenshots, selenium);
  }

  void open(String url) {
    driver.get(url);
  }

  WebDriverWait waiting() {
    return new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  /** Fails on any console error or warning since the last check, and on any alert an injection opened. */
  void assertClean() {
    try {
      String text = driver.switchTo().alert().getText();
      fail("an alert is open, so injected script ran: " + text);
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
    List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertEquals(List.of(), entries.stream().map(LogEntry::getMessage).toList(), "console of " + driver.getCurrentUrl());
  }

  /**
   * Takes the console's messages since the last check when a step was meant to fail, such as a
   * refused form's 403: there must be one, and each must name {@code expected}.
   */
  void expectConsoleError(String expected) {
    List<String> messages = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage).toList();
    if (messages.isEmpty() || !messages.stream().allMatch(m -> m.contains(expected))) {
      fail("expected only console errors naming " + expected + "; got " + messages);
    }
  }

  /** Saves a screenshot of the page as it is now. */
  Path screenshot(String name) {
    Path file = screenshots.resolve(name + ".png");
    long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight;")).longValue();
    // the window grows to the page's height so that the picture shows all of it
    driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.min(Math.max(height + 120, HEIGHT), 5000)));
    try {
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    }
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
