// Small DOM helpers. Content is only ever added as text nodes or elements, never
// as HTML strings, so user text (titles, manuscripts, bios) cannot inject markup.
import { t, formatPoints } from './i18n.js';
import { hidesAiCovers } from './prefs.js';

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'required', 'open', 'indeterminate']);

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'style') throw new Error('inline styles are not allowed (CSP)');
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'testid') el.dataset.testid = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (PROPS.has(k)) el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Splits long text into paragraphs on line breaks; each one is a text node.
export function paragraphs(text, className) {
  const out = [];
  for (const para of String(text || '').replace(/\r\n?/g, '\n').split(/\n/)) {
    const s = para.trim();
    if (s) out.push(h('p', { class: className }, s));
  }
  return out;
}

export function field({ label, name, type = 'text', value = '', testid, hint, textarea = false, ...rest }) {
  const inputId = `f-${name}-${Math.random().toString(36).slice(2, 8)}`;
  const hintId = hint ? `${inputId}-hint` : null;
  const control = h(textarea ? 'textarea' : 'input', {
    id: inputId,
    name,
    type: textarea ? undefined : type,
    value,
    testid,
    'aria-describedby': hintId,
    ...rest,
  });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: inputId }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null
  );
}

// Shows an ApiError (or any Error) in a form's error box and marks the field it
// names, so screen readers announce it and keyboard focus lands there.
export function showFormError(form, err) {
  const box = form.querySelector('.form-error');
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  if (!err) {
    if (box) {
      box.textContent = '';
      box.hidden = true;
    }
    return;
  }
  if (box) {
    box.textContent = err.localized || err.message || t('error.unknown');
    box.hidden = false;
  }
  if (err.field) {
    const input = form.querySelector(`[name="${CSS.escape(err.field)}"]`);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }
}

export function formError(testid = 'form-error') {
  return h('p', { class: 'form-error', role: 'alert', testid, hidden: true });
}

export function errorBox(err, testid = 'page-error') {
  return h('div', { class: 'notice notice-error', role: 'alert', testid }, err?.localized || err?.message || t('error.unknown'));
}

export function spinner(label) {
  return h('p', { class: 'loading', role: 'status', testid: 'loading' }, label || t('common.loading'));
}

// A plain label on a part the AI made (blurb, tagline, cover, price, recap, answer): an "AI"
// mark and words saying what it made.
export function aiLabel(text, testid, tag = 'p') {
  return h(tag, { class: 'ai-label', testid }, h('span', { class: 'ai-badge', 'aria-hidden': 'true' }, 'AI'), ' ', text);
}

// The title and pen name set in type: stands in for an AI-drawn cover the reader chose not to see.
function typeCover(book) {
  return h(
    'div',
    { class: 'cover-type', role: 'img', 'aria-label': t('book.coverTyped', { title: book.title || '' }), testid: 'cover-typed' },
    h('span', { class: 'cover-type-title' }, book.title || ''),
    h('span', { class: 'cover-type-author' }, book.authorName || '')
  );
}

// A work's cover. An AI-drawn one carries a visible mark (mark: false where the page labels it
// in words) or, when the reader hides AI covers, gives way to the title set in type.
export function cover(book, size = 'md', { mark = true } = {}) {
  const wrap = h('div', { class: `cover cover-${size}` });
  const fallback = h('span', { class: 'cover-fallback', 'aria-hidden': 'true' }, book.title || '');
  const ai = book.aiMade?.cover === true;
  if (ai && hidesAiCovers()) {
    wrap.append(typeCover(book));
    return wrap;
  }
  if (ai && mark) wrap.append(h('span', { class: 'cover-ai', testid: 'cover-ai-mark' }, t('book.ai.coverShort')));
  if (book.coverUrl) {
    const img = h('img', {
      src: book.coverUrl,
      alt: t('book.coverAlt', { title: book.title || '' }),
      loading: 'lazy',
      decoding: 'async',
      width: 200,
      height: 300,
      testid: 'book-cover',
    });
    img.addEventListener('error', () => {
      img.remove();
      wrap.append(fallback);
    });
    wrap.prepend(img);
  } else {
    wrap.append(fallback);
  }
  return wrap;
}

export function bookCard(book) {
  return h(
    'li',
    { class: 'book-card', testid: 'book-card', dataset: { bookId: String(book.id) } },
    h(
      'a',
      { href: `/books/${book.id}`, class: 'book-card-link' },
      cover(book, 'sm'),
      h(
        'span',
        { class: 'book-card-body' },
        book.bestseller ? h('span', { class: 'badge badge-best' }, t('book.bestseller')) : null,
        h('span', { class: 'book-card-title' }, book.title || ''),
        h('span', { class: 'book-card-author' }, book.authorName || ''),
        h('span', { class: 'book-card-price' }, book.price > 0 ? formatPoints(book.price) : t('book.free'))
      )
    )
  );
}

export function bookGrid(books, testid) {
  return h('ul', { class: 'book-grid', testid }, books.map(bookCard));
}

export function statusBadge(status, prefix = 'status') {
  return h('span', { class: `badge badge-${status}`, testid: 'status-badge', dataset: { status } }, t(`${prefix}.${status}`));
}

// A modal confirmation built on <dialog>. Resolves true or false. Unlike
// window.confirm it is styled, translatable and easy for tests to click.
export function confirmDialog({ title, body, ok, cancel, danger = false }) {
  return new Promise((resolve) => {
    const dlg = h(
      'dialog',
      { class: 'dialog', testid: 'confirm-dialog', 'aria-labelledby': 'dlg-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'dlg-title' }, title),
        body ? h('p', {}, body) : null,
        h(
          'div',
          { class: 'actions' },
          h('button', { value: 'cancel', class: 'btn', testid: 'confirm-cancel' }, cancel || t('common.cancel')),
          h('button', { value: 'ok', class: danger ? 'btn btn-danger' : 'btn btn-primary', testid: 'confirm-ok' }, ok || t('common.ok'))
        )
      )
    );
    dlg.addEventListener('close', () => {
      resolve(dlg.returnValue === 'ok');
      dlg.remove();
    });
    document.body.append(dlg);
    dlg.showModal();
    dlg.querySelector('[value="ok"]').focus();
  });
}

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(timer);
  return d;
}

// A same-origin path to go to after login (?next=, ?return=), or fallback. Browsers drop tabs and
// newlines from URLs and read a backslash as a slash, so "/\t/evil.example" is "//evil.example":
// such characters are refused outright, and whatever is left must resolve to this origin.
export function safePath(p, fallback = '/') {
  if (typeof p !== 'string' || !p.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(p)) return fallback;
  let url;
  try {
    url = new URL(p, window.location.origin);
  } catch {
    return fallback;
  }
  if (url.origin !== window.location.origin) return fallback;
  return url.pathname + url.search + url.hash;
}

// Page headings take focus after navigation (tabindex -1 keeps them out of the tab order).
export function heading(text, testid) {
  return h('h1', { tabindex: '-1', testid }, text);
}

export function isAbort(e) {
  return e?.name === 'AbortError';
}

// Replaces an element's children (arrays are flattened, null/false skipped).
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
