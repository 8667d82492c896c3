// Message catalogues and locale-aware formatting. Korean is the default
// language; the choice is kept in localStorage under "wl.lang".
import ko from './i18n/ko.js';
import en from './i18n/en.js';

const catalogues = { ko, en };
const LOCALES = { ko: 'ko-KR', en: 'en-US' };
const KEY = 'wl.lang';
const listeners = new Set();

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

let lang = catalogues[stored()] ? stored() : 'ko';

export const languages = [
  { code: 'ko', label: '한국어' },
  { code: 'en', label: 'English' },
];

export function getLang() {
  return lang;
}

export function locale() {
  return LOCALES[lang];
}

export function setLang(next) {
  if (!catalogues[next] || next === lang) return;
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = lang;
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function has(key) {
  return key in catalogues[lang] || key in catalogues.ko;
}

// t('book.views', { n: '1,234' }) → "조회 1,234회". Unknown keys return the key
// itself so a missing message is visible rather than blank.
export function t(key, vars) {
  let s = catalogues[lang][key] ?? catalogues.ko[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// A reading time as the server rounds it for a price basis (minutes: exact under 10, then
// to 5 minutes, to half hours under 3 hours, then to hours).
function roundMinutes(m) {
  if (m < 10) return m;
  if (m < 60) return Math.min(Math.floor((m + 2) / 5) * 5, 60);
  if (m < 180) return Math.floor((m + 15) / 30) * 30;
  return Math.floor((m + 30) / 60) * 60;
}

// Why a work costs what it does, in the reader's language, from the code the server gives
// (book.priceBasis); the generator's own line (book.priceReason) only for works without one.
export function priceReason(book) {
  const b = book?.priceBasis;
  if (!b) return book?.priceReason || '';
  if (b.code === 'short_free') return t('price.shortFree');
  if (b.code !== 'length' || !(b.minutes >= 1)) return '';
  const m = roundMinutes(b.minutes);
  const h = Math.floor(m / 60), r = m % 60;
  const time = m < 60 ? t('price.minutes', { n: m })
    : r ? t('price.hoursMinutes', { h, m: r }) : t(h === 1 ? 'price.hour' : 'price.hours', { h });
  return t('price.length', { time, kind: t(`price.class.${b.lengthClass}`) });
}

export function formatNumber(n) {
  return Number(n || 0).toLocaleString(locale());
}

export function formatPoints(n) {
  return `${Number(n || 0).toLocaleString(locale())} P`;
}

// Signed amount for the ledger: "+5,000 P" / "−1,500 P".
export function formatSignedPoints(n) {
  const v = Number(n || 0);
  const abs = Math.abs(v).toLocaleString(locale());
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${abs} P`;
}

function toDate(s) {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(s) {
  const d = toDate(s);
  return d ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(d) : '';
}

export function formatTime(s) {
  const d = toDate(s);
  return d ? new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(d) : '';
}

export function formatDateTime(s) {
  const d = toDate(s);
  return d
    ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d)
    : '';
}

document.documentElement.lang = lang;
