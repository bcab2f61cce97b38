// The operator console: signs in with the admin token, then polls the node that served it. When
// that node stops answering, the console moves to another member it saw Up (its web address comes
// from GET /cluster), carrying the token in the address's fragment (never sent to a server) and
// dropping it from the address bar at once.

import { api, apiText, ApiError, Unreachable } from './api.js';
import { parse, sum, rate } from './prometheus.js';
import { liveChart } from './charts.js';
import { ClusterPanel, webAddress } from './console-cluster.js';
import { AnalyticsPanels, showLowStock, showProjections } from './console-analytics.js';

const TOKEN = 'storefront.operatorToken';
const FAST = 2000;
const SLOW = 10000;
const FAILURES_BEFORE_MOVING = 2;
// /cluster answers within about 2 s (its asks to the members give up after 1 s) and /metrics at
// once: a node silent for longer hangs, and counts as not answering.
const POLL_TIMEOUT_MS = 5000;

const $ = (id) => document.getElementById(id);
const connection = $('connection');

function tokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    sessionStorage.setItem(TOKEN, fragment.get('token'));
    history.replaceState(null, '', location.pathname);
  }
  return fragment.get('movedFrom');
}

function signIn(problem) {
  $('console').hidden = true;
  $('sign-in').hidden = false;
  connection.textContent = 'Signed out';
  const error = $('sign-in-error');
  error.hidden = !problem;
  error.textContent = problem || '';
  $('token').focus();
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN, $('token').value.trim());
  $('token').value = '';
  start();
});

let cluster;
let orders;
let lastSnapshot = null;
let failures = 0;
let leaving = false; // on the way to another member: no more rounds
let started = false;
let attempts = 0;
let retry = null;

/**
 * Shows the console and starts polling, once: the form sent again while a try waits for its
 * answer (or for its retry after a 503) makes a new try, and the earlier one gives way.
 */
async function start() {
  clearTimeout(retry);
  if (started) return;
  const attempt = ++attempts;
  const token = sessionStorage.getItem(TOKEN);
  if (!token) return signIn();
  let snapshot;
  try {
    snapshot = await api('/cluster', { token, timeoutMs: POLL_TIMEOUT_MS });
  } catch (error) {
    if (attempt !== attempts) return;
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      sessionStorage.removeItem(TOKEN);
      return signIn('That is not the operators’ admin token.');
    }
    connection.textContent = error.message;
    retry = setTimeout(start, FAST);
    return;
  }
  if (attempt !== attempts) return;
  started = true;
  lastSnapshot = snapshot;
  const signingIn = $('sign-in').contains(document.activeElement);
  $('sign-in').hidden = true;
  $('console').hidden = false;
  $('sections').hidden = false;
  // The form that had the focus is hidden now; connected() below announces the node.
  if (signingIn) $('cluster-title').focus();
  cluster = new ClusterPanel($('members'), $('member-log'), $('served-by'));
  if (movedFrom) cluster.note(`${movedFrom} stopped answering; the console moved to ${location.origin}`);
  cluster.show(lastSnapshot);
  connected();
  const analytics = new AnalyticsPanels();
  const activity = new Activity();
  orders = new ClusterOrders();
  every(FAST, () => refreshCluster(token));
  every(FAST, () => activity.refresh(token));
  every(SLOW, () => refreshReadSide(token, analytics));
}

/** Runs the task now and again each interval after a round settled, so answers never overlap. */
function every(interval, task) {
  const round = async () => {
    try {
      await task();
    } catch (error) {
      if (!(error instanceof Unreachable)) console.warn('console refresh failed:', error.message);
    }
    if (!leaving) setTimeout(round, interval);
  };
  round();
}

function connected() {
  failures = 0;
  connection.classList.remove('lost');
  connection.textContent = 'Connected to ' + location.origin;
}

async function refreshCluster(token) {
  try {
    lastSnapshot = await api('/cluster', { token, timeoutMs: POLL_TIMEOUT_MS });
    cluster.show(lastSnapshot);
    orders.update(lastSnapshot);
    connected();
  } catch (error) {
    connection.classList.add('lost');
    if (!(error instanceof Unreachable)) {
      // The node answers (a 503 while shards move, say): it is alive, so the console stays.
      connection.textContent = error.message;
      return;
    }
    failures += 1;
    connection.textContent = `${location.origin} is not answering (${failures})`;
    if (failures >= FAILURES_BEFORE_MOVING) moveToAnotherMember(token);
  }
}

