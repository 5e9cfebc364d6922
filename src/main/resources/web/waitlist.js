// 6. The waitlist: asking for an earlier date, and a seat held for the resident.
import { api } from './api.js';
import { setText, t } from './i18n.js';
import { clearErrors, details, failed, pending, render, show, showErrors, siteOf, siteRows } from './page.js';
import { $, S } from './state.js';
import { firstBookableDay } from './calendar.js';
import { addDays, dayKey, fmtDate, fmtTime, fmtWhen, monthKey, partsOfDay, shiftMonth, todayTokyo, tokyo } from './time.js';

// ---------------------------------------------------------------- 6. the waitlist
//
// A resident with a booking (or who finds no free seat) may ask for an earlier date. When a
// seat frees up, the service holds it for them for a while; the page shows that offer at the
// top, whatever step it is on, and the resident takes it with one button. While the resident
// waits, the page asks again every WAITLIST_POLL_MS, so an open page shows the offer by itself.

export const WAITLIST_POLL_MS = 15000;
export const WAITLIST_MAX_DAYS = 62;
export const OFFER_VIEWS = ['calendar', 'confirm', 'booking'];

/** The booking the waitlist is about (an earlier date than this one), or null. */
export function bookingToImprove() {
  if (S.view === 'booking') {
    return S.booking && !S.cancelled && S.booking.status === 'active' ? S.booking : null;
  }
  return S.mode === 'move' && S.booking ? S.booking : null;
}

export function waiting() {
  return !!S.wait && (S.wait.state === 'waiting' || S.wait.state === 'offered');
}

/**
 * Whether the "ask for an earlier date" part belongs on the view shown now: only where an earlier
 * seat could still come free and none is free now. Not for a booking already on the first
 * bookable day, not while free seats are shown (the page offers those instead), not for a month
 * that is not open for booking yet. A resident already on the list always sees it (to leave it).
 */
export function waitlistWanted() {
  if (!S.token || !S.card || S.card.cardState !== 'ready') {
    return false;
  }
  if (waiting() && OFFER_VIEWS.indexOf(S.view) >= 0) {
    return true;
  }
  const b = bookingToImprove();
  if (b && dayKey(tokyo(b.start)) <= firstBookableDay()) {
    return false; // nothing can come earlier than the first bookable day
  }
  if (S.view === 'booking') {
    // only once the page has looked for earlier free seats and found none
    return !!b && new Date(b.start).getTime() > Date.now() && !!S.earlier && S.earlier.code === b.code
      && !S.earlier.slots.length;
  }
  if (S.view === 'calendar') {
    return S.monthFree === false && !S.monthNotOpen && !anyMonthFree();
  }
  if (S.view === 'confirm') {
    return !!S.taken && !S.taken.next.length; // the slot filled up and nothing near is free
  }
  return false;
}

/** Whether any month the page has looked at has a free seat (then those are shown, not the waitlist). */
function anyMonthFree() {
  return Object.values(S.months).some((slots) => slots.some((s) => s.remaining > 0
    && !(S.mode === 'move' && S.booking && S.booking.slotId === s.slotId)));
}

/** Default dates: from tomorrow up to the day before the booking (or the end of the month looked at). */
export function waitlistDefaults() {
  const from = addDays(dayKey(todayTokyo()), 1);
  const b = bookingToImprove();
  let to;
  if (b) {
    to = addDays(dayKey(tokyo(b.start)), -1);
  } else if (S.month) {
    to = addDays(monthKey(shiftMonth(S.month, 1)) + '-01', -1);
  } else {
    to = addDays(from, 13);
  }
  if (to < from) {
    to = from;
  }
  const last = addDays(from, WAITLIST_MAX_DAYS - 1);
  return { from: from, to: to > last ? last : to };
}

export async function loadWaitlist(options) {
  const opts = options || {};
  if (!S.token) {
    return;
  }
  const before = S.wait;
  const token = S.token;
  let entry = null;
  try {
    // a look in the background: a busy service is asked again at the next poll, with no banner
    entry = await api('GET', '/api/v1/waitlist', { quiet: true });
  } catch (e) {
    if (e.status !== 404) {
      scheduleWaitlistPoll(); // a failed look is tried again at the next poll; the page stays as it is
      return;
    }
  }
  if (token !== S.token) {
    return; // someone else verified meanwhile
  }
  // {"state":"none"}: never on the list (an older instance answers 404, caught above)
  S.wait = entry && entry.state !== 'none' ? entry : null;
  S.waitLoaded = true;
  const nowOffered = entry && entry.state === 'offered';
  const wasOffered = before && before.state === 'offered';
  if (nowOffered && !wasOffered) {
    S.offerGone = false;
  }
  renderWaitlist();
  renderOffer();
  if (nowOffered && !wasOffered && OFFER_VIEWS.indexOf(S.view) >= 0) {
    if (opts.focus) {
      $('offer-heading').focus();
    }
    const o = entry.offer;
    // said once: the seat, and (when its time is nearly up) the warning with it
    const warning = $('offer-warn').hidden ? '' : ' ' + $('offer-warn').textContent;
    $('wl-live').textContent = t('offer.announce', { when: fmtWhen(o.start, o.end), time: fmtTime(tokyo(o.expiresAt)) }) + warning;
  }
  scheduleWaitlistPoll();
}

