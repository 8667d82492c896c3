// The reader's AI on an episode page: "지난 이야기" (the recap of what the reader read, each
// sentence linked to its episode) at the top when they come back or are behind, and "이야기에
// 묻기" under the text, answered only from the episodes they have read. Both are labelled as AI,
// and when a language model's words were not used, a quiet note says the offline result is
// shown and why. Also the library that leaves the site: the EPUB link and the OPDS address.
import { api } from '../api.js';
import { t, has, formatDate } from '../i18n.js';
import { h, field, formError, showFormError, fill, aiLabel } from '../dom.js';

const episodeLink = (bookId, n, label) => h('a', { href: `/books/${bookId}/episodes/${n}`, class: 'cite' }, label);

// Sentences, each followed by a link to the episode it cites.
const citedList = (bookId, sentences, testid) =>
  h('ol', { class: 'recap-list' }, sentences.map((s) => h('li', { testid }, `${s.text} `, episodeLink(bookId, s.episode, t('recap.cite', { n: s.episode })))));

// The response's fallback (why the model's words are not shown), as a quiet note; kind is
// recap or ask.
function fallbackNote(code, kind) {
  if (!code) return null;
  const why = t(has(`ai.fallback.${code}`) ? `ai.fallback.${code}` : 'ai.fallback.model_failed');
  return h('p', { class: 'ai-fallback', testid: `${kind}-fallback` }, t(`${kind}.fallback`, { why }));
}

// What the member owns for good of a work (bought or unlocked), which the EPUB holds.
const KEEPS = new Set(['owned', 'wait_free', 'author', 'admin']);
export const ownsForGood = (access) => Boolean(access?.canRead && KEEPS.has(access.reason));

// The DRM-free EPUB of what the member owns of the work (the server sends it as an attachment).
export function epubLink(bookId, small = false) {
  return h('a', { href: api.epubUrl(bookId), class: small ? 'btn btn-small' : 'btn', download: '', type: 'application/epub+zip', testid: 'epub-download' }, t('epub.download'));
}

// The recap, fetched before this visit moves the reader's progress; shown when it is due
// and this episode is the one they read next. slot.done settles once it is in.
export function recapSlot(bookId, n, signal) {
  const slot = h('div', { class: 'recap-slot' });
  slot.done = api
    .recap(bookId, { signal })
    .then((r) => {
      if (!r || !r.due || r.next !== n || !r.sentences.length) return;
      fill(
        slot,
        h(
          'details',
          { class: 'recap', open: true, testid: 'recap' },
          h('summary', { class: 'recap-title' }, t('recap.title')),
          aiLabel(t('recap.ai'), 'recap-ai-label'),
          fallbackNote(r.fallback, 'recap'),
          citedList(bookId, r.sentences, 'recap-sentence')
        )
      );
    })
    .catch(() => {});
  return slot;
}

function answerView(bookId, res) {
  if (res.refused) return h('p', { class: 'notice notice-warn', role: 'status', testid: 'ask-refused' }, res.message);
  if (!res.passages.length) return h('p', { class: 'muted', role: 'status', testid: 'ask-none' }, t('ask.none'));
  const said = res.answerSentences || [];
  return h(
    'div',
    { role: 'status' },
    said.length
      ? [aiLabel(t('ask.aiAnswer'), 'ask-ai-label'), h('div', { testid: 'ask-answer' }, citedList(bookId, said, 'ask-sentence')), h('h3', { class: 'ask-sources' }, t('ask.sources'))]
      : aiLabel(t('ask.ai'), 'ask-ai-label'),
    fallbackNote(res.fallback, 'ask'),
    res.passages.map((p) =>
      h('blockquote', { class: 'passage', testid: 'ask-passage' }, h('p', {}, p.text), h('footer', {}, episodeLink(bookId, p.episode, t('ask.from', { n: p.episode }))))
    )
  );
}

export function askPanel(bookId) {
  const out = h('div', { class: 'ask-answer', testid: 'ask-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'ask-form', testid: 'ask-form', novalidate: true },
    field({ label: t('ask.field'), name: 'question', testid: 'ask-question', hint: t('ask.hint'), maxlength: 300, required: true }),
    formError('ask-error'),
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'ask-go' }, t('ask.go'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button');
    showFormError(form, null);
    button.disabled = true;
    try {
      fill(out, answerView(bookId, await api.ask(bookId, form.elements.question.value.trim())));
    } catch (e) {
      showFormError(form, e);
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'ask', 'aria-labelledby': 'ask-title', testid: 'ask' }, h('h2', { id: 'ask-title' }, t('ask.title')), form, out);
}

// The account page's OPDS section: make a catalog address (shown once), or revoke it.
export function opdsSection(app) {
  const status = h('p', { class: 'muted', testid: 'opds-status', role: 'status' });
  const url = h('div', { class: 'field', hidden: true, testid: 'opds-url-box' });
  const msg = formError('opds-error');
  const make = h('button', { type: 'button', class: 'btn btn-primary', testid: 'opds-new' }, t('opds.new'));
  const revoke = h('button', { type: 'button', class: 'btn btn-danger', testid: 'opds-revoke' }, t('opds.revoke'));
  const show = (o) => {
    status.textContent = o.active ? t('opds.since', { date: formatDate(o.createdAt) }) : t('opds.none');
    revoke.hidden = !o.active;
    url.hidden = !o.url;
    if (o.url) fill(url, h('label', { for: 'opds-url' }, t('opds.url')), h('input', { id: 'opds-url', type: 'text', readonly: true, value: o.url, testid: 'opds-url' }));
  };
  const run = async (fn) => {
    msg.hidden = true;
    try {
      await fn();
    } catch (e) {
      msg.textContent = e.localized || e.message;
      msg.hidden = false;
    }
  };
  make.addEventListener('click', () => run(async () => show((await api.opdsNew()).opds)));
  revoke.addEventListener('click', () =>
    run(async () => {
      await api.opdsRevoke();
      show({ active: false, url: null });
      app.toast(t('opds.revoked'));
    })
  );
  api.opds().then((r) => show(r.opds), () => {});
  return h(
    'section',
    { class: 'card form', testid: 'opds-section', 'aria-labelledby': 'opds-h' },
    h('h2', { id: 'opds-h' }, t('opds.title')),
    h('p', { class: 'hint' }, t('opds.body')),
    status,
    url,
    msg,
    h('div', { class: 'actions' }, make, revoke)
  );
}
