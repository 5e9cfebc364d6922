/*
 * What a resident keeps the booking with, and whom to ask, as an ES module beside the
 * page's script: the box "Send me an SMS confirmation" (with the card's masked mobile number) on
 * the confirm view, and the choice sent with the booking; under a booking the .ics file, a Google
 * Calendar link, a print button, and how to get to the site (map link, station, parking, floor);
 * the site's access notes under the calendar; the call center's number and hours in the footer.
 *
 * The page's script tells this module what it shows with one event, 'madoguchi:view'
 * {view, token, booking, card, cancelled, lang}, sent each time it renders a view (also after the
 * language switch), and asks it for the resident's choice when it books:
 * bookingChoice() (exported) -> {smsConfirmation: true|false} or {}.
 * Everything this module writes lives in the #keep-* boxes of index.html.
 */

const TEXTS = {
  ja: {
    'sms.label': '予約確認のSMSを受け取る（{number}）',
    'sms.hint': 'カードに登録の携帯電話番号に、予約番号と日時をお送りします。変更・取り消しのときもお知らせします。',
    'sms.sent': '予約番号と日時をSMSで {number} にお送りします。',
    'sms.notices': 'この予約の変更・取り消しをSMSで知らせる（{number}）',
    'sms.saved': 'SMSの設定を保存しました。',
    'sms.failed': 'SMSの設定を保存できませんでした。もう一度お試しください。',
    'keep.heading': '予約を控える',
    'keep.ics': 'カレンダーに追加（.icsファイル）',
    'keep.google': 'Googleカレンダーに追加',
    'keep.print': '印刷する',
    'keep.newWindow': '（新しいウィンドウで開きます）',
    'access.heading': '会場への行き方',
    'access.map': '地図・経路を見る（{name}）',
    'access.station': '最寄り駅',
    'access.parking': '駐車場',
    'access.floor': '窓口の場所',
    'cal.summary': 'マイナンバーカードの受け取り（{site}）',
    'cal.details': '予約番号 {code}。交付通知書（はがき）と本人確認書類をお持ちください。'
  },
  en: {
    'sms.label': 'Send me an SMS confirmation ({number})',
    'sms.hint': 'We text the booking code and time to the mobile number on file for your card, and tell you of changes and cancellations.',
    'sms.sent': 'An SMS with your booking code and time is on its way to {number}.',
    'sms.notices': 'Tell me of changes to this booking by SMS ({number})',
    'sms.saved': 'Your SMS choice is saved.',
    'sms.failed': 'Your SMS choice could not be saved. Please try again.',
    'keep.heading': 'Keep your booking',
    'keep.ics': 'Add to calendar (.ics file)',
    'keep.google': 'Add to Google Calendar',
    'keep.print': 'Print',
    'keep.newWindow': ' (opens in a new window)',
    'access.heading': 'Getting there',
    'access.map': 'Map and directions ({name})',
    'access.station': 'Nearest station',
    'access.parking': 'Parking',
    'access.floor': 'Where the counter is',
    'cal.summary': 'My Number Card pick-up ({site})',
    'cal.details': 'Booking code {code}. Bring the notice (postcard) and your ID documents.'
  }
};

const K = {
  view: null,
  token: null,
  booking: null,
  card: null,
  cancelled: false,
  contact: null,        // {mobile, sms} of the card (GET /api/v1/residents/me/notices), per token
  contactPromise: null, // the reading of it, shared
  contactToken: null,
  smsChecked: null,     // the box as the resident left it on the confirm view
  sites: null,          // GET /api/v1/sites, with access notes
  callCenter: null,     // GET /api/v1/call-center
  ics: null,            // {key, url}: the booking's calendar file as a blob URL
  generation: 0         // each rendering's number: one that was overtaken while it waited writes nothing
};

const $ = (id) => document.getElementById(id);

function lang() {
  return document.documentElement.lang === 'en' ? 'en' : 'ja';
}

function t(key, params) {
  let text = TEXTS[lang()][key] || TEXTS.ja[key] || key;
  Object.entries(params || {}).forEach(([k, v]) => { text = text.split('{' + k + '}').join(v); });
  return text;
}

function el(tag, attrs, children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'text') {
      e.textContent = v;
    } else if (v !== null && v !== undefined && v !== false) {
      e.setAttribute(k, v === true ? '' : v);
    }
  });
  (children || []).forEach((c) => e.appendChild(c));
  return e;
}

async function get(path, token) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang() };
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  const r = await fetch(path, { headers: headers, credentials: 'same-origin' });
  if (!r.ok) {
    throw new Error(path + ': ' + r.status);
  }
  return r;
}

// ------------------------------------------------------------- what the page asks of this module

/** The resident's choice on the confirm view, sent with a booking or a move; {} when no box is shown. */
export function bookingChoice() {
  const box = $('keep-sms');
  return box && !box.closest('[hidden]') ? { smsConfirmation: box.checked } : {};
}

