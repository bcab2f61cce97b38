package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.Product;
import catalog.SampleCatalog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import storefront.node.Node;

/**
 * The web shop at / in a real browser, as a shopper uses it: registering and signing in, browsing,
 * a cart, a checkout followed to its end, the purchase history, and an add the stock cannot cover.
 */
class ShopBrowserTest {
  private static final Product DUNE = sample("Dune");
  private static final Product PRAGMATIC = sample("The Pragmatic Programmer");

  /**
   * The 404s the page asks for knowing they may come: the shopper has no active cart yet, the node
   * is not in demo mode.
   */
  private static final Pattern EXPECTED_404 =
      Pattern.compile(
          "^http://127\\.0\\.0\\.1:\\d+/(demo/shoppers\\?region=[a-z-]+|users/[0-9a-f-]{36}/cart)"
              + " - Failed to load resource: the server responded with a status of 404 ");

  /** The refused quantity the test asks for on purpose. */
  private static final Pattern EXPECTED_422 =
      Pattern.compile(
          "^http://127\\.0\\.0\\.1:\\d+/carts/[0-9a-f-]{36}/items/[0-9a-f-]{36}"
              + " - Failed to load resource: the server responded with a status of 422 ");

  /** The sign-in with a wrong password that the test makes on purpose. */
  private static final Pattern EXPECTED_401 =
      Pattern.compile(
          "^http://127\\.0\\.0\\.1:\\d+/sessions"
              + " - Failed to load resource: the server responded with a status of 401 ");

  private static final Pattern ORDER = Pattern.compile("Order ([0-9a-f-]{36}) completed");

  private static Node node;
  private static String base;
  private static Api api;

