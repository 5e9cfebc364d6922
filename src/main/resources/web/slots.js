// 2b. The times of the chosen day.
import { newKey } from './api.js';
import { availabilityOf, byDay } from './calendar.js';
import { setText, t } from './i18n.js';
import { show } from './page.js';
import { $, S, el } from './state.js';
import { fmtDate, fmtTime, monthKey, partsOfDay, tokyo } from './time.js';
import { renderWaitlist } from './waitlist.js';

/** Morning before 12:00, afternoon before 17:00, evening after: the groups the times are shown in. */
export function partOfDay(slot) {
  const h = tokyo(slot.start).hour;
  return h < 12 ? 'morning' : h < 17 ? 'afternoon' : 'evening';
}

/**
 * The chosen day's times as a compact grid per part of the day. A time shows its start and its
 * mark; its name (from its content) adds the end and the seats left. Full times stay in the grid,
 * small and greyed, so the shape of the day is kept without rows of "full".
 */
export function renderSlots() {
  const box = $('slots');
  const list = S.day ? byDay(S.months[monthKey(S.month)] || [])[S.day] : null;
  if (!list) {
    box.hidden = true;
    renderWaitlist();
    return;
  }
  box.hidden = false;
  setText($('slots-heading'), 'slots.heading', { date: fmtDate(partsOfDay(S.day)) });
  const holder = $('slot-list');
  holder.textContent = '';
  let any = false;
  const groups = {};
  list.forEach((s) => {
    const part = partOfDay(s);
    if (!groups[part]) {
      const ul = el('ul', { class: 'slot-grid', 'aria-labelledby': 'slots-' + part });
      groups[part] = ul;
    }
    const ul = groups[part];
    const mine = S.mode === 'move' && S.booking && S.booking.slotId === s.slotId;
    const state = mine ? 'mine' : availabilityOf(s.remaining, s.seats !== undefined ? s.seats : s.remaining);
    const parts = [el('span', { class: 'when', text: fmtTime(tokyo(s.start)) }),
      el('span', { class: 'sr', text: (S.lang === 'ja' ? '〜' : ' – ') + fmtTime(tokyo(s.end)) }),
      el('span', { class: 'mark', 'aria-hidden': 'true', text: mine ? '' : t('mark.' + state) })];
    if (mine) {
      parts.push(el('span', { class: 'dword', text: t('status.active') }));
    } else {
      parts.push(el('span', { class: 'sr', text: t('avail.' + state) + (s.remaining > 0 ? t('slots.seats', { n: s.remaining }) : '') }));
    }
    if (s.remaining > 0 && !mine) {
      any = true;
      const b = el('button', { type: 'button', class: 'slot ' + state, 'data-slot-id': String(s.slotId) }, parts);
      b.addEventListener('click', () => chooseSlot(s));
      ul.appendChild(el('li', {}, [b]));
    } else {
      ul.appendChild(el('li', {}, [el('span', { class: 'slot ' + state }, parts)]));
    }
  });
  ['morning', 'afternoon', 'evening'].forEach((part) => {
    if (groups[part]) {
      holder.appendChild(el('div', { class: 'slot-group' }, [el('h4', { id: 'slots-' + part, text: t('slots.' + part) }), groups[part]]));
    }
  });
  if (!any) {
    holder.appendChild(el('p', { class: 'none', text: t('slots.none') }));
  }
  renderWaitlist();
}

export function chooseSlot(slot) {
  S.slot = slot;
  S.taken = null;
  S.attempt = { slotId: slot.slotId, key: newKey() };
  show('confirm');
}
