// 2b. The times of the chosen day.
import { newKey } from './api.js';
import { byDay } from './calendar.js';
import { setText, t } from './i18n.js';
import { show } from './page.js';
import { $, S, el } from './state.js';
import { fmtDate, fmtTime, monthKey, partsOfDay, tokyo } from './time.js';
import { renderWaitlist } from './waitlist.js';

export function renderSlots() {
  const box = $('slots');
  const list = S.day ? byDay(S.months[monthKey(S.month)] || [])[S.day] : null;
  if (!list) {
    box.hidden = true;
    S.noneFree = S.monthFree === false;
    renderWaitlist();
    return;
  }
  box.hidden = false;
  setText($('slots-heading'), 'slots.heading', { date: fmtDate(partsOfDay(S.day)) });
  const ul = $('slot-list');
  ul.textContent = '';
  let any = false;
  list.forEach((s) => {
    const when = fmtTime(tokyo(s.start)) + (S.lang === 'ja' ? '〜' : ' – ') + fmtTime(tokyo(s.end));
    const mine = S.mode === 'move' && S.booking && S.booking.slotId === s.slotId;
    if (s.remaining > 0 && !mine) {
      any = true;
      const b = el('button', { type: 'button', class: 'slot', 'data-slot-id': String(s.slotId) }, [
        el('span', { class: 'when', text: when }), el('span', { class: 'left', text: t('slots.left', { n: s.remaining }) })]);
      b.addEventListener('click', () => chooseSlot(s));
      ul.appendChild(el('li', {}, [b]));
    } else {
      ul.appendChild(el('li', { class: 'slot full' }, [el('span', { class: 'when', text: when }),
        el('span', { class: 'left', text: mine ? t('status.active') : t('cal.full') })]));
    }
  });
  if (!any) {
    ul.appendChild(el('li', { class: 'none', text: t('slots.none') }));
  }
  S.noneFree = !any || S.monthFree === false;
  renderWaitlist();
}

export function chooseSlot(slot) {
  S.slot = slot;
  S.taken = null;
  S.attempt = { slotId: slot.slotId, key: newKey() };
  show('confirm');
}
