package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import catalog.User;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import storefront.node.Node;

/**
 * Demo mode lets anyone shop as a generated user picked from a list, in the API and on the shop's
 * page; outside it the same requests find nothing and issue no token.
 */
class DemoShoppersTest {
  private static final User SAMPLE =
      SampleCatalog.users().stream()
          .filter(u -> u.region().equals("us-east"))
          .findFirst()
          .orElseThrow();

  @Test
  void inDemoModeAnyoneListsAUsersRegionAndShopsAsOneOfThem() {
    Node node = TestNode.start("storefront.auth.demo = on");
    try {
      Api api = new Api(node.httpPort()).anonymous();
      var listed = api.get("/demo/shoppers?region=us-east");
      assertEquals(200, listed.status(), listed.toString());
      assertTrue(listed.body().size() > 0 && listed.body().size() <= 20, listed.toString());
      boolean sampleListed = false;
      for (JsonNode shopper : listed.body()) {
        assertEquals("us-east", shopper.path("region").asText(), listed.toString());
        sampleListed |= shopper.path("userId").asText().equals(SAMPLE.userId());
      }
      assertTrue(sampleListed, "the sample user of us-east is listed: " + listed);

      var signedIn = api.post("/demo/sessions", "{\"userId\":\"" + SAMPLE.userId() + "\"}");
      assertEquals(200, signedIn.status(), signedIn.toString());
      assertEquals(SAMPLE.name(), signedIn.text("name"));
      Api asSample = api.as(signedIn.text("token"));
      var user = asSample.get("/users/" + SAMPLE.userId());
      assertEquals(200, user.status(), "the token is the user's: " + user);
      // 404 while the user has no active cart: the token is accepted either way.
      var cart = asSample.get("/users/" + SAMPLE.userId() + "/cart");
      assertTrue(cart.status() == 200 || cart.status() == 404, cart.toString());

      var unknown =
          api.post("/demo/sessions", "{\"userId\":\"00000000-0000-4000-8000-000000000000\"}");
      assertEquals(404, unknown.status(), unknown.toString());
    } finally {
      node.close();
    }
  }

  @Test
  void inDemoModeTheShopSignsInAsAUserPickedByRegion() {
    Browser.assumeInstalled();
    Node node = TestNode.start("storefront.auth.demo = on");
    try (Browser browser = Browser.desktop()) {
      browser.go("http://127.0.0.1:" + node.httpPort() + "/");
      browser.visible(By.id("demo-form"));
      new Select(browser.visible(By.id("demo-region"))).selectByValue("us-east");
      browser.waitUntil(
          SAMPLE.name() + " is offered",
          () ->
              !browser
                  .driver
                  .findElements(
                      By.cssSelector("#demo-user option[value='" + SAMPLE.userId() + "']"))
                  .isEmpty());
      new Select(browser.visible(By.id("demo-user"))).selectByValue(SAMPLE.userId());
      browser.click(By.cssSelector("#demo-form button[type=submit]"));
      browser.textContaining(By.id("who"), "Signed in as " + SAMPLE.name());
    } finally {
      node.close();
    }
  }

  @Test
  void outsideDemoModeTheUsersAreNotListedAndNoTokenIsIssued() {
    Node node = TestNode.start("");
    try {
      Api api = new Api(node.httpPort()).anonymous();
      var listed = api.get("/demo/shoppers?region=us-east");
      assertEquals(404, listed.status(), listed.toString());
      var signedIn = api.post("/demo/sessions", "{\"userId\":\"" + SAMPLE.userId() + "\"}");
      assertEquals(404, signedIn.status(), signedIn.toString());
      assertFalse(signedIn.body().has("token"), signedIn.toString());
    } finally {
      node.close();
    }
  }
}
