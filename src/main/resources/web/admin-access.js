// Administration: a site's access notes for residents — a map link and the station, parking and floor
// in Japanese and English, shown with the booking and the site on the resident page. Saved with
// PUT /api/v1/admin/sites/{siteId}/access (audited as site.access). An ES module beside admin.js; it uses window.staff.
const TEXTS = {
  ja: {
    heading: '会場への行き方（住民向け）', site: '会場', map: '地図・経路のリンク（https://、空欄なら住所の地図検索）',
    station: '最寄り駅', parking: '駐車場', floor: '窓口の場所（階）', ja: '日本語', en: '英語', save: '保存',
    saved: '{site} の行き方を保存しました。'
  },
  en: {
    heading: 'Getting there (for residents)', site: 'Site', map: 'Map or directions link (https://; empty: a map search of the address)',
    station: 'Nearest station', parking: 'Parking', floor: 'Where the counter is (floor)', ja: 'Japanese', en: 'English', save: 'Save',
    saved: 'The access notes of {site} are saved.'
  }
};
const FIELDS = ['station', 'parking', 'floor'];
const $ = (id) => document.getElementById(id);
let sites = [];

function t(key, values) {
  let s = TEXTS[document.documentElement.lang === 'en' ? 'en' : 'ja'][key];
  Object.entries(values || {}).forEach(([k, v]) => { s = s.replace('{' + k + '}', v); });
  return s;
}

function label() {
  $('access-heading').textContent = t('heading');
  $('access-site-label').textContent = t('site');
  $('access-map-label').textContent = t('map');
  FIELDS.forEach((f) => { $('access-' + f + '-legend').textContent = t(f); });
  document.querySelectorAll('#access .access-ja').forEach((e) => { e.textContent = t('ja'); });
  document.querySelectorAll('#access .access-en').forEach((e) => { e.textContent = t('en'); });
  $('access-save').textContent = t('save');
}

/** The chosen site's notes as residents see them now. */
function fill() {
  const site = sites.find((s) => s.id === $('access-site').value);
  const a = (site && site.access) || {};
  $('access-map').value = a.mapUrl || '';
  FIELDS.forEach((f) => {
    $('access-' + f + '-ja').value = a[f] ? a[f].ja : '';
    $('access-' + f + '-en').value = a[f] ? a[f].en : '';
  });
}

async function load() {
  const answer = await window.staff.api('GET', '/api/v1/sites');
  if (answer.status !== 200) {
    window.staff.fail(answer);
    return;
  }
  sites = answer.body;
  const select = $('access-site');
  const keep = select.value;
  select.textContent = '';
  const lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
  sites.forEach((s) => select.appendChild(window.staff.el('option', { value: s.id, text: s.id + ' — ' + (s.name[lang] || s.name.ja) })));
  if (keep) {
    select.value = keep;
  }
  fill();
}

async function save(event) {
  event.preventDefault();
  window.staff.clear();
  const siteId = $('access-site').value;
  const body = { mapUrl: $('access-map').value.trim() };
  FIELDS.forEach((f) => { body[f] = { ja: $('access-' + f + '-ja').value.trim(), en: $('access-' + f + '-en').value.trim() }; });
  const answer = await window.staff.api('PUT', '/api/v1/admin/sites/' + encodeURIComponent(siteId) + '/access', body);
  if (answer.status !== 200) {
    window.staff.fail(answer);
    return;
  }
  window.staff.say(t('saved', { site: siteId }));
  await load();
}

label();
$('access-site').addEventListener('change', fill);
$('access-form').addEventListener('submit', save);
load();
