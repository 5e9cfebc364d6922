// 1b and 5. A booking found by its code, shown with reschedule and cancel.
import { api } from './api.js';
import { showNeeds } from './booking.js';
import { setText, t } from './i18n.js';
import { clearAlert, clearErrors, details, digits, failed, pending, readBirth, readNotice, show, showErrors, siteOf, siteRows } from './page.js';
import { $, S } from './state.js';
import { fmtWhen } from './time.js';
import { verificationFailed, verify } from './verify.js';

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
    show('booking');
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
  show('booking', { focusOn: 'booking-message' });
}
