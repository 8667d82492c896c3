// The editor's progress view: a submitted manuscript's generation, step by
// step, polled until it is published (the book shown) or failed (retry).
import { api } from '../api.js';
import { t, formatPoints, priceReason } from '../i18n.js';
import { h, errorBox, heading, isAbort, statusBadge, cover, paragraphs, fill } from '../dom.js';

const POLL_MS = 1000;

export function progressView(root, { ms, msId, signal, onCleanup }) {
  const steps = ['submitted', 'generating', 'published'];
  const panel = h('section', { class: 'card progress-panel', testid: 'progress', 'aria-live': 'polite' });
  const result = h('div', { testid: 'progress-result' });
  let pollTimer = null;
  let stopped = false;
  onCleanup(() => {
    stopped = true;
    clearTimeout(pollTimer);
  });

  const badgeSlot = h('span', {});
  function draw() {
    panel.dataset.status = ms.status;
    fill(badgeSlot, statusBadge(ms.status));
    const idx = ms.status === 'failed' ? 1 : steps.indexOf(ms.status);
    fill(panel, 
      h('h2', {}, t('progress.title')),
      h(
        'ol',
        { class: 'steps' },
        steps.map((s, i) =>
          h(
            'li',
            {
              class: ['step', i < idx || ms.status === 'published' ? 'done' : '', i === idx && ms.status !== 'published' ? 'current' : '', ms.status === 'failed' && i === 1 ? 'failed' : ''],
              testid: `step-${s}`,
              'aria-current': i === idx ? 'step' : null,
            },
            h('span', { class: 'step-dot', 'aria-hidden': 'true' }),
            t(`status.${s}`)
          )
        )
      ),
      h('p', { class: 'progress-text', testid: 'progress-status', dataset: { status: ms.status } }, t(`progress.${ms.status}`)),
      ms.status === 'submitted' || ms.status === 'generating' ? h('div', { class: 'indeterminate', 'aria-hidden': 'true' }) : null,
      result
    );
  }

  async function showBook() {
    if (!ms.bookId) return;
    try {
      const { book } = await api.book(ms.bookId, { signal });
      fill(result, 
        h(
          'div',
          { class: 'published-result', testid: 'published-result' },
          cover(book, 'md'),
          h(
            'div',
            {},
            h('h3', { testid: 'published-title' }, book.title),
            book.tagline ? h('p', { class: 'tagline' }, book.tagline) : null,
            h('div', { class: 'summary', testid: 'published-summary' }, paragraphs(book.summary)),
            h('p', { testid: 'published-price' }, h('strong', {}, book.price > 0 ? formatPoints(book.price) : t('book.free')), priceReason(book) ? ` — ${priceReason(book)}` : ''),
            h('a', { href: `/books/${book.id}`, class: 'btn btn-primary', testid: 'published-book-link' }, t('progress.toBook'))
          )
        )
      );
    } catch (e) {
      if (!isAbort(e)) fill(result, h('a', { href: `/books/${ms.bookId}`, testid: 'published-book-link' }, t('progress.toBook')));
    }
  }

  function showFailed() {
    const retry = h('button', { type: 'button', class: 'btn btn-primary', testid: 'retry-button' }, t('progress.retry'));
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      try {
        const res = await api.retryManuscript(msId);
        ms = res?.manuscript || { ...ms, status: 'submitted', error: null };
        draw();
        poll();
      } catch (e) {
        retry.disabled = false;
        if (e.code === 'not_failed') return poll();
        result.append(errorBox(e));
      }
    });
    fill(result, h('p', { class: 'notice notice-error', testid: 'ms-error' }, ms.error || t('progress.failedUnknown')), retry);
  }

  async function poll() {
    if (stopped) return;
    try {
      ms = (await api.manuscript(msId, { signal })).manuscript;
    } catch (e) {
      if (isAbort(e) || stopped) return;
      if (e.status === 404) return;
    }
    if (stopped) return;
    draw();
    if (ms.status === 'published') showBook();
    else if (ms.status === 'failed') showFailed();
    else pollTimer = setTimeout(poll, POLL_MS);
  }

  const text = h('details', { class: 'card', testid: 'submitted-text' }, h('summary', {}, t('progress.showText')), h('h3', {}, ms.title), ms.content ? h('div', { class: 'preview-text' }, ms.content) : null);
  fill(root, 
    h(
      'header',
      { class: 'page-head row editor-head' },
      h('a', { href: '/studio', class: 'btn btn-ghost', testid: 'back-to-studio' }, `← ${t('editor.back')}`),
      badgeSlot
    ),
    heading(ms.title, 'progress-heading'),
    panel,
    text
  );
  draw();
  if (ms.status === 'published') showBook();
  else if (ms.status === 'failed') showFailed();
  else pollTimer = setTimeout(poll, POLL_MS);
}
