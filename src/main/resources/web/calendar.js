// 2. The calendar of the card's site: a month of days with their free seats.
import { api } from './api.js';
import { setText, t } from './i18n.js';
import { failed, show, siteAddress, siteName, siteOf } from './page.js';
import { renderSlots } from './slots.js';
import { $, S, el } from './state.js';
import { TEXTS } from './texts.js';
import { addDays, dayKey, fmtDate, fmtWhen, monthKey, pad, partsOfDay, shiftMonth, todayTokyo, tokyo } from './time.js';

export const MONTHS_AHEAD = 3;

// ---------------------------------------------------------------- 2. calendar

export function startCalendar(mode) {
  S.mode = mode;
  S.day = null;
  S.taken = null;
  S.monthFree = null;
  S.noneFree = false;
  const tomorrow = partsOfDay(addDays(dayKey(todayTokyo()), 1));
  S.month = { year: tomorrow.year, month: tomorrow.month };
  S.autoAdvance = MONTHS_AHEAD - 1;
  show('calendar');
}

export function firstBookableMonth() {
  const p = partsOfDay(addDays(dayKey(todayTokyo()), 1));
  return { year: p.year, month: p.month };
}

export async function availability(from, to) {
  const site = S.card.siteId;
  return api('GET', '/api/v1/sites/' + encodeURIComponent(site) + '/availability?channel=web&from=' + from + '&to=' + to,
    { auth: false });
}

export async function loadMonth(m) {
  const key = monthKey(m);
  if (S.months[key]) {
    return S.months[key];
  }
  const today = dayKey(todayTokyo());
  const first = m.year + '-' + pad(m.month) + '-01';
  const last = addDays(monthKey(shiftMonth(m, 1)) + '-01', -1);
  const slots = await availability(first < today ? today : first, last);
  S.months[key] = slots;
  return slots;
}

export function byDay(slots) {
  const days = {};
  slots.forEach((s) => {
    const k = dayKey(tokyo(s.start));
    (days[k] = days[k] || []).push(s);
  });
  return days;
}

export function freeOf(list) {
  return (list || []).reduce((n, s) => n + Math.max(0, s.remaining), 0);
}

export async function renderCalendarView() {
  setText($('calendar-heading'), S.mode === 'move' ? 'cal.headingMove' : 'cal.heading');
  const site = siteOf(S.card.siteId);
  const box = $('calendar-site');
  box.textContent = '';
  box.appendChild(el('p', { class: 'site-label', text: t('site.label') }));
  box.appendChild(el('p', { class: 'site-name', text: siteName(site) }));
  const address = siteAddress(site);
  if (address) {
    box.appendChild(el('p', { class: 'site-address', text: address }));
  }
  const moving = $('calendar-moving');
  if (S.mode === 'move' && S.booking) {
    setText(moving, 'cal.moving', { when: fmtWhen(S.booking.start, S.booking.end) });
    moving.hidden = false;
  } else {
    moving.hidden = true;
  }
  $('month-name').textContent = t('cal.month', {
    year: S.month.year, month: S.month.month, monthName: TEXTS.en.monthsLong[S.month.month - 1]
  });
  const first = firstBookableMonth();
  const prevDisabled = monthKey(S.month) <= monthKey(first);
  const nextDisabled = monthKey(S.month) >= monthKey(shiftMonth(first, MONTHS_AHEAD - 1));
  $('month-prev').disabled = prevDisabled;
  $('month-next').disabled = nextDisabled;

  const cal = $('calendar');
  const wanted = monthKey(S.month);
  if (!S.months[wanted]) {
    S.monthFree = null;
    S.noneFree = false;
    cal.textContent = '';
    cal.appendChild(el('p', { class: 'loading', text: t('cal.loading') }));
    $('slots').hidden = true;
    try {
      await loadMonth(S.month);
    } catch (e) {
      failed(e);
      return;
    }
    if (S.view !== 'calendar' || monthKey(S.month) !== wanted) {
      return; // the resident moved on meanwhile
    }
    const days = byDay(S.months[wanted]);
    const anyFree = Object.values(days).some((list) => freeOf(list) > 0);
    if (!anyFree && S.autoAdvance > 0 && !nextDisabled) {
      S.autoAdvance -= 1;
      S.month = shiftMonth(S.month, 1);
      renderCalendarView();
      return;
    }
    S.autoAdvance = 0;
  }
  drawMonth();
  renderSlots();
}

export function drawMonth() {
  const cal = $('calendar');
  cal.textContent = '';
  const days = byDay(S.months[monthKey(S.month)] || []);
  const table = el('table', { class: 'month', 'aria-labelledby': 'month-name' });
  const head = el('tr');
  const longNames = S.lang === 'ja' ? ['日曜日', '月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'] : TEXTS.en.weekdaysLong;
  t('weekdays').forEach((w, i) => {
    head.appendChild(el('th', { scope: 'col', abbr: longNames[i] }, [
      el('span', { 'aria-hidden': 'true', text: w }), el('span', { class: 'sr', text: longNames[i] })]));
  });
  table.appendChild(el('thead', {}, [head]));
  const body = el('tbody');
  const firstWeekday = new Date(Date.UTC(S.month.year, S.month.month - 1, 1)).getUTCDay();
  const length = new Date(Date.UTC(S.month.year, S.month.month, 0)).getUTCDate();
  let row = el('tr');
  for (let i = 0; i < firstWeekday; i++) {
    row.appendChild(el('td', { class: 'blank' }));
  }
  let anyFree = false;
  for (let d = 1; d <= length; d++) {
    const key = S.month.year + '-' + pad(S.month.month) + '-' + pad(d);
    const list = days[key];
    const free = freeOf(list);
    const cell = el('td');
    const date = fmtDate(partsOfDay(key));
    if (free > 0) {
      anyFree = true;
      const b = el('button', {
        type: 'button', class: 'day', 'data-day': key, 'aria-pressed': S.day === key ? 'true' : 'false',
        'aria-label': t('cal.day', { date: date, n: free })
      }, [el('span', { class: 'dnum', text: String(d) }), el('span', { class: 'dfree', text: t('cal.free', { n: free }) })]);
      b.addEventListener('click', () => chooseDay(key));
      cell.appendChild(b);
    } else if (list && list.length) {
      cell.appendChild(el('span', { class: 'day full', 'aria-label': t('cal.dayFull', { date: date }) }, [
        el('span', { class: 'dnum', 'aria-hidden': 'true', text: String(d) }),
        el('span', { class: 'dfree', 'aria-hidden': 'true', text: t('cal.full') })]));
    } else {
      cell.appendChild(el('span', { class: 'day off' }, [el('span', { class: 'dnum', text: String(d) })]));
    }
    row.appendChild(cell);
    if ((firstWeekday + d) % 7 === 0) {
      body.appendChild(row);
      row = el('tr');
    }
  }
  if (row.children.length) {
    while (row.children.length < 7) {
      row.appendChild(el('td', { class: 'blank' }));
    }
    body.appendChild(row);
  }
  table.appendChild(body);
  cal.appendChild(table);
  S.monthFree = anyFree;
  if (!anyFree) {
    cal.appendChild(el('p', { class: 'none', text: t('cal.none') }));
  }
}

export function chooseDay(key) {
  S.day = key;
  document.querySelectorAll('#calendar .day[aria-pressed]').forEach((b) => {
    b.setAttribute('aria-pressed', b.dataset.day === key ? 'true' : 'false');
  });
  renderSlots();
  $('slots-heading').focus();
}
