/*
 * The resident page: verify with the notice number and birth date, choose a day and a time at the
 * card's site, book, then check, reschedule or cancel by booking code. Plain DOM, no framework.
 *
 * Surge behaviour: a 503 answer is waited out for its Retry-After (with a visible countdown) and
 * the same request is sent again; a booking or reschedule carries an Idempotency-Key made once
 * per attempt, so a retry or a double click can never book twice; a slot that filled up meanwhile
 * (409 slot_full) is explained and the next free slots are offered at once.
 */
(function () {
  'use strict';

  const TEXTS = window.TEXTS;
  const TOKYO_OFFSET_MS = 9 * 3600 * 1000; // Asia/Tokyo has no daylight saving time
  const MAX_BUSY_RETRIES = 30;
  const MAX_NETWORK_RETRIES = 3;
  const NEXT_FREE_SHOWN = 5;
  const MONTHS_AHEAD = 3;

  const S = {
    lang: document.documentElement.lang === 'en' ? 'en' : 'ja',
    view: null,
    token: null,
    card: null,          // {siteId, site, cardState}
    sites: {},           // id -> site, from GET /api/v1/sites
    mode: 'book',        // or 'move' (reschedule)
    booking: null,       // the booking being looked at or moved
    month: null,         // {year, month}
    months: {},          // 'YYYY-MM' -> slots of that month (from the API)
    autoAdvance: 0,
    day: null,           // 'YYYY-MM-DD'
    slot: null,          // the chosen slot {slotId, start, end, remaining}
    attempt: null,       // {slotId, key}: one Idempotency-Key per booking attempt
    sending: false,
    taken: null,         // {slot, next: [...]} after a 409 slot_full
    done: null,          // {moved: boolean}
    cancelled: false,
    busy: null,          // {left} while waiting out a 503
    wait: null,          // the card's waitlist entry (GET /api/v1/waitlist), or null
    waitLoaded: false,
    waitTimer: null,
    waitContext: null,   // what the waitlist dates were filled in for
    waitLeft: false,     // just left the waitlist: say so
    offerGone: false,    // 'expired' or 'gone': the offer ended before it was taken
    noneFree: false      // the calendar shows no free seat (the month, or the chosen day)
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- texts

  function t(key, params) {
    let text = TEXTS[S.lang][key];
    if (text === undefined) {
      text = TEXTS.ja[key] !== undefined ? TEXTS.ja[key] : key;
    }
    if (params && typeof text === 'string') {
      text = text.replace(/\{(\w+)\}/g, (m, name) => (params[name] !== undefined ? String(params[name]) : m));
    }
    return text;
  }

  /** Writes a text into el, turning [ja:…]/[en:…] into spans with their own lang. */
  function write(el, text) {
    el.textContent = '';
    const re = /\[(ja|en):([^\]]+)\]/g;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) {
        el.appendChild(document.createTextNode(text.slice(last, m.index)));
      }
      const span = document.createElement('span');
      span.lang = m[1];
      span.textContent = m[2];
      el.appendChild(span);
      last = re.lastIndex;
    }
    if (last < text.length) {
      el.appendChild(document.createTextNode(text.slice(last)));
    }
  }

  /** Gives el a translatable text: it follows the language switch. */
  function setText(el, key, params) {
    el.dataset.t = key;
    if (params) {
      el.dataset.args = JSON.stringify(params);
    } else {
      delete el.dataset.args;
    }
    write(el, t(key, params));
  }

  function applyTexts() {
    document.documentElement.lang = S.lang;
    document.title = t('doc.title');
    document.querySelectorAll('[data-t]').forEach((el) => {
      const params = el.dataset.args ? JSON.parse(el.dataset.args) : undefined;
      write(el, t(el.dataset.t, params));
    });
    $('lang-switch').lang = S.lang === 'ja' ? 'en' : 'ja';
  }

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

  // ---------------------------------------------------------------- times (always Asia/Tokyo)

  function tokyo(iso) {
    const d = new Date(new Date(iso).getTime() + TOKYO_OFFSET_MS);
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes()
    };
  }

  function todayTokyo() {
    return tokyo(new Date().toISOString());
  }

  const pad = (n) => String(n).padStart(2, '0');
  const dayKey = (p) => p.year + '-' + pad(p.month) + '-' + pad(p.day);

  function partsOfDay(key) {
    const [y, m, d] = key.split('-').map(Number);
    return { year: y, month: m, day: d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
  }

  function fmtDate(p) {
    return t('date', {
      year: p.year, month: p.month, day: p.day, weekday: t('weekdays')[p.weekday],
      monthShort: (TEXTS.en.months)[p.month - 1]
    });
  }

  function fmtTime(p) {
    const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
    return t('time', { hour24: pad(p.hour), hour12: h12, minute: pad(p.minute), ampm: p.hour < 12 ? 'AM' : 'PM' });
  }

  function fmtWhen(startIso, endIso) {
    const s = tokyo(startIso);
    if (!endIso) {
      return t('datetime', { date: fmtDate(s), time: fmtTime(s) });
    }
    return t('range', { date: fmtDate(s), start: fmtTime(s), end: fmtTime(tokyo(endIso)) });
  }

  // ---------------------------------------------------------------- the API

  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message || code || String(status));
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  function retryAfterSeconds(header) {
    if (!header) {
      return 2;
    }
    let s = /^\d+$/.test(header.trim()) ? parseInt(header, 10) : Math.ceil((Date.parse(header) - Date.now()) / 1000);
    if (!isFinite(s)) {
      s = 2;
    }
    return Math.min(120, Math.max(1, s));
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * Calls the API ({quiet: true}: a look in the background, which gives up at once on a 503 or a
   * network failure instead of waiting with the busy banner). 503 answers are waited out (Retry-After, with a countdown) and the very same
   * request — same body, same Idempotency-Key — is sent again.
   */
  async function api(method, path, options) {
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
  function waitBusy(call, seconds) {
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

  function renderBusyCount() {
    if (S.busy) {
      $('busy-count').textContent = t('busy.count', { seconds: Math.max(0, S.busy.left) });
    }
  }

  function endBusy(call) {
    if (!S.busy || S.busy.call !== call) {
      return;
    }
    S.busy = null;
    $('busy').hidden = true;
    $('busy-text').textContent = '';
    delete $('busy-text').dataset.t;
    $('busy-count').textContent = '';
  }

  // a walk-in site (no booking needed) is named on the start page with its hours this week
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

  // ---------------------------------------------------------------- views

  const VIEWS = ['start', 'manage', 'card', 'calendar', 'confirm', 'done', 'booking'];

  function show(view, options) {
    const opts = options || {};
    S.view = view;
    VIEWS.forEach((v) => { $('view-' + v).hidden = v !== view; });
    if (opts.alert) {
      setText($('alert'), opts.alert);
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

  function clearAlert() {
    const a = $('alert');
    a.textContent = '';
    delete a.dataset.t;
    delete a.dataset.args;
  }

  function render(view) {
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
    // issue 22: keep.js (SMS box, calendar, print, access notes) renders its boxes for this view
    document.dispatchEvent(new CustomEvent('madoguchi:view', { detail: { view: view, token: S.token, booking: S.booking, card: S.card, cancelled: S.cancelled } }));
  }

  function siteOf(id) {
    if (S.card && S.card.site && S.card.site.id === id) {
      return S.card.site;
    }
    return S.sites[id] || null;
  }

  function siteName(site) {
    return site ? site.name[S.lang] || site.name.ja : '';
  }

  function siteAddress(site) {
    return site && site.address ? site.address[S.lang] || site.address.ja || '' : '';
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) {
        return;
      }
      if (k === 'text') {
        e.textContent = v;
      } else if (k === 'class') {
        e.className = v;
      } else {
        e.setAttribute(k, v === true ? '' : v);
      }
    });
    (children || []).forEach((c) => e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c));
    return e;
  }

  /** Rows of a definition list; an address shown in English also gets its Japanese original. */
  function details(dl, rows) {
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

  function siteRows(site) {
    const rows = [[t('confirm.where'), siteName(site)]];
    const address = siteAddress(site);
    if (address) {
      const original = S.lang === 'en' && site.address.ja && site.address.ja !== address ? site.address.ja : null;
      rows.push([t('confirm.address'), address, original]);
    }
    return rows;
  }

  // ---------------------------------------------------------------- fields and their errors

  function digits(text) {
    // full-width digits from a Japanese input method, spaces and dashes of any width
    return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
      .replace(/[\s\-‐－ー―]/g, '');
  }

  function fieldError(prefix, key) {
    const err = $(prefix + '-error');
    setText(err, key);
    err.hidden = false;
    const group = $(prefix);
    const inputs = group.tagName === 'FIELDSET' ? group.querySelectorAll('input') : [group];
    inputs.forEach((i) => i.setAttribute('aria-invalid', 'true'));
    group.closest('.field').classList.add('has-error');
  }

  function clearErrors(form) {
    form.querySelectorAll('.error').forEach((e) => {
      e.hidden = true;
      e.textContent = '';
      delete e.dataset.t;
    });
    form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
    form.querySelectorAll('.has-error').forEach((f) => f.classList.remove('has-error'));
  }

  function focusFirstError(form) {
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) {
      first.focus();
    }
  }

  function readNotice(prefix, errors) {
    const value = digits($(prefix).value);
    if (!value) {
      errors.push([prefix, 'err.notice.required']);
    } else if (!/^\d{6,20}$/.test(value)) {
      errors.push([prefix, 'err.notice.format']);
    }
    return value;
  }

  function readBirth(prefix, errors) {
    const y = digits($(prefix + '-year').value);
    const m = digits($(prefix + '-month').value);
    const d = digits($(prefix + '-day').value);
    if (!y || !m || !d) {
      errors.push([prefix, 'err.birth.required']);
      return null;
    }
    const year = Number(y);
    const month = Number(m);
    const day = Number(d);
    const date = new Date(Date.UTC(year, month - 1, day));
    const today = todayTokyo();
    if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d) || year < 1900
      || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day
      || dayKey({ year: year, month: month, day: day }) > dayKey(today)) {
      errors.push([prefix, 'err.birth.invalid']);
      return null;
    }
    return year + '-' + pad(month) + '-' + pad(day);
  }

  function showErrors(form, errors) {
    errors.forEach(([prefix, key]) => fieldError(prefix, key));
    focusFirstError(form);
  }

  function pending(button, on) {
    if (on) {
      button.setAttribute('aria-disabled', 'true');
    } else {
      button.removeAttribute('aria-disabled');
    }
  }

  // ---------------------------------------------------------------- 1. verify

  async function verify(notice, birthDate) {
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
    return v;
  }

  /** Shows what a failed verification means, next to the field it is about. */
  function verificationFailed(form, e, prefixes) {
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

  async function onVerify(event) {
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

  async function afterVerify() {
    if (S.card.cardState !== 'ready') {
      show('card');
      return;
    }
    const me = await api('GET', '/api/v1/residents/me');
    const active = (me.bookings || []).find((b) => b.status === 'active');
    if (active) {
      S.booking = active;
      S.cancelled = false;
      show('booking');
    } else {
      startCalendar('book');
    }
  }

  function renderCard() {
    const state = S.card ? S.card.cardState : null;
    const key = ['applied', 'incomplete', 'issued', 'cancelled'].indexOf(state) >= 0 ? 'card.' + state : 'card.unknown';
    setText($('card-state'), key);
  }

  // ---------------------------------------------------------------- 1b. manage by code

  async function onManage(event) {
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

  // ---------------------------------------------------------------- 2. calendar

  function startCalendar(mode) {
    S.mode = mode;
    S.day = null;
    S.taken = null;
    S.monthFree = null;
    S.noneFree = false;
    const tomorrow = partsOfDay(addDays(dayKey(todayTokyo()), 1));
    S.month = { year: tomorrow.year, month: tomorrow.month };
    S.autoAdvance = MONTHS_AHEAD - 1;
    show('calendar');
  }

  function addDays(key, n) {
    const p = partsOfDay(key);
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day + n));
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
  }

  function monthKey(m) {
    return m.year + '-' + pad(m.month);
  }

  function shiftMonth(m, n) {
    const d = new Date(Date.UTC(m.year, m.month - 1 + n, 1));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
  }

  function firstBookableMonth() {
    const p = partsOfDay(addDays(dayKey(todayTokyo()), 1));
    return { year: p.year, month: p.month };
  }

  async function availability(from, to) {
    const site = S.card.siteId;
    return api('GET', '/api/v1/sites/' + encodeURIComponent(site) + '/availability?channel=web&from=' + from + '&to=' + to,
      { auth: false });
  }

  async function loadMonth(m) {
    const key = monthKey(m);
    if (S.months[key]) {
      return S.months[key];
    }
    const today = dayKey(todayTokyo());
    const first = m.year + '-' + pad(m.month) + '-01';
    const last = addDays(monthKey(shiftMonth(m, 1)) + '-01', -1);
    const slots = await availability(first < today ? today : first, last);
    S.months[key] = slots;
    return slots;
  }

  function byDay(slots) {
    const days = {};
    slots.forEach((s) => {
      const k = dayKey(tokyo(s.start));
      (days[k] = days[k] || []).push(s);
    });
    return days;
  }

  function freeOf(list) {
    return (list || []).reduce((n, s) => n + Math.max(0, s.remaining), 0);
  }

  async function renderCalendarView() {
    setText($('calendar-heading'), S.mode === 'move' ? 'cal.headingMove' : 'cal.heading');
    const site = siteOf(S.card.siteId);
    const box = $('calendar-site');
    box.textContent = '';
    box.appendChild(el('p', { class: 'site-label', text: t('site.label') }));
    box.appendChild(el('p', { class: 'site-name', text: siteName(site) }));
    const address = siteAddress(site);
    if (address) {
      box.appendChild(el('p', { class: 'site-address', text: address }));
    }
    const moving = $('calendar-moving');
    if (S.mode === 'move' && S.booking) {
      setText(moving, 'cal.moving', { when: fmtWhen(S.booking.start, S.booking.end) });
      moving.hidden = false;
    } else {
      moving.hidden = true;
    }
    $('month-name').textContent = t('cal.month', {
      year: S.month.year, month: S.month.month, monthName: TEXTS.en.monthsLong[S.month.month - 1]
    });
    const first = firstBookableMonth();
    const prevDisabled = monthKey(S.month) <= monthKey(first);
    const nextDisabled = monthKey(S.month) >= monthKey(shiftMonth(first, MONTHS_AHEAD - 1));
    $('month-prev').disabled = prevDisabled;
    $('month-next').disabled = nextDisabled;

    const cal = $('calendar');
    const wanted = monthKey(S.month);
    if (!S.months[wanted]) {
      S.monthFree = null;
      S.noneFree = false;
      cal.textContent = '';
      cal.appendChild(el('p', { class: 'loading', text: t('cal.loading') }));
      $('slots').hidden = true;
      try {
        await loadMonth(S.month);
      } catch (e) {
        failed(e);
        return;
      }
      if (S.view !== 'calendar' || monthKey(S.month) !== wanted) {
        return; // the resident moved on meanwhile
      }
      const days = byDay(S.months[wanted]);
      const anyFree = Object.values(days).some((list) => freeOf(list) > 0);
      if (!anyFree && S.autoAdvance > 0 && !nextDisabled) {
        S.autoAdvance -= 1;
        S.month = shiftMonth(S.month, 1);
        renderCalendarView();
        return;
      }
      S.autoAdvance = 0;
    }
    drawMonth();
    renderSlots();
  }

  function drawMonth() {
    const cal = $('calendar');
    cal.textContent = '';
    const days = byDay(S.months[monthKey(S.month)] || []);
    const table = el('table', { class: 'month', 'aria-labelledby': 'month-name' });
    const head = el('tr');
    const longNames = S.lang === 'ja' ? ['日曜日', '月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'] : TEXTS.en.weekdaysLong;
    t('weekdays').forEach((w, i) => {
      head.appendChild(el('th', { scope: 'col', abbr: longNames[i] }, [
        el('span', { 'aria-hidden': 'true', text: w }), el('span', { class: 'sr', text: longNames[i] })]));
    });
    table.appendChild(el('thead', {}, [head]));
    const body = el('tbody');
    const firstWeekday = new Date(Date.UTC(S.month.year, S.month.month - 1, 1)).getUTCDay();
    const length = new Date(Date.UTC(S.month.year, S.month.month, 0)).getUTCDate();
    let row = el('tr');
    for (let i = 0; i < firstWeekday; i++) {
      row.appendChild(el('td', { class: 'blank' }));
    }
    let anyFree = false;
    for (let d = 1; d <= length; d++) {
      const key = S.month.year + '-' + pad(S.month.month) + '-' + pad(d);
      const list = days[key];
      const free = freeOf(list);
      const cell = el('td');
      const date = fmtDate(partsOfDay(key));
      if (free > 0) {
        anyFree = true;
        const b = el('button', {
          type: 'button', class: 'day', 'data-day': key, 'aria-pressed': S.day === key ? 'true' : 'false',
          'aria-label': t('cal.day', { date: date, n: free })
        }, [el('span', { class: 'dnum', text: String(d) }), el('span', { class: 'dfree', text: t('cal.free', { n: free }) })]);
        b.addEventListener('click', () => chooseDay(key));
        cell.appendChild(b);
      } else if (list && list.length) {
        cell.appendChild(el('span', { class: 'day full', 'aria-label': t('cal.dayFull', { date: date }) }, [
          el('span', { class: 'dnum', 'aria-hidden': 'true', text: String(d) }),
          el('span', { class: 'dfree', 'aria-hidden': 'true', text: t('cal.full') })]));
      } else {
        cell.appendChild(el('span', { class: 'day off' }, [el('span', { class: 'dnum', text: String(d) })]));
      }
      row.appendChild(cell);
      if ((firstWeekday + d) % 7 === 0) {
        body.appendChild(row);
        row = el('tr');
      }
    }
    if (row.children.length) {
      while (row.children.length < 7) {
        row.appendChild(el('td', { class: 'blank' }));
      }
      body.appendChild(row);
    }
    table.appendChild(body);
    cal.appendChild(table);
    S.monthFree = anyFree;
    if (!anyFree) {
      cal.appendChild(el('p', { class: 'none', text: t('cal.none') }));
    }
  }

  function chooseDay(key) {
    S.day = key;
    document.querySelectorAll('#calendar .day[aria-pressed]').forEach((b) => {
      b.setAttribute('aria-pressed', b.dataset.day === key ? 'true' : 'false');
    });
    renderSlots();
    $('slots-heading').focus();
  }

  function renderSlots() {
    const box = $('slots');
    const list = S.day ? byDay(S.months[monthKey(S.month)] || [])[S.day] : null;
    if (!list) {
      box.hidden = true;
      S.noneFree = S.monthFree === false;
      renderWaitlist();
      return;
    }
    box.hidden = false;
    setText($('slots-heading'), 'slots.heading', { date: fmtDate(partsOfDay(S.day)) });
    const ul = $('slot-list');
    ul.textContent = '';
    let any = false;
    list.forEach((s) => {
      const when = fmtTime(tokyo(s.start)) + (S.lang === 'ja' ? '〜' : ' – ') + fmtTime(tokyo(s.end));
      const mine = S.mode === 'move' && S.booking && S.booking.slotId === s.slotId;
      if (s.remaining > 0 && !mine) {
        any = true;
        const b = el('button', { type: 'button', class: 'slot', 'data-slot-id': String(s.slotId) }, [
          el('span', { class: 'when', text: when }), el('span', { class: 'left', text: t('slots.left', { n: s.remaining }) })]);
        b.addEventListener('click', () => chooseSlot(s));
        ul.appendChild(el('li', {}, [b]));
      } else {
        ul.appendChild(el('li', { class: 'slot full' }, [el('span', { class: 'when', text: when }),
          el('span', { class: 'left', text: mine ? t('status.active') : t('cal.full') })]));
      }
    });
    if (!any) {
      ul.appendChild(el('li', { class: 'none', text: t('slots.none') }));
    }
    S.noneFree = !any || S.monthFree === false;
    renderWaitlist();
  }

  function chooseSlot(slot) {
    S.slot = slot;
    S.taken = null;
    S.attempt = { slotId: slot.slotId, key: newKey() };
    show('confirm');
  }

  // ---------------------------------------------------------------- 3. confirm and book

  function renderConfirm() {
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

  function renderTaken() {
    const box = $('taken');
    renderWaitlist();
    if (!S.taken) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    setText($('taken-text'), 'confirm.taken', { when: fmtWhen(S.taken.slot.start, S.taken.slot.end) });
    const ul = $('next-list');
    ul.textContent = '';
    if (!S.taken.next.length) {
      ul.appendChild(el('li', { class: 'none', text: t('confirm.noNext') }));
    }
    S.taken.next.forEach((s) => {
      const b = el('button', { type: 'button', class: 'slot', 'data-slot-id': String(s.slotId) }, [
        el('span', { class: 'when', text: fmtWhen(s.start, s.end) }),
        el('span', { class: 'left', text: t('slots.left', { n: s.remaining }) })]);
      b.addEventListener('click', () => {
        S.slot = s;
        S.taken = null;
        S.attempt = { slotId: s.slotId, key: newKey() };
        show('confirm');
      });
      ul.appendChild(el('li', {}, [b]));
    });
  }

  async function onBook() {
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
    // issue 22: keep.js adds {smsConfirmation} when the confirm view shows its box
    const body = Object.assign({ slotId: slot.slotId }, window.madoguchiKeep ? window.madoguchiKeep.bookingChoice() : {});
    try {
      const booking = moving
        ? await api('POST', '/api/v1/bookings/' + S.booking.code + '/reschedule', { body: body, key: S.attempt.key })
        : await api('POST', '/api/v1/bookings', { body: body, key: S.attempt.key });
      S.booking = booking;
      S.attempt = null;
      S.months = {};
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

  async function bookingRefused(e, slot) {
    const error = $('confirm-error');
    S.months = {}; // what the page showed is out of date
    if (e.code === 'slot_full' || e.code === 'slot_blocked') {
      let next = [];
      try {
        next = await nextFree(slot);
      } catch (ignored) {
        next = [];
      }
      S.taken = { slot: slot, next: next };
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

  /** The next free slots after the one that filled up, over the following two weeks. */
  async function nextFree(slot) {
    const day = dayKey(tokyo(slot.start));
    const slots = await availability(day, addDays(day, 13));
    const start = new Date(slot.start).getTime();
    const free = slots.filter((s) => s.remaining > 0 && s.slotId !== slot.slotId
      && !(S.mode === 'move' && S.booking && S.booking.slotId === s.slotId));
    const after = free.filter((s) => new Date(s.start).getTime() >= start);
    return (after.length ? after : free).slice(0, NEXT_FREE_SHOWN);
  }

  // ---------------------------------------------------------------- 4. done

  // what the counter should prepare: shown under the booking on the done and the booking views
  async function showNeeds(after) {
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

  async function saveNeeds(ev) {
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

  function renderDone() {
    const b = S.booking;
    setText($('done-heading'), S.done && S.done.moved ? 'done.movedHeading' : 'done.heading');
    $('done-code').textContent = b.code.slice(0, 5) + ' ' + b.code.slice(5);
    details($('done-details'), [[t('confirm.when'), fmtWhen(b.start, b.end)]].concat(siteRows(siteOf(b.siteId || S.card.siteId))));
    showNeeds($('done-manage').parentElement);
  }

  // ---------------------------------------------------------------- 5. one booking

  function renderBooking() {
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

  function askCancel() {
    $('cancel-ask').hidden = false;
    $('booking-actions').hidden = true;
    $('cancel-ask-text').focus();
  }

  function keepBooking() {
    $('cancel-ask').hidden = true;
    $('booking-actions').hidden = false;
    $('cancel').focus();
  }

  async function onCancel() {
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

  function cancelledNow() {
    S.cancelled = true;
    S.months = {};
    show('booking', { focusOn: 'booking-message' });
  }

  // ---------------------------------------------------------------- 6. the waitlist
  //
  // A resident with a booking (or who finds no free seat) may ask for an earlier date. When a
  // seat frees up, the service holds it for them for a while; the page shows that offer at the
  // top, whatever step it is on, and the resident takes it with one button. While the resident
  // waits, the page asks again every WAITLIST_POLL_MS, so an open page shows the offer by itself.

  const WAITLIST_POLL_MS = 15000;
  const WAITLIST_MAX_DAYS = 62;
  const OFFER_VIEWS = ['calendar', 'confirm', 'booking'];

  /** The booking the waitlist is about (an earlier date than this one), or null. */
  function bookingToImprove() {
    if (S.view === 'booking') {
      return S.booking && !S.cancelled && S.booking.status === 'active' ? S.booking : null;
    }
    return S.mode === 'move' && S.booking ? S.booking : null;
  }

  function waiting() {
    return !!S.wait && (S.wait.state === 'waiting' || S.wait.state === 'offered');
  }

  /** Whether the "ask for an earlier date" part belongs on the view shown now. */
  function waitlistWanted() {
    if (!S.token || !S.card || S.card.cardState !== 'ready') {
      return false;
    }
    if (S.view === 'booking') {
      const b = bookingToImprove();
      return !!b && new Date(b.start).getTime() > Date.now();
    }
    if (S.view === 'calendar') {
      return waiting() || S.noneFree;
    }
    if (S.view === 'confirm') {
      return !!S.taken && !S.taken.next.length; // the slot filled up and nothing near is free
    }
    return false;
  }

  /** Default dates: from tomorrow up to the day before the booking (or the end of the month looked at). */
  function waitlistDefaults() {
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

  async function loadWaitlist(options) {
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
      $('wl-live').textContent = t('offer.announce', { when: fmtWhen(o.start, o.end), time: fmtTime(tokyo(o.expiresAt)) });
    }
    scheduleWaitlistPoll();
  }

  function scheduleWaitlistPoll() {
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
  function renderWaitlist() {
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

  function renderOffer() {
    const box = $('offer');
    const offered = S.wait && S.wait.state === 'offered' && S.wait.offer;
    const shown = OFFER_VIEWS.indexOf(S.view) >= 0 && (offered || S.offerGone);
    box.hidden = !shown;
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

  function readRange(errors) {
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

  async function onJoinWaitlist(event) {
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

  async function onLeaveWaitlist() {
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

  async function onAcceptOffer() {
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
        renderOffer();
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

  // ---------------------------------------------------------------- failures

  function failed(e, where) {
    if (e && e.status === 401) {
      S.token = null;
      show('start', { alert: 'err.session' });
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
    ['taken-text', 'confirm-error', 'booking-error', 'booking-message', 'cancel-ask-text'].forEach((id) => $(id).setAttribute('tabindex', '-1'));
    show('start', { focus: false });
    loadSites();
    document.body.dataset.ready = 'true';
  }

  init();
}());
