// Book: details and one clear action chosen from access.reason.
import { api, newIdempotencyKey } from '../api.js';
import { t, formatPoints, formatNumber, formatDate, formatDateTime, priceReason } from '../i18n.js';
import { h, cover, aiLabel, spinner, errorBox, heading, isAbort, paragraphs, fill } from '../dom.js';
import { hidesAiCovers } from '../prefs.js';
import { followButton, readerCounts } from '../community.js';
import { epubLink, ownsForGood } from './reader-ai.js';

// Each part the AI made says so beside it, in plain words (book.aiMade).
const madeByAi = (book, part) => (book.aiMade?.[part] ? aiLabel(t(`book.ai.${part}`), `ai-label-${part}`) : null);

// The cover, and under it whether the AI drew it (unless the reader hides AI covers: then the
// title in type stands in).
function coverColumn(book) {
  return h('div', { class: 'book-cover-col' }, cover(book, 'lg', { mark: false }), hidesAiCovers() ? null : madeByAi(book, 'cover'));
}

// The work's author also sees which generator made each part.
function generatedBy(g, isAuthor) {
  if (!g || !isAuthor) return null;
  const part = (k) => `${t(`book.gen.${k}`)}: ${g[k] || '—'}`;
  return h('p', { class: 'generated-by', testid: 'generated-by' }, `${t('book.generatedBy')} · ${part('summary')} · ${part('price')} · ${part('cover')}`);
}

function actionBox(book, access, app, reload) {
  const box = h('div', { class: 'action-box', testid: 'book-action', dataset: { reason: access?.reason || '' } });
  const here = `/books/${book.id}`;

  if (access?.canRead) {
    box.append(
      h('a', { href: `/read/${book.id}`, class: 'btn btn-primary btn-lg', testid: 'read-button' }, t('book.read')),
      ownsForGood(access) ? epubLink(book.id) : null,
      h('p', { class: 'muted', testid: 'access-reason' }, t(`access.${access.reason}`))
    );
    return box;
  }

  if (access?.reason === 'login_required' || !app.me) {
    box.append(
      h('a', { href: `/login?next=${encodeURIComponent(here)}`, class: 'btn btn-primary btn-lg', testid: 'login-to-read' }, t('book.loginToRead')),
      h('p', { class: 'muted' }, t('book.loginHint'), ' ', h('a', { href: `/signup?next=${encodeURIComponent(here)}`, testid: 'signup-link' }, t('nav.signup')))
    );
    return box;
  }

  // purchase_required
  const balance = app.me.points || 0;
  const after = balance - book.price;
  const subscribe = h('a', { href: '/me#subscription', class: 'subscribe-link', testid: 'subscribe-link' }, t('book.orSubscribe'));
  const msg = h('p', { class: 'form-error', role: 'alert', testid: 'buy-error', hidden: true });

  if (after < 0) {
    const need = book.price - balance;
    box.append(
      h('p', { class: 'notice notice-warn', testid: 'insufficient' }, t('book.insufficient', { balance: formatPoints(balance), need: formatPoints(need) })),
      h(
        'a',
        { href: `/me?need=${need}&return=${encodeURIComponent(here)}#charge`, class: 'btn btn-primary btn-lg', testid: 'charge-link' },
        t('book.charge')
      ),
      subscribe
    );
    return box;
  }

  const buy = h(
    'button',
    { type: 'button', class: 'btn btn-primary btn-lg', testid: 'buy-button' },
    t('book.buy', { price: formatPoints(book.price) })
  );
  buy.addEventListener('click', async () => {
    buy.disabled = true;
    msg.hidden = true;
    try {
      const res = await api.purchase(book.id, newIdempotencyKey());
      app.setPoints(res?.balanceAfter);
      app.toast(t('book.bought', { title: book.title }));
      reload();
    } catch (e) {
      if (e.code === 'already_owned') return reload();
      if (e.code === 'insufficient_points') {
        await app.refreshMe();
        return reload();
      }
      msg.textContent = e.localized;
      msg.hidden = false;
      buy.disabled = false;
    }
  });
  box.append(
    buy,
    h('p', { class: 'balance-after', testid: 'balance-after' }, t('book.balanceAfter', { balance: formatPoints(balance), after: formatPoints(after) })),
    msg,
    subscribe
  );
  return box;
}

// What an episode costs the caller, in a word: free, owned, subscription, wait-free, price.
function costLabel(e) {
  const a = e.access;
  if (a.canRead) return h('span', { class: `cost cost-${a.reason}`, testid: 'episode-cost', dataset: { reason: a.reason } }, t(`episode.cost.${a.reason}`));
  const label = e.free ? t('episode.cost.free') : formatPoints(e.price);
  return h(
    'span',
    { class: 'cost cost-locked', testid: 'episode-cost', dataset: { reason: a.reason } },
    label,
    a.waitFreeAt ? h('span', { class: 'cost-wait' }, ` · ${t('episode.cost.waitFree')}`) : null
  );
}

