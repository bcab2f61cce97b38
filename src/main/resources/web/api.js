// The one way the pages call the node's API: JSON in and out, problem+json turned into an
// ApiError whose message is the API's own explanation, in plain words.

export class ApiError extends Error {
  constructor(status, problem) {
    super(ApiError.wordsFor(status, problem));
    this.status = status;
    this.problem = problem;
  }

  static wordsFor(status, problem) {
    if (problem && problem.detail) {
      const detail = problem.detail.charAt(0).toUpperCase() + problem.detail.slice(1);
      return detail.endsWith('.') ? detail : detail + '.';
    }
    if (status === 401) return 'Please sign in first.';
    if (status === 403) return 'You may not do that.';
    if (status === 503) return 'The shop is busy or restarting; please try again in a moment.';
    return 'Something went wrong (HTTP ' + status + '); please try again.';
  }
}

/** The node could not be reached or did not answer in time (it stopped or hangs, or the network is down). */
export class Unreachable extends Error {
  constructor(cause) {
    super('The shop cannot be reached; check your connection and try again.');
    this.cause = cause;
  }
}

/**
 * Calls the API and answers its JSON. Options: method, body (sent as JSON), token (bearer),
 * idempotencyKey (a retried write is applied once), signal (to give up), timeoutMs.
 */
export async function api(path, options = {}) {
  const text = await call(path, 'application/json', options);
  return text ? JSON.parse(text) : null;
}

/** Calls an operation that answers plain text (such as /metrics), with the same errors as api(). */
export function apiText(path, options = {}) {
  return call(path, 'text/plain', options);
}

// Longer than the node's own request-timeout (20 s, http.conf): a node that is merely slow answers
// 503 first, so only a node that hangs or cannot be reached runs into it.
const TIMEOUT_MS = 25000;

/**
 * The request, and its body as text; a problem answer becomes an ApiError, no answer (in time)
 * Unreachable.
 */
async function call(path, accept, options) {
  const headers = { Accept: accept + ', application/problem+json' };
  if (options.token) headers.Authorization = 'Bearer ' + options.token;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const timeout = AbortSignal.timeout(options.timeoutMs || TIMEOUT_MS);
  let response;
  let text;
  try {
    response = await fetch(path, {
      method: options.method || 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    // The caller gave up (AbortError); a timeout (TimeoutError) is a node that does not answer.
    if (error.name === 'AbortError') throw error;
    throw new Unreachable(error);
  }
  if (!response.ok) throw new ApiError(response.status, text ? JSON.parse(text) : null);
  return text;
}

/** A fresh key for one logical write, reused when that write is retried. */
export function newKey() {
  return crypto.randomUUID();
}

/** Money in the shop's currency (amounts are decimal strings or numbers from the API). */
export function money(amount) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(
    Number(amount),
  );
}

/** Text into an element, never markup: everything the API returns is data. */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
