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
  S.monthNotOpen = false;
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
    S.monthNotOpen = false;
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
  if (S.focusSlots) {
    // came here from "days with free seats": straight to that day's times
    S.focusSlots = false;
    if (!$('slots').hidden) {
      $('slots-heading').focus({ preventScroll: true });
      $('slots').scrollIntoView({ block: 'start' });
    } else {
      $('calendar-heading').focus();
    }
  }
}

/**
 * How free a day (or a slot) is, as a mark: ◎ when at least half its seats are free, ○ when at
 * least a fifth, △ when fewer ("few left"), × when none. Shares, not counts: 3 free seats are
 * plenty at a one-counter branch and almost nothing at the center. The count is told to screen
 * readers. Documented in docs/residents.md.
 */
export const PLENTY_SHARE = 0.5;
export const SOME_SHARE = 0.2;

export function availabilityOf(free, seats) {
  if (free <= 0) {
    return 'full';
  }
  const share = seats > 0 ? free / seats : 1;
  return share >= PLENTY_SHARE ? 'plenty' : share >= SOME_SHARE ? 'some' : 'few';
}

export function seatsOf(list) {
  // an older service does not say a slot's seats: its free seats are the best guess
  return (list || []).reduce((n, s) => n + Math.max(0, s.seats !== undefined ? s.seats : s.remaining), 0);
}

/** The last day residents may book at the card's site (its booking horizon from today). */
export function lastBookableDay() {
  const site = S.card && siteOf(S.card.siteId);
  const days = site && Number.isInteger(site.horizonDays) ? site.horizonDays : 56;
  return addDays(dayKey(todayTokyo()), days);
}

export function firstBookableDay() {
  return addDays(dayKey(todayTokyo()), 1);
}

/** Where a day stands: past (today and before), later (beyond the horizon), closed (no counters), full, or its mark. */
export function dayState(key, list) {
  if (key < firstBookableDay()) {
    return 'past';
  }
  if (key > lastBookableDay()) {
    return 'later';
  }
  if (!list || !list.length) {
    return 'closed';
  }
  return availabilityOf(freeOf(list), seatsOf(list));
}

/** The words of a date around its day number ("12月" 3 "日(木)", "Thu, Dec " 3 ""), so the number can stand out. */
function dateAround(key) {
  const p = partsOfDay(key);
  const marker = '\u0000';
  const parts = t('date', {
    year: p.year, month: p.month, day: marker, weekday: t('weekdays')[p.weekday], monthShort: TEXTS.en.months[p.month - 1]
  }).split(marker);
  return { before: parts[0], day: String(p.day), after: parts[1] || '' };
}

/**
 * One day of the calendar. Its name comes from its content (no aria-label): the full date and the
 * availability in words, hidden visually in the grid, shown when the calendar is a list (narrow
 * screens, large text). The mark itself is hidden from screen readers, which get the words.
 */
function dayContent(key, state, free) {
  const d = dateAround(key);
  const parts = [el('span', { class: 'dm', text: d.before }), el('span', { class: 'dnum', text: d.day }),
    el('span', { class: 'dw', text: d.after })];
  if (state !== 'past') {
    parts.push(el('span', { class: 'mark', 'aria-hidden': 'true', text: t('mark.' + state) }));
  }
  parts.push(el('span', { class: 'dword', text: t('avail.' + state) }));
  if (free > 0) {
    parts.push(el('span', { class: 'sr', text: t('cal.seats', { n: free }) }));
  }
  return parts;
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
  let anyOpen = false;
  for (let d = 1; d <= length; d++) {
    const key = S.month.year + '-' + pad(S.month.month) + '-' + pad(d);
    const list = days[key];
    const free = freeOf(list);
    const state = dayState(key, list);
    const cell = el('td', { class: state });
    if (state !== 'past' && state !== 'later') {
      anyOpen = true;
    }
    if (free > 0) {
      anyFree = true;
      const b = el('button', {
        type: 'button', class: 'day ' + state, 'data-day': key, 'aria-pressed': S.day === key ? 'true' : 'false'
      }, dayContent(key, state, free));
      b.addEventListener('click', () => chooseDay(key));
      cell.appendChild(b);
    } else {
      cell.appendChild(el('span', { class: 'day ' + state, 'data-day': key }, dayContent(key, state, 0)));
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
  S.monthNotOpen = !anyOpen && monthKey(S.month) > lastBookableDay().substring(0, 7);
  if (S.monthNotOpen) {
    cal.appendChild(el('p', { class: 'none', id: 'cal-not-open', text: t('cal.notOpen', { date: fmtDate(partsOfDay(lastBookableDay())) }) }));
  } else if (!anyFree) {
    cal.appendChild(el('p', { class: 'none', text: t('cal.none') }));
  }
  cal.appendChild(legend());
}

/** What the marks and greyed days mean. */
function legend() {
  const items = ['plenty', 'some', 'few', 'full', 'closed', 'past', 'later'].map((state) => el('li', { class: state }, [
    el('span', { class: 'mark', 'aria-hidden': 'true', text: state === 'past' ? '1' : t('mark.' + state) }),
    el('span', { text: t('legend.' + state) })]));
  return el('div', { class: 'legend' }, [el('p', { class: 'legend-title', text: t('legend.title') }), el('ul', {}, items)]);
}

export function chooseDay(key) {
  S.day = key;
  document.querySelectorAll('#calendar .day[aria-pressed]').forEach((b) => {
    b.setAttribute('aria-pressed', b.dataset.day === key ? 'true' : 'false');
  });
  renderSlots();
  // the times, not just their heading, come into view: the heading goes to the top of the screen
  $('slots-heading').focus({ preventScroll: true });
  $('slots').scrollIntoView({ block: 'start' });
}
