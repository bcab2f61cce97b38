// The web shop: wires the account, the catalog, the cart and the purchase history together.
import { initAccount, onSessionChange } from '/assets/account.js';
import { initCart, addProduct, showCart } from '/assets/cart.js';
import { initCatalog } from '/assets/catalog.js';
import { showPurchases, showNewPurchase } from '/assets/purchases.js';

initCart(showNewPurchase);
initCatalog(addProduct);
onSessionChange(() => {
  showCart();
  showPurchases();
});
initAccount();
