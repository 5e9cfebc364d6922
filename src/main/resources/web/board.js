// The call-up board: shows the numbers being called and at which counter, in Japanese and
// English, updated by server-sent events (the browser reconnects by itself when the line drops).
(function () {
  'use strict';
  var site = decodeURIComponent(location.pathname.split('/')[2] || '');
  var shown = {};

  function two(n) { return (n < 10 ? '0' : '') + n; }

  function tick() {
    var d = new Date();
    document.getElementById('clock').textContent = two(d.getHours()) + ':' + two(d.getMinutes());
  }

  function render(board) {
    document.getElementById('site-ja').textContent = board.name.ja;
    document.getElementById('site-en').textContent = board.name.en;
    document.getElementById('waiting').textContent = board.waiting;
    document.getElementById('wait').textContent = board.expectedWaitMinutes;
    var list = document.getElementById('called');
    list.textContent = '';
    var now = {};
    board.called.forEach(function (t) {
      var key = t.number + ':' + t.calls;
      now[key] = true;
      var li = document.createElement('li');
      li.setAttribute('data-number', t.number);
      if (!shown[key]) { li.className = 'fresh'; }
      var number = document.createElement('span');
      number.className = 'number';
      number.textContent = t.number;
      var counter = document.createElement('span');
      counter.className = 'counter';
      counter.textContent = t.counter + '番窓口へ / Counter ' + t.counter;
      li.appendChild(number);
      li.appendChild(counter);
      list.appendChild(li);
    });
    shown = now;
    document.getElementById('none').hidden = board.called.length > 0;
    document.body.setAttribute('data-updated', String(Date.now()));
  }

  function listen() {
    var events = new EventSource('/api/v1/sites/' + encodeURIComponent(site) + '/board/events');
    events.addEventListener('board', function (e) {
      document.getElementById('offline').hidden = true;
      render(JSON.parse(e.data));
    });
    events.onerror = function () { document.getElementById('offline').hidden = false; };
  }

  document.addEventListener('DOMContentLoaded', function () {
    tick();
    setInterval(tick, 10000);
    listen();
  });
})();
