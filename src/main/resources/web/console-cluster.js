// The cluster panel: members as the serving node sees them, and a log of every change between
// two looks (joined, status, unreachable, removed), so a node kill can be watched as it happens.

import { element } from './api.js';

const LOG_LIMIT = 100;

function statusBadge(member) {
  if (!member.reachable) return element('span', { class: 'badge bad' }, member.status + ', unreachable');
  const tone = member.status === 'Up' ? 'good' : member.status === 'Down' ? 'bad' : 'warn';
  return element('span', { class: 'badge ' + tone }, member.status);
}

/** The member's web address, or null unless it is http: or https: (it is data from /cluster). */
export function webAddress(member) {
  try {
    return ['http:', 'https:'].includes(new URL(member.httpUrl).protocol) ? member.httpUrl : null;
  } catch {
    return null;
  }
}

function consoleLink(member) {
  const url = webAddress(member);
  return url ? element('a', { href: url + '/console' }, url) : '—';
}

function count(n, one, many = one + 's') {
  return `${n} ${n === 1 ? one : many}`;
}

function shardsText(shards) {
  const types = Object.entries(shards);
  if (types.length === 0) return element('span', { class: 'muted' }, 'none');
  return element(
    'ul',
    { class: 'plain' },
    types.map(([type, figures]) =>
      element('li', {}, `${type}: ${count(figures.shards, 'shard')}, ${count(figures.entities, 'entity', 'entities')}`),
    ),
  );
}

export class ClusterPanel {
  constructor(table, log, servedBy) {
    this.body = table.querySelector('tbody');
    this.log = log;
    this.servedBy = servedBy;
    this.previous = null;
  }

  /** Shows the snapshot and logs what changed since the last one. */
  show(snapshot) {
    this.servedBy.textContent =
      `Served by ${snapshot.servedBy}` + (snapshot.leader ? ` · leader ${snapshot.leader}` : '');
    this.body.replaceChildren(
      ...snapshot.members.map((member) =>
        element(
          'tr',
          { class: member.address === snapshot.servedBy ? 'this-node' : undefined },
          element('td', { 'data-label': 'Member' }, member.address, member.address === snapshot.servedBy ? ' (this node)' : ''),
          element('td', { 'data-label': 'Status' }, statusBadge(member)),
          element('td', { 'data-label': 'Web address' }, consoleLink(member)),
          element('td', { 'data-label': 'Shards' }, shardsText(member.shards)),
          element(
            'td',
            { 'data-label': 'Orders ended' },
            member.ordersEnded
              ? `${member.ordersEnded.completed} completed, ${member.ordersEnded.canceled} canceled`
              : '—',
          ),
        ),
      ),
    );
    this.logChanges(snapshot.members);
  }

  logChanges(members) {
    const now = new Map(members.map((member) => [member.address, member]));
    if (this.previous === null) {
      this.note(`${members.length} members: ` + members.map((m) => `${m.address} ${m.status}`).join(', '));
    } else {
      for (const [address, member] of now) {
        const before = this.previous.get(address);
        if (!before) this.note(`${address} joined (${member.status})`);
        else {
          if (before.status !== member.status) this.note(`${address} ${before.status} → ${member.status}`);
          if (before.reachable && !member.reachable) this.note(`${address} unreachable`);
          if (!before.reachable && member.reachable) this.note(`${address} reachable again`);
        }
      }
      for (const address of this.previous.keys()) {
        if (!now.has(address)) this.note(`${address} removed from the cluster`);
      }
    }
    this.previous = now;
  }

  /** A line in the log, newest first. */
  note(text) {
    const time = new Date();
    this.log.prepend(
      element('li', {}, element('time', { datetime: time.toISOString() }, time.toLocaleTimeString()), text),
    );
    while (this.log.children.length > LOG_LIMIT) this.log.lastElementChild.remove();
  }
}