export function scheduleWaitlistPoll() {
  if (S.waitTimer) {
    clearTimeout(S.waitTimer);
    S.waitTimer = null;
  }
  if (S.token && waiting()) {
    S.waitTimer = setTimeout(() => {
      S.waitTimer = null;
      if (OFFER_VIEWS.indexOf(S.view) >= 0) {
        loadWaitlist();
      } else {
        scheduleWaitlistPoll();
      }
    }, WAITLIST_POLL_MS);
  }
}

/** Puts the waitlist part into the view shown now and fills it in. */
export function renderWaitlist() {
  const box = $('waitlist');
  if (!waitlistWanted()) {
    box.hidden = true;
    return;
  }
  const home = $({ booking: 'booking-wl', calendar: 'calendar-wl', confirm: 'confirm-wl' }[S.view]);
  if (box.parentElement !== home) {
    home.appendChild(box);
  }
  const wasHidden = box.hidden;
  box.hidden = false;
  const on = waiting();
  $('wl-join').hidden = on;
  $('wl-on').hidden = !on;
  setText($('wl-intro'), bookingToImprove() ? 'wl.introMove' : 'wl.introBook');
  if (on) {
    const range = { from: fmtDate(partsOfDay(S.wait.from)), to: fmtDate(partsOfDay(S.wait.to)) };
    if (S.wait.state === 'offered') {
      setText($('wl-place'), 'wl.waiting', range);
      setText($('wl-on-note'), 'wl.offeredNote');
    } else {
      if (S.wait.place) {
        setText($('wl-place'), 'wl.place', Object.assign({ n: S.wait.place }, range));
      } else {
        setText($('wl-place'), 'wl.waiting', range);
      }
      setText($('wl-on-note'), 'wl.onNote');
    }
    return;
  }
  const msg = $('wl-message');
  if (S.wait && S.wait.state === 'expired' && !S.offerGone) {
    setText(msg, 'wl.expired');
    msg.hidden = false;
  } else if (!S.waitLeft) {
    msg.hidden = true;
  }
  const context = (bookingToImprove() ? bookingToImprove().start : '') + '|' + (S.month ? monthKey(S.month) : '');
  if (wasHidden || S.waitContext !== context || !$('wl-from').value || !$('wl-to').value) {
    const d = waitlistDefaults();
    $('wl-from').value = d.from;
    $('wl-to').value = d.to;
    S.waitContext = context;
  }
  const tomorrow = addDays(dayKey(todayTokyo()), 1);
  $('wl-from').min = tomorrow;
  $('wl-to').min = tomorrow;
}

export function renderOffer() {
  const box = $('offer');
  const offered = S.wait && S.wait.state === 'offered' && S.wait.offer;
  const shown = OFFER_VIEWS.indexOf(S.view) >= 0 && (offered || S.offerGone);
  box.hidden = !shown;
  watchOffer();
  if (!shown) {
    return;
  }
  $('offer-now').hidden = !offered || S.offerGone;
  $('offer-gone').hidden = !S.offerGone;
  if (S.offerGone) {
    setText($('offer-gone'), S.offerGone === 'expired' ? 'offer.expired' : 'offer.gone');
  }
  if (offered && !S.offerGone) {
    const o = S.wait.offer;
    const rows = o.start ? [[t('offer.when'), fmtWhen(o.start, o.end)]] : [];
    details($('offer-details'), rows.concat(siteRows(siteOf(S.wait.siteId))));
    setText($('offer-until'), 'offer.until', { time: fmtTime(tokyo(o.expiresAt)) });
    setText($('offer-accept'), S.sending ? 'offer.sending' : 'offer.accept');
  }
}

/** A held seat is not held forever (WCAG 2.2.1): a few minutes before it goes on, say so (it cannot be extended). */
export const OFFER_WARN_MS = 3 * 60 * 1000;
let offerTimer = null;

