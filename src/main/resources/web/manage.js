// 1b and 5. A booking found by its code, shown with reschedule and cancel.
import { api } from './api.js';
import { showNeeds } from './booking.js';
import { setText, t } from './i18n.js';
import { clearAlert, clearErrors, details, digits, failed, pending, readBirth, readNotice, show, showErrors, siteOf, siteRows } from './page.js';
import { $, S, el } from './state.js';
import { addDays, dayKey, fmtWhen, tokyo } from './time.js';
import { availability, availabilityOf, firstBookableDay } from './calendar.js';
import { chooseSlot } from './slots.js';
import { renderWaitlist } from './waitlist.js';
import { continueKept, verificationFailed, verify } from './verify.js';

// ---------------------------------------------------------------- 1b. manage by code

export async function onManage(event) {
  event.preventDefault();
  const form = $('manage-form');
  const button = $('manage-submit');
  if (S.sending) {
    return;
  }
  clearErrors(form);
  clearAlert();
  const errors = [];
  const code = digits($('code').value);
  if (!code) {
    errors.push(['code', 'err.code.required']);
  } else if (!/^\d{10}$/.test(code)) {
    errors.push(['code', 'err.code.format']);
  }
  const notice = readNotice('m-notice', errors);
  const birth = readBirth('m-birth', errors);
  if (errors.length) {
    showErrors(form, errors);
    return;
  }
  S.sending = true;
  pending(button, true);
  try {
    await verify(notice, birth);
  } catch (e) {
    verificationFailed(form, e, { notice: 'm-notice', birth: 'm-birth' });
    S.sending = false;
    pending(button, false);
    return;
  }
  try {
    S.booking = await api('GET', '/api/v1/bookings/' + code);
    S.cancelled = false;
    if (!continueKept(S.booking.status === 'active' ? S.booking : null)) {
      show('booking');
    }
  } catch (e) {
    if (e.status === 404) {
      showErrors(form, [['code', 'err.code.notFound']]);
    } else {
      failed(e);
    }
  } finally {
    S.sending = false;
    pending(button, false);
  }
}

// ---------------------------------------------------------------- 5. one booking

export function renderBooking() {
  const b = S.booking;
  const status = S.cancelled ? 'cancelled' : b.status;
  details($('booking-details'), [
    [t('booking.code'), b.code.slice(0, 5) + ' ' + b.code.slice(5)],
    [t('booking.status'), t('status.' + status)],
    [t('confirm.when'), fmtWhen(b.start, b.end)]
  ].concat(siteRows(siteOf(b.siteId || S.card.siteId))));
  const active = status === 'active' && new Date(b.start).getTime() > Date.now();
  $('booking-actions').hidden = !active;
  $('booking-bring').hidden = status !== 'active';
  $('cancel-ask').hidden = true;
  $('booking-again').hidden = !(status === 'cancelled' && S.card && S.card.cardState === 'ready');
  const msg = $('booking-message');
  if (S.cancelled) {
    setText(msg, 'booking.cancelled');
    msg.hidden = false;
  } else {
    msg.hidden = true;
  }
  $('booking-error').hidden = true;
  if (status === 'active') {
    showNeeds($('booking-details'));
  } else {
    $('needs').hidden = true;
  }
  showEarlier(active ? b : null);
}

const EARLIER_SHOWN = 3;

/**
 * Free seats before the booking, looked for once per booking shown: when there are some, they
 * are offered (a move, like "change the date") instead of the waitlist, which is for seats that
 * are not free yet.
 */
async function showEarlier(b) {
  const box = $('earlier');
  if (!b) {
    box.hidden = true;
    return;
  }
  if (!S.earlier || S.earlier.code !== b.code || S.earlier.start !== b.start) {
    box.hidden = true;
    const from = firstBookableDay();
    const day = dayKey(tokyo(b.start));
    let slots = [];
    if (day >= from) {
      try {
        const last = addDays(from, 61);
        slots = await availability(from, day > last ? last : day);
      } catch (e) {
        return; // the waitlist stays hidden too: it is shown only after an answer said nothing earlier is free
      }
    }
    const before = new Date(b.start).getTime();
    S.earlier = { code: b.code, start: b.start,
      slots: slots.filter((s) => s.remaining > 0 && new Date(s.start).getTime() < before) };
    if (S.view !== 'booking' || S.booking !== b) {
      return;
    }
    renderWaitlist();
  }
  const found = S.earlier.slots;
  box.dataset.lookedFor = b.code; // the lookup is done (the waitlist may show): for tests and styles alike
  box.hidden = !found.length;
  if (!found.length) {
    return;
  }
  setText($('earlier-text'), 'earlier.text');
  const ul = $('earlier-list');
  ul.textContent = '';
  found.slice(0, EARLIER_SHOWN).forEach((s) => {
    const state = availabilityOf(s.remaining, s.seats !== undefined ? s.seats : s.remaining);
    const button = el('button', { type: 'button', class: 'slot', 'data-slot-id': String(s.slotId) }, [
      el('span', { class: 'when', text: fmtWhen(s.start, s.end) }),
      el('span', { class: 'left' }, [el('span', { class: 'mark', 'aria-hidden': 'true', text: t('mark.' + state) }),
        el('span', { class: 'sr', text: t('avail.' + state) + t('slots.seats', { n: s.remaining }) })])]);
    button.addEventListener('click', () => {
      S.mode = 'move';
      chooseSlot(s);
    });
    ul.appendChild(el('li', {}, [button]));
  });
}

export function askCancel() {
  $('cancel-ask').hidden = false;
  $('booking-actions').hidden = true;
  $('cancel-ask-text').focus();
}

export function keepBooking() {
  $('cancel-ask').hidden = true;
  $('booking-actions').hidden = false;
  $('cancel').focus();
}

export async function onCancel() {
  if (S.sending) {
    return;
  }
  const button = $('cancel-yes');
  S.sending = true;
  pending(button, true);
  try {
    await api('DELETE', '/api/v1/bookings/' + S.booking.code);
    cancelledNow();
  } catch (e) {
    // after a lost answer the cancellation may have happened: look before complaining
    let now = null;
    try {
      now = await api('GET', '/api/v1/bookings/' + S.booking.code);
    } catch (ignored) {
      now = null;
    }
    if (now && now.status === 'cancelled') {
      cancelledNow();
    } else {
      failed(e, $('booking-error'));
    }
  } finally {
    S.sending = false;
    pending(button, false);
  }
}

export function cancelledNow() {
  S.cancelled = true;
  S.months = {};
  S.earlier = null;
  show('booking', { focusOn: 'booking-message' });
}
