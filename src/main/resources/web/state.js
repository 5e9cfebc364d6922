// The resident page's shared state: what the resident has chosen so far, and two DOM helpers.

export const S = {
  lang: document.documentElement.lang === 'en' ? 'en' : 'ja',
  view: null,
  token: null,
  card: null,          // {siteId, site, cardState}
  sites: {},           // id -> site, from GET /api/v1/sites
  mode: 'book',        // or 'move' (reschedule)
  booking: null,       // the booking being looked at or moved
  month: null,         // {year, month}
  months: {},          // 'YYYY-MM' -> slots of that month (from the API)
  autoAdvance: 0,
  day: null,           // 'YYYY-MM-DD'
  slot: null,          // the chosen slot {slotId, start, end, remaining}
  attempt: null,       // {slotId, key}: one Idempotency-Key per booking attempt
  sending: false,
  taken: null,         // {slot, next: [...]} after a 409 slot_full
  done: null,          // {moved: boolean}
  cancelled: false,
  busy: null,          // {left} while waiting out a 503
  wait: null,          // the card's waitlist entry (GET /api/v1/waitlist), or null
  waitLoaded: false,
  waitTimer: null,
  waitContext: null,   // what the waitlist dates were filled in for
  waitLeft: false,     // just left the waitlist: say so
  offerGone: false,    // 'expired' or 'gone': the offer ended before it was taken
  monthFree: null,     // whether the month shown has a free seat
  monthNotOpen: false, // the month shown is beyond the booking horizon
  earlier: null,       // {code, slots}: free seats before the booking looked at (the booking view)
  focusSlots: false    // the calendar was opened for one day: focus its times once drawn
};

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === null || v === undefined || v === false) {
      return;
    }
    if (k === 'text') {
      e.textContent = v;
    } else if (k === 'class') {
      e.className = v;
    } else {
      e.setAttribute(k, v === true ? '' : v);
    }
  });
  (children || []).forEach((c) => e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c));
  return e;
}

