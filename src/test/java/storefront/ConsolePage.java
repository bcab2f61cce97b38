package storefront;

import org.openqa.selenium.By;

/** The operator console in a browser, signed in: what a test of a cluster watches it show. */
public final class ConsolePage implements AutoCloseable {
  private final Browser browser;

  private ConsolePage(Browser browser) {
    this.browser = browser;
  }

  /** Whether a browser can run here (tests that only add a look at the console go on without). */
  public static boolean browserInstalled() {
    return Browser.installed();
  }

  /** Opens {@code http://host:port/console} and signs in with the token. */
  public static ConsolePage open(String nodeUrl, String adminToken) {
    Browser browser = Browser.desktop();
    try {
      browser.go(nodeUrl + "/console");
      signIn(browser, adminToken);
      browser.visible(By.cssSelector("#member-log li"));
      return new ConsolePage(browser);
    } catch (RuntimeException e) {
      browser.close();
      throw e;
    }
  }

  static void signIn(Browser browser, String token) {
    browser.visible(By.id("token")).sendKeys(token);
    browser.click(By.cssSelector("#sign-in-form button"));
  }

  Browser browser() {
    return browser;
  }

  /** Waits until the membership log has a line containing all the given parts. */
  public String awaitLogLine(String... parts) {
    browser.waitUntil(
        "a membership change with " + String.join(" and ", parts),
        () ->
            browser.driver.findElements(By.cssSelector("#member-log li")).stream()
                .map(line -> line.getText())
                .anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains)));
    return browser.driver.findElement(By.id("member-log")).getText();
  }

  @Override
  public void close() {
    browser.close();
  }
}