document.addEventListener('madoguchi:view', (event) => {
  const d = event.detail || {};
  if (d.token !== K.token) {
    K.contact = null;
    K.contactPromise = null;
    K.smsChecked = null;
    dropIcs();
  }
  K.view = d.view;
  K.token = d.token || null;
  K.booking = d.booking || null;
  K.card = d.card || null;
  K.cancelled = !!d.cancelled;
  render().catch(() => { /* a box left empty: the booking itself is shown by the page */ });
});

// ------------------------------------------------------------------------------------ rendering

async function render() {
  const generation = ++K.generation;
  const current = () => generation === K.generation;
  renderCallCenter();
  if (K.token && K.view !== 'confirm') {
    // read before the confirm view is shown, so that its box is there at once and the Book button never moves under a click
    contact().catch(() => { /* asked again on the confirm view */ });
  }
  clear('keep-confirm');
  clear('keep-done');
  clear('keep-booking');
  clear('keep-site');
  if (K.view === 'confirm' && K.token) {
    await renderSmsChoice(current);
  } else if (K.view === 'done' && K.booking) {
    await renderKeep($('keep-done'), true, current);
  } else if (K.view === 'booking' && K.booking && !K.cancelled && K.booking.status === 'active') {
    await renderKeep($('keep-booking'), false, current);
  } else if (K.view === 'calendar' && K.card && K.card.siteId) {
    const site = await siteOf(K.card.siteId);
    if (site && current()) {
      clear('keep-site');
      const box = $('keep-site');
      if (box) {
        box.appendChild(accessBlock(site, 'h3'));
      }
    }
  }
}

function clear(id) {
  const box = $(id);
  if (box) {
    box.textContent = '';
  }
}

/** The card's masked mobile number and SMS choice: read once per token, shared by everyone who asks meanwhile. */
function contact() {
  if (!K.contactPromise || K.contactToken !== K.token) {
    const token = K.token;
    K.contactToken = token;
    K.contactPromise = get('/api/v1/residents/me/notices', token).then((r) => r.json()).then((c) => {
      if (token !== K.token) {
        throw new Error('another resident');
      }
      K.contact = c;
      return c;
    });
    K.contactPromise.catch(() => {
      if (K.contactToken === token) {
        K.contactPromise = null; // asked again next time
      }
    });
  }
  return K.contactPromise;
}

/** The confirm view: the box, ticked by default (or as the card chose before), naming the masked number. */
async function renderSmsChoice(current) {
  const c = await contact();
  const box = $('keep-confirm');
  if (!box || !current() || !c.mobile) {
    return;
  }
  const checked = K.smsChecked === null ? c.sms : K.smsChecked;
  const input = el('input', { type: 'checkbox', id: 'keep-sms', 'aria-describedby': 'keep-sms-hint' });
  input.checked = checked;
  input.addEventListener('change', () => { K.smsChecked = input.checked; });
  box.appendChild(el('div', { class: 'keep-sms' }, [
    el('label', { for: 'keep-sms', class: 'keep-check' }, [input, el('span', { text: t('sms.label', { number: c.mobile }) })]),
    el('p', { id: 'keep-sms-hint', class: 'hint', text: t('sms.hint') })
  ]));
}

/** Under a booking: the SMS line, the calendar file and link, print, and how to get there. */
async function renderKeep(box, justBooked, current) {
  if (!box) {
    return;
  }
  const booking = K.booking;
  const [site, c] = await Promise.all([siteOf(booking.siteId), contact().catch(() => null)]);
  if (!current()) {
    return;
  }
  box.textContent = '';
  if (c && c.mobile) {
    if (justBooked) {
      // what the box said when the booking was sent: the card keeps it for later notices too
      const chosen = K.smsChecked === null ? c.sms : K.smsChecked;
      c.sms = chosen;
      if (chosen) {
        box.appendChild(el('p', { id: 'keep-sms-sent', class: 'keep-sms-sent', text: t('sms.sent', { number: c.mobile }) }));
      }
    } else {
      box.appendChild(noticeSwitch(c));
    }
  }
  const actions = el('div', { class: 'keep-actions' });
  const ics = el('a', { id: 'keep-ics', class: 'keep-button', download: 'booking-' + booking.code + '.ics', 'aria-disabled': 'true' },
    [el('span', { text: t('keep.ics') })]);
  const google = el('a', { id: 'keep-google', class: 'keep-button', href: googleLink(booking, site), target: '_blank', rel: 'noopener' },
    [el('span', { text: t('keep.google') }), el('span', { class: 'sr', text: t('keep.newWindow') })]);
  const print = el('button', { type: 'button', id: 'keep-print', class: 'secondary' }, [el('span', { text: t('keep.print') })]);
  print.addEventListener('click', () => window.print());
  actions.append(ics, google, print);
  box.appendChild(el('section', { class: 'keep', 'aria-labelledby': 'keep-heading' }, [
    el('h3', { id: 'keep-heading', text: t('keep.heading') }), actions]));
  if (site) {
    box.appendChild(accessBlock(site, 'h3'));
  }
  const url = await icsUrl(booking);
  if (url && ics.isConnected && current()) {
    ics.href = url;
    ics.removeAttribute('aria-disabled');
  }
}

