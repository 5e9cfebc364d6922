// 3 and 4. Check and book (or move), a slot that filled meanwhile, the booking done, help at the counter.
import { bookingChoice } from './keep.js';
import { api, newKey } from './api.js';
import { availability, availabilityOf, byDay, dayState, freeOf } from './calendar.js';
import { setText, t } from './i18n.js';
import { details, failed, pending, show, siteOf, siteRows } from './page.js';
import { $, S, el } from './state.js';
import { addDays, dayKey, fmtDate, fmtWhen, partsOfDay, tokyo } from './time.js';
import { renderWaitlist } from './waitlist.js';

export const NEXT_FREE_SHOWN = 5;
export const DAYS_SHOWN = 5;

// ---------------------------------------------------------------- 3. confirm and book

export function renderConfirm() {
  const site = siteOf(S.card.siteId);
  const rows = [];
  if (S.mode === 'move' && S.booking) {
    rows.push([t('confirm.current'), fmtWhen(S.booking.start, S.booking.end)]);
    rows.push([t('confirm.new'), fmtWhen(S.slot.start, S.slot.end)]);
  } else {
    rows.push([t('confirm.when'), fmtWhen(S.slot.start, S.slot.end)]);
  }
  details($('confirm-details'), rows.concat(siteRows(site)));
  const book = $('book');
  setText(book, S.sending ? 'confirm.sending' : (S.mode === 'move' ? 'confirm.move' : 'confirm.book'));
  // once the slot is gone, only the way on is shown: the next free slots, or another day
  $('confirm-details').hidden = !!S.taken;
  book.hidden = !!S.taken;
  renderTaken();
}

export function renderTaken() {
  const box = $('taken');
  renderWaitlist();
  if (!S.taken) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  setText($('taken-text'), 'confirm.taken', { when: fmtWhen(S.taken.slot.start, S.taken.slot.end) });
  // other days first: a day's grid of times is one choice away, instead of rows of full times
  const days = $('next-days');
  days.textContent = '';
  $('next-days-box').hidden = !S.taken.days.length;
  S.taken.days.forEach((d) => {
    const b = el('button', { type: 'button', class: 'slot', 'data-day': d.key }, [
      el('span', { class: 'when', text: fmtDate(partsOfDay(d.key)) }),
      el('span', { class: 'left' }, [el('span', { class: 'mark', 'aria-hidden': 'true', text: t('mark.' + d.state) }),
        el('span', { class: 'sr', text: t('avail.' + d.state) + t('cal.seats', { n: d.free }) })])]);
    b.addEventListener('click', () => {
      const p = partsOfDay(d.key);
      S.taken = null;
      S.month = { year: p.year, month: p.month };
      S.day = d.key;
      S.autoAdvance = 0;
      S.focusSlots = true;
      show('calendar', { focus: false });
    });
    days.appendChild(el('li', {}, [b]));
  });
  const ul = $('next-list');
  ul.textContent = '';
  if (!S.taken.next.length) {
    ul.appendChild(el('li', { class: 'none', text: t('confirm.noNext') }));
  }
  S.taken.next.forEach((s) => {
    const state = availabilityOf(s.remaining, s.seats !== undefined ? s.seats : s.remaining);
    const b = el('button', { type: 'button', class: 'slot', 'data-slot-id': String(s.slotId) }, [
      el('span', { class: 'when', text: fmtWhen(s.start, s.end) }),
      el('span', { class: 'left' }, [el('span', { class: 'mark', 'aria-hidden': 'true', text: t('mark.' + state) }),
        el('span', { class: 'sr', text: t('avail.' + state) + t('slots.seats', { n: s.remaining }) })])]);
    b.addEventListener('click', () => {
      S.slot = s;
      S.taken = null;
      S.attempt = { slotId: s.slotId, key: newKey() };
      show('confirm');
    });
    ul.appendChild(el('li', {}, [b]));
  });
}

export async function onBook() {
  if (S.sending || !S.slot) {
    return; // a second click while the first is on its way does nothing
  }
  const button = $('book');
  const error = $('confirm-error');
  error.hidden = true;
  S.sending = true;
  pending(button, true);
  setText(button, 'confirm.sending');
  const slot = S.slot;
  if (!S.attempt || S.attempt.slotId !== slot.slotId) {
    S.attempt = { slotId: slot.slotId, key: newKey() };
  }
  const moving = S.mode === 'move';
  // keep.js adds {smsConfirmation} when the confirm view shows its box
  const body = Object.assign({ slotId: slot.slotId }, bookingChoice());
  try {
    const booking = moving
      ? await api('POST', '/api/v1/bookings/' + S.booking.code + '/reschedule', { body: body, key: S.attempt.key })
      : await api('POST', '/api/v1/bookings', { body: body, key: S.attempt.key });
    S.booking = booking;
    S.attempt = null;
    S.months = {};
    S.earlier = null;
    S.done = { moved: moving };
    S.sending = false;
    show('done');
    return;
  } catch (e) {
    S.sending = false;
    await bookingRefused(e, slot);
  } finally {
    S.sending = false;
    pending(button, false);
    if (S.view === 'confirm') {
      setText(button, moving ? 'confirm.move' : 'confirm.book');
    }
  }
}

