// The cart drawer: lines, quantities, subtotal, checkout, and the order followed to its end.
import { api, ApiError, Unreachable, element, money, newKey } from '/assets/api.js';
import { session, signOut } from '/assets/account.js';

const $ = (id) => document.getElementById(id);
const names = new Map(); // productId → name, for the lines (a cart line has no name)
let cart = null; // the active cart as the API last answered it, or null
let onOrderCompleted = () => {};

const CANCEL_CAUSES = {
  out_of_stock: 'some items are out of stock',
  payment_declined: 'the payment was declined',
  step_failed: 'the shop could not record the order',
};

function token() {
  return session().token;
}

function say(text) {
  $('cart-status').textContent = text;
}

function showError(error) {
  $('cart-error').textContent = error ? error.message : '';
  $('cart-error').hidden = !error;
  if (error instanceof ApiError && error.status === 401) signOut();
}

/** The user's active cart, from the API (none: null). */
async function reload() {
  const who = session();
  if (!who) {
    cart = null;
  } else {
    try {
      cart = await api('/users/' + who.userId + '/cart', { token: who.token });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      cart = null;
    }
  }
  await render();
}

async function nameOf(productId) {
  if (!names.has(productId)) {
    const product = await api('/products/' + productId);
    names.set(productId, product.name);
  }
  return names.get(productId);
}

async function render() {
  const lines = cart ? cart.items : [];
  const rows = await Promise.all(lines.map(async (line) => lineRow(line, await nameOf(line.productId))));
  showLines(rows);
  $('cart-count').textContent = lines.reduce((units, line) => units + line.quantity, 0);
  $('cart-subtotal').textContent = money(cart ? cart.total : 0);
  $('checkout').disabled = lines.length === 0;
  if (lines.length === 0 && !$('cart-status').textContent) say('Your cart is empty.');
}

/**
 * Replaces the lines, keeping the focus where it was: on the same control of the same line, or,
 * when that line is gone, of the line now in its place (or the last), or else on the heading.
 */
function showLines(rows) {
  const body = $('cart-lines').tBodies[0];
  const focused = body.contains(document.activeElement) ? document.activeElement : null;
  const row = focused?.closest('tr');
  const place = [...body.rows].indexOf(row);
  body.replaceChildren(...rows);
  if (!focused) return;
  const line =
    rows.find((r) => r.dataset.productId === row.dataset.productId) ?? rows[place] ?? rows.at(-1);
  if (!line) return $('cart-title').focus();
  const control = [...row.querySelectorAll('input, button')].indexOf(focused);
  line.querySelectorAll('input, button')[control].focus();
}

function lineRow(line, name) {
  const inputId = 'quantity-' + line.productId;
  const quantity = element('input', {
    id: inputId,
    type: 'number',
    min: 1,
    max: 10,
    value: line.quantity,
    class: 'quantity',
    // An emptied field is being edited, not a quantity of 0.
    onchange: (event) => event.target.value && change(line.productId, Number(event.target.value)),
  });
  return element(
    'tr',
    { 'data-product-id': line.productId },
    element('td', {}, name),
    element(
      'td',
      {},
      element('label', { for: inputId, class: 'visually-hidden' }, 'Quantity of ' + name),
      quantity,
    ),
    element('td', { class: 'number' }, money(line.amount)),
    element(
      'td',
      {},
      element(
        'button',
        { type: 'button', class: 'secondary', onclick: () => remove(line.productId) },
        'Remove',
        element('span', { class: 'visually-hidden' }, ' ' + name),
      ),
    ),
  );
}

/** A write to the cart; a refused one changes nothing, so the cart is read again to be sure. */
async function write(path, method, body, done) {
  showError(null);
  try {
    cart = await api(path, { method, body, token: token(), idempotencyKey: newKey() });
    say(done);
    await render();
  } catch (error) {
    showError(error);
    await reload().catch(() => {});
  }
}

function change(productId, quantity) {
  return write(
    '/carts/' + cart.cartId + '/items/' + productId,
    'PUT',
    { quantity },
    'Quantity changed.',
  );
}

function remove(productId) {
  return write('/carts/' + cart.cartId + '/items/' + productId, 'DELETE', undefined, 'Removed.');
}

