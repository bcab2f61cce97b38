package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import storefront.node.Node;

/**
 * The operator console in a real browser: signing in, the cluster's members, charts that render,
 * and the page moving to another node when the one that served it stops.
 */
class ConsoleBrowserTest {
  private static Node first;
  private static Node second;

  @BeforeAll
  static void startCluster() {
    Browser.assumeInstalled();
    first = TestNode.start("");
    second = TestNode.join(TestNode.remotePort(first));
    Api api = new Api(first.httpPort());
    long deadline = System.currentTimeMillis() + 30_000;
    while (api.asOperator().get("/cluster").body().path("members").size() < 2) {
      assertTrue(System.currentTimeMillis() < deadline, "both nodes joined");
      Shopper.sleep(200);
    }
    // One order, so the analytics have something to draw.
    Shopper shopper = new Shopper(api);
    String cartId =
        shopper.openCartWith(
            shopper.newUser("us-west"), SampleCatalog.products().get(3).productId(), 2);
    shopper.awaitEnded(shopper.checkout(cartId, "credit card"));
  }

  @AfterAll
  static void stopCluster() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  private static String consoleOf(Node node) {
    return "http://127.0.0.1:" + node.httpPort() + "/console";
  }

  private static List<WebElement> memberRows(Browser browser) {
    return browser.driver.findElements(By.cssSelector("#members tbody tr"));
  }

  @Test
  void aWrongTokenIsRefusedInPlainWords() {
    try (Browser browser = Browser.desktop()) {
      browser.go(consoleOf(first));
      ConsolePage.signIn(browser, "not-the-admin-token");
      browser.textContaining(By.id("sign-in-error"), "not the operators");
      browser.assertAccessible();
      assertTrue(browser.driver.findElement(By.id("console")).getAttribute("hidden") != null);
    }
  }

  @Test
  void theConsoleListsTheMembersDrawsItsChartsAndMovesWhenItsNodeStops() {
    try (Browser browser = Browser.desktop()) {
      browser.go(consoleOf(second));
      ConsolePage.signIn(browser, TestNode.ADMIN_TOKEN);
      browser.waitUntil("two members, both Up", () -> upRows(browser) == 2);
      assertEquals("cluster-title", browser.focused().getAttribute("id"), "focus after sign-in");
      String members = browser.visible(By.id("members")).getText();
      assertTrue(members.contains(first.system().address().toString()), members);
      assertTrue(members.contains("(this node)"), members);
      assertTrue(members.contains("http://127.0.0.1:" + first.httpPort()), members);
      assertTrue(members.contains("1 completed, 0 canceled"), "the order placed: " + members);
      // uPlot makes its canvas before any point arrives: the charts must have points to draw.
      // The activity charts get their first ones after two scrapes.
      for (String chart : List.of("orders-chart", "requests-chart", "popularity-chart")) {
        browser.waitUntil(chart + " has points", () -> points(browser, chart) > 0);
      }
      browser.textContaining(By.id("funnel-table"), "Orders completed");
      browser.textContaining(By.id("node-figures"), "Since this node started");
      browser.textContaining(By.id("projection-table"), "order-read-side");
      browser.screenshot("console");
      browser.assertNoConsoleErrors();
      browser.assertAccessible();
      browser.resize(390, 844);
      browser.assertFitsTheWindow();
      browser.screenshot("console-phone");
      browser.resize(1366, 900);

      second.close();
      second = null;
      browser.waitUntil(
          "the console moved to the surviving node",
          () -> browser.driver.getCurrentUrl().equals(consoleOf(first)));
      browser.textContaining(By.id("member-log"), "stopped answering");
      browser.waitUntil("only the survivor is left", () -> memberRows(browser).size() == 1);
      assertEquals(1, upRows(browser));
      assertTrue(
          browser
              .visible(By.id("served-by"))
              .getText()
              .contains(first.system().address().toString()));
    }
  }

  /**
   * Members whose status is exactly Up, and reachable ("Up, unreachable" otherwise); read in one
   * go, as the table is redrawn every two seconds.
   */
  private static long upRows(Browser browser) {
    return (Long)
        browser.driver.executeScript(
            "return [...document.querySelectorAll('#members td[data-label=Status]')]"
                + ".filter(cell => cell.textContent === 'Up').length");
  }

  /** How many values the chart draws, as charts.js records them on its container. */
  private static int points(Browser browser, String chartId) {
    String points = browser.driver.findElement(By.id(chartId)).getAttribute("data-points");
    return points == null ? 0 : Integer.parseInt(points);
  }
}
