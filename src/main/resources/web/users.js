// Staff users (administrators): the list, disabling and enabling a user, and a password reset.
// A reset shows the new password once, here; the service keeps only its hash.
(function () {
  'use strict';
  var s = window.staff, t = s.t, el = s.el;
  var me = null;

  function load() {
    return s.api('GET', '/api/v1/admin/users').then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      render(a.body.users);
    });
  }

  function render(users) {
    var box = document.getElementById('users-list');
    box.textContent = '';
    var rows = users.map(function (u) {
      var actions = el('td', { 'class': 'actions' });
      var self = me && u.name === me.name;
      if (u.disabled) {
        actions.appendChild(el('button', { type: 'button', 'class': 'secondary user-enable', text: t('users.enable'),
          'aria-label': t('users.enable') + ' ' + u.name, onclick: function () { enable(u); } }));
      } else if (!self) {
        actions.appendChild(el('button', { type: 'button', 'class': 'secondary user-disable', text: t('users.disable'),
          'aria-label': t('users.disable') + ' ' + u.name, onclick: function () { disable(u); } }));
      }
      actions.appendChild(el('button', { type: 'button', 'class': 'secondary user-reset', text: t('users.reset'),
        'aria-label': t('users.reset') + ' ' + u.name, onclick: function () { reset(u); } }));
      return el('tr', { 'data-user': u.name, 'data-disabled': String(u.disabled) }, [
        el('th', { scope: 'row', text: u.name + (self ? ' ' + t('users.you') : '') }),
        el('td', { text: t('users.role.' + u.role) }),
        el('td', { 'class': 'user-state', text: u.disabled ? t('users.state.disabled') : t('users.state.active') }),
        el('td', { text: u.consoleSignIn ? t('users.signin.password') : t('users.signin.token') }),
        el('td', { 'class': 'user-sessions', text: String(u.sessions) }),
        el('td', { text: u.createdAt ? u.createdAt.substring(0, 10) : '' }),
        actions]);
    });
    box.appendChild(el('div', { 'class': 'scroll' }, [el('table', {}, [el('thead', {}, [el('tr', {},
      ['users.col.name', 'users.col.role', 'users.col.state', 'users.col.signin', 'users.col.sessions', 'users.col.created', 'users.col.actions']
        .map(function (k) { return el('th', { scope: 'col', text: t(k) }); }))]), el('tbody', {}, rows)])]));
  }

  function disable(u) {
    s.clear();
    s.confirm({ title: t('users.confirm.disable', { name: u.name }), rows: [[t('users.col.name'), u.name], [t('users.col.role'), t('users.role.' + u.role)],
      [t('users.col.sessions'), String(u.sessions)]], message: t('users.confirm.disable.message'), reasonLabel: t('users.reason'),
      ok: t('users.disable'), danger: true }).then(function (answer) {
      if (!answer) { return; }
      s.api('POST', '/api/v1/admin/users/' + encodeURIComponent(u.name) + '/disable', answer.reason ? { reason: answer.reason } : {}).then(function (a) {
        if (a.status !== 200) { s.fail(a); return; }
        s.say(t('users.disabled', { name: u.name, n: a.body.sessionsEnded }));
        load();
      });
    });
  }

  function enable(u) {
    s.clear();
    s.api('POST', '/api/v1/admin/users/' + encodeURIComponent(u.name) + '/enable', {}).then(function (a) {
      if (a.status !== 200) { s.fail(a); return; }
      s.say(t('users.enabled', { name: u.name }));
      load();
    });
  }

  function reset(u) {
    s.clear();
    s.confirm({ title: t('users.confirm.reset', { name: u.name }), rows: [[t('users.col.name'), u.name], [t('users.col.sessions'), String(u.sessions)]],
      message: t('users.confirm.reset.message'), reasonLabel: t('users.reason'), ok: t('users.reset') }).then(function (answer) {
      if (!answer) { return; }
      s.api('POST', '/api/v1/admin/users/' + encodeURIComponent(u.name) + '/password-reset', answer.reason ? { reason: answer.reason } : {}).then(function (a) {
        if (a.status !== 200) { s.fail(a); return; }
        s.say(t('users.resetDone', { name: u.name, n: a.body.sessionsEnded }));
        var box = document.getElementById('users-password');
        document.getElementById('users-password-heading').textContent = t('users.password.heading', { name: u.name });
        document.getElementById('users-password-value').textContent = a.body.password;
        box.hidden = false;
        document.getElementById('users-password-heading').focus();
        load();
      });
    });
  }

  window.staffPageReady = function (who) { me = who; load(); };
  window.staffLanguageChanged = function () { load(); };
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('users-password-done').addEventListener('click', function () {
      // the password is shown once: gone from the page when the administrator has noted it
      document.getElementById('users-password-value').textContent = '';
      document.getElementById('users-password').hidden = true;
      s.clear();
    });
  });
})();
