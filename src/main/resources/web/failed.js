// Text messages and reminder calls the service gave up on (operators): who, about which booking,
// and what went wrong in words, so that an operator can call the resident instead. The service
// offers no retry: an operator reaches the resident by phone and books or confirms for them.
(function () {
  'use strict';
  var s = window.staff, t = s.t, el = s.el;
  var sites = {};

  function day(iso) {
    var wd = new Date(iso.substring(0, 10) + 'T00:00:00Z').getUTCDay() || 7;
    return iso.substring(0, 10) + (s.lang === 'ja' ? '（' + t('wd.' + wd) + '）' : ' (' + t('wd.' + wd) + ')');
  }

  function time(iso) { return iso ? day(iso) + ' ' + iso.substring(11, 16) : ''; }

  /** A value of the service in words, or the value itself when there is no word for it. */
  function word(prefix, value) {
    if (value === null || value === undefined || value === '') { return ''; }
    var w = t(prefix + value);
    return w === prefix + value ? String(value) : w;
  }

  /** Twilio's error code ("error 30003") in words, with the code kept for a support ticket. */
  function twilioError(text) {
    if (!text) { return ''; }
    var m = /(\d{5})/.exec(text);
    var w = m ? t('twilio.' + m[1]) : null;
    return w && w !== 'twilio.' + m[1] ? w + (s.lang === 'ja' ? '（' + m[1] + '）' : ' (' + m[1] + ')') : text;
  }

  function smsWhy(m) {
    if (m.deliveryStatus) {
      return [word('failed.delivery.', m.deliveryStatus), twilioError(m.deliveryError)].filter(Boolean).join(' · ');
    }
    return [t('failed.sms.gaveUp', { n: m.attempts }), twilioError(m.lastError)].filter(Boolean).join(' · ');
  }

  function table(heads, rows) {
    return el('div', { 'class': 'scroll' }, [el('table', {}, [el('thead', {}, [el('tr', {}, heads.map(function (k) {
      return el('th', { scope: 'col', text: t(k) });
    }))]), el('tbody', {}, rows)])]);
  }

  function sms(list, box) {
    if (!list.messages.length) { box.appendChild(el('p', { text: t('failed.sms.none') })); return; }
    box.appendChild(table(['failed.col.when', 'failed.col.phone', 'failed.col.booking', 'failed.col.why'], list.messages.map(function (m) {
      return el('tr', { 'data-id': String(m.id) }, [el('td', { text: time(m.createdAt) }), el('td', { 'class': 'phone', text: m.phone }),
        el('td', { text: m.bookingCode || t('failed.noBooking') }), el('td', { 'class': 'why', text: smsWhy(m) })]);
    })));
  }

  function calls(list, box) {
    if (!list.calls.length) { box.appendChild(el('p', { text: t('failed.calls.none') })); return; }
    box.appendChild(table(['failed.col.when', 'failed.col.phone', 'failed.col.booking', 'failed.col.slot', 'failed.col.why'], list.calls.map(function (c) {
      var site = sites[c.siteId];
      return el('tr', { 'data-booking': c.bookingCode }, [el('td', { text: time(c.failedAt) }), el('td', { 'class': 'phone', text: c.phone }),
        el('td', { text: c.bookingCode + ' · ' + word('state.', c.bookingStatus) }),
        el('td', { text: time(c.start) + ' · ' + (site ? site.name[s.lang] || site.name.ja : c.siteId) }),
        el('td', { 'class': 'why', text: [t('failed.calls.tried', { n: c.attempts }), word('failed.call.', c.lastStatus),
          twilioError(c.lastError)].filter(Boolean).join(' · ') })]);
    })));
  }

  function load() {
    var box = document.getElementById('failed-list');
    var kind = box.getAttribute('data-kind');
    var names = kind === 'calls' ? s.api('GET', '/api/v1/sites').then(function (a) {
      if (a.status === 200) { a.body.forEach(function (x) { sites[x.id] = x; }); }
    }) : Promise.resolve();
    return names.then(function () { return s.api('GET', '/api/v1/operator/' + kind + '/failed'); }).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      box.textContent = '';
      (kind === 'calls' ? calls : sms)(a.body, box);
    });
  }

  window.staffPageReady = function () { load(); };
  window.staffLanguageChanged = function () { load(); };
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('failed-refresh').addEventListener('click', function () { s.clear(); load(); });
  });
})();
