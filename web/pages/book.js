// Book: details and one clear action chosen from access.reason.
import { api, newIdempotencyKey } from '../api.js';
import { t, formatPoints, formatNumber, formatDate } from '../i18n.js';
import { h, cover, spinner, errorBox, heading, isAbort, paragraphs, fill } from '../dom.js';
import { followButton } from '../community.js';

function generatedBy(g) {
  if (!g) return null;
  const part = (k) => `${t(`book.gen.${k}`)}: ${g[k] || '—'}`;
  return h('p', { class: 'generated-by', testid: 'generated-by' }, `${t('book.generatedBy')} · ${part('summary')} · ${part('price')} · ${part('cover')}`);
}

function actionBox(book, access, app, reload) {
  const box = h('div', { class: 'action-box', testid: 'book-action', dataset: { reason: access?.reason || '' } });
  const here = `/books/${book.id}`;

  if (access?.canRead) {
    box.append(
      h('a', { href: `/read/${book.id}`, class: 'btn btn-primary btn-lg', testid: 'read-button' }, t('book.read')),
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
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, t('book.price')), h('dd', { testid: 'book-price' }, book.price > 0 ? formatPoints(book.price) : t('book.free'))),
        h('div', {}, h('dt', {}, t('book.views')), h('dd', { testid: 'book-views' }, t('book.viewsN', { n: formatNumber(book.views) }))),
        book.publishedAt ? h('div', {}, h('dt', {}, t('book.published')), h('dd', {}, formatDate(book.publishedAt))) : null
      ),
      book.priceReason ? h('p', { class: 'price-reason', testid: 'price-reason' }, t('book.priceReason'), ': ', book.priceReason) : null,
      actionBox(book, access, app, load),
      h(
        'div',
        { class: 'book-social' },
        followButton('book', book.id, app, { signal }),
        h('a', { href: `/books/${book.id}/feed.atom`, class: 'feed-link', type: 'application/atom+xml', testid: 'book-feed' }, t('follow.feed'))
      ),
      h('section', { class: 'summary', testid: 'book-summary', 'aria-label': t('book.summary') }, h('h2', {}, t('book.summary')), paragraphs(book.summary)),
      generatedBy(book.generatedBy)
    );
    fill(root, h('article', { class: 'book-detail', testid: 'book-detail' }, cover(book, 'lg'), info));
  }
  await load();
}
