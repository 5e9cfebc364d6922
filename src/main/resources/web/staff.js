// Shared by the staff pages: texts, sign-in, and API calls with the session cookie and CSRF header.
(function () {
  'use strict';
  var lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
  var texts = window.STAFF_TEXTS[lang];

  function t(key, values) {
    var s = texts[key] || key;
    if (values) {
      Object.keys(values).forEach(function (k) { s = s.replace('{' + k + '}', values[k]); });
    }
    return s;
  }

  function translate(root) {
    (root || document).querySelectorAll('[data-t]').forEach(function (el) { el.textContent = t(el.getAttribute('data-t')); });
    document.title = t(document.body.getAttribute('data-title'));
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)madoguchi_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  // Resolves with {status, body}; network failures resolve with status 0.
  function api(method, path, body) {
    // the server words its messages (a card's locks, refusals) in the console's language
    var headers = { 'Accept': 'application/json', 'Accept-Language': lang };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = csrf();
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (text) {
          var parsed = null;
          try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = { message: text }; }
          if (r.status === 401 && path !== '/api/v1/staff/login') {
            showLogin();
          }
          return { status: r.status, body: parsed };
        });
      }, function () { return { status: 0, body: { error: 'network', message: t('error.network') } }; });
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k.indexOf('on') === 0) { e.addEventListener(k.substring(2), attrs[k]); } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); } });
    return e;
  }

  function say(message) {
    var status = document.getElementById('status');
    status.textContent = message;
    document.getElementById('error').textContent = '';
  }

  /** Empties the status and error lines: a new action's answer never sits under the last one's. */
  function clear() {
    document.getElementById('status').textContent = '';
    document.getElementById('error').textContent = '';
  }

  function fail(answer) {
    var box = document.getElementById('error');
    var b = answer.body || {};
    box.textContent = t('error.prefix') + (b.message || b.error || String(answer.status)) + (b.error ? ' (' + b.error + ')' : '');
    document.getElementById('status').textContent = '';
    box.focus();
  }

  /**
   * An in-page confirmation before a risky action (a modal dialog naming what it changes, in
   * rows of [label, value]), instead of window.confirm / window.prompt. Resolves with
   * {reason} when confirmed, null when the user goes back (the button or Escape); the focus
   * returns where it was. o: {title, rows, message, ok, reasonLabel (a reason field when given), danger}.
   */
  function confirmAction(o) {
    return new Promise(function (resolve) {
      var opener = document.activeElement;
      var reason = o.reasonLabel ? el('input', { id: 'confirm-reason', maxlength: '500', autocomplete: 'off' }) : null;
      var back = el('button', { type: 'button', 'class': 'secondary', id: 'confirm-back', text: t('confirm.back') });
      var ok = el('button', { type: 'submit', id: 'confirm-ok', 'class': o.danger ? 'danger' : '', text: o.ok });
      var rows = [];
      (o.rows || []).forEach(function (r) { rows.push(el('dt', { text: r[0] }), el('dd', { text: r[1] })); });
      var form = el('form', { method: 'dialog' }, [
        el('h2', { id: 'confirm-heading', text: o.title }),
        el('div', { id: 'confirm-what' }, [rows.length ? el('dl', {}, rows) : null, o.message ? el('p', { id: 'confirm-message', text: o.message }) : null]),
        reason ? el('p', {}, [el('label', {}, [el('span', { text: o.reasonLabel }), reason])]) : null,
        el('p', { 'class': 'confirm-buttons' }, [ok, back])]);
      var dialog = el('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-heading', 'aria-describedby': 'confirm-what' }, [form]);
      var done = false;
      function finish(value) {
        if (done) { return; }
        done = true;
        dialog.close();
        dialog.remove();
        if (opener && opener.isConnected && opener.focus) { opener.focus(); }
        resolve(value);
      }
      form.addEventListener('submit', function (ev) { ev.preventDefault(); finish({ reason: reason ? reason.value.trim() : '' }); });
      back.addEventListener('click', function () { finish(null); });
      dialog.addEventListener('cancel', function (ev) { ev.preventDefault(); finish(null); });
      document.body.appendChild(dialog);
      dialog.showModal();
      // the least harmful place to start: the reason to type, else "Go back"
      (reason || back).focus();
    });
  }

  var signedIn = null; // who is signed in, for the header after a language switch

  /**
   * Switches the page's language without reloading it: the fixed texts are translated, the
   * address keeps ?lang= for a reload, and the page redraws what it showed (window.staffLanguageChanged),
   * asking the service again so that its words (a card's locks) come in the new language too.
   */
  function switchLanguage(next) {
    lang = next;
    texts = window.STAFF_TEXTS[lang];
    window.staff.lang = lang;
    document.documentElement.lang = lang;
    var url = new URL(location.href);
    url.searchParams.set('lang', lang);
    history.replaceState(history.state, '', url.toString());
    translate();
    if (signedIn) { whoami(signedIn); }
    clear(); // the last answer was said in the other language
    window.staffLanguageChanged();
  }

  function whoami(me) {
    var role = t('users.role.' + me.role);
    document.getElementById('whoami').textContent = t('signed.in.as') + ' ' + me.name + ' (' + role + ')';
  }

  function showLogin() {
    document.getElementById('app').hidden = true;
    document.getElementById('login').hidden = false;
    document.getElementById('whoami').textContent = '';
    document.getElementById('signout').hidden = true;
    document.getElementById('login-name').focus();
  }

  function showApp(me) {
    var needs = document.body.getAttribute('data-role');
    if (needs === 'admin' && me.role !== 'admin') {
      showLogin();
      document.getElementById('login-error').textContent = t('error.role');
      return;
    }
    document.getElementById('login').hidden = true;
    document.getElementById('app').hidden = false;
    signedIn = me;
    whoami(me);
    document.getElementById('signout').hidden = false;
    var first = document.querySelector('#app input, #app select');
    if (first) { first.focus(); }
    if (window.staffPageReady) { window.staffPageReady(me); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    translate();
    document.getElementById('lang').addEventListener('click', function () {
      var next = lang === 'ja' ? 'en' : 'ja';
      document.cookie = 'lang=' + next + '; path=/; SameSite=Strict; max-age=31536000';
      // a page that can redraw itself switches in place and keeps what the operator found and typed
      if (window.staffLanguageChanged) { switchLanguage(next); } else { location.search = '?lang=' + next; }
    });
    document.getElementById('login-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var error = document.getElementById('login-error');
      error.textContent = '';
      api('POST', '/api/v1/staff/login', { name: document.getElementById('login-name').value,
        password: document.getElementById('login-password').value }).then(function (a) {
        if (a.status === 200) {
          document.getElementById('login-password').value = '';
          showApp(a.body);
        } else {
          error.textContent = t('error.prefix') + ((a.body && a.body.message) || a.status);
          document.getElementById('login-password').focus();
        }
      });
    });
    document.getElementById('signout').addEventListener('click', function () {
      api('POST', '/api/v1/staff/logout').then(function () { showLogin(); });
    });
    api('GET', '/api/v1/staff/me').then(function (a) {
      if (a.status === 200) { showApp(a.body); } else { showLogin(); }
    });
  });

  window.staff = { t: t, api: api, el: el, say: say, fail: fail, clear: clear, confirm: confirmAction, lang: lang, translate: translate };
})();