function episodeRow(book, e) {
  return h(
    'li',
    { class: 'episode-row', testid: 'episode-row', dataset: { number: String(e.number) } },
    h(
      'a',
      { href: `/books/${book.id}/episodes/${e.number}`, class: 'episode-link' },
      h('span', { class: 'episode-no' }, t('episode.no', { n: e.number })),
      h('span', { class: 'episode-title' }, e.title),
      e.publishedAt ? h('span', { class: 'episode-date muted' }, formatDate(e.publishedAt)) : h('span', { class: 'badge badge-scheduled' }, t('episode.scheduledAt', { at: formatDateTime(e.scheduledAt) }))
    ),
    costLabel(e)
  );
}

// The work's episodes with what each costs the caller, and "first episode" / "continue".
async function episodesSection(book, app, signal) {
  const list = h('ol', { class: 'episode-list', testid: 'episode-list' });
  const start = h('div', { class: 'action-box', testid: 'work-actions' });
  let items = [];
  let cursor = null;
  do {
    const res = await api.episodes(book.id, cursor, { signal });
    items = items.concat(res.items || []);
    cursor = res.nextCursor;
  } while (cursor);
  list.append(...items.map((e) => episodeRow(book, e)));
  let progress = null;
  if (app.me) progress = (await api.progressOf(book.id, { signal }).catch(() => null))?.progress || null;
  const first = items.find((e) => e.publishedAt) || items[0];
  if (progress)
    start.append(h('a', { href: `/books/${book.id}/episodes/${progress.episode}`, class: 'btn btn-primary btn-lg', testid: 'continue-button' }, t('episode.continue', { n: progress.episode })));
  if (first)
    start.append(h('a', { href: `/books/${book.id}/episodes/${first.number}`, class: progress ? 'btn' : 'btn btn-primary btn-lg', testid: 'first-episode' }, t('episode.first')));
  if (items.some((e) => ownsForGood(e.access))) start.append(epubLink(book.id));
  return {
    start,
    list: h('section', { class: 'episodes', 'aria-labelledby': 'eps-h', testid: 'episodes-section' }, h('h2', { id: 'eps-h' }, t('episode.listTitle', { count: items.length })), list),
  };
}

export async function render(root, { params, signal, app }) {
  const [bookId] = params;
  root.append(spinner());

  async function load() {
    let res;
    try {
      res = await api.book(bookId, { signal });
    } catch (e) {
      if (isAbort(e)) return;
      fill(root, heading(t(e.status === 404 ? 'book.notFound' : 'error.title')), errorBox(e));
      return;
    }
    const { book, access } = res;
    // access tells us whether the server sees a session even if this tab did not know.
    if (access?.reason !== 'login_required' && !app.me) await app.ensureMe();
    if (signal.aborted) return;
    app.setTitle(book.title);
    let eps = null;
    if (book.serial || book.episodeCount > 1) {
      try {
        eps = await episodesSection(book, app, signal);
      } catch (e) {
        if (isAbort(e)) return;
        eps = { start: errorBox(e), list: null };
      }
    }

    const info = h(
      'div',
      { class: 'book-info' },
      book.bestseller ? h('span', { class: 'badge badge-best', testid: 'bestseller-mark' }, t('book.bestseller')) : null,
      h('h1', { tabindex: '-1', testid: 'book-title' }, book.title),
      h(
        'p',
        { class: 'byline' },
        h('a', { href: `/authors/${book.authorId}`, testid: 'author-link' }, book.authorName || t('book.unknownAuthor'))
      ),
      book.tagline ? h('p', { class: 'tagline', testid: 'book-tagline' }, book.tagline) : null,
      book.tagline ? madeByAi(book, 'tagline') : null,
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, t('book.price')), h('dd', { testid: 'book-price' }, book.price > 0 ? formatPoints(book.price) : t('book.free'))),
        h('div', {}, h('dt', {}, t('book.views')), h('dd', { testid: 'book-views' }, t('book.viewsN', { n: formatNumber(book.views) }))),
        book.publishedAt ? h('div', {}, h('dt', {}, t('book.published')), h('dd', {}, formatDate(book.publishedAt))) : null
      ),
      priceReason(book) ? h('p', { class: 'price-reason', testid: 'price-reason' }, t('book.priceReason'), ': ', priceReason(book)) : null,
      madeByAi(book, 'price'),
      readerCounts(book, app, { signal }),
      eps ? eps.start : actionBox(book, access, app, load),
      h(
        'div',
        { class: 'book-social' },
        followButton('book', book.id, app, { signal }),
        h('a', { href: `/books/${book.id}/feed.atom`, class: 'feed-link', type: 'application/atom+xml', testid: 'book-feed' }, t('follow.feed'))
      ),
      h('section', { class: 'summary', testid: 'book-summary', 'aria-label': t('book.summary') }, h('h2', {}, t('book.summary')), madeByAi(book, 'summary'), paragraphs(book.summary)),
      generatedBy(book.generatedBy, app.me?.id === book.authorId),
      eps ? eps.list : null
    );
    fill(root, h('article', { class: 'book-detail', testid: 'book-detail' }, coverColumn(book), info));
  }
  await load();
}
