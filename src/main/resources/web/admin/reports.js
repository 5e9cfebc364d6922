/* The administrators' reports page: plain JavaScript, no framework. Every figure comes from the
 * admin API. Authentication: the staff pages' session (signed in on any staff page, or here);
 * requests carry the same-origin cookies and, on POST, the X-CSRF-Token header from the
 * madoguchi_csrf cookie. For scripts, an API token may be pasted instead: kept in sessionStorage
 * (madoguchi.adminToken) and sent as a Bearer token. The language is the staff pages' choice
 * (?lang=, else the lang cookie, else the browser's), set on <html lang> by the service. */
(function () {
  'use strict';
  var TOKEN_KEY = 'madoguchi.adminToken';
  var TEXTS = {
    ja: {
      navConsole: 'オペレーター画面', navCounter: '交付カウンター', navAdmin: '管理者画面', navUsers: 'ユーザー管理', navReports: 'レポート', navAudit: '監査ログ',
      signinName: 'ユーザー名', signinPassword: 'パスワード', signin: 'サインイン', tokenTitle: 'APIトークンで使う（スクリプト・自動化用）',
      signedIn: '{0} でサインイン中（管理者）。', signInPlease: '管理者のユーザー名とパスワードでサインインしてください。', notAdmin: '{0} は管理者ではありません。管理者でサインインしてください。',
      title: 'カード交付レポート', authTitle: '管理者の認証', authHelp: '管理者のAPIトークンを貼り付けてください。このタブを閉じると消えます。',
      token: 'APIトークン', save: '保存', forget: '消去', tokenSaved: 'トークンを保存しました（このタブのみ）。', tokenNone: 'トークン未設定：ログイン中のセッションがあればそれを使います。',
      importTitle: '状態ファイルの取込み', importHelp: 'CSV: noticeNumber,birthDate,siteId,state[,phone,cancelReason,appliedOn,changedOn]（電話番号の列がない・空欄なら登録済みの番号を残し、- で消します）',
      file: 'ファイル', importButton: '取り込む', importing: '取込み中…', chooseFile: 'ファイルを選んでください。', rowsRead: '{0} 行を読み込みました',
      imported: '新規 {0} 件、更新 {1} 件、不正な行 {2} 件（{3} 秒）', line: '{0} 行目: {1}',
      importDry: '確認だけ（ドライラン）', dryRunDone: 'ドライランです。何も保存していません。', phones: '電話番号: 残す {0}、登録 {1}、消去 {2}',
      byState: '状態ごと: {0}', rejectedCsv: '不正な行をCSVで保存',
      monthlyTitle: '月別の申請・交付・取止めと交付残数', from: '開始月', to: '終了月', site: '会場', allSites: '全会場', show: '表示', csv: 'CSVで保存',
      perSite: '会場別（無断キャンセルを含む）', month: '月', applications: '申請', issuances: '交付', cancellations: '取止め', noShows: '無断キャンセル', backlog: '交付残数',
      inventoryTitle: '棚卸しと照合', countedAt: '棚卸し日', counted: '保管枚数', record: '記録する', recorded: '{0} の棚卸しを記録しました：差 {1} 件',
      recordedLater: '{0} の棚卸しを記録しました。照合はいま計算できなかったため、後で表に表示されます。',
      reconDate: '照合日', ready: 'システム上の交付前設定済', difference: '差', unknown: '不明', notInSystem: 'システムにない', noCounts: 'この日までの棚卸しの記録はありません。',
      moved_out: '転出', died: '死亡', withdrawn: '申請取り下げ', moved_between_wards: '区間異動', expired: '有効期限切れ',
      outlookTitle: '交付の見通し（実績から）', asOf: '基準日', extraPerDay: '1日あたりの上乗せ（試算）', issuedPerDayObserved: '1日の交付（実績）',
      waitingAppliedBy: '申請日までの交付待ち', issuedOn: '交付し終える日', neededPerDay: '期限に必要な1日の交付', extraNeeded: '不足（1日）',
      outlookAnswer: '{0}までに申請した {1} 件は、1日 {2} 件の交付で {3} に交付し終えます（期限 {4}: {5}）。期限に間に合わせるには1日 {6} 件（あと {7} 件）必要です。',
      cityTotal: '市全体', met: '間に合う', missed: '間に合わない',
      whatIfTitle: '試算（窓口の増設・土曜開庁・予約不要会場）', whatIfCounterSite: '窓口を増やす会場', counters: '窓口数', none: '（なし）',
      whatIfSatSite: '土曜開庁の会場', saturdaysPerMonth: '月の土曜日数', hours: '時間', walkInTickets: '予約不要会場の1日の発券数', walkInDays: '週の開設日数',
      bookedAhead: '予約済み（基準日以降）', freeAhead: '空き枠（基準日以降）', perCounterDay: '1窓口の1日の交付', countersNeeded: '必要な窓口の増設',
      countersAnswer: '期限に間に合わせるには、窓口をあと {0} つ増やす必要があります（{1}）。', countersNone: '期限に間に合わせるのに窓口の増設は要りません。', countersNoneCounted: '開庁時間のある会場では窓口の増設は要りません。',
      countersAt: '{0} {1} つ', countersUnknown: '開庁時間の設定がないため数えていない会場: {0}。',
      whatIfAnswer: '試算の上乗せは1日 {0} 件です（{1}）。', kind_extraCounters: '{0}の窓口増設 {1} 件', kind_saturdays: '{0}の土曜開庁 {1} 件',
      kind_walkIn: '予約不要会場 {1} 件', kind_extraPerDay: '上乗せ {1} 件',
      countersTitle: '窓口の処理数', fromDay: '開始日', toDay: '終了日', day: '日付', issuedCount: '交付数', counterHours: '窓口×時間', perCounterHour: '1窓口1時間あたり',
      forecastTitle: '交付の見通し', appliedBy: '申請日（まで）', deadline: '交付期限', waiting: '交付待ち', seatsPerDay: '1日の枠', bookingRate: '予約率', noShowRate: '無断キャンセル率',
      issuedPerDay: '1日の交付見込み', clearedOn: '交付完了見込み日', never: '見込みなし', deadlineWaiting: '対象の交付待ち', feasible: '期限内に交付可', needed: '必要な1日の枠',
      callsTitle: '電話窓口の入電と待ち時間', callsPerHour: '時間帯別の入電', calls: '入電', outcomes: '結果', queued: 'オペレーター待ち',
      bridged: '応答', abandoned: '待ち中の放棄', queueP50: '待ち時間 中央値（秒）', queueP90: '待ち時間 90%（秒）',
      callbacksAsked: '折り返し依頼', callbacksDone: '折り返し済み', hour: '時',
      yes: '可', no: '不可', total: '合計', unauthorized: '認証されていません。管理者でサインインしてください（またはトークンを入力）。', failed: 'エラー: {0}'
    },
    en: {
      navConsole: 'Operator console', navCounter: 'Counter', navAdmin: 'Administration', navUsers: 'Staff users', navReports: 'Reports', navAudit: 'Audit log',
      signinName: 'User name', signinPassword: 'Password', signin: 'Sign in', tokenTitle: 'Use an API token (for scripts and automation)',
      signedIn: 'Signed in as {0} (administrator).', signInPlease: 'Sign in with an administrator\'s name and password.', notAdmin: '{0} is not an administrator: sign in as one.',
      title: 'Card issuance reports', authTitle: 'Administrator sign-in', authHelp: 'Paste an administrator API token. It is forgotten when this tab closes.',
      token: 'API token', save: 'Save', forget: 'Forget', tokenSaved: 'Token saved (this tab only).', tokenNone: 'No token: a signed-in session is used if there is one.',
      importTitle: 'Import a status file', importHelp: 'CSV: noticeNumber,birthDate,siteId,state[,phone,cancelReason,appliedOn,changedOn] (no phone column or an empty cell keeps the stored number; - clears it)',
      file: 'File', importButton: 'Import', importing: 'Importing…', chooseFile: 'Choose a file first.', rowsRead: '{0} rows read',
      imported: '{0} new, {1} updated, {2} bad lines ({3} s)', line: 'line {0}: {1}',
      importDry: 'Check only (dry run)', dryRunDone: 'A dry run: nothing was kept.', phones: 'Phones: {0} kept, {1} set, {2} cleared',
      byState: 'Per state: {0}', rejectedCsv: 'Download the bad lines (CSV)',
      monthlyTitle: 'Applications, issuances, cancellations and backlog by month', from: 'From', to: 'To', site: 'Site', allSites: 'All sites', show: 'Show', csv: 'Save as CSV',
      perSite: 'By site (with no-shows)', month: 'Month', applications: 'Applications', issuances: 'Issuances', cancellations: 'Cancellations', noShows: 'No-shows', backlog: 'Backlog',
      inventoryTitle: 'Shelf count and reconciliation', countedAt: 'Counted on', counted: 'Cards counted', record: 'Record', recorded: 'Count recorded for {0}: difference {1}',
      recordedLater: 'Count recorded for {0}; its reconciliation could not be computed now and will show in the table later.',
      reconDate: 'Reconcile on', ready: 'Ready in the system', difference: 'Difference', unknown: 'Unknown', notInSystem: 'Not in the system', noCounts: 'No shelf count recorded up to this day.',
      moved_out: 'Moved out', died: 'Died', withdrawn: 'Withdrawn', moved_between_wards: 'Moved between wards', expired: 'Expired',
      outlookTitle: 'Outlook from what is issued', asOf: 'As of', extraPerDay: 'Extra a day (what-if)', issuedPerDayObserved: 'Issued a day (observed)',
      waitingAppliedBy: 'Waiting, applied by', issuedOn: 'All issued on', neededPerDay: 'A day needed for the deadline', extraNeeded: 'Short a day',
      outlookAnswer: 'The {1} cards applied by {0} are all issued on {3} at {2} a day (deadline {4}: {5}). Meeting it takes {6} a day ({7} more).',
      cityTotal: 'City', met: 'met', missed: 'missed',
      whatIfTitle: 'What-if (more counters, Saturday openings, a walk-in site)', whatIfCounterSite: 'More counters at', counters: 'Counters', none: '(none)',
      whatIfSatSite: 'Saturday openings at', saturdaysPerMonth: 'Saturdays a month', hours: 'Hours', walkInTickets: 'Walk-in site: tickets a day', walkInDays: 'Days a week',
      bookedAhead: 'Booked ahead', freeAhead: 'Free seats ahead', perCounterDay: 'One counter a day', countersNeeded: 'More counters needed',
      countersAnswer: 'Meeting the deadline takes {0} more counters ({1}).', countersNone: 'The deadline is met without more counters.', countersNoneCounted: 'The sites with opening hours need no more counters.',
      countersAt: '{0}: {1}', countersUnknown: 'Not counted, no opening hours set: {0}.',
      whatIfAnswer: 'The what-if adds {0} a day ({1}).', kind_extraCounters: 'counters at {0}: {1}', kind_saturdays: 'Saturdays at {0}: {1}',
      kind_walkIn: 'walk-in site: {1}', kind_extraPerDay: 'extra: {1}',
      countersTitle: 'Counter throughput', fromDay: 'From', toDay: 'To', day: 'Date', issuedCount: 'Issued', counterHours: 'Counter-hours', perCounterHour: 'Per counter-hour',
      forecastTitle: 'Forecast', appliedBy: 'Applied by', deadline: 'Issued by', waiting: 'Waiting', seatsPerDay: 'Seats a day', bookingRate: 'Booking rate', noShowRate: 'No-show rate',
      issuedPerDay: 'Issued a day', clearedOn: 'All issued by', never: 'not at this pace', deadlineWaiting: 'Waiting (applied by)', feasible: 'Can make it', needed: 'Seats a day needed',
      callsTitle: 'Phone calls and time in the operator queue', callsPerHour: 'Calls per hour of the day', calls: 'Calls', outcomes: 'Outcomes', queued: 'Queued',
      bridged: 'Answered', abandoned: 'Abandoned in queue', queueP50: 'Queue p50 (s)', queueP90: 'Queue p90 (s)',
      callbacksAsked: 'Callbacks asked', callbacksDone: 'Callbacks done', hour: 'Hour',
      yes: 'yes', no: 'no', total: 'Total', unauthorized: 'Not signed in: sign in as an administrator (or paste a token).', failed: 'Error: {0}'
    }
  };
  var REASONS = ['moved_out', 'died', 'withdrawn', 'moved_between_wards', 'expired'];
  var lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
  var me = null; // the signed-in staff member (GET /api/v1/staff/me), or null
  var sites = [];
  var lastMonthly = null;

  function t(key) {
    var s = TEXTS[lang][key] || key;
    for (var i = 1; i < arguments.length; i++) { s = s.replace('{' + (i - 1) + '}', arguments[i]); }
    return s;
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) { e.textContent = text; } return e; }
  function num(n) { return n === null || n === undefined ? '—' : Number(n).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US'); }
  function siteName(s) { return s && s.name ? s.name[lang] : (s && s.siteId) || ''; }

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].substring(0, eq) === name) { return decodeURIComponent(parts[i].substring(eq + 1)); }
    }
    return null;
  }

  function api(method, path, body, type, extra) {
    var headers = { 'Accept': type === 'csv-out' ? 'text/csv' : 'application/json' };
    Object.keys(extra || {}).forEach(function (k) { headers[k] = extra[k]; });
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) { headers['Authorization'] = 'Bearer ' + token; }
    if (method !== 'GET') {
      var csrf = cookie('madoguchi_csrf');
      if (csrf) { headers['X-CSRF-Token'] = csrf; }
    }
    if (body !== undefined && body !== null) { headers['Content-Type'] = type === 'csv' ? 'text/csv' : 'application/json'; }
    return fetch(path, { method: method, headers: headers, body: body, credentials: 'same-origin' }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        if (r.status === 401) { me = null; }
        authState();
        $('auth-state').textContent = t('unauthorized');
        throw new Error(t('unauthorized'));
      }
      if (type === 'csv-out' && r.ok) { return r.text(); }
      return r.json().then(function (j) {
        if (!r.ok) { throw new Error((j && j.message) || r.status); }
        return j;
      });
    });
  }

  function fail(e) { $('error').textContent = t('failed', e.message); }
  function clearError() { $('error').textContent = ''; }

  function applyTexts() {
    document.documentElement.lang = lang;
    document.title = t('title') + ' — madoguchi';
    var all = document.querySelectorAll('[data-t]');
    for (var i = 0; i < all.length; i++) { all[i].textContent = t(all[i].getAttribute('data-t')); }
    $('lang').textContent = lang === 'ja' ? 'English' : '日本語';
    $('lang').lang = lang === 'ja' ? 'en' : 'ja';
    authState();
  }

  /** Signed in by session (no token needed), or a token pasted, or neither: the sign-in form. */
  function authState() {
    var admin = me && me.role === 'admin';
    var token = sessionStorage.getItem(TOKEN_KEY);
    $('auth-state').textContent = admin ? t('signedIn', me.name) : token ? t('tokenSaved')
      : me ? t('notAdmin', me.name) : t('signInPlease');
    $('signin-form').hidden = admin || !!token;
    if (admin || token) { $('token-box').open = !!token && !admin; } else { $('token-box').open = true; }
  }

  function whoIsSignedIn() {
    return fetch('/api/v1/staff/me', { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      return r.status === 200 ? r.json() : null;
    }).then(function (who) { me = who; authState(); return who; }, function () { me = null; authState(); return null; });
  }

  function signIn(ev) {
    ev.preventDefault();
    $('signin-error').textContent = '';
    fetch('/api/v1/staff/login', { method: 'POST', credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'Accept-Language': lang },
      body: JSON.stringify({ name: $('signin-name').value, password: $('signin-password').value }) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); })
      .then(function (a) {
        $('signin-password').value = '';
        if (a.status !== 200) { $('signin-error').textContent = t('failed', (a.body && a.body.message) || a.status); return; }
        me = { name: a.body.name, role: a.body.role };
        authState();
        if (me.role === 'admin') { clearError(); loadAll(); }
      }).catch(fail);
  }

  function table(id, head, rows) {
    var tb = $(id);
    tb.textContent = '';
    var thead = el('thead'), tr = el('tr');
    head.forEach(function (h) { var th = el('th', h); th.scope = 'col'; tr.appendChild(th); });
    thead.appendChild(tr);
    tb.appendChild(thead);
    var body = el('tbody');
    rows.forEach(function (row) {
      var r = el('tr');
      row.forEach(function (c, i) { r.appendChild(el(i === 0 ? 'th' : 'td', c)); if (i === 0) { r.firstChild.scope = 'row'; } });
      body.appendChild(r);
    });
    tb.appendChild(body);
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  /* Grouped bars (applications, issuances, cancellations) and a backlog line on its own scale. */
  function chart(months) {
    var W = 960, H = 360, L = 70, R = 70, T = 20, B = 50;
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': 'chart-title', id: 'chart-svg' });
    root.appendChild(svg('title', { id: 'chart-title' }, t('monthlyTitle')));
    var maxBar = 1, maxLine = 1;
    months.forEach(function (m) {
      maxBar = Math.max(maxBar, m.applications, m.issuances, m.cancellations);
      maxLine = Math.max(maxLine, Math.abs(m.backlog));
    });
    var plotW = W - L - R, plotH = H - T - B, group = plotW / Math.max(1, months.length), bw = group / 4;
    for (var g = 0; g <= 4; g++) {
      var y = T + plotH - plotH * g / 4;
      root.appendChild(svg('line', { x1: L, x2: W - R, y1: y, y2: y, stroke: '#ddd' }));
      root.appendChild(svg('text', { x: L - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#333' }, num(Math.round(maxBar * g / 4))));
      root.appendChild(svg('text', { x: W - R + 6, y: y + 4, 'font-size': 11, fill: '#333' }, num(Math.round(maxLine * g / 4))));
    }
    var colors = { applications: '#1f77b4', issuances: '#2ca02c', cancellations: '#d62728' };
    var points = [];
    months.forEach(function (m, i) {
      var x0 = L + i * group + bw / 2;
      ['applications', 'issuances', 'cancellations'].forEach(function (k, j) {
        var h = plotH * m[k] / maxBar;
        var rect = svg('rect', { x: x0 + j * bw, y: T + plotH - h, width: bw - 1, height: h, fill: colors[k], 'class': 'bar bar-' + k, 'data-month': m.month, 'data-value': m[k] });
        rect.appendChild(svg('title', {}, m.month + ' ' + t(k) + ': ' + num(m[k])));
        root.appendChild(rect);
      });
      root.appendChild(svg('text', { x: L + i * group + group / 2, y: H - B + 18, 'text-anchor': 'middle', 'font-size': 11, fill: '#333' }, m.month));
      points.push((L + i * group + group / 2) + ',' + (T + plotH - plotH * Math.max(0, m.backlog) / maxLine));
    });
    if (points.length) {
      root.appendChild(svg('polyline', { points: points.join(' '), fill: 'none', stroke: '#333', 'stroke-width': 2, 'class': 'backlog-line' }));
      points.forEach(function (p, i) {
        var xy = p.split(',');
        var c = svg('circle', { cx: xy[0], cy: xy[1], r: 3, fill: '#333', 'class': 'backlog-point', 'data-value': months[i].backlog });
        c.appendChild(svg('title', {}, months[i].month + ' ' + t('backlog') + ': ' + num(months[i].backlog)));
        root.appendChild(c);
      });
    }
    var box = $('chart');
    box.textContent = '';
    box.appendChild(root);
    var legend = $('legend');
    legend.textContent = '';
    ['applications', 'issuances', 'cancellations', 'backlog'].forEach(function (k) {
      var s = el('span'), i = el('i');
      i.className = k;
      s.appendChild(i);
      s.appendChild(document.createTextNode(t(k) + (k === 'backlog' ? ' (→)' : '')));
      legend.appendChild(s);
    });
  }

  function monthQuery() {
    var q = [];
    if ($('from').value) { q.push('from=' + $('from').value); }
    if ($('to').value) { q.push('to=' + $('to').value); }
    return q.length ? '?' + q.join('&') : '';
  }

  function loadMonthly() {
    clearError();
    return api('GET', '/api/v1/admin/reports/monthly' + monthQuery()).then(function (report) {
      lastMonthly = report;
      renderMonthly();
    }).catch(fail);
  }

  function renderMonthly() {
    var report = lastMonthly;
    if (!report) { return; }
    var chosen = $('site').value;
    var months = report.months;
    if (chosen) {
      report.sites.forEach(function (s) { if (s.siteId === chosen) { months = s.months; } });
    }
    chart(months);
    table('monthly-table', [t('month'), t('applications'), t('issuances'), t('cancellations'), t('noShows'), t('backlog')],
      months.map(function (m) { return [m.month, num(m.applications), num(m.issuances), num(m.cancellations), num(m.noShows), num(m.backlog)]; }));
    table('site-table', [t('site'), t('applications'), t('issuances'), t('cancellations'), t('noShows'), t('backlog')],
      report.sites.map(function (s) {
        return [siteName(s), num(s.totals.applications), num(s.totals.issuances), num(s.totals.cancellations), num(s.totals.noShows), num(s.totals.backlog)];
      }).concat([[t('total'), num(report.totals.applications), num(report.totals.issuances), num(report.totals.cancellations),
        num(report.totals.noShows), num(report.totals.backlog)]]));
  }

  function downloadCsv() {
    clearError();
    api('GET', '/api/v1/admin/reports/monthly.csv' + monthQuery(), null, 'csv-out').then(function (text) {
      var a = el('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      a.download = 'madoguchi-monthly.csv';
      document.body.appendChild(a);
      a.click();
      a.remove();
    }).catch(fail);
  }

  function loadReconciliation() {
    clearError();
    var date = $('recon-date').value;
    return api('GET', '/api/v1/admin/reports/reconciliation' + (date ? '?date=' + date : '')).then(function (r) {
      if (!r.sites.length) {
        table('recon-table', [t('site')], [[t('noCounts')]]);
        return;
      }
      var head = [t('site'), t('countedAt'), t('ready'), t('counted'), t('difference')].concat(REASONS.map(t)).concat([t('unknown'), t('notInSystem')]);
      var rows = r.sites.map(function (s) {
        return [siteName(s), s.countedAt, num(s.ready), num(s.counted), num(s.difference)]
          .concat(REASONS.map(function (k) { return num(s.explained[k]); })).concat([num(s.unknown), num(s.notInSystem)]);
      });
      rows.push([t('total'), '', num(r.totals.ready), num(r.totals.counted), num(r.totals.difference)]
        .concat(REASONS.map(function (k) { return num(r.totals.explained[k]); })).concat([num(r.totals.unknown), num(r.totals.notInSystem)]));
      table('recon-table', head, rows);
    }).catch(fail);
  }

  // the same count pressed again (after a timeout, say) goes with the same key and is stored once
  var countKey = null;

  function recordCount(ev) {
    ev.preventDefault();
    clearError();
    var body = { siteId: $('inv-site').value, countedAt: $('inv-date').value, counted: Number($('inv-counted').value) };
    var text = JSON.stringify(body);
    if (!countKey || countKey.body !== text) {
      countKey = { body: text, key: 'count-' + Date.now().toString(36) + '-' + Math.random().toString(36).substring(2, 10) };
    }
    api('POST', '/api/v1/admin/inventory', text, 'json', { 'Idempotency-Key': countKey.key }).then(function (r) {
      countKey = null;
      $('inventory-state').textContent = r.reconciled === false ? t('recordedLater', r.siteId)
        : t('recorded', siteName(r), num(r.difference));
      $('recon-date').value = body.countedAt;
      return loadReconciliation();
    }).catch(fail);
  }

  function loadForecast() {
    clearError();
    var a = $('applied-by').value, d = $('deadline').value;
    var q = a && d ? '?appliedBy=' + a + '&deadline=' + d : '';
    return api('GET', '/api/v1/admin/reports/forecast' + q).then(function (r) {
      var withDeadline = r.sites.length && r.sites[0].deadline;
      var head = [t('site'), t('waiting'), t('seatsPerDay'), t('bookingRate'), t('noShowRate'), t('issuedPerDay'), t('clearedOn')];
      if (withDeadline) { head = head.concat([t('deadlineWaiting'), t('feasible'), t('needed')]); }
      table('forecast-table', head, r.sites.map(function (s) {
        var row = [siteName(s), num(s.waiting), num(s.seatsPerDay), Math.round(s.bookingRate * 100) + '%', Math.round(s.noShowRate * 100) + '%',
          num(s.issuedPerDay), s.clearedOn || t('never')];
        if (s.deadline) { row = row.concat([num(s.deadline.waiting), s.deadline.feasible ? t('yes') : t('no'), num(s.deadline.seatsPerDayNeeded)]); }
        return row;
      }));
    }).catch(fail);
  }

  // the deadline question from the pace the office actually issues, as of any day, with the what-if
  function whatIfQuery(q) {
    var cs = $('whatif-counter-site').value, cn = $('whatif-counters').value;
    if (cs && cn) { q.push('extraCounters=' + encodeURIComponent(cs + ':' + cn)); }
    var ss = $('whatif-sat-site').value, sn = $('whatif-saturdays').value, sh = $('whatif-sat-hours').value, sc = $('whatif-sat-counters').value;
    if (ss && sn && sh && sc) { q.push('saturdays=' + encodeURIComponent(ss + ':' + sn + ':' + sh + ':' + sc)); }
    var wt = $('whatif-walkin-tickets').value, wd = $('whatif-walkin-days').value;
    if (wt || wd) { q.push('walkInTicketsPerDay=' + encodeURIComponent(wt) + '&walkInDaysPerWeek=' + encodeURIComponent(wd)); }
  }

  // the outlook asked last is the one shown: an earlier answer arriving late (the page's first load
  // racing the form) must not overwrite it
  var outlookAsked = 0;

  function loadOutlook() {
    clearError();
    var mine = ++outlookAsked;
    var q = [];
    [['asOf', 'outlook-asof'], ['appliedBy', 'outlook-applied'], ['deadline', 'outlook-deadline'], ['extraPerDay', 'outlook-extra']]
      .forEach(function (p) { if ($(p[1]).value) { q.push(p[0] + '=' + encodeURIComponent($(p[1]).value)); } });
    whatIfQuery(q);
    return api('GET', '/api/v1/admin/reports/outlook' + (q.length ? '?' + q.join('&') : '')).then(function (r) {
      if (mine !== outlookAsked) {
        return;
      }
      function row(name, o) {
        return [name, num(o.waiting), num(o.waitingAppliedBy), String(o.issuedPerDay), o.appliedByIssuedOn || t('never'),
          o.neededPerDay === null ? '—' : num(o.neededPerDay), num(o.extraNeededPerDay), num(o.bookedAhead), num(o.freeSeatsAhead),
          o.counter ? String(o.counter.perDay) : (o.counter === null ? '—' : ''), o.countersNeeded === null ? '—' : num(o.countersNeeded)];
      }
      var rows = r.sites.map(function (o) { return row(siteName(o), o); });
      rows.push(row(t('cityTotal'), r.city));
      table('outlook-table', [t('site'), t('waiting'), t('waitingAppliedBy'), t('issuedPerDayObserved'), t('issuedOn'), t('neededPerDay'),
        t('extraNeeded'), t('bookedAhead'), t('freeAhead'), t('perCounterDay'), t('countersNeeded')], rows);
      var c = r.city;
      var withDeadline = r.appliedBy && r.deadline;
      $('outlook-answer').textContent = withDeadline ? t('outlookAnswer', r.appliedBy, num(c.waitingAppliedBy), String(c.issuedPerDay),
        c.appliedByIssuedOn || t('never'), r.deadline, c.feasible ? t('met') : t('missed'), num(c.neededPerDay), num(c.extraNeededPerDay)) : '';
      var counters = '';
      if (withDeadline && c.countersNeeded !== null) {
        var at = r.sites.filter(function (o) { return o.countersNeeded > 0; })
          .map(function (o) { return t('countersAt', siteName(o), num(o.countersNeeded)); });
        counters = c.countersNeeded > 0 ? t('countersAnswer', num(c.countersNeeded), at.join(lang === 'ja' ? '、' : ', '))
          : c.countersUnknown.length ? t('countersNoneCounted') : t('countersNone');
        if (c.countersUnknown.length) {
          var names = c.countersUnknown.map(function (id) {
            return siteName(r.sites.filter(function (o) { return o.siteId === id; })[0] || { siteId: id });
          });
          counters += ' ' + t('countersUnknown', names.join(lang === 'ja' ? '、' : ', '));
        }
      }
      $('outlook-counters').textContent = counters;
      var parts = r.whatIf.conversions.map(function (x) {
        var s = x.siteId ? siteName(r.sites.filter(function (o) { return o.siteId === x.siteId; })[0] || { siteId: x.siteId }) : '';
        return t('kind_' + x.kind, s, String(x.perDay));
      });
      $('outlook-whatif').textContent = parts.length ? t('whatIfAnswer', String(r.whatIf.perDay), parts.join(lang === 'ja' ? '、' : ', ')) : '';
    }).catch(fail);
  }

  // cards handed over per site and day, and how many per counter-hour
  function loadCounters() {
    clearError();
    var f = $('counters-from').value, to = $('counters-to').value;
    var q = f && to ? '?from=' + f + '&to=' + to : '';
    return api('GET', '/api/v1/admin/reports/counters' + q).then(function (r) {
      var rows = r.days.map(function (d) {
        return [d.date, siteName(d), num(d.issued), num(d.counterHours), d.issuedPerCounterHour === null ? '–' : String(d.issuedPerCounterHour)];
      });
      rows.push([t('total'), '', num(r.totals.issued), num(r.totals.counterHours),
        r.totals.issuedPerCounterHour === null ? '–' : String(r.totals.issuedPerCounterHour)]);
      table('counters-table', [t('day'), t('site'), t('issuedCount'), t('counterHours'), t('perCounterHour')], rows);
    }).catch(fail);
  }

  /* The phone line's load for staffing: per day, the total, and calls per hour of the day. */
  function loadCalls() {
    clearError();
    var f = $('calls-from').value, to = $('calls-to').value;
    var q = f && to ? '?from=' + f + '&to=' + to : '';
    return api('GET', '/api/v1/admin/reports/calls' + q).then(function (r) {
      function secs(v) { return v === null || v === undefined ? '–' : String(Math.round(v)); }
      function outcomes(o) { return Object.keys(o).map(function (k) { return k + ' ' + o[k]; }).join(', '); }
      function row(label, d) {
        return [label, num(d.calls), outcomes(d.outcomes), num(d.queued), num(d.bridged), num(d.abandonedInQueue),
          secs(d.queueSecondsP50), secs(d.queueSecondsP90), num(d.callbacksAsked), num(d.callbacksDone)];
      }
      var rows = r.days.map(function (d) { return row(d.date, d); });
      rows.push(row(t('total'), r.total));
      table('calls-table', [t('day'), t('calls'), t('outcomes'), t('queued'), t('bridged'), t('abandoned'), t('queueP50'),
        t('queueP90'), t('callbacksAsked'), t('callbacksDone')], rows);
      table('calls-hours', [t('hour'), t('calls')], r.callsPerHour.map(function (n, h) { return [String(h), num(n)]; }));
    }).catch(fail);
  }

  /* While the upload runs, asks the server every second how far it got with it (the import of this
   * signed-in administrator: "mine"), and shows it as a bar and the rows read. A file of a million
   * rows takes minutes; the answer itself only comes at the end. */
  function watchProgress() {
    var box = $('import-progress-box'), bar = $('import-progress'), rows = $('import-rows');
    var stopped = false, timer = null;
    bar.removeAttribute('value'); // indeterminate until the server has the upload
    bar.setAttribute('aria-label', t('importing'));
    rows.textContent = '';
    box.hidden = false;
    function poll() {
      api('GET', '/api/v1/admin/cards/import/progress').then(function (p) {
        var mine = p.imports.filter(function (i) { return i.mine; })[0];
        if (stopped || !mine) { return; }
        if (mine.percent === null) { bar.removeAttribute('value'); } else { bar.value = mine.percent; }
        rows.textContent = t('rowsRead', num(mine.rowsRead)) + (mine.percent === null ? '' : ' (' + mine.percent + '%)');
      }).catch(function () {
        // a missed reading is not the import's failure: its own answer tells that
      }).then(function () {
        if (!stopped) { timer = setTimeout(poll, 1000); }
      });
    }
    poll();
    return function stop() { stopped = true; clearTimeout(timer); box.hidden = true; };
  }

  function importFile(ev, dryRun) {
    ev.preventDefault();
    clearError();
    var file = $('import-file').files[0];
    var out = $('import-result');
    if (!file) { out.textContent = t('chooseFile'); return; }
    out.textContent = t('importing');
    var started = Date.now();
    var path = '/api/v1/admin/cards/import' + (dryRun ? '?dryRun=true' : '');
    var stopWatching = watchProgress();
    file.text().then(function (text) { return api('POST', path, text, 'csv'); }).then(function (r) {
      stopWatching();
      out.textContent = '';
      if (r.dryRun) { out.appendChild(el('p', t('dryRunDone'))); }
      out.appendChild(el('p', t('imported', num(r.imported), num(r.updated), num(r.rejected.length), ((Date.now() - started) / 1000).toFixed(1))));
      out.appendChild(el('p', t('phones', num(r.phones.kept), num(r.phones.set), num(r.phones.cleared))));
      out.appendChild(el('p', t('byState', Object.keys(r.byState).map(function (k) { return k + ' ' + num(r.byState[k]); }).join(', ') || '—')));
      var list = el('ul');
      r.rejected.slice(0, 50).forEach(function (x) { list.appendChild(el('li', t('line', x.line, x.error))); });
      out.appendChild(list);
      if (r.rejected.length) {
        // every bad line, not only the 50 shown, for the office to correct the file
        var csv = 'line,error\r\n' + r.rejected.map(function (x) { return x.line + ',"' + x.error.replace(/"/g, '""') + '"'; }).join('\r\n');
        var link = el('a', t('rejectedCsv'));
        link.href = URL.createObjectURL(new Blob(['\uFEFF' + csv], { type: 'text/csv' }));
        link.download = 'rejected-lines.csv';
        out.appendChild(link);
      }
      return r.dryRun ? null : Promise.all([loadMonthly(), loadForecast()]);
    }).catch(function (e) { stopWatching(); out.textContent = ''; fail(e); });
  }

  function fillSites() {
    return fetch('/api/v1/sites', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (list) {
      sites = list;
      var a = $('site'), b = $('inv-site');
      var picks = [a, $('whatif-counter-site'), $('whatif-sat-site')];
      var kept = picks.map(function (x) { return x.value; });
      picks.forEach(function (x) { while (x.options.length > 1) { x.remove(1); } });
      b.textContent = '';
      list.forEach(function (s) {
        picks.forEach(function (x) { var o = el('option', s.name[lang]); o.value = s.id; x.appendChild(o); });
        var p = el('option', s.name[lang]); p.value = s.id; b.appendChild(p);
      });
      picks.forEach(function (x, i) { x.value = kept[i]; });
    });
  }

  function loadAll() {
    return Promise.all([loadMonthly(), loadReconciliation(), loadForecast(), loadOutlook(), loadCounters(), loadCalls()]);
  }

  document.addEventListener('DOMContentLoaded', function () {
    applyTexts();
    var today = new Date(Date.now() + 9 * 3600 * 1000).toISOString().substring(0, 10);
    $('inv-date').value = today;
    $('recon-date').value = today;
    $('lang').addEventListener('click', function () {
      lang = lang === 'ja' ? 'en' : 'ja';
      // the staff pages' choice: the same cookie, and ?lang= kept for a reload
      document.cookie = 'lang=' + lang + '; path=/; SameSite=Strict; max-age=31536000';
      var url = new URL(location.href);
      url.searchParams.set('lang', lang);
      history.replaceState(history.state, '', url.toString());
      applyTexts();
      fillSites().then(loadAll);
    });
    $('auth-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var v = $('token').value.trim();
      if (v) { sessionStorage.setItem(TOKEN_KEY, v); }
      $('token').value = '';
      authState();
      loadAll();
    });
    $('forget').addEventListener('click', function () { sessionStorage.removeItem(TOKEN_KEY); authState(); });
    $('import-form').addEventListener('submit', function (ev) { importFile(ev, false); });
    $('import-dry').addEventListener('click', function (ev) { importFile(ev, true); });
    $('monthly-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadMonthly(); });
    $('site').addEventListener('change', renderMonthly);
    $('csv').addEventListener('click', downloadCsv);
    $('inventory-form').addEventListener('submit', recordCount);
    $('recon-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadReconciliation(); });
    $('forecast-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadForecast(); });
    $('counters-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadCounters(); });
    $('calls-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadCalls(); });
    $('outlook-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadOutlook(); });
    $('signin-form').addEventListener('submit', signIn);
    Promise.all([fillSites(), whoIsSignedIn()]).then(function (r) {
      var who = r[1];
      if (sessionStorage.getItem(TOKEN_KEY) || (who && who.role === 'admin')) { loadAll(); }
    }).catch(fail);
  });
})();
