// Reads Prometheus's text format (what /metrics answers) into samples, and turns two scrapes of
// a counter into a rate: the console's live charts are drawn from the node's own metrics.

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of the scrape: { name, labels: {…}, value }. */
export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels = {};
    for (const [, key, value] of (match[3] || '').matchAll(LABEL)) {
      labels[key] = value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[4]) });
  }
  return samples;
}

/** The sum of the samples of that name whose labels include the given ones. */
export function sum(samples, name, labels = {}) {
  let total = 0;
  for (const sample of samples) {
    if (sample.name !== name) continue;
    if (Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) {
      total += sample.value;
    }
  }
  return total;
}

/** Per-second rate of a counter between two scrapes; a restarted node (counter reset) gives 0. */
export function rate(before, after, seconds) {
  if (before === undefined || seconds <= 0 || after < before) return 0;
  return (after - before) / seconds;
}
