/*
 * The resident page: verify with the notice number and birth date, choose a day and a time at the
 * card's site, book, then check, reschedule or cancel by booking code. Plain DOM, no framework, ES modules
 * loaded by the browser itself (no bundler): this one wires the page, the others are one screen or
 * one shared part each.
 *
 * Surge behaviour: a 503 answer is waited out for its Retry-After (with a visible countdown) and
 * the same request is sent again; a booking or reschedule carries an Idempotency-Key made once
 * per attempt, so a retry or a double click can never book twice; a slot that filled up meanwhile
 * (409 slot_full) is explained and the next free slots are offered at once.
 */
import { api, renderBusyCount } from './api.js';
import { onBook, saveNeeds } from './booking.js';
import { renderCalendarView, startCalendar } from './calendar.js';
import { applyTexts, t } from './i18n.js';
import { askCancel, keepBooking, onCancel, onManage } from './manage.js';
import { render, show } from './page.js';
import { extend } from './session.js';
import { $, S } from './state.js';
import { shiftMonth } from './time.js';
import { onVerify } from './verify.js';
import { onAcceptOffer, onJoinWaitlist, onLeaveWaitlist } from './waitlist.js';

function switchLanguage() {
  S.lang = S.lang === 'ja' ? 'en' : 'ja';
  document.cookie = 'lang=' + S.lang + '; path=/; max-age=31536000; SameSite=Lax';
  showWalkIn(S.walkIns || []);
  const url = new URL(window.location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', S.lang);
    history.replaceState(null, '', url.toString());
  }
  applyTexts();
  $('wl-live').textContent = ''; // said once, in the language of that moment; the offer itself follows the switch
  render(S.view);
  if (S.busy) {
    renderBusyCount();
  }
}

function showWalkIn(sites) {
  S.walkIns = sites;
  const box = $('walk-in-note');
  box.textContent = '';
  sites.forEach((site) => {
    const hours = site.walkInHours.map((h) => h.date.substring(5).replace('-', '/') + ' ' + h.opens.substring(11, 16)
      + '–' + h.closes.substring(11, 16)).join(', ');
    const p = document.createElement('p');
    p.textContent = t('start.walkIn').replace('{name}', site.name[S.lang] || site.name.ja)
      .replace('{address}', site.address[S.lang] || site.address.ja).replace('{hours}', hours);
    box.appendChild(p);
  });
  box.hidden = sites.length === 0;
}

async function loadSites() {
  try {
    const list = await api('GET', '/api/v1/sites', { auth: false });
    list.forEach((s) => { S.sites[s.id] = s; });
    showWalkIn(list.filter((s) => s.walkIn && s.walkInHours && s.walkInHours.length));
    if (S.view && S.view !== 'start' && S.view !== 'manage') {
      render(S.view);
    }
  } catch (e) {
    // the card's site also comes with verification; the list only names other sites
  }
}

// ---------------------------------------------------------------- wiring

function init() {
  applyTexts();
  $('lang-switch').addEventListener('click', switchLanguage);
  $('verify-form').addEventListener('submit', onVerify);
  $('needs-form').addEventListener('submit', saveNeeds);
  $('manage-form').addEventListener('submit', onManage);
  $('to-manage').addEventListener('click', () => show('manage'));
  document.querySelectorAll('.back-start').forEach((b) => b.addEventListener('click', () => show('start')));
  $('calendar-back').addEventListener('click', () => {
    if (S.mode === 'move' && S.booking) {
      show('booking');
    } else {
      show('start');
    }
  });
  $('month-prev').addEventListener('click', () => { S.month = shiftMonth(S.month, -1); S.day = null; renderCalendarView(); });
  $('month-next').addEventListener('click', () => { S.month = shiftMonth(S.month, 1); S.day = null; renderCalendarView(); });
  $('book').addEventListener('click', onBook);
  $('confirm-back').addEventListener('click', () => {
    S.taken = null;
    show('calendar');
  });
  $('done-manage').addEventListener('click', () => { S.cancelled = false; show('booking'); });
  $('reschedule').addEventListener('click', () => startCalendar('move'));
  $('cancel').addEventListener('click', askCancel);
  $('cancel-no').addEventListener('click', keepBooking);
  $('cancel-yes').addEventListener('click', onCancel);
  $('book-again').addEventListener('click', () => { S.booking = null; S.cancelled = false; startCalendar('book'); });
  $('wl-form').addEventListener('submit', onJoinWaitlist);
  $('wl-leave').addEventListener('click', onLeaveWaitlist);
  $('offer-accept').addEventListener('click', onAcceptOffer);
  $('session-extend').addEventListener('click', extend);
  ['taken-text', 'confirm-error', 'booking-error', 'booking-message', 'cancel-ask-text'].forEach((id) => $(id).setAttribute('tabindex', '-1'));
  show('start', { focus: false });
  loadSites();
  document.body.dataset.ready = 'true';
}

init();
