// Administration: capacity changes, opening rules, closures, holidays and temporary sites. Every change is first run
// dry (what it would displace is listed); Apply sends exactly what the dry run showed.
(function () {
  'use strict';
  var s = window.staff, t = s.t, el = s.el;
  var pending = { cap: null, close: null, reopen: null, site: null, holiday: null, holidays: null, rule: null };
  var dryRuns = {}; // the dry run's answer of each form, whose Apply sends what it showed
  var rules = []; // the chosen site's opening rules, as last read
  var holidayList = []; // the national list read from the chosen file

  function v(id) { return document.getElementById(id).value.trim(); }
  function radio(name) { return document.querySelector('input[name="' + name + '"]:checked').value; }

  function capBody() {
    var body = { from: v('cap-from'), to: v('cap-to'), startTime: v('cap-start'), endTime: v('cap-end'),
      counters: Number(v('cap-counters')), perCounter: Number(v('cap-per')), displaced: radio('cap-displaced'),
      weekdays: Array.prototype.map.call(document.querySelectorAll('input[name="weekday"]:checked'), function (c) { return Number(c.value); }) };
    var quota = {};
    if (v('cap-web') !== '') { quota.web = Number(v('cap-web')); }
    if (v('cap-phone') !== '') { quota.phone = Number(v('cap-phone')); }
    if (Object.keys(quota).length) { body.quota = quota; }
    if (v('cap-reason')) { body.reason = v('cap-reason'); }
    return { path: '/api/v1/admin/sites/' + encodeURIComponent(v('cap-site')) + '/capacity', method: 'PUT', body: body };
  }

  function closeBody() {
    return { path: '/api/v1/admin/closures', method: 'POST',
      body: { siteId: v('close-site'), date: v('close-date'), reason: v('close-reason'), displaced: radio('close-displaced') } };
  }

  function reopenBody() {
    var q = '?siteId=' + encodeURIComponent(v('reopen-site')) + '&date=' + encodeURIComponent(v('reopen-date'))
      + (v('reopen-reason') ? '&reason=' + encodeURIComponent(v('reopen-reason')) : '');
    return { path: '/api/v1/admin/closures' + q, method: 'DELETE', join: '&' };
  }

  function siteBody() {
    return { path: '/api/v1/admin/sites', method: 'POST', created: 201, body: { id: v('site-id'), name: { ja: v('site-ja'), en: v('site-en') },
      kind: 'popup', address: v('site-address'), walkIn: document.getElementById('site-walkin').checked } };
  }

  function checked(name) {
    return Array.prototype.map.call(document.querySelectorAll('input[name="' + name + '"]:checked'), function (c) { return Number(c.value); });
  }

  function ruleBody() {
    var base = '/api/v1/admin/sites/' + encodeURIComponent(v('rule-site')) + '/rules';
    var id = v('rule-which');
    if (id && document.getElementById('rule-remove').checked) {
      return { path: base + '/' + id + '?displaced=' + radio('rule-displaced')
        + (v('rule-reason') ? '&reason=' + encodeURIComponent(v('rule-reason')) : ''), method: 'DELETE', join: '&' };
    }
    var body = { weekdays: checked('rule-weekday'), nthOfMonth: checked('rule-nth'), opens: v('rule-opens'), closes: v('rule-closes'),
      counters: Number(v('rule-counters')), perCounter: Number(v('rule-per')), holidays: v('rule-holidays'),
      label: v('rule-label') || 'regular', displaced: radio('rule-displaced') };
    if (v('rule-from')) { body.validFrom = v('rule-from'); }
    if (v('rule-to')) { body.validTo = v('rule-to'); }
    if (v('rule-reason')) { body.reason = v('rule-reason'); }
    return id ? { path: base + '/' + id, method: 'PUT', body: body } : { path: base, method: 'POST', created: 201, body: body };
  }

  // "#3 土 第2・第4 08:30–12:00 4×2"
  function describeRule(r) {
    var days = r.weekdays.map(function (d) { return t('wd.' + d); }).join('');
    var nth = r.nthOfMonth.length ? ' ' + r.nthOfMonth.map(function (n) { return t('rule.nthOf', { n: n }); }).join('・') : '';
    return '#' + r.id + ' ' + days + nth + ' ' + r.opens + '–' + r.closes + ' ' + r.counters + '×' + r.perCounter + ' (' + r.label + ')';
  }

  function loadRules() {
    var site = v('rule-site');
    if (!site) { return Promise.resolve(); }
    return s.api('GET', '/api/v1/admin/sites/' + encodeURIComponent(site) + '/rules').then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      rules = a.body.rules;
      var which = document.getElementById('rule-which');
      which.textContent = '';
      which.appendChild(el('option', { value: '', text: t('rule.new') }));
      rules.forEach(function (r) { which.appendChild(el('option', { value: String(r.id), text: describeRule(r) })); });
    });
  }

  // choosing a rule fills the form with it, to change or remove
  function fillRule() {
    var id = v('rule-which');
    var r = rules.filter(function (x) { return String(x.id) === id; })[0];
    document.getElementById('rule-remove').checked = false;
    if (!r) { return; }
    document.querySelectorAll('input[name="rule-weekday"]').forEach(function (c) { c.checked = r.weekdays.indexOf(Number(c.value)) >= 0; });
    document.querySelectorAll('input[name="rule-nth"]').forEach(function (c) { c.checked = r.nthOfMonth.indexOf(Number(c.value)) >= 0; });
    document.getElementById('rule-opens').value = r.opens;
    document.getElementById('rule-closes').value = r.closes;
    document.getElementById('rule-counters').value = r.counters;
    document.getElementById('rule-per').value = r.perCounter;
    document.getElementById('rule-holidays').value = r.holidays;
    document.getElementById('rule-from').value = r.validFrom || '';
    document.getElementById('rule-to').value = r.validTo || '';
    document.getElementById('rule-label').value = r.label;
  }

  /** The word for a value the service sends, or the value when there is none. */
  function word(prefix, value) {
    if (value === null || value === undefined) { return ''; }
    var w = t(prefix + value);
    return w === prefix + value ? String(value) : w;
  }

  /** 2026-12-07（月）10:00 / 2026-12-07 (Mon) 10:00 */
  function when(iso) {
    if (!iso) { return ''; }
    var wd = new Date(iso.substring(0, 10) + 'T00:00:00Z').getUTCDay() || 7;
    return iso.substring(0, 10) + (s.lang === 'ja' ? '（' + t('wd.' + wd) + '）' : ' (' + t('wd.' + wd) + ') ') + iso.substring(11, 16);
  }

  function displacedTable(list) {
    return el('table', {}, [el('thead', {}, [el('tr', {}, ['disp.code', 'disp.start', 'disp.channel', 'disp.action']
      .map(function (k) { return el('th', { scope: 'col', text: t(k) }); }))]),
      el('tbody', {}, list.map(function (d) {
        return el('tr', { 'data-action': d.action }, [el('td', { text: d.code || '(hold)' }), el('td', { text: when(d.start) }),
          el('td', { text: word('channel.', d.channel) }), el('td', { text: word('disp.action.', d.action) })]);
      }))]);
  }

  function holidayBody() {
    return { path: '/api/v1/admin/holidays', method: 'POST', body: { date: v('holiday-date'), nameJa: v('holiday-ja'),
      nameEn: v('holiday-en') || v('holiday-ja'), displaced: radio('holiday-displaced') } };
  }

  function holidaysBody() {
    return { path: '/api/v1/admin/holidays/list', method: 'POST', body: { holidays: holidayList, displaced: 'keep' } };
  }

  // the Cabinet Office's list (syukujitsu.csv: "2027/1/1,元日", in Shift_JIS), from today on
  function readHolidays(bytes) {
    var text;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch (e) { text = new TextDecoder('shift_jis').decode(bytes); }
    var today = new Date(Date.now() + 9 * 3600000).toISOString().substring(0, 10);
    return text.split(/\r?\n/).map(function (line) { return line.split(','); }).filter(function (f) {
      return f.length >= 2 && /^\d{4}[/-]\d{1,2}[/-]\d{1,2}$/.test(f[0].trim());
    }).map(function (f) {
      var p = f[0].trim().split(/[/-]/);
      var date = p[0] + '-' + ('0' + p[1]).slice(-2) + '-' + ('0' + p[2]).slice(-2);
      return { date: date, nameJa: f[1].trim(), nameEn: f[1].trim() };
    }).filter(function (h) { return h.date >= today; }).slice(0, 200);
  }

  function render(box, r) {
    if (r.bookingsDisplaced !== undefined) {
      box.textContent = '';
      box.appendChild(el('p', { 'class': 'summary', text: t('holiday.result', { days: r.days || 1, displaced: r.bookingsDisplaced }) }));
      return;
    }
    if (r.slotsRestored !== undefined) {
      box.textContent = '';
      box.appendChild(el('p', { 'class': 'summary', text: t('reopen.result', { restored: r.slotsRestored, added: r.slotsAdded }) }));
      return;
    }
    if (r.walkIn !== undefined) {
      box.textContent = '';
      box.appendChild(el('p', { 'class': 'summary', text: t(r.dryRun ? 'site.wouldOpen' : 'site.created', { id: r.id })
        + (r.walkIn ? ' ' + t('site.walkInNext') : '') }));
      return;
    }
    box.textContent = '';
    if (r.rule !== undefined) {
      box.appendChild(el('p', { 'class': 'summary', text: t('rule.result', { days: r.daysChanged, changed: r.slotsChanged,
        added: r.slotsAdded, kept: r.slotsKeptAsTuned, displaced: r.displaced.length }) }));
    } else {
      box.appendChild(el('p', { 'class': 'summary', text: t('cap.result', { changed: r.slotsChanged, added: r.slotsAdded || 0, displaced: r.displaced.length }) }));
    }
    if (r.displaced.length) {
      box.appendChild(displacedTable(r.displaced));
    }
  }

  function wire(kind, build) {
    var form = document.getElementById(kind + '-form');
    var apply = document.getElementById(kind + '-apply');
    var box = document.getElementById(kind + '-result');
    form.addEventListener('input', function () {
      if (pending[kind]) { pending[kind] = null; apply.disabled = true; s.say(t('cap.mustDryRun')); }
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var req = build();
      s.api(req.method, req.path + (req.join || '?') + 'dryRun=true', req.body).then(function (a) {
        if (a.status !== 200) { s.fail(a); apply.disabled = true; return; }
        render(box, a.body);
        pending[kind] = req;
        dryRuns[kind] = a.body;
        apply.disabled = false;
        s.say(box.querySelector('.summary').textContent);
        apply.focus();
      });
    });
    apply.addEventListener('click', function () {
      var req = pending[kind];
      if (!req) { return; }
      // cancelling bookings texts their residents: say how many before it is done
      var cancelled = displacedOf(dryRuns[kind]).filter(function (d) { return d.action === 'cancelled'; });
      if (!cancelled.length) { applyNow(req); return; }
      var texted = cancelled.filter(function (d) { return d.texted; }).length;
      s.confirm({ title: t('confirm.apply.title'), danger: true, ok: t('confirm.apply.ok'),
        message: t('confirm.apply.cancel', { n: cancelled.length, texted: texted, silent: cancelled.length - texted }) })
        .then(function (answer) { if (answer && pending[kind] === req) { applyNow(req); } });
    });
    function applyNow(req) {
      apply.disabled = true;
      s.api(req.method, req.path, req.body).then(function (a) {
        if (a.status !== (req.created || 200)) { s.fail(a); return; }
        pending[kind] = null;
        render(box, a.body);
        if (kind === 'site') { loadSites(); }
        if (kind === 'rule') { loadRules(); }
        s.say(t('cap.applied') + ' ' + box.querySelector('.summary').textContent);
      });
    }
  }

  /** Every booking or hold a dry run displaces (a holiday's answer lists them per site). */
  function displacedOf(r) {
    if (!r) { return []; }
    if (r.displaced) { return r.displaced; }
    return (r.sites || []).reduce(function (all, site) { return all.concat(site.displaced || []); }, []);
  }

  function loadSites() {
    return s.api('GET', '/api/v1/sites').then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      document.querySelectorAll('.site-select').forEach(function (select) {
        var keep = select.value;
        select.textContent = '';
        a.body.forEach(function (site) {
          select.appendChild(el('option', { value: site.id, text: site.id + ' — ' + (site.name[s.lang] || site.name.ja) }));
        });
        if (keep) { select.value = keep; }
      });
    });
  }

  window.staffPageReady = function () {
    var tomorrow = new Date(Date.now() + 86400000 + 9 * 3600000).toISOString().substring(0, 10);
    ['cap-from', 'cap-to', 'close-date', 'reopen-date', 'holiday-date'].forEach(function (id) { if (!v(id)) { document.getElementById(id).value = tomorrow; } });
    loadSites().then(loadRules);
  };

  document.addEventListener('DOMContentLoaded', function () {
    wire('cap', capBody);
    wire('close', closeBody);
    wire('reopen', reopenBody);
    wire('holiday', holidayBody);
    wire('holidays', holidaysBody);
    document.getElementById('holidays-file').addEventListener('change', function (ev) {
      var file = ev.target.files[0];
      if (!file) { return; }
      file.arrayBuffer().then(function (buffer) {
        holidayList = readHolidays(new Uint8Array(buffer));
        s.say(t('holiday.read', { n: holidayList.length }));
      });
    });
    wire('site', siteBody);
    wire('rule', ruleBody);
    document.getElementById('rule-site').addEventListener('change', loadRules);
    document.getElementById('rule-which').addEventListener('change', fillRule);
  });
})();
