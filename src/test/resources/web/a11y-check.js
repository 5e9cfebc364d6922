// The basics of accessibility, checked in the page as it is shown: returns a list of problems.
// arguments[0] is the language the page should be in ("ja" or "en").
const expectedLang = arguments[0];
const problems = [];
const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
  && getComputedStyle(e).visibility !== 'hidden';
const text = (e) => (e ? e.textContent.replace(/\s+/g, ' ').trim() : '');
const byIds = (list) => (list || '').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id));

// the page's language, and words of the other language marked as such
const lang = document.documentElement.getAttribute('lang');
if (!lang) {
  problems.push('<html> has no lang');
} else if (lang !== expectedLang) {
  problems.push('<html lang> is ' + lang + ', expected ' + expectedLang);
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const parent = n.parentElement;
  if (!n.textContent.trim() || !parent || !visible(parent)) {
    continue;
  }
  const declared = parent.closest('[lang]').getAttribute('lang');
  if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(n.textContent) && declared !== 'ja') {
    problems.push('Japanese text not marked lang=ja: "' + n.textContent.trim().slice(0, 40) + '"');
  }
  if (declared === 'ja' && expectedLang === 'ja' && /^[A-Za-z][A-Za-z ]+$/.test(n.textContent.trim())) {
    problems.push('English text not marked lang=en: "' + n.textContent.trim() + '"');
  }
}

// ids are unique, references point somewhere
const seen = {};
document.querySelectorAll('[id]').forEach((e) => {
  if (seen[e.id]) {
    problems.push('duplicate id ' + e.id);
  }
  seen[e.id] = true;
});
document.querySelectorAll('[aria-describedby], [aria-labelledby]').forEach((e) => {
  byIds((e.getAttribute('aria-describedby') || '') + ' ' + (e.getAttribute('aria-labelledby') || '')).forEach((r) => {
    if (!r) {
      problems.push('a reference of ' + (e.id || e.tagName) + ' points nowhere');
    }
  });
});

// every input has a label
document.querySelectorAll('input, select, textarea').forEach((i) => {
  if (i.type === 'hidden') {
    return;
  }
  const labelled = Array.from(i.labels || []).some((l) => text(l))
    || (i.getAttribute('aria-label') || '').trim()
    || byIds(i.getAttribute('aria-labelledby')).some((r) => text(r));
  if (!labelled) {
    problems.push('input without a label: ' + (i.id || i.name || i.outerHTML.slice(0, 60)));
  }
});

// every button and link has a name
document.querySelectorAll('button, a[href], [role="button"]').forEach((b) => {
  if (!visible(b)) {
    return;
  }
  const name = (b.getAttribute('aria-label') || '').trim() || text(b)
    || byIds(b.getAttribute('aria-labelledby')).map(text).join(' ').trim();
  if (!name) {
    problems.push('button or link without a name: ' + b.outerHTML.slice(0, 80));
  }
});

// every image has alt
document.querySelectorAll('img, input[type="image"]').forEach((img) => {
  if (!img.hasAttribute('alt')) {
    problems.push('image without alt: ' + img.getAttribute('src'));
  }
});
document.querySelectorAll('svg').forEach((svg) => {
  if (visible(svg) && svg.getAttribute('aria-hidden') !== 'true' && !svg.getAttribute('aria-label') && !svg.querySelector('title')) {
    problems.push('svg without a name');
  }
});

// headings start at h1 and skip no level
let previous = 0;
const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(visible);
if (document.querySelectorAll('h1').length !== 1) {
  problems.push('the page has ' + document.querySelectorAll('h1').length + ' h1 elements');
}
headings.forEach((h) => {
  const level = Number(h.tagName.substring(1));
  if (previous === 0 && level !== 1) {
    problems.push('the first heading is ' + h.tagName);
  }
  if (level > previous + 1) {
    problems.push('heading level skipped at ' + h.tagName + ' "' + text(h) + '"');
  }
  if (!text(h)) {
    problems.push('empty ' + h.tagName);
  }
  previous = level;
});

// visible field errors are tied to their fields, and those fields say they are invalid
document.querySelectorAll('.error').forEach((e) => {
  if (!visible(e)) {
    return;
  }
  const fields = Array.from(document.querySelectorAll('input')).filter((i) =>
    (i.getAttribute('aria-describedby') || '').split(/\s+/).includes(e.id));
  if (!fields.length) {
    problems.push('error ' + e.id + ' is not tied to a field');
  }
  if (!fields.some((i) => i.getAttribute('aria-invalid') === 'true')) {
    problems.push('no field of error ' + e.id + ' is marked aria-invalid');
  }
});

// no positive tabindex (it breaks the focus order)
document.querySelectorAll('[tabindex]').forEach((e) => {
  if (e.tabIndex > 0) {
    problems.push('positive tabindex on ' + (e.id || e.tagName));
  }
});

// text contrast: 4.5:1, or 3:1 for large text (WCAG 2 AA)
const rgb = (c) => {
  const m = /rgba?\(([^)]+)\)/.exec(c);
  if (!m) {
    return null;
  }
  const p = m[1].split(',').map((s) => parseFloat(s));
  return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
};
const luminance = (c) => {
  const f = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
};
const background = (e) => {
  for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c && c.a > 0.5) {
      return c;
    }
  }
  return { r: 255, g: 255, b: 255, a: 1 };
};
document.querySelectorAll('body *').forEach((e) => {
  if (!visible(e) || e.closest('[disabled]') || e.closest('noscript')) {
    return;
  }
  if (!Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) {
    return;
  }
  const style = getComputedStyle(e);
  const fg = rgb(style.color);
  const bg = background(e);
  const l1 = luminance(fg);
  const l2 = luminance(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (parseInt(style.fontWeight, 10) >= 700 && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) {
    problems.push('contrast ' + ratio.toFixed(2) + ':1 for "' + text(e).slice(0, 30) + '"');
  }
});
return problems;
