// The product grid: filters, paging, a live stock badge per product, and the product's details.
import { api, element, money } from '/assets/api.js';

// The shop warns of low stock at 5 units or fewer (storefront.inventory.low-stock-threshold).
const LOW_STOCK = 5;
const PAGE_SIZE = 12;

const $ = (id) => document.getElementById(id);
const query = { category: '', q: '', page: 0 }; // the grid asked for last
let pageShown = 0; // the pager moves from the page on screen, however often it is clicked
let loading = null; // the request for the grid on its way; a newer one cancels it
const cards = new Map(); // productId → {product, badge, message}
let stream = null;
let addToCart = null;
let shown = null; // the product in the details dialog

function badgeFor(available) {
  if (available <= 0) return { text: 'Out of stock', tone: 'bad' };
  if (available <= LOW_STOCK) return { text: 'Only ' + available + ' left', tone: 'warn' };
  return { text: 'In stock', tone: 'good' };
}

function showStock(productId, available) {
  const card = cards.get(productId);
  if (!card) return;
  card.available = available;
  const { text, tone } = badgeFor(available);
  for (const badge of [card.badge, shown === card ? $('detail-stock') : null]) {
    if (!badge) continue;
    badge.textContent = text;
    badge.className = 'badge ' + tone;
  }
}

/** Live levels of the products on screen; the stream starts with their current levels. */
function follow(productIds) {
  if (stream) stream.close();
  stream = null;
  if (productIds.length === 0) return;
  stream = new EventSource('/stream/stock?products=' + productIds.join(','));
  stream.addEventListener('stock', (event) => {
    const level = JSON.parse(event.data);
    showStock(level.productId, level.available);
  });
}

/** The product's own available units, for a product the stream has no level of (yet). */
async function fallBack(productId) {
  try {
    const detail = await api('/products/' + productId);
    const card = cards.get(productId);
    if (card && card.available === undefined) showStock(productId, detail.available);
  } catch {
    // The badge stays empty; the stream may still bring the level.
  }
}

function showMessage(box, error) {
  box.textContent = error ? error.message : '';
  box.hidden = !error;
}

async function add(card, quantity, messageBox) {
  showMessage(messageBox, null);
  try {
    await addToCart(card.product, quantity);
    return true;
  } catch (error) {
    showMessage(messageBox, error);
    return false;
  }
}

function cardFor(product) {
  const badge = element('span', { class: 'badge' });
  const message = element('p', { class: 'message error', role: 'alert', hidden: true });
  const card = { product, badge, message, available: undefined };
  const addButton = element(
    'button',
    { type: 'button', onclick: () => add(card, 1, message) },
    'Add to cart',
    element('span', { class: 'visually-hidden' }, ': ' + product.name),
  );
  const details = element(
    'button',
    { type: 'button', class: 'secondary', onclick: () => openDetails(card) },
    'Details',
    element('span', { class: 'visually-hidden' }, ' of ' + product.name),
  );
  cards.set(product.productId, card);
  return element(
    'li',
    { class: 'panel product', 'data-product-id': product.productId },
    element('h3', {}, product.name),
    element('p', { class: 'muted' }, product.category),
    element('p', { class: 'price' }, money(product.price), ' ', badge),
    element('div', { class: 'row' }, addButton, details),
    message,
  );
}

function openDetails(card) {
  shown = card;
  $('detail-name').textContent = card.product.name;
  $('detail-category').textContent = card.product.category;
  $('detail-description').textContent = card.product.description;
  $('detail-price').textContent = money(card.product.price);
  $('detail-quantity').value = 1;
  showMessage($('detail-message'), null);
  if (card.available !== undefined) showStock(card.product.productId, card.available);
  $('product-dialog').showModal();
}

async function load() {
  const params = new URLSearchParams({ page: query.page, size: PAGE_SIZE });
  if (query.category) params.set('category', query.category);
  if (query.q) params.set('q', query.q);
  showMessage($('catalog-error'), null);
  loading?.abort();
  const request = (loading = new AbortController());
  let page;
  try {
    page = await api('/products?' + params, { signal: request.signal });
  } catch (error) {
    if (!request.signal.aborted) showMessage($('catalog-error'), error);
    return;
  }
  // An answer already on its way when a newer query was asked is not shown over it.
  if (request.signal.aborted) return;
  pageShown = page.page;
  cards.clear();
  $('product-grid').replaceChildren(...page.items.map(cardFor));
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  $('product-count').textContent =
    page.total === 1 ? '1 product found' : page.total + ' products found';
  $('page-label').textContent = 'Page ' + (pageShown + 1) + ' of ' + pages;
  const focused = document.activeElement;
  $('previous-page').disabled = pageShown === 0;
  $('next-page').disabled = pageShown + 1 >= pages;
  // A pager button disabled while focused (Next on the last page) would drop the focus.
  if (focused.disabled) {
    const other = focused === $('next-page') ? $('previous-page') : $('next-page');
    (other.disabled ? $('product-count') : other).focus();
  }
  const ids = page.items.map((p) => p.productId);
  follow(ids);
  ids.forEach(fallBack);
}

async function loadCategories() {
  try {
    const categories = await api('/categories');
    $('category').append(
      ...categories.map((c) => element('option', { value: c.name }, c.name)),
    );
  } catch (error) {
    showMessage($('catalog-error'), error);
  }
}

/** Shows the catalog; adding calls addProduct(product, quantity), which throws to refuse. */
export function initCatalog(addProduct) {
  addToCart = addProduct;
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    query.q = $('search').value.trim();
    query.category = $('category').value;
    query.page = 0;
    load();
  });
  $('category').addEventListener('change', () => {
    query.category = $('category').value;
    query.page = 0;
    load();
  });
  $('previous-page').addEventListener('click', () => {
    query.page = pageShown - 1;
    load();
  });
  $('next-page').addEventListener('click', () => {
    query.page = pageShown + 1;
    load();
  });
  $('detail-close').addEventListener('click', () => $('product-dialog').close());
  $('product-dialog').addEventListener('close', () => {
    shown = null;
  });
  $('detail-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const quantity = Number($('detail-quantity').value);
    if (await add(shown, quantity, $('detail-message'))) $('product-dialog').close();
  });
  loadCategories();
  load();
}
