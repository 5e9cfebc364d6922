// The screen pop of the operator console: as a queued phone call is bridged to this operator's
// phone, shows who is calling (the card the caller verified, or the cards registered with the
// caller's number) and the call's path (what they tried, why they reached an operator).
// Kept apart from console.js; fed by /api/v1/operator/screen-pops/events (server-sent events).
(function () {
  'use strict';
  var lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
  var T = {
    ja: { heading: '電話がつながりました', phone: '発信者番号', withheld: '非通知', verified: '本人確認済みのカード',
      matching: 'この番号で登録されたカード', none: '該当するカードはありません', code: '予約番号', waited: '待ち時間',
      seconds: '秒', path: '通話の経過', why: 'オペレーターへの理由', close: '閉じる',
      reasons: { pressed_0: '0を押した', failures: '入力の失敗が続いた', locked: 'ロックされた', limited: '変更回数の上限',
        unavailable: 'システムに接続できなかった', no_slots: '空き枠がなかった', other: 'その他' } },
    en: { heading: 'Call connected', phone: 'Caller number', withheld: 'withheld', verified: 'Card the caller verified',
      matching: 'Cards registered with this number', none: 'No matching card', code: 'Booking code', waited: 'Waited',
      seconds: 's', path: 'Path of the call', why: 'Why an operator', close: 'Close',
      reasons: { pressed_0: 'pressed 0', failures: 'failed inputs in a row', locked: 'locked', limited: 'change limit reached',
        unavailable: 'system unreachable', no_slots: 'no free slots', other: 'other' } }
  }[lang];

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function row(list, label, value) {
    list.appendChild(el('dt', label));
    list.appendChild(el('dd', value));
  }

  function show(box, pop) {
    box.textContent = '';
    box.appendChild(el('h2', T.heading, { id: 'screen-pop-heading' }));
    var dl = el('dl');
    row(dl, T.phone, pop.phone && /^\+?[0-9]{6,}$/.test(pop.phone) ? pop.phone : T.withheld);
    row(dl, T.why, T.reasons[pop.reason] || pop.reason);
    row(dl, T.waited, pop.queueSeconds + T.seconds);
    if (pop.bookingCode) { row(dl, T.code, pop.bookingCode); }
    box.appendChild(dl);
    box.appendChild(el('h3', pop.verified ? T.verified : T.matching));
    var cards = el('ul', null, { 'class': 'screen-pop-cards' });
    pop.cards.forEach(function (c) { cards.appendChild(el('li', c.noticeNumber + ' (' + c.siteId + ', ' + c.state + ')')); });
    if (!pop.cards.length) { cards.appendChild(el('li', T.none)); }
    box.appendChild(cards);
    box.appendChild(el('h3', T.path));
    var path = el('ol', null, { 'class': 'screen-pop-path' });
    pop.path.forEach(function (step) { path.appendChild(el('li', step)); });
    box.appendChild(path);
    var close = el('button', T.close, { type: 'button', 'class': 'secondary' });
    close.addEventListener('click', function () { box.hidden = true; });
    box.appendChild(close);
    box.hidden = false;
  }

  function start() {
    var app = document.getElementById('app');
    if (!app || !window.EventSource) { return; }
    var box = el('section', null, { id: 'screen-pop', 'aria-labelledby': 'screen-pop-heading', 'aria-live': 'assertive', role: 'alert' });
    box.hidden = true;
    app.insertBefore(box, app.firstChild);
    var events = null;
    function follow() {
      // only while signed in (the page shows #app then); the browser reconnects a broken stream itself
      if (app.hidden || events) { return; }
      events = new EventSource('/api/v1/operator/screen-pops/events');
      events.addEventListener('pop', function (e) { show(box, JSON.parse(e.data)); });
      events.onerror = function () {
        if (events.readyState === EventSource.CLOSED) { events = null; }
      };
    }
    follow();
    setInterval(follow, 3000);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
