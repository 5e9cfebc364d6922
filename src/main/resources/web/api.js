// The resident API: calls with a busy banner that waits out 503 answers and sends the same request again.
import { setText, t } from './i18n.js';
import { $, S } from './state.js';

export const MAX_BUSY_RETRIES = 30;
export const MAX_NETWORK_RETRIES = 3;

// ---------------------------------------------------------------- the API

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function retryAfterSeconds(header) {
  if (!header) {
    return 2;
  }
  let s = /^\d+$/.test(header.trim()) ? parseInt(header, 10) : Math.ceil((Date.parse(header) - Date.now()) / 1000);
  if (!isFinite(s)) {
    s = 2;
  }
  return Math.min(120, Math.max(1, s));
}

export function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Calls the API ({quiet: true}: a look in the background, which gives up at once on a 503 or a
 * network failure instead of waiting with the busy banner). 503 answers are waited out (Retry-After, with a countdown) and the very same
 * request — same body, same Idempotency-Key — is sent again.
 */
export async function api(method, path, options) {
  const opts = options || {};
  // the server words its messages (a lock, a limit: what, until when, whom to call) in the page's language
  const headers = { Accept: 'application/json', 'Accept-Language': S.lang };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (S.token && opts.auth !== false) {
    headers.Authorization = 'Bearer ' + S.token;
  }
  if (opts.key) {
    headers['Idempotency-Key'] = opts.key;
  }
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const call = {}; // who owns the busy banner
  let busyTries = 0;
  let networkTries = 0;
  try {
    for (;;) {
      let res;
      try {
        res = await fetch(path, { method: method, headers: headers, body: body, cache: 'no-store', credentials: 'same-origin' });
      } catch (e) {
        if (opts.quiet || ++networkTries > MAX_NETWORK_RETRIES) {
          throw new ApiError(0, 'network');
        }
        await waitBusy(call, 3);
        continue;
      }
      if (res.status === 503 && opts.quiet) {
        throw new ApiError(503, 'busy');
      }
      if (res.status === 503) {
        if (++busyTries > MAX_BUSY_RETRIES) {
          throw new ApiError(503, 'gave_up');
        }
        await waitBusy(call, retryAfterSeconds(res.headers.get('Retry-After')));
        continue;
      }
      let data = null;
      try {
        data = await res.json();
      } catch (e) {
        data = null;
      }
      if (!res.ok) {
        throw new ApiError(res.status, data && data.error, data && data.message,
          retryAfterSeconds(res.headers.get('Retry-After')));
      }
      return data;
    }
  } finally {
    endBusy(call);
  }
}

/** Shows the busy banner with a countdown of {@code seconds}; resolves when it reaches zero or on "try now". */
export function waitBusy(call, seconds) {
  return new Promise((resolve) => {
    const wait = { call: call, left: seconds };
    S.busy = wait;
    const box = $('busy');
    if (box.hidden) {
      box.hidden = false;
      setText($('busy-text'), 'busy.text');
    }
    renderBusyCount();
    const timer = setInterval(() => {
      wait.left -= 1;
      if (wait.left <= 0) {
        finish();
      } else {
        renderBusyCount();
      }
    }, 1000);
    function finish() {
      clearInterval(timer);
      $('busy-now').removeEventListener('click', finish);
      resolve();
    }
    $('busy-now').addEventListener('click', finish);
  });
}

export function renderBusyCount() {
  if (S.busy) {
    $('busy-count').textContent = t('busy.count', { seconds: Math.max(0, S.busy.left) });
  }
}

export function endBusy(call) {
  if (!S.busy || S.busy.call !== call) {
    return;
  }
  S.busy = null;
  $('busy').hidden = true;
  $('busy-text').textContent = '';
  delete $('busy-text').dataset.t;
  $('busy-count').textContent = '';
}

