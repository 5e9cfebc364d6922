// Dates and times of the resident page, always in Asia/Tokyo whatever the device's zone.
import { t } from './i18n.js';
import { TEXTS } from './texts.js';

export const TOKYO_OFFSET_MS = 9 * 3600 * 1000; // Asia/Tokyo has no daylight saving time

// ---------------------------------------------------------------- times (always Asia/Tokyo)

export function tokyo(iso) {
  const d = new Date(new Date(iso).getTime() + TOKYO_OFFSET_MS);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes()
  };
}

export function todayTokyo() {
  return tokyo(new Date().toISOString());
}

export const pad = (n) => String(n).padStart(2, '0');
export const dayKey = (p) => p.year + '-' + pad(p.month) + '-' + pad(p.day);

export function partsOfDay(key) {
  const [y, m, d] = key.split('-').map(Number);
  return { year: y, month: m, day: d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

export function fmtDate(p) {
  return t('date', {
    year: p.year, month: p.month, day: p.day, weekday: t('weekdays')[p.weekday],
    monthShort: (TEXTS.en.months)[p.month - 1]
  });
}

export function fmtTime(p) {
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return t('time', { hour24: pad(p.hour), hour12: h12, minute: pad(p.minute), ampm: p.hour < 12 ? 'AM' : 'PM' });
}

export function fmtWhen(startIso, endIso) {
  const s = tokyo(startIso);
  if (!endIso) {
    return t('datetime', { date: fmtDate(s), time: fmtTime(s) });
  }
  return t('range', { date: fmtDate(s), start: fmtTime(s), end: fmtTime(tokyo(endIso)) });
}

export function addDays(key, n) {
  const p = partsOfDay(key);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + n));
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
}

export function monthKey(m) {
  return m.year + '-' + pad(m.month);
}

export function shiftMonth(m, n) {
  const d = new Date(Date.UTC(m.year, m.month - 1 + n, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

// ---------------------------------------------------------------- Japanese eras (和暦) for birth dates

/**
 * The eras a living resident may be born in, with their first day: Taishō 1 is 1912, Shōwa 1 is
 * 1926, and so on (year n of an era is its first year + n - 1). A date belongs to an era from its
 * first day to the day before the next era's: 昭和64年1月8日 does not exist (it is 平成元年1月8日).
 */
export const ERAS = [
  { id: 'taisho', start: '1912-07-30' },
  { id: 'showa', start: '1926-12-25' },
  { id: 'heisei', start: '1989-01-08' },
  { id: 'reiwa', start: '2019-05-01' }
];

/**
 * The Western year of year {@code n} of an era, or null when that date is not in the era
 * (before its first day, or on or after the next era's first day).
 */
export function westernYear(eraId, n, month, day) {
  const i = ERAS.findIndex((e) => e.id === eraId);
  if (i < 0 || !(n >= 1)) {
    return null;
  }
  const year = Number(ERAS[i].start.substring(0, 4)) + n - 1;
  const key = year + '-' + pad(month) + '-' + pad(day);
  const next = ERAS[i + 1];
  if (key < ERAS[i].start || (next && key >= next.start)) {
    return null;
  }
  return year;
}
