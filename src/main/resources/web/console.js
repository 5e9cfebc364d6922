// The operator console: find a resident, book or move on their behalf (with override), cancel,
// block and unblock slots, and work through phone callback requests.
(function () {
  'use strict';
  var s = window.staff, t = s.t, el = s.el;
  var moving = null; // booking code being moved, or null
  var findSeq = 0, slotsSeq = 0; // only the answer to the latest request is shown

  function time(iso) { return iso ? iso.substring(0, 16).replace('T', ' ') : ''; }

  function find(ev) {
    ev.preventDefault();
    var by = document.getElementById('find-by').value;
    var value = document.getElementById('find-value').value.trim();
    var seq = ++findSeq;
    s.api('GET', '/api/v1/operator/bookings?' + by + '=' + encodeURIComponent(value)).then(function (a) {
      if (seq !== findSeq) { return; }
      if (a.status !== 200) { s.fail(a); return; }
      renderCards(a.body);
    });
  }

  function refreshFound() {
    var by = document.getElementById('find-by').value;
    var value = document.getElementById('find-value').value.trim();
    var seq = ++findSeq;
    s.api('GET', '/api/v1/operator/bookings?' + by + '=' + encodeURIComponent(value)).then(function (a) {
      if (seq === findSeq && a.status === 200) { renderCards(a.body); }
    });
  }

  function renderCards(cards) {
    var box = document.getElementById('find-result');
    box.textContent = '';
    if (!cards.length) { box.appendChild(el('p', { text: t('find.none') })); s.say(t('find.none')); return; }
    cards.forEach(function (entry) {
      var c = entry.card;
      var rows = entry.bookings.map(function (b) {
        var actions = el('td');
        if (b.status === 'active' || b.status === 'no_show') {
          // the card is handed over at the counter: the booking (or a late no-show) becomes issued
          actions.appendChild(el('button', { type: 'button', 'class': 'secondary issue', text: t('booking.issued'),
            'aria-label': t('booking.issued') + ' ' + b.code, onclick: function () { issued(b.code); } }));
        }
        if (b.status === 'active') {
          actions.appendChild(el('button', { type: 'button', 'class': 'secondary', text: t('booking.cancel'),
            'aria-label': t('booking.cancel') + ' ' + b.code, onclick: function () { cancel(b.code); } }));
          actions.appendChild(el('button', { type: 'button', 'class': 'secondary', text: t('booking.move'),
            'aria-label': t('booking.move') + ' ' + b.code, onclick: function () { startMove(b, c); } }));
        }
        return el('tr', {}, [el('td', { text: b.code }), el('td', { text: time(b.start) }),
          el('td', { text: b.status + (b.override ? ' (override: ' + (b.overrideReason || '') + ')' : '') }), actions]);
      });
      var table = rows.length ? el('table', {}, [el('thead', {}, [el('tr', {}, [el('th', { scope: 'col', text: t('booking.code') }),
        el('th', { scope: 'col', text: t('booking.time') }), el('th', { scope: 'col', text: t('booking.status') }), el('th', { scope: 'col' })])]),
        el('tbody', {}, rows)]) : el('p', { text: t('booking.none') });
      box.appendChild(el('div', { 'class': 'card' }, [
        el('p', {}, [t('card.notice') + ': ', el('strong', { 'class': 'notice', text: c.noticeNumber }), ' · ' + t('card.site') + ': ' + c.siteId
          + ' · ' + t('card.state') + ': ' + c.state + (c.phone ? ' · ' + t('card.phone') + ': ' + c.phone : '')]),
        table,
        el('button', { type: 'button', 'class': 'choose-card', text: t('card.select'), onclick: function () { choose(c); } })]));
    });
  }

  function choose(card) {
    moving = null;
    document.getElementById('moving').textContent = '';
    document.getElementById('book-notice').value = card.noticeNumber;
    document.getElementById('book-site').value = card.siteId;
    document.getElementById('book-date').focus();
  }

  function startMove(b, card) {
    choose(card);
    moving = b.code;
    document.getElementById('moving').textContent = t('moving') + b.code;
    if (b.start) { document.getElementById('book-date').value = b.start.substring(0, 10); }
  }

  function showSlots(ev) {
    if (ev) { ev.preventDefault(); }
    var site = document.getElementById('book-site').value.trim();
    var date = document.getElementById('book-date').value;
    var seq = ++slotsSeq;
    s.api('GET', '/api/v1/operator/sites/' + encodeURIComponent(site) + '/slots?date=' + date).then(function (a) {
      if (seq !== slotsSeq) { return; }
      if (a.status !== 200) { s.fail(a); return; }
      renderSlots(a.body.slots);
    });
  }

  function renderSlots(slots) {
    var box = document.getElementById('slots');
    box.textContent = '';
    if (!slots.length) { box.appendChild(el('p', { text: t('slot.none') })); return; }
    var rows = slots.map(function (x) {
      var label = time(x.start).substring(11);
      var full = x.remaining <= 0;
      return el('tr', { 'class': x.blocked ? 'blocked' : (full ? 'full' : ''), 'data-slot': String(x.slotId) }, [
        el('th', { scope: 'row', text: label }), el('td', { text: String(x.capacity) }), el('td', { 'class': 'booked', text: String(x.booked) }),
        el('td', { 'class': 'overrides', text: String(x.overrideBooked) }), el('td', { text: String(Math.max(0, x.remaining)) }),
        el('td', { text: x.blocked ? t('yes') : t('no') }),
        el('td', {}, [
          el('button', { type: 'button', 'class': 'book', text: moving ? t('slot.moveHere') : t('slot.book'),
            'aria-label': (moving ? t('slot.moveHere') : t('slot.book')) + ' ' + label, onclick: function () { book(x.slotId); } }),
          el('button', { type: 'button', 'class': 'secondary block', text: x.blocked ? t('slot.unblock') : t('slot.block'),
            'aria-label': (x.blocked ? t('slot.unblock') : t('slot.block')) + ' ' + label, onclick: function () { block(x.slotId, !x.blocked); } })])]);
    });
    box.appendChild(el('table', {}, [el('thead', {}, [el('tr', {}, ['slot.time', 'slot.capacity', 'slot.booked', 'slot.override',
      'slot.remaining', 'slot.blocked', ''].map(function (k) { return el('th', { scope: 'col', text: k ? t(k) : '' }); }))]),
      el('tbody', {}, rows)]));
  }

  function book(slotId) {
    var override = document.getElementById('override').checked;
    var reason = document.getElementById('override-reason').value.trim();
    var body = { slotId: slotId, override: override };
    if (reason) { body.reason = reason; }
    var call;
    if (moving) {
      call = s.api('POST', '/api/v1/operator/bookings/' + moving + '/reschedule', body);
    } else {
      body.noticeNumber = document.getElementById('book-notice').value.trim();
      call = s.api('POST', '/api/v1/operator/bookings', body);
    }
    call.then(function (a) {
      if (a.status !== 200 && a.status !== 201) { s.fail(a); return; }
      s.say((moving ? t('moved.ok') : t('booked.ok')) + a.body.code + (a.body.override ? ' (override)' : ''));
      moving = null;
      document.getElementById('moving').textContent = '';
      document.getElementById('override').checked = false;
      document.getElementById('override-reason').value = '';
      showSlots();
      if (document.getElementById('find-value').value.trim()) { refreshFound(); }
    });
  }

  function cancel(code) {
    var reason = window.prompt(t('cancel.reason'), '');
    if (reason === null) { return; }
    s.api('DELETE', '/api/v1/operator/bookings/' + code, reason ? { reason: reason } : undefined).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('cancelled.ok') + code);
      refreshFound();
    });
  }

  function issued(code) {
    s.api('POST', '/api/v1/operator/bookings/' + code + '/issued', {}).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('issued.ok') + code);
      refreshFound();
    });
  }

  function block(slotId, blocked) {
    var reason = document.getElementById('block-reason').value.trim();
    s.api('POST', '/api/v1/operator/slots/' + slotId + (blocked ? '/block' : '/unblock'), reason ? { reason: reason } : {}).then(function (a) {
      if (a.status !== 200) { s.fail(a); if (a.status === 400) { document.getElementById('block-reason').focus(); } return; }
      s.say(blocked ? t('blocked.ok') : t('unblocked.ok'));
      showSlots();
    });
  }

  // The phone branch serves GET /api/v1/operator/callbacks; until it does (404), there are none.
  function callbacks() {
    var list = document.getElementById('callbacks');
    s.api('GET', '/api/v1/operator/callbacks').then(function (a) {
      list.textContent = '';
      var items = a.status === 200 && a.body && a.body.callbacks ? a.body.callbacks.filter(function (c) { return c.state !== 'done'; }) : [];
      if (!items.length) { list.appendChild(el('li', { text: t('callbacks.none') })); return; }
      items.forEach(function (c) {
        list.appendChild(el('li', {}, [time(c.requestedAt) + ' · ' + c.phone + ' · ' + (c.language || '') + ' · ' + (c.state || '') + ' ',
          el('button', { type: 'button', 'class': 'secondary', text: t('callbacks.done'), onclick: function () {
            s.api('POST', '/api/v1/operator/callbacks/' + encodeURIComponent(c.id) + '/done', {}).then(function (d) {
              if (d.status >= 300) { s.fail(d); } else { callbacks(); }
            });
          } })]));
      });
    });
  }

  window.staffPageReady = function () {
    var tomorrow = new Date(Date.now() + 86400000 + 9 * 3600000).toISOString().substring(0, 10);
    if (!document.getElementById('book-date').value) { document.getElementById('book-date').value = tomorrow; }
    callbacks();
  };
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('find-form').addEventListener('submit', find);
    document.getElementById('slots-form').addEventListener('submit', showSlots);
    document.getElementById('callbacks-refresh').addEventListener('click', callbacks);
  });
})();
