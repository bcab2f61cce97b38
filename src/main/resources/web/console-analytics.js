// The read side, for operators: projection lag, the lowest stock, and the analytics views, each
// as a table (the numbers) and, where a picture helps, a chart.

import { element, money } from './api.js';
import { barChart } from './charts.js';

const LOW_STOCK = 5;

function cells(...values) {
  return values.map((value) =>
    typeof value === 'number' ? element('td', { class: 'number' }, value.toLocaleString('en-US')) : element('td', {}, value),
  );
}

function milliseconds(value) {
  if (value === null || value === undefined) return '—';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** One row per projection: its instances (slice ranges) summed, the worst of them shown. */
export function showProjections(table, instances) {
  const byName = new Map();
  for (const instance of instances) {
    const row = byName.get(instance.projection) || { slices: 0, states: new Set(), waiting: 0, oldest: null, p99: null };
    row.slices += 1;
    row.states.add(instance.state);
    row.waiting += instance.waitingEvents;
    row.oldest = Math.max(row.oldest ?? 0, instance.oldestWaitingEventAgeMs ?? 0) || row.oldest;
    row.p99 = Math.max(row.p99 ?? 0, instance.lagP99Ms ?? 0) || row.p99;
    byName.set(instance.projection, row);
  }
  table.querySelector('tbody').replaceChildren(
    ...[...byName].map(([name, row]) =>
      element(
        'tr',
        {},
        cells(name, `${row.slices} instances`, [...row.states].join(', '), row.waiting),
        element('td', { class: 'number' }, milliseconds(row.oldest)),
        element('td', { class: 'number' }, milliseconds(row.p99)),
      ),
    ),
  );
}

export function showLowStock(table, page) {
  table.querySelector('tbody').replaceChildren(
    ...page.items.map((level) => {
      const out = level.available === 0;
      const low = !out && level.available <= LOW_STOCK;
      const badge = out
        ? element('span', { class: 'badge bad' }, 'Sold out')
        : low
          ? element('span', { class: 'badge warn' }, 'Low')
          : element('span', { class: 'badge good' }, 'In stock');
      return element(
        'tr',
        { class: out ? 'out' : low ? 'low' : undefined },
        cells(level.name ?? level.productId, level.available, level.reserved, level.sold),
        element('td', {}, badge),
      );
    }),
  );
}

/** The analytics views, with their charts made once. */
export class AnalyticsPanels {
  constructor() {
    this.funnelChart = barChart(document.getElementById('funnel-chart'), 'Count', 'carts / orders');
    this.popularityChart = barChart(document.getElementById('popularity-chart'), 'Units sold', 'units');
    this.regionsChart = barChart(document.getElementById('regions-chart'), 'Revenue', 'USD');
  }

  showFunnel(funnel) {
    const steps = [
      ['Carts opened', funnel.cartsCreated],
      ['Carts with items', funnel.cartsWithItems],
      ['Checked out', funnel.checkedOut],
      ['Orders completed', funnel.completed],
      ['Carts given up', funnel.givenUp],
      ['Orders failed', funnel.orderFailed],
    ];
    document.querySelector('#funnel-table tbody').replaceChildren(
      ...steps.map(([label, value]) => element('tr', {}, element('th', { scope: 'row' }, label), cells(value))),
    );
    this.funnelChart.show(steps.map(([label]) => label), steps.map(([, value]) => value));
  }

  showPopularity(page) {
    const top = page.items.slice(0, 10);
    document.querySelector('#popularity-table tbody').replaceChildren(
      ...top.map((product) =>
        element('tr', {}, cells(product.name, product.category, product.unitsSold), element('td', { class: 'number' }, money(product.revenue))),
      ),
    );
    this.popularityChart.show(top.map((p) => p.name), top.map((p) => p.unitsSold));
  }

  showRegions(page) {
    const revenueByRegion = new Map();
    for (const row of page.items) {
      revenueByRegion.set(row.region, (revenueByRegion.get(row.region) || 0) + Number(row.revenue));
    }
    document.querySelector('#regions-table tbody').replaceChildren(
      ...page.items.map((row) =>
        element(
          'tr',
          {},
          cells(row.region, new Date(row.hour).toLocaleString('en-US', { dateStyle: 'short', timeStyle: 'short' }), row.orders, row.units),
          element('td', { class: 'number' }, money(row.revenue)),
        ),
      ),
    );
    this.regionsChart.show([...revenueByRegion.keys()], [...revenueByRegion.values()]);
  }
}