/** The cart stays the same until an add succeeds; POST /carts answers the active one (200). */
async function openCart() {
  if (cart && cart.status === 'active') return cart;
  cart = await api('/carts', { method: 'POST', body: {}, token: token(), idempotencyKey: newKey() });
  return cart;
}

function stockWords(available, inCart) {
  if (available <= 0) return 'Out of stock: no units are available.';
  const words = 'Only ' + available + (available === 1 ? ' unit is' : ' units are') + ' available';
  return inCart > 0 ? words + ', and ' + inCart + ' are in your cart already.' : words + '.';
}

/**
 * Adds units, or throws an Error saying why not. The API accepts any add (stock is reserved at
 * checkout, which then cancels the order), so the exact stock is asked first.
 */
export async function addProduct(product, quantity) {
  if (!session()) {
    $('sign-in-email').focus();
    throw new Error('Please sign in or register first.');
  }
  names.set(product.productId, product.name);
  const line = cart && cart.items.find((l) => l.productId === product.productId);
  const inCart = line ? line.quantity : 0;
  const stock = await api('/inventory/' + product.productId);
  if (stock.available < inCart + quantity) throw new Error(stockWords(stock.available, inCart));
  try {
    const open = await openCart();
    cart = await api('/carts/' + open.cartId + '/items', {
      method: 'POST',
      body: { productId: product.productId, quantity },
      token: token(),
      idempotencyKey: newKey(),
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signOut();
    await reload().catch(() => {});
    throw error;
  }
  say('Added ' + quantity + ' × ' + product.name + '.');
  $('shop-status').textContent = 'Added ' + quantity + ' × ' + product.name + ' to your cart.';
  await render();
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The order once it has ended: long polls, again while it runs or the shop is busy. */
async function ended(orderId) {
  for (;;) {
    try {
      const order = await api('/orders/' + orderId + '?waitFor=end&timeout=10s', { token: token() });
      if (order.status === 'completed' || order.status === 'canceled') return order;
    } catch (error) {
      const retry = error instanceof Unreachable || (error instanceof ApiError && error.status === 503);
      if (!retry) throw error;
      await wait(1000);
    }
  }
}

function outcome(order) {
  if (order.status === 'completed') return 'Order ' + order.orderId + ' completed.';
  const why = CANCEL_CAUSES[order.cancelCause] || order.cancelReason || 'no reason was given';
  return 'Order canceled: ' + why + '.';
}

async function checkout(paymentMethod) {
  showError(null);
  // Disabled, the button would drop the focus; the status says how the order goes.
  $('cart-status').focus();
  $('checkout').disabled = true;
  try {
    const { orderId } = await api('/carts/' + cart.cartId + '/checkout', {
      method: 'POST',
      body: { paymentMethod },
      token: token(),
      idempotencyKey: newKey(),
    });
    say('Order ' + orderId + ' placed; waiting for stock and payment…');
    const order = await ended(orderId);
    say(outcome(order));
    // The cart is spent either way: the next add opens a fresh one.
    cart = null;
    await render();
    if (order.status === 'completed') onOrderCompleted(orderId);
  } catch (error) {
    showError(error);
    await reload().catch(() => {});
  }
}

/** While the drawer is open, the page it covers takes neither focus nor clicks, as under a dialog. */
function cover(covered) {
  document.querySelectorAll('body > :not(#cart, dialog)').forEach((part) => (part.inert = covered));
}

function open() {
  cover(true);
  $('cart').hidden = false;
  $('cart-toggle').setAttribute('aria-expanded', 'true');
  $('cart-title').focus();
}

function close() {
  cover(false);
  $('cart').hidden = true;
  $('cart-toggle').setAttribute('aria-expanded', 'false');
  $('cart-toggle').focus();
}

/** Wires the drawer; completed(orderId) is called when an order of this shopper completes. */
export function initCart(completed) {
  onOrderCompleted = completed;
  $('cart-toggle').addEventListener('click', () => ($('cart').hidden ? open() : close()));
  $('cart-close').addEventListener('click', close);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('cart').hidden && !$('product-dialog').open) close();
  });
  $('checkout-form').addEventListener('submit', (event) => {
    event.preventDefault();
    checkout(new FormData(event.target).get('paymentMethod'));
  });
}

/** Shows the signed-in shopper's active cart (or an empty one). */
export function showCart() {
  say('');
  showError(null);
  reload().catch(showError);
}
