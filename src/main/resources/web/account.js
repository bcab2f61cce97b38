// Signing in, registering and signing out. The session (token and user) lives in sessionStorage:
// it ends with the tab, and the token expires within the hour anyway.
import { api, ApiError, element } from '/assets/api.js';

const KEY = 'storefront.session';
const listeners = [];
let current = restore();

function restore() {
  const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  return saved && Date.parse(saved.expiresAt) > Date.now() ? saved : null;
}

/** The signed-in shopper ({token, userId, name, region}) or null. */
export function session() {
  return current;
}

/** Calls back now and on every sign-in and sign-out. */
export function onSessionChange(listener) {
  listeners.push(listener);
  listener(current);
}

function signedIn(answer) {
  current = {
    token: answer.token,
    expiresAt: answer.expiresAt,
    userId: answer.userId,
    name: answer.name,
    region: answer.region,
  };
  sessionStorage.setItem(KEY, JSON.stringify(current));
  listeners.forEach((listener) => listener(current));
}

/** Forgets the session, e.g. when the API no longer accepts its token. */
export function signOut() {
  current = null;
  sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener(current));
}

const $ = (id) => document.getElementById(id);

function showError(error) {
  const box = $('account-error');
  box.textContent = error ? error.message : '';
  box.hidden = !error;
}

async function submitting(form, action) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  showError(null);
  try {
    signedIn(await action(new FormData(form)));
    form.reset();
    // The form that had the focus is hidden now: focus and announce the signed-in state.
    $('sign-out').focus();
    $('shop-status').textContent = 'Signed in as ' + current.name + '.';
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
  // Refused: a button disabled while it had the focus lost it; give it back beside the error.
  if (!current && !form.contains(document.activeElement)) button.focus();
}

/**
 * The regions shoppers may live in are those with a warehouse; the API shows warehouses with each
 * product's stock, so the regions come from the stock of the first products.
 */
async function regions() {
  const page = await api('/products?size=10');
  const stocks = await Promise.all(page.items.map((p) => api('/inventory/' + p.productId)));
  const names = new Set(stocks.flatMap((stock) => stock.warehouses.map((w) => w.region)));
  return [...names].sort();
}

function fill(select, values) {
  select.replaceChildren(...values.map((v) => element('option', { value: v.value }, v.label)));
}

async function showDemoShoppers(region) {
  const shoppers = await api('/demo/shoppers?region=' + encodeURIComponent(region));
  fill(
    $('demo-user'),
    shoppers.map((s) => ({ value: s.userId, label: s.name })),
  );
}

/** Offers the demo's generated users unless the node is not in demo mode (404). */
async function offerDemo(firstRegion) {
  try {
    await showDemoShoppers(firstRegion);
    $('demo-form').hidden = false;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) showError(error);
  }
}

let offered = false;

/** The regions for registering, and the demo's users: asked for once, when first signed out. */
async function offerRegions() {
  try {
    const names = await regions();
    const options = names.map((r) => ({ value: r, label: r }));
    fill($('register-region'), options);
    fill($('demo-region'), options);
    if (names.length > 0) await offerDemo(names[0]);
  } catch (error) {
    showError(error);
  }
}

function render(who) {
  if (!who && !offered) {
    offered = true;
    offerRegions();
  }
  $('signed-in').hidden = !who;
  $('signed-out').hidden = !!who;
  $('who').textContent = who ? 'Signed in as ' + who.name : 'Not signed in';
  if (who) {
    $('signed-in-name').textContent = who.name;
    $('signed-in-region').textContent = who.region;
  }
}

export function initAccount() {
  onSessionChange(render);
  $('sign-out').addEventListener('click', () => {
    signOut();
    $('sign-in-email').focus();
  });
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitting(event.target, (data) =>
      api('/sessions', {
        method: 'POST',
        body: { email: data.get('email'), password: data.get('password') },
      }),
    );
  });
  $('register-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitting(event.target, (data) =>
      api('/users', {
        method: 'POST',
        body: {
          name: data.get('name'),
          email: data.get('email'),
          password: data.get('password'),
          region: data.get('region'),
        },
      }),
    );
  });
  $('demo-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitting(event.target, (data) =>
      api('/demo/sessions', { method: 'POST', body: { userId: data.get('userId') } }),
    );
  });
  $('demo-region').addEventListener('change', (event) =>
    showDemoShoppers(event.target.value).catch(showError),
  );
}