export async function bookingRefused(e, slot) {
  const error = $('confirm-error');
  S.months = {}; // what the page showed is out of date
  S.earlier = null;
  if (e.code === 'slot_full' || e.code === 'slot_blocked') {
    let found = { next: [], days: [] };
    try {
      found = await nextFree(slot);
    } catch (ignored) {
      found = { next: [], days: [] };
    }
    S.taken = { slot: slot, next: found.next, days: found.days };
    renderConfirm();
    $('taken-text').focus();
  } else if (e.code === 'already_booked') {
    const me = await api('GET', '/api/v1/residents/me');
    const active = (me.bookings || []).find((b) => b.status === 'active');
    if (active) {
      S.booking = active;
      S.cancelled = false;
      show('booking', { alert: 'err.alreadyBooked' });
    }
  } else if (e.code === 'slot_not_bookable' || e.code === 'not_found' && S.mode === 'book') {
    setText(error, 'err.notBookable');
    error.hidden = false;
    error.focus();
  } else if (e.code === 'card_not_ready') {
    setText(error, 'err.cardNotReady');
    error.hidden = false;
    error.focus();
  } else {
    failed(e, error);
  }
}

/**
 * Where to go after a slot filled up, from the following two weeks: the days with free seats (each
 * with its mark) and the next free slots after the one that filled.
 */
export async function nextFree(slot) {
  const day = dayKey(tokyo(slot.start));
  const slots = await availability(day, addDays(day, 13));
  const start = new Date(slot.start).getTime();
  const free = slots.filter((s) => s.remaining > 0 && s.slotId !== slot.slotId
    && !(S.mode === 'move' && S.booking && S.booking.slotId === s.slotId));
  const after = free.filter((s) => new Date(s.start).getTime() >= start);
  const days = byDay(slots);
  const withSeats = Object.keys(days).sort().filter((k) => freeOf(days[k]) > 0).slice(0, DAYS_SHOWN)
    .map((k) => ({ key: k, state: dayState(k, days[k]), free: freeOf(days[k]) }));
  return { next: (after.length ? after : free).slice(0, NEXT_FREE_SHOWN), days: withSeats };
}

// ---------------------------------------------------------------- 4. done

// what the counter should prepare: shown under the booking on the done and the booking views
export async function showNeeds(after) {
  const box = $('needs');
  after.after(box);
  $('needs-status').textContent = '';
  if (!S.token) {
    box.hidden = true;
    return;
  }
  try {
    const n = await api('GET', '/api/v1/residents/me/needs', { quiet: true });
    $('needs-wheelchair').checked = n.wheelchair;
    $('needs-sign').checked = n.signLanguage;
    $('needs-loop').checked = n.hearingLoop;
    $('needs-proxy').checked = n.proxy;
    $('needs-interpreter').value = n.interpreter || '';
    $('needs-other').value = n.other || '';
    box.hidden = false;
  } catch (e) {
    box.hidden = true; // the booking itself is shown all the same
  }
}

export async function saveNeeds(ev) {
  ev.preventDefault();
  const body = { wheelchair: $('needs-wheelchair').checked, signLanguage: $('needs-sign').checked,
    hearingLoop: $('needs-loop').checked, proxy: $('needs-proxy').checked,
    interpreter: $('needs-interpreter').value.trim() || null, other: $('needs-other').value.trim() || null };
  $('needs-save').disabled = true;
  try {
    await api('PUT', '/api/v1/residents/me/needs', { body: body });
    setText($('needs-status'), 'needs.saved');
  } catch (e) {
    setText($('needs-status'), 'needs.failed');
  } finally {
    $('needs-save').disabled = false;
  }
}

export function renderDone() {
  const b = S.booking;
  setText($('done-heading'), S.done && S.done.moved ? 'done.movedHeading' : 'done.heading');
  $('done-code').textContent = b.code.slice(0, 5) + ' ' + b.code.slice(5);
  details($('done-details'), [[t('confirm.when'), fmtWhen(b.start, b.end)]].concat(siteRows(siteOf(b.siteId || S.card.siteId))));
  showNeeds($('done-manage').parentElement);
}
