// 1. Who are you: the notice number and birth date give a token; a card that cannot be booked says why.
import { api, newKey } from './api.js';
import { resumed, started } from './session.js';
import { startCalendar } from './calendar.js';
import { setText } from './i18n.js';
import { clearAlert, clearErrors, failed, fieldError, pending, readBirth, readNotice, show, showErrors } from './page.js';
import { $, S } from './state.js';

// ---------------------------------------------------------------- 1. verify

export async function verify(notice, birthDate) {
  const v = await api('POST', '/api/v1/residents/verify', { body: { noticeNumber: notice, birthDate: birthDate }, auth: false });
  S.token = v.token;
  S.card = { siteId: v.siteId, site: v.site, cardState: v.cardState };
  S.wait = null;
  S.waitLoaded = false;
  S.waitLeft = false;
  S.offerGone = false;
  S.waitContext = null;
  if (v.site) {
    S.sites[v.site.id] = v.site;
  }
  S.months = {};
  S.earlier = null;
  started(v, notice, birthDate);
  return v;
}

/** Back to the time the resident was confirming when the last session ended, if it still fits. */
export function continueKept(active) {
  const kept = resumed(active);
  if (!kept) {
    return false;
  }
  S.mode = kept.mode;
  if (kept.mode === 'move') {
    S.booking = active;
    S.cancelled = false;
  }
  S.taken = null;
  S.slot = kept.slot;
  S.attempt = { slotId: kept.slot.slotId, key: newKey() };
  show('confirm');
  return true;
}

/** Shows what a failed verification means, next to the field it is about. */
export function verificationFailed(form, e, prefixes) {
  if (e.status === 401) {
    fieldError(prefixes.birth, 'err.verification');
    $(prefixes.birth + '-year').focus();
  } else if (e.status === 400 && /notice/i.test(e.message || '')) {
    showErrors(form, [[prefixes.notice, 'err.notice.format']]);
  } else if (e.status === 400 && /birth/i.test(e.message || '')) {
    showErrors(form, [[prefixes.birth, 'err.birth.invalid']]);
  } else if (e.status === 429 && e.message) {
    // what is locked, until when (the date and time, never a capped countdown) and whom to call meanwhile
    setText($('alert'), 'err.server', { message: e.message });
  } else if (e.status === 429) {
    setText($('alert'), 'err.tooMany', { seconds: e.retryAfter || 60 });
  } else {
    failed(e);
  }
}

export async function onVerify(event) {
  event.preventDefault();
  const form = $('verify-form');
  const button = $('verify-submit');
  if (S.sending) {
    return;
  }
  clearErrors(form);
  clearAlert();
  const errors = [];
  const notice = readNotice('notice', errors);
  const birth = readBirth('birth', errors);
  if (errors.length) {
    showErrors(form, errors);
    return;
  }
  S.sending = true;
  pending(button, true);
  try {
    await verify(notice, birth);
    await afterVerify();
  } catch (e) {
    verificationFailed(form, e, { notice: 'notice', birth: 'birth' });
  } finally {
    S.sending = false;
    pending(button, false);
  }
}

export async function afterVerify() {
  if (S.card.cardState !== 'ready') {
    show('card');
    return;
  }
  const me = await api('GET', '/api/v1/residents/me');
  const active = (me.bookings || []).find((b) => b.status === 'active');
  if (continueKept(active)) {
    return;
  }
  if (active) {
    S.booking = active;
    S.cancelled = false;
    show('booking');
  } else {
    startCalendar('book');
  }
}

export function renderCard() {
  const state = S.card ? S.card.cardState : null;
  const key = ['applied', 'incomplete', 'issued', 'cancelled'].indexOf(state) >= 0 ? 'card.' + state : 'card.unknown';
  setText($('card-state'), key);
}
