// The counter page: the day at a site (print and CSV), the steps of each resident's visit up to
// the hand-over, what a resident needs, and at a walk-in site the tickets and calls.
(function () {
  'use strict';
  var s = window.staff, t = s.t, el = s.el;
  var day = null;      // the last day list shown
  var chosen = null;   // the line whose visit is open
  var seq = 0;         // only the answer to the latest request is shown
  var STEPS = ['arrived', 'identity_checked', 'pins', 'returned', 'issued'];
  var TYPE_A = ['driver_license', 'passport', 'disability_certificate', 'residence_card', 'special_permanent_resident_certificate',
    'basic_resident_register_card', 'driving_history_certificate'];
  var TYPE_B = ['health_insurance_card', 'pension_book', 'pension_certificate', 'student_id', 'employee_id', 'medical_certificate',
    'other_official'];
  var PROXY = ['letter_of_attorney', 'reason_document', 'proxy_photo_id'];

  function site() { return document.getElementById('day-site').value.trim().toLowerCase(); }
  function date() { return document.getElementById('day-date').value; }
  function counter() { return parseInt(document.getElementById('day-counter').value, 10) || 1; }
  function hm(iso) { return iso ? iso.substring(11, 16) : ''; }

  function nextStep(line) {
    if (line.status === 'cancelled' || line.state === 'issued' || line.state === 'no_show' || line.state === 'waiting') { return null; }
    if (!line.visit) { return line.ticket && line.state !== 'called' ? null : 'arrived'; }
    var i = STEPS.indexOf(line.state);
    return i >= 0 && i < STEPS.length - 1 ? STEPS[i + 1] : null;
  }

  function needsText(n) {
    if (!n) { return ''; }
    var out = [];
    ['wheelchair', 'signLanguage', 'hearingLoop', 'proxy'].forEach(function (k) { if (n[k]) { out.push(t('needs.' + k)); } });
    if (n.interpreter) { out.push(t('needs.interpreter') + ': ' + n.interpreter); }
    if (n.other) { out.push(n.other); }
    return out.join(s.lang === 'ja' ? '、' : ', ');
  }

  function show(ev) {
    if (ev) { ev.preventDefault(); }
    var mine = ++seq;
    var state = document.getElementById('day-state').value;
    var q = '/api/v1/operator/sites/' + encodeURIComponent(site()) + '/day?date=' + encodeURIComponent(date());
    document.getElementById('day-csv').href = q + '&format=csv' + (state ? '&state=' + state : '');
    s.api('GET', q + (state ? '&state=' + state : '')).then(function (a) {
      if (mine !== seq) { return; }
      if (a.status !== 200) { s.fail(a); return; }
      day = a.body;
      render();
      document.getElementById('walkin').hidden = !day.walkIn;
      document.getElementById('board-link').href = '/board/' + encodeURIComponent(day.siteId);
    });
  }

  // one table per hour: the print view puts each on its own page
  function render() {
    var box = document.getElementById('day-list');
    box.textContent = '';
    var issued = day.lines.filter(function (l) { return l.state === 'issued'; }).length;
    document.getElementById('day-summary').textContent = t('day.summary', { date: day.date, n: day.lines.length, issued: issued });
    if (!day.lines.length) { box.appendChild(el('p', { text: t('day.none') })); return; }
    var hours = {};
    day.lines.forEach(function (l) { var h = hm(l.start).substring(0, 2); (hours[h] = hours[h] || []).push(l); });
    Object.keys(hours).sort().forEach(function (h) {
      var rows = hours[h].map(function (l) {
        var step = nextStep(l);
        var action = el('td');
        if (step) {
          action.appendChild(el('button', { type: 'button', 'class': 'secondary step', 'data-notice': l.noticeNumber,
            text: t('step.' + step), 'aria-label': t('step.' + step) + ' ' + l.noticeNumber, onclick: function () { open(l, step); } }));
        }
        return el('tr', { 'data-notice': l.noticeNumber, 'data-state': l.state }, [el('td', { text: hm(l.start) }),
          el('td', { text: l.noticeNumber }), el('td', { text: l.code || (l.ticket ? t('walkin.ticketNo', { n: l.ticket }) : '') }),
          el('td', { text: t('channel.' + l.channel) }), el('td', { 'class': 'state', text: t('state.' + l.state) }),
          el('td', { text: l.visit && l.visit.arrivedAt ? hm(l.visit.arrivedAt) : '' }),
          el('td', { 'class': 'needs', text: needsText(l.needs) + (l.note ? ' ' + l.note : '') }), action]);
      });
      box.appendChild(el('table', { 'class': 'hour' }, [el('caption', { text: t('day.hour', { h: h, site: day.siteId, date: day.date }) }),
        el('thead', {}, [el('tr', {}, ['time', 'notice', 'code', 'channel', 'state', 'arrived', 'needs', ''].map(function (k) {
          return el('th', { scope: 'col', text: k ? t('col.' + k) : '' });
        }))]), el('tbody', {}, rows)]));
    });
  }

  function open(line, step) {
    chosen = line;
    var box = document.getElementById('visit');
    box.hidden = false;
    document.getElementById('visit-who').textContent = t('visit.who', { notice: line.noticeNumber,
      what: line.code || t('walkin.ticketNo', { n: line.ticket }) });
    var form = el('form', { id: 'step-form' });
    if (step === 'identity_checked') {
      form.appendChild(el('label', { 'class': 'inline' }, [el('input', { type: 'checkbox', id: 'id-notice' }), t('id.notice')]));
      form.appendChild(select('id-a', TYPE_A, 'id.typeA'));
      form.appendChild(select('id-b1', TYPE_B, 'id.typeB'));
      form.appendChild(select('id-b2', TYPE_B, 'id.typeB'));
      form.appendChild(el('label', { 'class': 'inline' }, [el('input', { type: 'checkbox', id: 'id-proxy' }), t('needs.proxy')]));
      PROXY.forEach(function (p) {
        form.appendChild(el('label', { 'class': 'inline' }, [el('input', { type: 'checkbox', 'class': 'proxy-doc', value: p }), t('doc.' + p)]));
      });
    } else if (step === 'pins') {
      form.appendChild(el('label', { 'class': 'inline' }, [el('input', { type: 'radio', name: 'pins', value: 'set', checked: 'checked' }), t('pins.set')]));
      form.appendChild(el('label', { 'class': 'inline' }, [el('input', { type: 'radio', name: 'pins', value: 'postponed' }), t('pins.postponed')]));
      form.appendChild(el('label', {}, [t('pins.reason'), el('input', { id: 'pins-reason', maxlength: '500' })]));
    } else if (step === 'returned') {
      ['notification_card', 'expired_card', 'none'].forEach(function (r) {
        form.appendChild(el('label', { 'class': 'inline' }, [el('input', { type: 'checkbox', 'class': 'returned', value: r }), t('returned.' + r)]));
      });
    }
    form.appendChild(el('button', { type: 'submit', id: 'step-submit', text: t('step.' + step) }));
    form.addEventListener('submit', function (ev) { ev.preventDefault(); take(step); });
    var slot = document.getElementById('visit-step');
    slot.textContent = '';
    slot.appendChild(form);
    loadNeeds(line.noticeNumber);
    document.getElementById('step-submit').focus();
  }

  function select(id, values, label) {
    return el('label', {}, [t(label), el('select', { id: id }, [el('option', { value: '', text: '—' })].concat(values.map(function (v) {
      return el('option', { value: v, text: t('doc.' + v) });
    })))]);
  }

  function value(id) { var e = document.getElementById(id); return e ? e.value : ''; }

  function take(step) {
    var body = { step: step, counter: counter() };
    if (step === 'identity_checked') {
      body.notice = document.getElementById('id-notice').checked;
      body.typeA = value('id-a') ? [value('id-a')] : [];
      body.typeB = [value('id-b1'), value('id-b2')].filter(function (v) { return v; });
      body.byProxy = document.getElementById('id-proxy').checked;
      body.proxyDocuments = Array.prototype.map.call(document.querySelectorAll('.proxy-doc:checked'), function (c) { return c.value; });
    } else if (step === 'pins') {
      body.pins = document.querySelector('input[name=pins]:checked').value;
      if (value('pins-reason')) { body.reason = value('pins-reason'); }
    } else if (step === 'returned') {
      body.returned = Array.prototype.map.call(document.querySelectorAll('.returned:checked'), function (c) { return c.value; });
    }
    s.api('POST', '/api/v1/operator/cards/' + encodeURIComponent(chosen.noticeNumber) + '/steps', body).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('step.done', { step: t('step.' + step), notice: chosen.noticeNumber }));
      document.getElementById('visit').hidden = true;
      show();
    });
  }

  function loadNeeds(notice) {
    s.api('GET', '/api/v1/operator/cards/' + encodeURIComponent(notice) + '/needs').then(function (a) {
      if (a.status !== 200) { return; }
      var n = a.body;
      document.getElementById('needs-wheelchair').checked = n.wheelchair;
      document.getElementById('needs-sign').checked = n.signLanguage;
      document.getElementById('needs-loop').checked = n.hearingLoop;
      document.getElementById('needs-interpreter').value = n.interpreter || '';
      document.getElementById('needs-other').value = n.other || '';
      document.getElementById('needs-proxy').checked = n.proxy;
    });
  }

  function saveNeeds(ev) {
    ev.preventDefault();
    var body = { wheelchair: document.getElementById('needs-wheelchair').checked, signLanguage: document.getElementById('needs-sign').checked,
      hearingLoop: document.getElementById('needs-loop').checked, interpreter: value('needs-interpreter') || null,
      other: value('needs-other') || null, proxy: document.getElementById('needs-proxy').checked };
    s.api('PUT', '/api/v1/operator/cards/' + encodeURIComponent(chosen.noticeNumber) + '/needs', body).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('needs.saved'));
      show();
    });
  }

  function ticket(ev) {
    ev.preventDefault();
    var body = { noticeNumber: value('ticket-notice'), language: value('ticket-language') };
    if (value('ticket-birth')) { body.birthDate = value('ticket-birth'); }
    if (value('ticket-phone')) { body.phone = value('ticket-phone'); }
    s.api('POST', '/api/v1/operator/sites/' + encodeURIComponent(site()) + '/tickets', body).then(function (a) {
      if (a.status !== 201) { s.fail(a); return; }
      var text = t('walkin.taken', { n: a.body.number, ahead: a.body.ahead, wait: a.body.expectedWaitMinutes });
      document.getElementById('ticket-result').textContent = text;
      s.say(text);
      document.getElementById('ticket-form').reset();
      show();
    });
  }

  function callNext() {
    s.api('POST', '/api/v1/operator/sites/' + encodeURIComponent(site()) + '/calls', { counter: counter() }).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      renderCalled(a.body);
      show();
    });
  }

  function renderCalled(ticket) {
    var box = document.getElementById('call-result');
    box.textContent = '';
    var text = ticket.state === 'no_show' ? t('walkin.noShow', { n: ticket.number })
      : t('walkin.called', { n: ticket.number, counter: ticket.counter, calls: ticket.calls });
    box.appendChild(document.createTextNode(text + ' '));
    if (ticket.state === 'called') {
      box.appendChild(el('button', { type: 'button', 'class': 'secondary', id: 'call-again', text: t('walkin.callAgain'), onclick: function () {
        s.api('POST', '/api/v1/operator/sites/' + encodeURIComponent(site()) + '/tickets/' + ticket.number + '/call-again',
          { counter: counter() }).then(function (a) {
          if (a.status !== 200) { s.fail(a); return; }
          renderCalled(a.body);
          show();
        });
      } }));
    }
    s.say(text);
  }

  window.staffPageReady = function () {
    var params = new URLSearchParams(location.search);
    document.getElementById('day-site').value = params.get('site') || '';
    document.getElementById('day-date').value = params.get('date') || new Date(Date.now() + 9 * 3600 * 1000).toISOString().substring(0, 10);
    document.getElementById('day-form').addEventListener('submit', show);
    document.getElementById('day-print').addEventListener('click', function () { window.print(); });
    document.getElementById('needs-form').addEventListener('submit', saveNeeds);
    document.getElementById('ticket-form').addEventListener('submit', ticket);
    document.getElementById('call-next').addEventListener('click', callNext);
    // the list stays live while residents arrive at other counters
    setInterval(function () { if (day && !document.hidden) { show(); } }, 20000);
    if (params.get('site')) { show(); }
  };
})();