/** On a booking: whether changes and a cancellation are told by SMS (kept at once). */
function noticeSwitch(c) {
  const input = el('input', { type: 'checkbox', id: 'keep-notices' });
  input.checked = c.sms;
  const status = el('p', { id: 'keep-notices-status', class: 'hint', role: 'status' });
  input.addEventListener('change', async () => {
    const token = K.token;
    try {
      const r = await fetch('/api/v1/residents/me/notices', {
        method: 'PUT', credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Accept-Language': lang(), Authorization: 'Bearer ' + token },
        body: JSON.stringify({ sms: input.checked })
      });
      if (!r.ok) {
        throw new Error(String(r.status));
      }
      K.contact = await r.json();
      K.contactPromise = Promise.resolve(K.contact);
      status.textContent = t('sms.saved');
    } catch (e) {
      input.checked = !input.checked;
      status.textContent = t('sms.failed');
    }
  });
  return el('div', { class: 'keep-sms' }, [
    el('label', { for: 'keep-notices', class: 'keep-check' }, [input, el('span', { text: t('sms.notices', { number: c.mobile }) })]),
    status
  ]);
}

/** The booking's calendar file, fetched once with the resident's token and kept as a blob URL for the link. */
async function icsUrl(booking) {
  const key = booking.code + '|' + booking.start + '|' + lang();
  if (K.ics && K.ics.key === key) {
    return K.ics.url;
  }
  dropIcs();
  try {
    const blob = await (await get('/api/v1/bookings/' + encodeURIComponent(booking.code) + '/calendar.ics', K.token)).blob();
    K.ics = { key: key, url: URL.createObjectURL(new Blob([blob], { type: 'text/calendar' })) };
    return K.ics.url;
  } catch (e) {
    return null;
  }
}

function dropIcs() {
  if (K.ics) {
    URL.revokeObjectURL(K.ics.url);
    K.ics = null;
  }
}

/** Google Calendar's template link: the same entry as the .ics file, times in UTC. */
function googleLink(booking, site) {
  const name = site ? site.name[lang()] || site.name.ja : '';
  const address = site && site.address ? site.address[lang()] || site.address.ja : '';
  const p = new URLSearchParams();
  p.set('action', 'TEMPLATE');
  p.set('text', t('cal.summary', { site: name }));
  p.set('dates', utc(booking.start) + '/' + utc(booking.end));
  p.set('details', t('cal.details', { code: booking.code }));
  p.set('location', address ? name + ', ' + address : name);
  p.set('ctz', 'Asia/Tokyo');
  return 'https://calendar.google.com/calendar/render?' + p.toString();
}

function utc(iso) {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// ------------------------------------------------------------------------- sites and access

async function siteOf(id) {
  if (!K.sites) {
    K.sites = await (await get('/api/v1/sites')).json();
  }
  return K.sites.find((s) => s.id === id) || null;
}

/** How to get to the site: a map link (the administrators', else a map search of the address) and the notes. */
function accessBlock(site, heading) {
  const l = lang();
  const name = site.name[l] || site.name.ja;
  const address = site.address ? site.address[l] || site.address.ja : '';
  const a = site.access || {};
  const map = a.mapUrl || 'https://www.google.com/maps/search/?api=1&query=' + encodeURIComponent(name + ' ' + (site.address ? site.address.ja : ''));
  const section = el('section', { class: 'keep-access', 'aria-labelledby': 'keep-access-' + site.id });
  section.appendChild(el(heading, { id: 'keep-access-' + site.id, text: t('access.heading') }));
  const dl = el('dl', { class: 'details' });
  [['station', 'access.station'], ['parking', 'access.parking'], ['floor', 'access.floor']].forEach(([field, label]) => {
    const note = a[field] ? a[field][l] || a[field].ja : '';
    if (note) {
      dl.append(el('dt', { text: t(label) }), el('dd', { text: note }));
    }
  });
  if (dl.childNodes.length) {
    section.appendChild(dl);
  }
  section.appendChild(el('p', {}, [el('a', { id: 'keep-map', href: map, target: '_blank', rel: 'noopener' },
    [el('span', { text: t('access.map', { name: name }) }), el('span', { class: 'sr', text: t('keep.newWindow') })])]));
  if (address) {
    section.setAttribute('data-address', address);
  }
  return section;
}

// ------------------------------------------------------------------------------- the footer

async function renderCallCenter() {
  const line = $('keep-call-center');
  if (!line) {
    return;
  }
  if (!K.callCenter) {
    K.callCenter = await (await get('/api/v1/call-center')).json();
  }
  line.textContent = K.callCenter.text[lang()] || '';
  line.hidden = !line.textContent;
}

renderCallCenter().catch(() => { /* the footer's other words stay */ });
