package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import storefront.tools.Directories;

/**
 * Debian's headless Chromium driven through its own chromedriver (Selenium never downloads one).
 * Tests that need it are skipped, saying why, where the browser is not installed.
 */
final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  private final WebDriverWait wait;

  private final Path temporaryFiles;

  private Browser(ChromeDriver driver, Path temporaryFiles) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, WAIT);
    this.temporaryFiles = temporaryFiles;
  }

  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** Skips the calling test with a one-line reason when Chromium or its driver is missing. */
  static void assumeInstalled() {
    Assumptions.assumeTrue(
        installed(),
        "browser test skipped: install Debian's chromium and chromium-driver"
            + " (apt-get install chromium chromium-driver), as .ci/run does");
  }

  /** A fresh browser profile in a window of the given size (a desktop or a phone). */
  static Browser open(int width, int height) {
    assumeInstalled();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Flags as checked on this kind of machine: without the background-networking ones Chromium
    // keeps dialling Google's hosts, which this closed network refuses.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // Chromium leaves a directory of its own in the temporary directory at every start: under
    // target/, removed on close, not in /tmp.
    Path temporaryFiles = temporaryDirectory();
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .withEnvironment(Map.of("TMPDIR", temporaryFiles.toString()))
            .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().window().setSize(new Dimension(width, height));
      return new Browser(driver, temporaryFiles);
    } catch (RuntimeException e) {
      Directories.deleteRecursively(temporaryFiles);
      throw e;
    }
  }

  private static Path temporaryDirectory() {
    try {
      Path browsers = Files.createDirectories(Path.of("target", "browsers").toAbsolutePath());
      return Files.createTempDirectory(browsers, "chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Browser desktop() {
    return open(1366, 900);
  }

  static Browser phone() {
    return open(390, 844);
  }

  void go(String url) {
    driver.get(url);
  }

  WebElement visible(By by) {
    return until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  WebElement clickable(By by) {
    return until(ExpectedConditions.elementToBeClickable(by));
  }

  /**
   * Waits for the condition; when it does not come, the failure carries what the page showed and
   * logged, and a screenshot (target/screenshots/failed.png) shows the rest.
   */
  private <T> T until(java.util.function.Function<? super WebDriver, T> condition) {
    return until(wait, condition);
  }

  private <T> T until(
      FluentWait<WebDriver> wait, java.util.function.Function<? super WebDriver, T> condition) {
    try {
      return wait.until(condition);
    } catch (TimeoutException e) {
      Path shot = Path.of("target", "screenshots", "failed.png");
      try {
        Files.createDirectories(shot.getParent());
        Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
      } catch (IOException | RuntimeException ignored) {
        // The failure below says what matters; the screenshot is a help.
      }
      throw new TimeoutException(
          e.getMessage()
              + "\nPage at "
              + driver.getCurrentUrl()
              + ":\n"
              + driver.findElement(By.tagName("body")).getText()
              + "\nBrowser console: "
              + driver.manage().logs().get(LogType.BROWSER).getAll(),
          e);
    }
  }

  WebElement focused() {
    return driver.switchTo().activeElement();
  }

  /** Presses the keys on whatever has the focus, as a keyboard user does. */
  void press(CharSequence keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  void click(By by) {
    clickable(by).click();
  }

  /** Waits until the element's text contains the given text, and returns the whole text. */
  String textContaining(By by, String text) {
    until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by).getText();
  }

  void waitUntil(String what, java.util.function.BooleanSupplier condition) {
    // A wait of its own: withMessage would otherwise stay on the shared one and mislabel later
    // timeouts.
    until(new WebDriverWait(driver, WAIT).withMessage(what), driver -> condition.getAsBoolean());
  }

  /** Errors the page wrote to the browser's console since the last call. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** Resizes the window to a phone's (390 × 844 CSS pixels) or a desktop's. */
  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Nothing on the page is wider than the window: no sideways scrolling of the whole page. */
  void assertFitsTheWindow() {
    String overflowing =
        "return [...document.querySelectorAll('body *')]"
            + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
            + " && getComputedStyle(e).position !== 'fixed' && e.offsetParent !== null)"
            + ".slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className"
            + " + ' right=' + Math.round(e.getBoundingClientRect().right)).join(', ')";
    waitUntil(
        "the page fits the window's width; wider: " + driver.executeScript(overflowing),
        () ->
            Boolean.TRUE.equals(
                driver.executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth")));
  }

  /** axe-core's WCAG 2.1 A and AA rules find nothing on the page as it is now. */
  void assertAccessible() {
    Results results =
        new AxeBuilder()
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze(driver);
    List<String> violations =
        results.getViolations().stream()
            .map(
                rule ->
                    rule.getId()
                        + " ("
                        + rule.getHelp()
                        + "): "
                        + rule.getNodes().stream()
                            .map(node -> node.getTarget().toString())
                            .toList())
            .toList();
    assertEquals(List.of(), violations, "accessibility violations at " + driver.getCurrentUrl());
  }

  /**
   * No errors in the browser's console but those the page provokes knowingly (Chrome logs every 4xx
   * answer to a fetch as one), each named by a pattern of the logged line.
   */
  void assertNoConsoleErrors(Pattern... expected) {
    List<String> errors =
        consoleErrors().stream()
            .filter(error -> Arrays.stream(expected).noneMatch(p -> p.matcher(error).find()))
            .toList();
    assertEquals(List.of(), errors, "errors in the browser console");
  }

  /**
   * A screenshot, under target/screenshots; with {@code -Dscreenshots=docs/screenshots} the ones
   * the README shows are renewed (a plain test run leaves the checkout unchanged).
   */
  void screenshot(String name) {
    try {
      Path target = Path.of(System.getProperty("screenshots", "target/screenshots"), name + ".png");
      Files.createDirectories(target.getParent());
      Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new IllegalStateException("could not save the screenshot " + name, e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      Directories.deleteRecursively(temporaryFiles);
    }
  }
}
