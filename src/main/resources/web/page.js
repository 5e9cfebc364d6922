// The page's frame: which view is shown, shared rows (site, address), form fields and their errors, failures.
import { renderConfirm, renderDone } from './booking.js';
import { renderCalendarView } from './calendar.js';
import { setText, t } from './i18n.js';
import { renderBooking } from './manage.js';
import { expired } from './session.js';
import { $, S, el } from './state.js';
import { dayKey, pad, todayTokyo, westernYear } from './time.js';
import { renderCard } from './verify.js';
import { OFFER_VIEWS, loadWaitlist, renderOffer, renderWaitlist } from './waitlist.js';

// ---------------------------------------------------------------- views

export const VIEWS = ['start', 'manage', 'card', 'calendar', 'confirm', 'done', 'booking'];

export function show(view, options) {
  const opts = options || {};
  S.view = view;
  VIEWS.forEach((v) => { $('view-' + v).hidden = v !== view; });
  if (opts.alert) {
    setText($('alert'), opts.alert, opts.args);
  } else {
    clearAlert();
  }
  render(view);
  if (view === 'start' || view === 'manage') {
    S.offerGone = false;
  }
  if (OFFER_VIEWS.indexOf(view) >= 0 && S.token) {
    loadWaitlist({ focus: opts.focus !== false });
  }
  if (opts.focus !== false) {
    const target = opts.focusOn ? $(opts.focusOn) : $('view-' + view).querySelector('h2');
    target.focus();
  }
  window.scrollTo(0, 0);
}

export function clearAlert() {
  const a = $('alert');
  a.textContent = '';
  delete a.dataset.t;
  delete a.dataset.args;
}

export function render(view) {
  switch (view) {
    case 'calendar': renderCalendarView(); break;
    case 'confirm': renderConfirm(); break;
    case 'done': renderDone(); break;
    case 'booking': renderBooking(); break;
    case 'card': renderCard(); break;
    default: break;
  }
  renderWaitlist();
  renderOffer();
  // keep.js (SMS box, calendar, print, access notes) renders its boxes for this view
  document.dispatchEvent(new CustomEvent('madoguchi:view', { detail: { view: view, token: S.token, booking: S.booking, card: S.card, cancelled: S.cancelled } }));
}

export function siteOf(id) {
  if (S.card && S.card.site && S.card.site.id === id) {
    return S.card.site;
  }
  return S.sites[id] || null;
}

export function siteName(site) {
  return site ? site.name[S.lang] || site.name.ja : '';
}

export function siteAddress(site) {
  return site && site.address ? site.address[S.lang] || site.address.ja || '' : '';
}

export function details(dl, rows) {
  dl.textContent = '';
  rows.forEach(([label, value, extra]) => {
    dl.appendChild(el('dt', { text: label }));
    const dd = el('dd', { text: value });
    if (extra) {
      dd.appendChild(el('br'));
      dd.appendChild(el('span', { lang: 'ja', class: 'original', text: extra }));
    }
    dl.appendChild(dd);
  });
}

export function siteRows(site) {
  const rows = [[t('confirm.where'), siteName(site)]];
  const address = siteAddress(site);
  if (address) {
    const original = S.lang === 'en' && site.address.ja && site.address.ja !== address ? site.address.ja : null;
    rows.push([t('confirm.address'), address, original]);
  }
  return rows;
}

// ---------------------------------------------------------------- fields and their errors

export function digits(text) {
  // full-width digits from a Japanese input method, spaces and dashes of any width
  return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
    .replace(/[\s\-‐－ー―]/g, '');
}

export function fieldError(prefix, key) {
  const err = $(prefix + '-error');
  setText(err, key);
  err.hidden = false;
  const group = $(prefix);
  const inputs = group.tagName === 'FIELDSET' ? group.querySelectorAll('input, select') : [group];
  inputs.forEach((i) => i.setAttribute('aria-invalid', 'true'));
  group.closest('.field').classList.add('has-error');
}

export function clearErrors(form) {
  form.querySelectorAll('.error').forEach((e) => {
    e.hidden = true;
    e.textContent = '';
    delete e.dataset.t;
  });
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  form.querySelectorAll('.has-error').forEach((f) => f.classList.remove('has-error'));
}

export function focusFirstError(form) {
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) {
    first.focus();
  }
}

export function readNotice(prefix, errors) {
  const value = digits($(prefix).value);
  if (!value) {
    errors.push([prefix, 'err.notice.required']);
  } else if (!/^\d{6,20}$/.test(value)) {
    errors.push([prefix, 'err.notice.format']);
  }
  return value;
}

/**
 * The birth date as YYYY-MM-DD: the year in the Western calendar, or in a Japanese era (和暦, the
 * era chosen next to the year; 元年 may be typed as 元 or 1), converted here before it is sent.
 */
export function readBirth(prefix, errors) {
  const era = $(prefix + '-era') ? $(prefix + '-era').value : 'western';
  const yText = digits($(prefix + '-year').value);
  const y = era !== 'western' && /^(元|1)$/.test(yText) ? '1' : yText;
  const m = digits($(prefix + '-month').value);
  const d = digits($(prefix + '-day').value);
  if (!y || !m || !d) {
    errors.push([prefix, 'err.birth.required']);
    return null;
  }
  const month = Number(m);
  const day = Number(d);
  let year = Number(y);
  if (era !== 'western') {
    year = /^\d{1,2}$/.test(y) && /^\d{1,2}$/.test(m) && /^\d{1,2}$/.test(d) ? westernYear(era, Number(y), month, day) : null;
    if (year === null) {
      errors.push([prefix, 'err.birth.era']);
      return null;
    }
  } else if (!/^\d{4}$/.test(y)) {
    errors.push([prefix, 'err.birth.invalid']);
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  const today = todayTokyo();
  if (!/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d) || year < 1900
    || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day
    || dayKey({ year: year, month: month, day: day }) > dayKey(today)) {
    errors.push([prefix, 'err.birth.invalid']);
    return null;
  }
  return year + '-' + pad(month) + '-' + pad(day);
}

export function showErrors(form, errors) {
  errors.forEach(([prefix, key]) => fieldError(prefix, key));
  focusFirstError(form);
}

export function pending(button, on) {
  if (on) {
    button.setAttribute('aria-disabled', 'true');
  } else {
    button.removeAttribute('aria-disabled');
  }
}

// ---------------------------------------------------------------- failures

export function failed(e, where) {
  if (e && e.status === 401) {
    expired();
    return;
  }
  if (e && e.status === 429 && e.message) {
    // a limit the server explains (the day's changes used up): until when, and the call center
    const box = where || $('alert');
    setText(box, 'err.server', { message: e.message });
    box.hidden = false;
    if (where) {
      where.focus();
    }
    return;
  }
  const key = e && e.status === 0 ? 'err.network' : e && e.code === 'gave_up' ? 'err.giveUp' : 'err.generic';
  if (where) {
    setText(where, key);
    where.hidden = false;
    where.focus();
  } else {
    setText($('alert'), key);
  }
}