function watchOffer() {
  clearTimeout(offerTimer);
  const warning = $('offer-warn');
  const o = S.wait && S.wait.state === 'offered' && S.wait.offer;
  if (!o || S.offerGone || $('offer').hidden) {
    warning.hidden = true;
    return;
  }
  const left = new Date(o.expiresAt).getTime() - Date.now();
  if (left <= 0) {
    warning.hidden = true;
    S.offerGone = 'expired';
    renderOffer();
    return;
  }
  if (left > OFFER_WARN_MS) {
    warning.hidden = true;
    offerTimer = setTimeout(watchOffer, left - OFFER_WARN_MS);
    return;
  }
  const words = { minutes: Math.max(1, Math.ceil(left / 60000)), time: fmtTime(tokyo(o.expiresAt)) };
  setText(warning, 'offer.warn', words);
  if (warning.hidden) {
    warning.hidden = false;
    $('wl-live').textContent = t('offer.warn', words);
  }
  offerTimer = setTimeout(watchOffer, Math.min(left, 30000));
}

export function readRange(errors) {
  const from = $('wl-from').value;
  const to = $('wl-to').value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) {
    errors.push(['wl-range', 'err.wl.required']);
    return null;
  }
  if (to < from) {
    errors.push(['wl-range', 'err.wl.order']);
    return null;
  }
  return { from: from, to: to };
}

export async function onJoinWaitlist(event) {
  event.preventDefault();
  const form = $('wl-form');
  const button = $('wl-join-button');
  if (S.sending) {
    return;
  }
  clearErrors(form);
  S.waitLeft = false;
  $('wl-message').hidden = true;
  const errors = [];
  const range = readRange(errors);
  if (errors.length) {
    showErrors(form, errors);
    return;
  }
  S.sending = true;
  pending(button, true);
  setText(button, 'wl.joining');
  try {
    S.wait = await api('POST', '/api/v1/waitlist', { body: range });
    S.offerGone = false;
    renderWaitlist();
    renderOffer();
    scheduleWaitlistPoll();
    $('wl-place').focus();
  } catch (e) {
    const key = {
      not_earlier: 'err.wl.notEarlier', outside_window: 'err.wl.outsideWindow', invalid_request: 'err.wl.invalid',
      offer_pending: 'err.wl.pending', card_not_ready: 'err.cardNotReady'
    }[e.code];
    if (e.status === 401) {
      failed(e);
    } else {
      showErrors(form, [['wl-range', key || (e.status === 0 ? 'err.network' : e.code === 'gave_up' ? 'err.giveUp' : 'err.generic')]]);
      if (e.code === 'offer_pending') {
        loadWaitlist({ focus: true });
      }
    }
  } finally {
    S.sending = false;
    pending(button, false);
    setText(button, 'wl.join');
  }
}

export async function onLeaveWaitlist() {
  if (S.sending) {
    return;
  }
  const button = $('wl-leave');
  $('wl-error').hidden = true;
  S.sending = true;
  pending(button, true);
  try {
    S.wait = await api('DELETE', '/api/v1/waitlist');
  } catch (e) {
    if (e.status !== 404) {
      failed(e, $('wl-error'));
      return;
    }
    S.wait = null;
  } finally {
    S.sending = false;
    pending(button, false);
  }
  S.offerGone = false;
  S.waitLeft = true;
  scheduleWaitlistPoll();
  renderWaitlist();
  renderOffer();
  const msg = $('wl-message');
  setText(msg, 'wl.left');
  msg.hidden = false;
  msg.focus();
}

export async function onAcceptOffer() {
  if (S.sending) {
    return;
  }
  const button = $('offer-accept');
  $('offer-error').hidden = true;
  S.sending = true;
  pending(button, true);
  setText(button, 'offer.sending');
  try {
    const booking = await api('POST', '/api/v1/waitlist/offer/accept');
    S.sending = false;
    S.booking = booking;
    S.cancelled = false;
    S.months = {};
    S.earlier = null;
    S.done = { moved: !!booking.moved };
    S.wait = null;
    scheduleWaitlistPoll();
    show('done');
  } catch (e) {
    S.sending = false;
    if (e.code === 'offer_expired' || e.code === 'no_offer' || e.code === 'not_found') {
      // past its time (offer_expired), or no longer held for this card (left in another window)
      S.offerGone = e.code === 'offer_expired' ? 'expired' : 'gone';
      S.months = {};
      S.earlier = null;
      render(S.view); // what was held may be free now: the view looks again (earlier seats, the calendar)
      $('offer-gone').focus();
      loadWaitlist();
    } else {
      failed(e, $('offer-error'));
    }
  } finally {
    S.sending = false;
    pending(button, false);
    if (!$('offer').hidden) {
      setText(button, 'offer.accept');
    }
  }
}