  @BeforeAll
  static void start() {
    Browser.assumeInstalled();
    node = TestNode.start("");
    base = "http://127.0.0.1:" + node.httpPort() + "/";
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aShopperBrowsesFillsACartChecksOutAndSeesTheOrderInTheHistory() {
    try (Browser browser = Browser.desktop()) {
      browser.go(base);
      register(browser);

      String all = browser.textContaining(By.id("product-count"), "products found");
      new Select(browser.visible(By.id("category"))).selectByVisibleText("Books");
      String books = count(browser, "category=Books");
      assertTrue(!books.equals(all), all + " then " + books);
      search(browser, "Dune");
      String dune = count(browser, "category=Books&q=Dune");
      assertTrue(!dune.equals(books), books + " then " + dune);
      addFromGrid(browser, DUNE);
      search(browser, "Pragmatic");
      count(browser, "category=Books&q=Pragmatic");
      addFromDetails(browser, PRAGMATIC, 2);
      search(browser, "");
      count(browser, "category=Books");

      browser.click(By.id("cart-toggle"));
      browser.waitUntil(
          "two lines in the cart",
          () -> browser.driver.findElements(By.cssSelector("#cart-lines tbody tr")).size() == 2);
      String subtotal =
          "$" + DUNE.price().add(PRAGMATIC.price().multiply(BigDecimal.valueOf(2))).toPlainString();
      browser.textContaining(By.id("cart-subtotal"), subtotal);
      browser.screenshot("shop");
      browser.assertAccessible();
      assertTabStaysInTheDrawer(browser);

      browser.click(By.cssSelector("input[name=paymentMethod][value='credit card']"));
      browser.click(By.id("checkout"));
      String outcome = browser.textContaining(By.id("cart-status"), "completed");
      assertEquals("cart-status", browser.focused().getAttribute("id"), "focus during checkout");
      Matcher order = ORDER.matcher(outcome);
      assertTrue(order.find(), outcome);
      String orderId = order.group(1);

      By purchase = By.cssSelector("#purchase-list [data-order-id='" + orderId + "']");
      String history = browser.visible(purchase).getText();
      assertTrue(
          history.contains(DUNE.name())
              && history.contains(PRAGMATIC.name())
              && history.contains("$" + PRAGMATIC.price().multiply(BigDecimal.valueOf(2))),
          "the purchase lists both items: " + history);
      browser.assertAccessible();

      // The drawer is still open after the checkout.
      browser.press(Keys.ESCAPE);
      browser.waitUntil(
          "Escape closes the cart", () -> !browser.driver.findElement(By.id("cart")).isDisplayed());
      assertEquals("cart-toggle", browser.focused().getAttribute("id"));
      browser.assertNoConsoleErrors(EXPECTED_404, EXPECTED_422);
    }
    try (Browser phone = Browser.phone()) {
      phone.go(base);
      register(phone);
      assertFalse(phone.driver.findElement(By.id("demo-form")).isDisplayed(), "not in demo mode");
      phone.textContaining(By.id("product-count"), "products found");
      phone.assertFitsTheWindow();
      phone.screenshot("shop-phone");
      phone.assertAccessible();
      phone.assertNoConsoleErrors(EXPECTED_404, EXPECTED_422);
    }
  }

  @Test
  void anAddBeyondTheStockSaysSoAndLeavesTheCartAsItWasWhichThenChanges() {
    String soldOut = Admin.newProduct(node);
    try (Browser browser = Browser.desktop()) {
      browser.go(base);
      String email = register(browser);
      browser.click(By.id("sign-out"));
      browser.textContaining(By.id("who"), "Not signed in");
      By signIn = By.cssSelector("#sign-in-form button[type=submit]");
      browser.visible(By.id("sign-in-email")).sendKeys(email);
      browser.visible(By.id("sign-in-password")).sendKeys("not " + TestNode.PASSWORD);
      browser.click(signIn);
      browser.visible(By.id("account-error"));
      assertEquals(
          browser.driver.findElement(signIn),
          browser.focused(),
          "focus back on the refused sign-in's button");
      browser.visible(By.id("sign-in-password")).clear();
      browser.visible(By.id("sign-in-password")).sendKeys(TestNode.PASSWORD);
      browser.click(signIn);
      browser.textContaining(By.id("who"), "Signed in as Browser Shopper");
      assertEquals("sign-out", browser.focused().getAttribute("id"), "focus after signing in");
      assertEquals(
          "Signed in as Browser Shopper.",
          browser.driver.findElement(By.id("shop-status")).getDomProperty("textContent"));
      search(browser, "Dune");
      addFromGrid(browser, DUNE);

      search(browser, soldOut);
      By card = card(soldOut);
      browser.textContaining(card, "Out of stock");
      clickAddToCart(browser, card);
      String said =
          browser.textContaining(
              By.cssSelector("li[data-product-id='" + soldOut + "'] [role=alert]"), "Out of stock");
      assertTrue(said.contains("no units are available"), said);

      Map<?, ?> session = signedIn(browser);
      String token = (String) session.get("token");
      var cart = api.as(token).get("/users/" + session.get("userId") + "/cart");
      assertEquals(200, cart.status(), cart.toString());
      assertEquals(1, cart.body().path("items").size(), "only the first add: " + cart);
      assertEquals(DUNE.productId(), cart.body().path("items").path(0).path("productId").asText());
      assertEquals("1", browser.visible(By.id("cart-count")).getText());

      // The badge follows the stock live.
      Admin.restock(api, soldOut, "Seattle, WA", 3);
      browser.textContaining(card, "Only 3 left");

      browser.click(By.id("cart-toggle"));
      WebElement quantity = browser.visible(By.id("quantity-" + DUNE.productId()));
      quantity.sendKeys(Keys.chord(Keys.CONTROL, "a"), "3", Keys.TAB);
      browser.textContaining(
          By.id("cart-subtotal"), "$" + DUNE.price().multiply(BigDecimal.valueOf(3)));
      // Tab left the field for the line's Remove button, which the redrawn line has again.
      assertEquals(
          "BUTTON of " + DUNE.productId(),
          browser.driver.executeScript(
              "const focused = document.activeElement;"
                  + " return focused.tagName + ' of ' + focused.closest('tr')?.dataset.productId"),
          "focus after changing the quantity");
      // Beyond the limit per line: the API's words, and the line as it was.
      quantity = browser.visible(By.id("quantity-" + DUNE.productId()));
      quantity.sendKeys(Keys.chord(Keys.CONTROL, "a"), "11", Keys.TAB);
      String refused = browser.textContaining(By.id("cart-error"), "per product");
      assertTrue(refused.contains("between 1 and 10"), refused);
      browser.textContaining(
          By.id("cart-subtotal"), "$" + DUNE.price().multiply(BigDecimal.valueOf(3)));
      assertEquals(
          3,
          api.as(token)
              .get("/users/" + session.get("userId") + "/cart")
              .body()
              .path("items")
              .path(0)
              .path("quantity")
              .asInt());
      browser.click(By.xpath("//tr[@data-product-id='" + DUNE.productId() + "']//button"));
      browser.textContaining(By.id("cart-count"), "0");
      assertEquals("cart-title", browser.focused().getAttribute("id"), "focus after the last line");
      var emptied = api.as(token).get("/users/" + session.get("userId") + "/cart");
      assertEquals(0, emptied.body().path("items").size(), emptied.toString());
      browser.assertNoConsoleErrors(EXPECTED_401, EXPECTED_404, EXPECTED_422);
    }
  }

  @Test
  void aCheckoutThatCannotBeFilledSaysWhyTheOrderWasCanceled() {
    String lastUnit = Admin.newProduct(node);
    Admin.restock(api, lastUnit, "Seattle, WA", 1);
    try (Browser browser = Browser.desktop()) {
      browser.go(base);
      register(browser);
      search(browser, lastUnit);
      By card = card(lastUnit);
      browser.textContaining(card, "Only 1 left");
      clickAddToCart(browser, card);
      browser.textContaining(By.id("cart-count"), "1");

      // Someone else buys the last unit between the add and the checkout.
      Shopper other = new Shopper(api);
      String otherCart = other.openCartWith(other.newUser("us-west"), lastUnit, 1);
      assertEquals(
          "completed", other.awaitEnded(other.checkout(otherCart, "paypal")).text("status"));

      browser.click(By.id("cart-toggle"));
      browser.click(By.cssSelector("input[name=paymentMethod][value='paypal']"));
      browser.click(By.id("checkout"));
      String outcome = browser.textContaining(By.id("cart-status"), "canceled");
      assertTrue(outcome.contains("out of stock"), outcome);
      browser.assertNoConsoleErrors(EXPECTED_404, EXPECTED_422);
    }
  }

  @Test
  void aDoubleClickOnNextMovesOnePageAndTheLastPageHandsTheFocusToPrevious() {
    try (Browser browser = Browser.desktop()) {
      browser.go(base);
      String label = browser.textContaining(By.id("page-label"), "Page 1 of ");
      int pages = Integer.parseInt(label.substring("Page 1 of ".length()));
      assertTrue(pages >= 2, "the sample catalog fills two pages: " + label);
      for (int page = 2; page < pages; page++) {
        browser.click(By.id("next-page"));
        browser.textContaining(By.id("page-label"), "Page " + page + " of ");
      }
      // The pages the grid asks for from now on (numbered from 0).
      browser.driver.executeScript(
          "window.pagesAsked = []; const fetch = window.fetch;"
              + " window.fetch = (url, options) => {"
              + " const asked = new URL(url, location.href);"
              + " if (asked.pathname === '/products')"
              + " pagesAsked.push(asked.searchParams.get('page'));"
              + " return fetch(url, options); };");
      new Actions(browser.driver).doubleClick(browser.clickable(By.id("next-page"))).perform();
      browser.textContaining(By.id("page-label"), "Page " + pages + " of " + pages);
      assertTrue(
          ((List<?>) browser.driver.executeScript("return pagesAsked"))
              .stream().allMatch(page -> Integer.parseInt((String) page) < pages),
          "no page past the last is asked for");
      browser.waitUntil(
          "the focus moves from the disabled Next to Previous",
          () -> "previous-page".equals(browser.focused().getAttribute("id")));
      browser.assertNoConsoleErrors(EXPECTED_404);
    }
  }

  /** Tab and Shift+Tab go round the open drawer, never onto the page it covers. */
  private static void assertTabStaysInTheDrawer(Browser browser) {
    new Actions(browser.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
    for (int step = 0; step < 10; step++) {
      WebElement focused = browser.focused();
      assertTrue(
          focused
              .findElements(By.xpath("ancestor-or-self::header | ancestor-or-self::main"))
              .isEmpty(),
          "Tab went behind the drawer, to " + focused.getAttribute("outerHTML"));
      browser.press(Keys.TAB);
    }
  }

  private static Product sample(String name) {
    return SampleCatalog.products().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Registers a new shopper through the form; answers their email. */
  private static String register(Browser browser) {
    String email = "browser-" + UUID.randomUUID() + "@example.com";
    browser.visible(By.id("register-name")).sendKeys("Browser Shopper");
    browser.visible(By.id("register-email")).sendKeys(email);
    browser.visible(By.id("register-password")).sendKeys(TestNode.PASSWORD);
    browser.waitUntil(
        "the regions are offered",
        () -> !browser.driver.findElements(By.cssSelector("#register-region option")).isEmpty());
    new Select(browser.visible(By.id("register-region"))).selectByValue("us-west");
    browser.click(By.cssSelector("#register-form button[type=submit]"));
    browser.textContaining(By.id("who"), "Signed in as Browser Shopper");
    return email;
  }

  private static Map<?, ?> signedIn(Browser browser) {
    return (Map<?, ?>)
        browser.driver.executeScript(
            "return JSON.parse(sessionStorage.getItem('storefront.session'))");
  }

  /** Searches, and waits until the grid shown before is replaced by the answer's. */
  private static void search(Browser browser, String text) {
    List<WebElement> before = browser.driver.findElements(By.cssSelector("#product-grid li"));
    WebElement field = browser.visible(By.id("search"));
    field.clear();
    field.sendKeys(text);
    browser.click(By.cssSelector("#filters button[type=submit]"));
    if (!before.isEmpty()) {
      browser.waitUntil(
          "the grid is redrawn",
          () -> ExpectedConditions.stalenessOf(before.get(0)).apply(browser.driver));
    }
  }

  /** Waits until the page says how many products the API finds for this query, and returns it. */
  private static String count(Browser browser, String query) {
    long total = api.get("/products?size=1&" + query).body().path("total").asLong();
    String words = total == 1 ? "1 product found" : total + " products found";
    browser.waitUntil(
        "the count says " + words,
        () -> browser.driver.findElement(By.id("product-count")).getText().equals(words));
    return words;
  }

  private static By card(String productId) {
    return By.cssSelector("li[data-product-id='" + productId + "']");
  }

  /** Adds through the product's details, which show its description. */
  private static void addFromDetails(Browser browser, Product product, int quantity) {
    String before = browser.visible(By.id("cart-count")).getText();
    browser
        .clickable(card(product.productId()))
        .findElement(By.xpath(".//button[starts-with(., 'Details')]"))
        .click();
    browser.textContaining(By.id("detail-description"), product.description());
    WebElement field = browser.visible(By.id("detail-quantity"));
    field.clear();
    field.sendKeys(String.valueOf(quantity));
    browser.click(By.cssSelector("#detail-form button[type=submit]"));
    browser.waitUntil(
        product.name() + " added",
        () -> !browser.driver.findElement(By.id("cart-count")).getText().equals(before));
    browser.waitUntil(
        "the details close",
        () -> !browser.driver.findElement(By.id("product-dialog")).isDisplayed());
  }

  private static void clickAddToCart(Browser browser, By card) {
    browser
        .clickable(card)
        .findElement(By.xpath(".//button[starts-with(., 'Add to cart')]"))
        .click();
  }

  private static void addFromGrid(Browser browser, Product product) {
    String before = browser.visible(By.id("cart-count")).getText();
    browser.visible(card(product.productId()));
    clickAddToCart(browser, card(product.productId()));
    browser.waitUntil(
        product.name() + " added",
        () -> !browser.driver.findElement(By.id("cart-count")).getText().equals(before));
  }
}
