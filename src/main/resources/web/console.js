// The operator console: find a resident, book or move on their behalf (with override), cancel,
// block and unblock slots, keep a card's waitlist entry, and work through phone callback requests.
(function () {
  'use strict';
  var s = window.staff, t = s.t, el = s.el;
  var moving = null; // booking code being moved, or null
  var findSeq = 0, slotsSeq = 0; // only the answer to the latest request is shown

  var sites = {}; // site id → its names, from GET /api/v1/sites
  var sitesRead = null;

  /** A day as operators read it to a caller: 2026-12-07（月） / 2026-12-07 (Mon). */
  function day(isoDate) {
    var wd = new Date(isoDate.substring(0, 10) + 'T00:00:00Z').getUTCDay() || 7; // 1 Monday … 7 Sunday
    return isoDate.substring(0, 10) + (s.lang === 'ja' ? '（' + t('wd.' + wd) + '）' : ' (' + t('wd.' + wd) + ')');
  }

  /** A time of the service (Tokyo, with its offset) with its weekday: 2026-12-07（月）10:00. */
  function time(iso) { return iso ? day(iso) + (s.lang === 'ja' ? '' : ' ') + iso.substring(11, 16) : ''; }

  /** The word for a value the service sends (a state, a channel…), or the value when there is none. */
  function word(prefix, value) {
    if (value === null || value === undefined) { return ''; }
    var w = t(prefix + value);
    return w === prefix + value ? String(value) : w;
  }

  function paren(text) { return s.lang === 'ja' ? '（' + text + '）' : ' (' + text + ')'; }

  function siteName(id) {
    var site = sites[id];
    return site ? (site.name[s.lang] || site.name.ja) : id;
  }

  /** The sites' names (once; again when a site is not known yet), and the site fields' suggestions. */
  function readSites(again) {
    if (sitesRead && !again) { return sitesRead; }
    sitesRead = s.api('GET', '/api/v1/sites').then(function (a) {
      if (a.status !== 200) { return; }
      var list = document.getElementById('site-list');
      list.textContent = '';
      a.body.forEach(function (site) {
        sites[site.id] = site;
        list.appendChild(el('option', { value: site.id, label: site.name[s.lang] || site.name.ja }));
      });
    });
    return sitesRead;
  }

  /** The card's sites, named: read the list again when one of them is new. */
  function namesFor(ids) {
    var missing = ids.some(function (id) { return id && !sites[id]; });
    return readSites(missing);
  }

  /** The status and error lines speak of the last action only. */
  function starting() { s.clear(); }

  function find(ev) {
    ev.preventDefault();
    starting();
    var by = document.getElementById('find-by').value;
    var value = document.getElementById('find-value').value.trim();
    var seq = ++findSeq;
    document.getElementById('find-result').textContent = '';
    s.api('GET', '/api/v1/operator/bookings?' + by + '=' + encodeURIComponent(value)).then(function (a) {
      if (seq !== findSeq) { return; }
      if (a.status !== 200) { s.fail(a); return; }
      return namesFor(a.body.map(function (e) { return e.card.siteId; })).then(function () {
        if (seq === findSeq) { renderCards(a.body); }
      });
    });
  }

  function refreshFound() {
    var by = document.getElementById('find-by').value;
    var value = document.getElementById('find-value').value.trim();
    var seq = ++findSeq;
    s.api('GET', '/api/v1/operator/bookings?' + by + '=' + encodeURIComponent(value)).then(function (a) {
      if (seq !== findSeq || a.status !== 200) { return; }
      return namesFor(a.body.map(function (e) { return e.card.siteId; })).then(function () {
        if (seq === findSeq) { renderCards(a.body); }
      });
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
            'aria-label': t('booking.issued') + ' ' + b.code, onclick: function () { issued(b, c); } }));
        }
        if (b.status === 'active') {
          actions.appendChild(el('button', { type: 'button', 'class': 'secondary', text: t('booking.cancel'),
            'aria-label': t('booking.cancel') + ' ' + b.code, onclick: function () { cancel(b, c); } }));
          actions.appendChild(el('button', { type: 'button', 'class': 'secondary', text: t('booking.move'),
            'aria-label': t('booking.move') + ' ' + b.code, onclick: function () { startMove(b, c); } }));
        }
        return el('tr', { 'data-status': b.status }, [el('td', { text: b.code }), el('td', { text: time(b.start) }),
          el('td', { 'class': 'booking-status', text: word('state.', b.status) + ' · ' + word('channel.', b.channel)
            + (b.override ? ' · ' + t('booking.override') + (b.overrideReason ? paren(b.overrideReason) : '') : '') }), actions]);
      });
      var table = rows.length ? el('table', {}, [el('thead', {}, [el('tr', {}, [el('th', { scope: 'col', text: t('booking.code') }),
        el('th', { scope: 'col', text: t('booking.time') }), el('th', { scope: 'col', text: t('booking.status') }), el('th', { scope: 'col', text: t('col.actions') })])]),
        el('tbody', {}, rows)]) : el('p', { text: t('booking.none') });
      var active = entry.bookings.filter(function (b) { return b.status === 'active'; })[0];
      var wl = el('div', { 'class': 'card-waitlist' });
      if (c.state === 'ready') { loadEntry(c.noticeNumber, wl, active); }
      var next = c.state === 'ready' ? nextFree(c, active) : null;
      box.appendChild(el('div', { 'class': 'card' }, [
        el('p', {}, [t('card.notice') + ': ', el('strong', { 'class': 'notice', text: c.noticeNumber }),
          ' · ' + t('card.site') + ': ', el('span', { 'class': 'card-site', 'data-site': c.siteId, text: siteName(c.siteId) }),
          ' · ' + t('card.state') + ': ', el('span', { 'class': 'card-state', 'data-state': c.state, text: word('cardState.', c.state) }),
          c.phone ? ' · ' + t('card.phone') + ': ' + c.phone : '']),
        birthDate(c),
        // what holds the card back, in the words the resident read (the server's, in the console's language)
        el('div', { 'class': 'card-locks' }, (c.locks || []).map(function (l) {
          return el('p', { 'class': 'card-lock', 'data-what': l.what, text: l.message });
        })),
        table, next, wl, history(c),
        el('button', { type: 'button', 'class': 'choose-card', text: t('card.select'), onclick: function () { choose(c); } })]));
    });
  }

  // The birth date, to check who is calling: hidden until the operator asks; each showing is audited
  // on the server (card.birth_date_shown), and the page keeps it only while it is shown.
  function birthDate(card) {
    var masked = t('card.birth.masked');
    var value = el('span', { 'class': 'birth-value', text: masked });
    var button = el('button', { type: 'button', 'class': 'secondary birth-show', text: t('card.birth.show'),
      'aria-label': t('card.birth.show') + ' ' + card.noticeNumber, 'aria-pressed': 'false' });
    button.addEventListener('click', function () {
      if (button.getAttribute('aria-pressed') === 'true') {
        value.textContent = masked;
        button.textContent = t('card.birth.show');
        button.setAttribute('aria-label', t('card.birth.show') + ' ' + card.noticeNumber);
        button.setAttribute('aria-pressed', 'false');
        return;
      }
      s.clear();
      s.api('POST', '/api/v1/operator/cards/' + encodeURIComponent(card.noticeNumber) + '/birth-date', {}).then(function (a) {
        if (a.status !== 200) { s.fail(a); return; }
        value.textContent = birthText(a.body.birthDate);
        button.textContent = t('card.birth.hide');
        button.setAttribute('aria-label', t('card.birth.hide') + ' ' + card.noticeNumber);
        button.setAttribute('aria-pressed', 'true');
      });
    });
    return el('p', { 'class': 'card-birth' }, [t('card.birth') + ': ', value, ' ', button]);
  }

  /** 1962年11月23日（昭和37年）, or 23 November 1962: as a caller would say it. */
  function birthText(iso) {
    var d = new Date(iso + 'T00:00:00Z');
    if (s.lang === 'ja') {
      var era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
      return new Intl.DateTimeFormat('ja-JP', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(d) + '（' + era + '）';
    }
    return new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(d);
  }

  // The next free times at the card's site, across days, for a caller who asks "when is the next
  // free time?": one click books it for the card (or moves its booking there).
  function nextFree(card, active) {
    var box = el('div', { 'class': 'card-next' });
    var heading = el('h3', { text: t('next.heading', { site: siteName(card.siteId) }) });
    box.appendChild(heading);
    s.api('GET', '/api/v1/operator/sites/' + encodeURIComponent(card.siteId) + '/next-free?channel=operator&limit=8&nearby=3').then(function (a) {
      if (a.status !== 200) { box.appendChild(el('p', { text: t('next.failed') })); return; }
      if (!a.body.slots.length) {
        box.appendChild(el('p', { text: t(a.body.walkIn ? 'next.walkIn' : 'next.none') }));
      } else {
        box.appendChild(el('ul', { 'class': 'next-days' }, byDay(a.body.slots).map(function (d) {
          return el('li', { 'data-day': d.day }, [day(d.day) + ' '].concat(d.slots.map(function (x) {
            var when = x.start.substring(11, 16);
            var what = active ? t('slot.moveHere') : t('slot.book');
            return el('button', { type: 'button', 'class': 'secondary next-slot', 'data-slot': String(x.slotId),
              text: when + ' ' + t('next.left', { n: x.remaining }),
              'aria-label': what + ' ' + day(d.day) + ' ' + when + ' (' + t('next.left', { n: x.remaining }) + ')',
              onclick: function () { bookNext(card, active, x); } });
          })));
        })));
      }
      if (a.body.nearby && a.body.nearby.length) { box.appendChild(nearby(card, a.body.nearby)); }
    });
    return box;
  }

  function byDay(slots) {
    var days = [];
    slots.forEach(function (x) {
      var d = x.start.substring(0, 10);
      if (!days.length || days[days.length - 1].day !== d) { days.push({ day: d, slots: [] }); }
      days[days.length - 1].slots.push(x);
    });
    return days;
  }

  // Nearby sites' next free times, to tell a caller who could go elsewhere. A card is booked only
  // at the site that keeps it, so these are words to say, not buttons: the card must move first.
  function nearby(card, sitesNear) {
    return el('div', { 'class': 'next-nearby' }, [el('h4', { text: t('next.nearby') }),
      el('p', { 'class': 'hint', text: t('next.nearby.note', { site: siteName(card.siteId) }) }),
      el('ul', { 'class': 'nearby-sites' }, sitesNear.map(function (n) {
        var name = n.name[s.lang] || n.name.ja;
        var times = byDay(n.slots).map(function (d) {
          return day(d.day) + ' ' + d.slots.map(function (x) { return x.start.substring(11, 16) + ' ' + t('next.left', { n: x.remaining }); }).join(', ');
        });
        return el('li', { 'data-site': n.siteId, 'data-why': n.why }, [el('strong', { text: name }), paren(t('next.nearby.why.' + n.why)) + ': '
          + (times.length ? times.join(' / ') : t('next.nearby.none'))]);
      }))]);
  }

  function bookNext(card, active, slot) {
    starting();
    var call = active
      ? s.api('POST', '/api/v1/operator/bookings/' + active.code + '/reschedule', { slotId: slot.slotId })
      : s.api('POST', '/api/v1/operator/bookings', { noticeNumber: card.noticeNumber, slotId: slot.slotId });
    call.then(function (a) {
      if (a.status !== 200 && a.status !== 201) { s.fail(a); refreshFound(); return; }
      s.say((active ? t('moved.ok') : t('booked.ok')) + a.body.code + ' · ' + time(a.body.start));
      refreshFound();
      if (document.getElementById('slots').childNodes.length) { showSlots(); }
    });
  }

  // the card's way through the process ①–⑩, read when the operator opens it
  function history(card) {
    var box = el('details', { 'class': 'card-history' }, [el('summary', { text: t('card.history') })]);
    box.addEventListener('toggle', function () {
      if (!box.open || box.querySelector('ol')) { return; }
      s.api('GET', '/api/v1/operator/cards/' + encodeURIComponent(card.noticeNumber) + '/history').then(function (a) {
        if (a.status !== 200) { s.fail(a); return; }
        var circled = '①②③④⑤⑥⑦⑧⑨⑩';
        box.appendChild(el('p', { text: circled.charAt(a.body.step - 1) + ' ' + a.body.stepName }));
        box.appendChild(el('ol', {}, a.body.history.map(function (m) {
          // the state's word carries its number ①–⑩
          return el('li', { 'data-state': m.to, text: time(m.at) + ' ' + word('cardState.', m.to)
            + (m.reason ? paren(word('cancelReason.', m.reason)) : '') + (m.toSite ? ' → ' + siteName(m.toSite) : '')
            + ' · ' + source(m.source) });
        })));
      });
    });
    return box;
  }

  /** Who or what moved the card: a card file ("import:who"), the counter, or a member of staff. */
  function source(text) {
    var colon = (text || '').indexOf(':');
    var kind = colon < 0 ? text : text.substring(0, colon);
    var w = t('source.' + kind);
    return w === 'source.' + kind ? text : w + (colon < 0 ? '' : paren(text.substring(colon + 1)));
  }

  function choose(card) {
    moving = null;
    document.getElementById('moving').textContent = '';
    document.getElementById('book-notice').value = card.noticeNumber;
    document.getElementById('book-site').value = card.siteId;
    document.getElementById('wl-notice').value = card.noticeNumber;
    document.getElementById('wl-site').value = card.siteId;
    document.getElementById('book-date').focus();
  }

  function startMove(b, card) {
    choose(card);
    moving = b.code;
    document.getElementById('moving').textContent = t('moving') + b.code;
    if (b.start) { document.getElementById('book-date').value = b.start.substring(0, 10); }
  }

  function showSlots(ev) {
    if (ev) { ev.preventDefault(); starting(); }
    var site = document.getElementById('book-site').value.trim();
    var date = document.getElementById('book-date').value;
    var seq = ++slotsSeq;
    s.api('GET', '/api/v1/operator/sites/' + encodeURIComponent(site) + '/slots?date=' + date).then(function (a) {
      if (seq !== slotsSeq) { return; }
      if (a.status !== 200) { s.fail(a); return; }
      return namesFor([a.body.siteId]).then(function () { if (seq === slotsSeq) { renderSlots(a.body); } });
    });
  }

  function renderSlots(answer) {
    var slots = answer.slots;
    var box = document.getElementById('slots');
    box.textContent = '';
    var caption = siteName(answer.siteId) + ' · ' + day(answer.date);
    if (!slots.length) { box.appendChild(el('p', { text: caption + ': ' + t('slot.none') })); return; }
    var rows = slots.map(function (x) {
      var label = x.start.substring(11, 16);
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
    box.appendChild(el('table', {}, [el('caption', { text: caption }), el('thead', {}, [el('tr', {}, ['slot.time', 'slot.capacity', 'slot.booked', 'slot.override',
      'slot.remaining', 'slot.blocked', 'col.actions'].map(function (k) { return el('th', { scope: 'col', text: t(k) }); }))]),
      el('tbody', {}, rows)]));
  }

  function book(slotId) {
    starting();
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

  /** What the confirmation names: the booking, when and where, and whose it is. */
  function bookingRows(b, card) {
    return [[t('booking.code'), b.code], [t('booking.time'), time(b.start) + (b.end ? '–' + b.end.substring(11, 16) : '')],
      [t('card.site'), siteName(b.siteId || card.siteId)], [t('card.notice'), card.noticeNumber]];
  }

  function cancel(b, card) {
    starting();
    s.confirm({ title: t('confirm.cancel.title'), rows: bookingRows(b, card), message: t('confirm.cancel.message'),
      reasonLabel: t('cancel.reason'), ok: t('confirm.cancel.ok'), danger: true }).then(function (answer) {
      if (answer) { cancelNow(b.code, answer.reason); }
    });
  }

  function cancelNow(code, reason) {
    s.api('DELETE', '/api/v1/operator/bookings/' + code, reason ? { reason: reason } : undefined).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('cancelled.ok') + code);
      refreshFound();
    });
  }

  function issued(b, card) {
    starting();
    s.confirm({ title: t('confirm.issued.title'), rows: bookingRows(b, card), message: t('confirm.issued.message'),
      ok: t('confirm.issued.ok') }).then(function (answer) {
      if (answer) { issuedNow(b.code); }
    });
  }

  function issuedNow(code) {
    s.api('POST', '/api/v1/operator/bookings/' + code + '/issued', {}).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('issued.ok') + code);
      refreshFound();
    });
  }

  function block(slotId, blocked) {
    starting();
    var reason = document.getElementById('block-reason').value.trim();
    s.api('POST', '/api/v1/operator/slots/' + slotId + (blocked ? '/block' : '/unblock'), reason ? { reason: reason } : {}).then(function (a) {
      if (a.status !== 200) { s.fail(a); if (a.status === 400) { document.getElementById('block-reason').focus(); } return; }
      s.say(blocked ? t('blocked.ok') : t('unblocked.ok'));
      showSlots();
    });
  }

  // ---------------------------------------------------------------- the waitlist
  // A card found above shows its waitlist entry (place, or the seat held for it) with what can be
  // done: put it on the list (dates and a reason, in the form below), take it off, or take the
  // held seat for a caller on the phone. The list of a site shows who waits there, in order.

  function dayIn(days) { return new Date(Date.now() + days * 86400000 + 9 * 3600000).toISOString().substring(0, 10); }

  function dayBefore(iso) {
    var d = new Date(iso.substring(0, 10) + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().substring(0, 10);
  }

  function entryText(e) {
    var parts = [t('wl.state.' + e.state), day(e.from) + ' – ' + day(e.to)];
    if (e.place) { parts.push(t('wl.place', { n: e.place })); }
    if (e.state === 'offered' && e.offer) {
      parts.push(t('wl.offer', { start: time(e.offer.start), until: e.offer.expiresAt.substring(11, 16) }));
    }
    return parts.join(' · ');
  }

  /** The entry of one card with its actions; {@code booking} (its active booking, if any) sets the default dates. */
  function entryView(notice, e, booking) {
    var on = e && (e.state === 'waiting' || e.state === 'offered');
    var p = el('p', { 'class': 'waitlist', 'data-notice': notice }, [t('wl.of') + (e ? entryText(e) : t('wl.none')) + ' ']);
    if (on && e.state === 'offered') {
      p.appendChild(el('button', { type: 'button', 'class': 'wl-accept', text: t('wl.accept'),
        'aria-label': t('wl.accept') + ' ' + notice, onclick: function () { acceptFor(notice); } }));
    }
    if (on) {
      p.appendChild(el('button', { type: 'button', 'class': 'secondary wl-leave', text: t('wl.leave'),
        'aria-label': t('wl.leave') + ' ' + notice, onclick: function () { leaveFor(notice); } }));
    } else {
      p.appendChild(el('button', { type: 'button', 'class': 'secondary wl-put', text: t('wl.putOn'),
        'aria-label': t('wl.putOn') + ' ' + notice, onclick: function () { prepare(notice, booking); } }));
    }
    return p;
  }

  /** Fills the waitlist form for a card: from tomorrow up to the day before its booking (or two weeks). */
  function prepare(notice, booking) {
    var from = dayIn(1);
    var to = booking && booking.start ? dayBefore(booking.start) : dayIn(14);
    document.getElementById('wl-notice').value = notice;
    document.getElementById('wl-from').value = from;
    document.getElementById('wl-to').value = to < from ? from : to;
    document.getElementById('wl-from').focus();
  }

  /** Shows the waitlist entry of a card in {@code box}. */
  function loadEntry(notice, box, booking) {
    return s.api('GET', '/api/v1/operator/waitlist?noticeNumber=' + encodeURIComponent(notice)).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      box.textContent = '';
      box.appendChild(entryView(notice, a.body.state === 'none' ? null : a.body, booking));
    });
  }

  function joinFor(ev) {
    ev.preventDefault();
    starting();
    var notice = document.getElementById('wl-notice').value.trim();
    var body = { noticeNumber: notice, from: document.getElementById('wl-from').value, to: document.getElementById('wl-to').value };
    var reason = document.getElementById('wl-reason').value.trim();
    if (reason) { body.reason = reason; }
    s.api('POST', '/api/v1/operator/waitlist', body).then(function (a) {
      if (a.status !== 201) { s.fail(a); return; }
      s.say(t('wl.joined') + notice + ' · ' + entryText(a.body));
      document.getElementById('wl-reason').value = '';
      var box = document.getElementById('wl-entry');
      box.textContent = '';
      box.appendChild(entryView(notice, a.body));
      waitlistChanged(a.body.siteId);
    });
  }

  function lookFor() {
    starting();
    var notice = document.getElementById('wl-notice').value.trim();
    if (notice) { loadEntry(notice, document.getElementById('wl-entry')); }
  }

  function leaveFor(notice) {
    starting();
    s.api('DELETE', '/api/v1/operator/waitlist?noticeNumber=' + encodeURIComponent(notice)).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('wl.left') + notice);
      showEntryIfShown(notice);
      waitlistChanged(a.body.siteId);
    });
  }

  function acceptFor(notice) {
    starting();
    s.api('POST', '/api/v1/operator/waitlist/accept', {noticeNumber: notice}).then(function (a) {
      if (a.status !== 201) { s.fail(a); refreshFound(); return; }
      s.say(t('wl.accepted') + a.body.code + ' · ' + time(a.body.start));
      showEntryIfShown(notice);
      waitlistChanged(a.body.siteId);
    });
  }

  function showEntryIfShown(notice) {
    var box = document.getElementById('wl-entry');
    if (box.querySelector('[data-notice="' + notice + '"]')) { loadEntry(notice, box); }
  }

  /** After a change: the cards found, the site's list and the slots shown are out of date. */
  function waitlistChanged(siteId) {
    if (document.getElementById('find-value').value.trim()) { refreshFound(); }
    if (document.getElementById('wl-site-list').childNodes.length && document.getElementById('wl-site').value.trim() === siteId) { siteList(); }
    if (document.getElementById('slots').childNodes.length) { showSlots(); }
  }

  function siteList(ev) {
    if (ev) { ev.preventDefault(); starting(); }
    var site = document.getElementById('wl-site').value.trim();
    s.api('GET', '/api/v1/operator/sites/' + encodeURIComponent(site) + '/waitlist').then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      var box = document.getElementById('wl-site-list');
      box.textContent = '';
      var entries = a.body.entries.filter(function (e) { return e.state === 'waiting' || e.state === 'offered'; });
      if (!entries.length) { box.appendChild(el('p', { text: t('wl.listNone') })); return; }
      box.appendChild(el('table', {}, [el('thead', {}, [el('tr', {}, ['wl.col.place', 'wl.col.notice', 'wl.col.range', 'wl.col.channel', 'wl.col.state']
        .map(function (k) { return el('th', { scope: 'col', text: t(k) }); }))]),
        el('tbody', {}, entries.map(function (e) {
          return el('tr', {}, [el('td', { text: e.place ? String(e.place) : '' }), el('td', { 'class': 'notice', text: e.noticeNumber }),
            el('td', { text: day(e.from) + ' – ' + day(e.to) }), el('td', { text: word('channel.', e.channel) }),
            el('td', { text: t('wl.state.' + e.state) + (e.state === 'offered' && e.offer ? ' · ' + time(e.offer.start) : '') })]);
        }))]));
    });
  }

  // The phone branch serves GET /api/v1/operator/callbacks; until it does (404), there are none.
  function callbacks(ev) {
    if (ev) { starting(); }
    var list = document.getElementById('callbacks');
    s.api('GET', '/api/v1/operator/callbacks').then(function (a) {
      list.textContent = '';
      var items = a.status === 200 && a.body && a.body.callbacks ? a.body.callbacks.filter(function (c) { return c.state !== 'done'; }) : [];
      if (!items.length) { list.appendChild(el('li', { text: t('callbacks.none') })); return; }
      items.forEach(function (c) {
        list.appendChild(el('li', {}, [time(c.requestedAt) + ' · ' + c.phone + ' · ' + word('language.', c.language)
          + ' · ' + word('callbacks.state.', c.state) + ' ',
          el('button', { type: 'button', 'class': 'secondary', text: t('callbacks.done'), onclick: function () {
            s.api('POST', '/api/v1/operator/callbacks/' + encodeURIComponent(c.id) + '/done', {}).then(function (d) {
              if (d.status >= 300) { s.fail(d); } else { callbacks(); }
            });
          } })]));
      });
    });
  }

  // The language switch redraws in place: the cards found, the slots, the waitlist and the
  // callbacks are asked for again in the new language; what the operator typed stays as it is.
  window.staffLanguageChanged = function () {
    readSites(true).then(function () {
      if (document.getElementById('find-result').childNodes.length && document.getElementById('find-value').value.trim()) { refreshFound(); }
      if (document.getElementById('slots').childNodes.length) { showSlots(); }
      var entry = document.querySelector('#wl-entry [data-notice]');
      if (entry) { loadEntry(entry.getAttribute('data-notice'), document.getElementById('wl-entry')); }
      if (document.getElementById('wl-site-list').childNodes.length && document.getElementById('wl-site').value.trim()) { siteList(); }
      if (moving) { document.getElementById('moving').textContent = t('moving') + moving; }
      callbacks();
    });
  };

  window.staffPageReady = function () {
    var tomorrow = new Date(Date.now() + 86400000 + 9 * 3600000).toISOString().substring(0, 10);
    if (!document.getElementById('book-date').value) { document.getElementById('book-date').value = tomorrow; }
    readSites();
    callbacks();
  };
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('find-form').addEventListener('submit', find);
    document.getElementById('slots-form').addEventListener('submit', showSlots);
    document.getElementById('callbacks-refresh').addEventListener('click', callbacks);
    document.getElementById('wl-form').addEventListener('submit', joinFor);
    document.getElementById('wl-look').addEventListener('click', lookFor);
    document.getElementById('wl-site-form').addEventListener('submit', siteList);
  });
})();