/**
 * Moves to another member that was Up and reachable when last seen. Only when the page came
 * straight from its node: behind a load balancer (the page's origin is not the node's own
 * address) the balancer already sends the next poll to a node that answers.
 */
function moveToAnotherMember(token) {
  const self = (lastSnapshot?.members || []).find((member) => member.address === lastSnapshot.servedBy);
  if (!self || self.httpUrl !== location.origin) return;
  const others = (lastSnapshot?.members || []).filter(
    (member) => webAddress(member) && member.httpUrl !== location.origin && member.status === 'Up' && member.reachable,
  );
  if (others.length === 0) return;
  const next = others[Math.floor(Math.random() * others.length)];
  leaving = true;
  const fragment = new URLSearchParams({ token, movedFrom: lastSnapshot.servedBy });
  // Replaced, not kept in the history: Back would lead to the node that stopped.
  location.replace(`${next.httpUrl}/console#${fragment}`);
}

async function refreshReadSide(token, analytics) {
  const [projections, stock, funnel, popularity, regions] = await Promise.all([
    api('/projections', { token }),
    api('/analytics/low-stock?limit=15', { token }),
    api('/analytics/funnel', { token }),
    api('/analytics/product-popularity?limit=10', { token }),
    api('/analytics/sales-by-region-hour?hours=24&limit=50', { token }),
  ]);
  showProjections($('projection-table'), projections);
  showLowStock($('stock-table'), stock);
  analytics.showFunnel(funnel);
  analytics.showPopularity(popularity);
  analytics.showRegions(regions);
}

/**
 * Orders ended per second in the whole cluster: each member's own counters (its metrics, as
 * /cluster passes them on), differenced per member, so a member that leaves or restarts (its
 * counters start again from 0) adds nothing false.
 */
class ClusterOrders {
  constructor() {
    this.chart = liveChart($('orders-chart'), ['completed', 'canceled'], 'orders/s');
    this.before = null;
  }

  update(snapshot) {
    const now = { time: Date.now() / 1000, members: new Map() };
    for (const member of snapshot.members) {
      if (member.ordersEnded) now.members.set(member.address, member.ordersEnded);
    }
    if (this.before) {
      const seconds = now.time - this.before.time;
      let completed = 0;
      let canceled = 0;
      for (const [address, ended] of now.members) {
        const earlier = this.before.members.get(address);
        if (!earlier) continue;
        completed += rate(earlier.completed, ended.completed, seconds);
        canceled += rate(earlier.canceled, ended.canceled, seconds);
      }
      this.chart.push(now.time, [completed, canceled]);
    }
    this.before = now;
  }
}

/** Live chart and figures from the serving node's /metrics: rates between two scrapes. */
class Activity {
  constructor() {
    this.requests = liveChart($('requests-chart'), ['2xx', '4xx', '5xx'], 'requests/s');
    this.before = null;
  }

  async refresh(token) {
    const samples = parse(await apiText('/metrics', { token, timeoutMs: POLL_TIMEOUT_MS }));
    const now = {
      time: Date.now() / 1000,
      completed: sum(samples, 'storefront_orders_total', { outcome: 'completed' }),
      canceled: sum(samples, 'storefront_orders_total', { outcome: 'canceled' }),
      requests: ['2', '4', '5'].map((digit) =>
        samples
          .filter((s) => s.name === 'http_server_requests_seconds_count' && (s.labels.status || '').startsWith(digit))
          .reduce((total, s) => total + s.value, 0),
      ),
    };
    if (this.before) {
      const seconds = now.time - this.before.time;
      this.requests.push(now.time, now.requests.map((count, i) => rate(this.before.requests[i], count, seconds)));
    }
    this.before = now;
    const heap = sum(samples, 'jvm_memory_used_bytes', { area: 'heap' });
    const reserved = sum(samples, 'storefront_stock_reservations_total', { outcome: 'reserved' });
    const refused = sum(samples, 'storefront_stock_reservations_total', { outcome: 'refused' });
    const entities = samples
      .filter((s) => s.name === 'storefront_entities_active')
      .map((s) => `${s.labels.type} ${s.value}`)
      .join(', ');
    $('node-figures').textContent =
      `Since this node started: ${now.completed} orders completed, ${now.canceled} canceled; ` +
      `${reserved} reservations made, ${refused} refused. Live entities: ${entities || 'none'}. ` +
      `Heap in use: ${(heap / 1048576).toFixed(0)} MB.`;
  }
}

const movedFrom = tokenFromFragment();
start();
