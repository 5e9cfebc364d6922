// The audit log: who did what, when, before and after, and why; filtered, exported as CSV.
(function () {
  'use strict';
  var s = window.staff, t = s.t, el = s.el;

  function query() {
    var q = [];
    [['actor', 'audit-actor'], ['action', 'audit-action'], ['target', 'audit-target'], ['from', 'audit-from'], ['to', 'audit-to']]
      .forEach(function (p) {
        var value = document.getElementById(p[1]).value.trim();
        if (value) { q.push(p[0] + '=' + encodeURIComponent(value)); }
      });
    return q.join('&');
  }

  function search(ev) {
    if (ev) { ev.preventDefault(); }
    var q = query();
    document.getElementById('audit-csv').href = '/api/v1/admin/audit?format=csv' + (q ? '&' + q : '');
    s.api('GET', '/api/v1/admin/audit' + (q ? '?' + q : '')).then(function (a) {
      var box = document.getElementById('audit-result');
      if (a.status !== 200) { s.fail(a); return; }
      box.textContent = '';
      if (!a.body.entries.length) { box.appendChild(el('p', { text: t('audit.none') })); return; }
      box.appendChild(el('table', {}, [el('thead', {}, [el('tr', {}, ['audit.at', 'audit.actor', 'audit.action', 'audit.target',
        'audit.reason', 'audit.before', 'audit.after'].map(function (k) { return el('th', { scope: 'col', text: t(k) }); }))]),
        el('tbody', {}, a.body.entries.map(function (e) {
          return el('tr', {}, [el('td', { text: e.at.substring(0, 19).replace('T', ' ') }), el('td', { text: e.actor + ' (' + e.role + ')' }),
            el('td', { 'class': 'action', text: e.action }), el('td', { text: e.target || '' }), el('td', { 'class': 'reason', text: e.reason || '' }),
            el('td', {}, [el('pre', { text: e.before ? JSON.stringify(e.before) : '' })]),
            el('td', {}, [el('pre', { text: e.after ? JSON.stringify(e.after) : '' })])]);
        }))]));
      s.say('');
    });
  }

  window.staffPageReady = function () { search(); };
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('audit-form').addEventListener('submit', search);
  });
})();
