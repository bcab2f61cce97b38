// The purchase history: completed orders, newest first, from the read side (a second behind).
import { api, element, money } from '/assets/api.js';
import { session } from '/assets/account.js';

const $ = (id) => document.getElementById(id);

function purchase(order) {
  const rows = order.items.map((item) =>
    element(
      'tr',
      {},
      element('td', {}, item.name || 'A product no longer sold'),
      element('td', { class: 'number' }, item.quantity),
      element('td', { class: 'number' }, money(item.price)),
      element('td', { class: 'number' }, money(item.lineTotal)),
    ),
  );
  return element(
    'article',
    { class: 'panel purchase', 'data-order-id': order.orderId },
    element('h3', {}, 'Order ' + order.orderId),
    element(
      'p',
      { class: 'muted' },
      'Placed ' + new Date(order.placedAt).toLocaleString() + ', paid by ' + order.paymentMethod,
    ),
    element(
      'div',
      { class: 'table-scroll' },
      element(
        'table',
        {},
        element('caption', { class: 'visually-hidden' }, 'Items of order ' + order.orderId),
        element(
          'thead',
          {},
          element(
            'tr',
            {},
            element('th', { scope: 'col' }, 'Item'),
            element('th', { scope: 'col', class: 'number' }, 'Quantity'),
            element('th', { scope: 'col', class: 'number' }, 'Price'),
            element('th', { scope: 'col', class: 'number' }, 'Amount'),
          ),
        ),
        element('tbody', {}, rows),
      ),
    ),
    element('p', {}, 'Total ', element('strong', {}, money(order.total)), ' for ' + order.units + ' units'),
    element(
      'p',
      {},
      order.shipment
        ? 'Shipped with ' + order.shipment.carrier + ', tracking number ' + order.shipment.trackingNumber
        : 'Not shipped yet',
    ),
  );
}

/** Shows the history; true when it holds the order (or none was asked for). */
export async function showPurchases(orderId) {
  const who = session();
  $('purchases-error').hidden = true;
  if (!who) {
    $('purchases-note').textContent = 'Sign in to see your purchases.';
    $('purchase-list').replaceChildren();
    return true;
  }
  try {
    const page = await api('/users/' + who.userId + '/purchases?page=0&size=10', { token: who.token });
    $('purchases-note').textContent =
      page.total === 0 ? 'No purchases yet.' : 'Your ' + page.items.length + ' newest of ' + page.total + ' purchases.';
    $('purchase-list').replaceChildren(...page.items.map(purchase));
    return !orderId || page.items.some((o) => o.orderId === orderId);
  } catch (error) {
    $('purchases-error').textContent = error.message;
    $('purchases-error').hidden = false;
    return true;
  }
}

/** After an order completed: the read side follows within a second or so; ask a few times. */
export async function showNewPurchase(orderId) {
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await showPurchases(orderId)) return;
    await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
  }
}
