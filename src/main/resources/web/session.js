// The resident's session (WCAG 2.2.1): the token from verification lasts 30 minutes. Five minutes
// before it ends, an announced warning offers to extend it (a new verification with the same notice
// number and birth date, kept in this page's memory only); once it has ended, a chosen time is kept
// (sessionStorage, this tab only) so that verifying again continues where the resident was.
import { api } from './api.js';
import { setText } from './i18n.js';
import { show } from './page.js';
import { $, S } from './state.js';
import { fmtTime, fmtWhen, tokyo } from './time.js';

export const SESSION_MS = 30 * 60 * 1000;
export const SESSION_WARN_MS = 5 * 60 * 1000;
const RESUME_KEY = 'madoguchi.resume';

let timer = null;
let credentials = null; // {notice, birthDate}: to extend without asking again; never stored
let deadline = 0;

/**
 * A new token: its end, as the server says it, measured on this device's clock. A device whose
 * clock is far off the server's gets the documented 30 minutes instead.
 */
export function started(verification, notice, birthDate) {
  credentials = { notice: notice, birthDate: birthDate };
  const left = new Date(verification.expiresAt).getTime() - Date.now();
  deadline = Date.now() + (left > 0 && left <= SESSION_MS + 60000 ? left : SESSION_MS);
  $('session-warn').hidden = true;
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (!S.token) {
    return;
  }
  const left = deadline - Date.now();
  if (left <= 0) {
    ended();
  } else if (left <= SESSION_WARN_MS) {
    warn();
    timer = setTimeout(schedule, Math.min(left, 30000));
  } else {
    timer = setTimeout(schedule, left - SESSION_WARN_MS);
  }
}

/** The warning, shown and announced once, its minutes kept up to date. */
function warn() {
  const box = $('session-warn');
  const minutes = Math.max(1, Math.ceil((deadline - Date.now()) / 60000));
  const time = fmtTime(tokyo(new Date(deadline).toISOString()));
  setText($('session-warn-text'), 'session.warn', { minutes: minutes, time: time });
  $('session-extend').hidden = !credentials;
  if (box.hidden) {
    box.hidden = false;
    setText($('session-live'), 'session.warn', { minutes: minutes, time: time });
  }
}

/**
 * The time ran out while the page was open: said, never acted on. The page stays as it is (a
 * booking code being copied is not taken away); "extend" still verifies again, and an action
 * the service refuses (401) goes through {@link expired}, which keeps the chosen time.
 */
function ended() {
  const box = $('session-warn');
  setText($('session-warn-text'), 'session.ended');
  $('session-extend').hidden = !credentials;
  box.hidden = false;
  setText($('session-live'), 'session.ended');
}

/** "Extend": a new verification with what the resident entered; the page stays where it is. */
export async function extend() {
  if (!credentials) {
    return;
  }
  const button = $('session-extend');
  button.setAttribute('aria-disabled', 'true');
  try {
    const v = await api('POST', '/api/v1/residents/verify',
      { body: { noticeNumber: credentials.notice, birthDate: credentials.birthDate }, auth: false });
    S.token = v.token;
    started(v, credentials.notice, credentials.birthDate);
    setText($('session-live'), 'session.extended', { time: fmtTime(tokyo(new Date(deadline).toISOString())) });
  } catch (e) {
    setText($('session-warn-text'), 'session.extendFailed');
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/**
 * The session has ended (the clock ran out, or the server said 401): back to the start, keeping
 * the time being confirmed so that the next verification continues with it.
 */
export function expired() {
  clearTimeout(timer);
  const kept = S.view === 'confirm' && S.slot && !S.taken ? {
    slot: S.slot, mode: S.mode, code: S.mode === 'move' && S.booking ? S.booking.code : null
  } : null;
  if (kept) {
    try {
      sessionStorage.setItem(RESUME_KEY, JSON.stringify(kept));
    } catch (e) {
      // storage refused (private mode): the resident chooses the time again
    }
  }
  S.token = null;
  credentials = null;
  $('session-warn').hidden = true;
  show('start', kept ? { alert: 'err.sessionKept', args: { when: fmtWhen(kept.slot.start, kept.slot.end) } } : { alert: 'err.session' });
}

/** After a new verification: the time kept when the last session ended, once, if it still fits the card. */
export function resumed(activeBooking) {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(RESUME_KEY) || 'null');
    sessionStorage.removeItem(RESUME_KEY);
  } catch (e) {
    kept = null;
  }
  if (!kept || !kept.slot) {
    return null;
  }
  if (kept.mode === 'move') {
    return activeBooking && activeBooking.code === kept.code ? kept : null;
  }
  return activeBooking ? null : kept;
}
