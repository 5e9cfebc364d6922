// The page's words: the text for a key in the chosen language, written into elements so they follow the switch.
import { $, S } from './state.js';
import { TEXTS } from './texts.js';

// ---------------------------------------------------------------- texts

export function t(key, params) {
  let text = TEXTS[S.lang][key];
  if (text === undefined) {
    text = TEXTS.ja[key] !== undefined ? TEXTS.ja[key] : key;
  }
  if (params && typeof text === 'string') {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (params[name] !== undefined ? String(params[name]) : m));
  }
  return text;
}

/** Writes a text into el, turning [ja:…]/[en:…] into spans with their own lang. */
export function write(el, text) {
  el.textContent = '';
  const re = /\[(ja|en):([^\]]+)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) {
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
    }
    const span = document.createElement('span');
    span.lang = m[1];
    span.textContent = m[2];
    el.appendChild(span);
    last = re.lastIndex;
  }
  if (last < text.length) {
    el.appendChild(document.createTextNode(text.slice(last)));
  }
}

/** Gives el a translatable text: it follows the language switch. */
export function setText(el, key, params) {
  el.dataset.t = key;
  if (params) {
    el.dataset.args = JSON.stringify(params);
  } else {
    delete el.dataset.args;
  }
  write(el, t(key, params));
}

export function applyTexts() {
  document.documentElement.lang = S.lang;
  document.title = t('doc.title');
  document.querySelectorAll('[data-t]').forEach((el) => {
    const params = el.dataset.args ? JSON.parse(el.dataset.args) : undefined;
    write(el, t(el.dataset.t, params));
  });
  $('lang-switch').lang = S.lang === 'ja' ? 'en' : 'ja';
}
