// One episode of a work: its text with previous/next, the reading position saved on the
// server as you read (restored on any device), and at a locked episode the offers: buy this
// episode, buy all remaining, wait-until-free (with the countdown) or the subscription, each
// confirmed with the balance after, never one the balance cannot pay.
import { api, newIdempotencyKey } from '../api.js';
import { t, formatPoints } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, paragraphs, fill, confirmDialog } from '../dom.js';
import { loadSettings, applySettings, clearSettings } from './reader.js';
import { recapSlot, askPanel } from './reader-ai.js';
import { commentsSection } from '../comments.js';

const here = (bookId, n) => `/books/${bookId}/episodes/${n}`;

// "3:04:05" until at (ms), or null once it has come.
function countdown(at, now = Date.now()) {
  const s = Math.ceil((at - now) / 1000);
  if (s <= 0) return null;
  const pad = (x) => String(x).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

// Paid episodes the caller cannot read yet: what "buy all remaining" would buy.
async function lockedEpisodes(bookId, signal) {
  const out = [];
  let cursor = null;
  do {
    const res = await api.episodes(bookId, cursor, { signal });
    for (const e of res.items || []) if (!e.access.canRead && !e.free) out.push(e);
    cursor = res.nextCursor;
  } while (cursor);
  return out;
}

function offerBox(testid, title, ...body) {
  return h('section', { class: 'offer', testid, 'aria-label': title }, h('h2', { class: 'offer-title' }, title), ...body);
}

// A button that asks first, showing the balance before and after, then runs act().
function confirmedButton({ label, testid, title, body, act, msg }) {
  const b = h('button', { type: 'button', class: 'btn btn-primary', testid }, label);
  b.addEventListener('click', async () => {
    if (!(await confirmDialog({ title, body }))) return;
    b.disabled = true;
    msg.hidden = true;
    try {
      await act();
    } catch (e) {
      msg.textContent = e.localized || e.message;
      msg.hidden = false;
      b.disabled = false;
    }
  });
  return b;
}

function chargeLink(need, back) {
  return h(
    'a',
    { href: `/me?need=${need}&return=${encodeURIComponent(back)}#charge`, class: 'btn', testid: 'offer-charge' },
    t('book.charge')
  );
}

function buyOffers(ctx, locked, msg) {
  const { bookId, n, app, reload, denial } = ctx;
  const balance = app.me.points || 0;
  const price = denial.price ?? ctx.episode.price;
  const out = [];
  const after = (cost) => t('book.balanceAfter', { balance: formatPoints(balance), after: formatPoints(balance - cost) });
  if (balance >= price)
    out.push(
      offerBox(
        'offer-buy',
        t('episode.buyOne', { price: formatPoints(price) }),
        h('p', { class: 'balance-after' }, after(price)),
        confirmedButton({
          label: t('episode.buyOneGo'),
          testid: 'buy-episode',
          title: t('episode.confirmOne', { n }),
          body: after(price),
          msg,
          act: async () => {
            const res = await api.purchaseEpisode(bookId, n, newIdempotencyKey());
            app.setPoints(res.balanceAfter);
            app.toast(t('episode.boughtOne', { n }));
            reload();
          },
        })
      )
    );
  else
    out.push(
      offerBox(
        'offer-buy',
        t('episode.buyOne', { price: formatPoints(price) }),
        h('p', { class: 'notice notice-warn', testid: 'insufficient' }, t('book.insufficient', { balance: formatPoints(balance), need: formatPoints(price - balance) })),
        chargeLink(price - balance, here(bookId, n))
      )
    );
  const sum = locked.reduce((a, e) => a + e.price, 0);
  if (locked.length > 1 && balance >= sum)
    out.push(
      offerBox(
        'offer-buy-all',
        t('episode.buyAll', { count: locked.length, price: formatPoints(sum) }),
        h('p', { class: 'balance-after' }, after(sum)),
        confirmedButton({
          label: t('episode.buyAllGo'),
          testid: 'buy-all',
          title: t('episode.confirmAll', { count: locked.length }),
          body: after(sum),
          msg,
          act: async () => {
            const res = await api.purchase(bookId, newIdempotencyKey());
            app.setPoints(res.balanceAfter);
            app.toast(t('episode.boughtAll', { count: (res.episodes || []).length }));
            reload();
          },
        })
      )
    );
  return out;
}

function waitFreeOffer(ctx, msg) {
  const { bookId, n, app, reload, denial } = ctx;
  const at = denial.waitFreeAt ? Date.parse(denial.waitFreeAt) : null;
  if (!at) return null;
  const clock = h('p', { class: 'countdown', testid: 'wait-free-countdown' });
  const go = confirmedButton({
    label: t('episode.waitFreeGo'),
    testid: 'wait-free',
    title: t('episode.confirmWaitFree', { n }),
    body: t('episode.waitFreeBody', { balance: formatPoints(app.me.points || 0) }),
    msg,
    act: async () => {
      await api.waitFree(bookId, n, newIdempotencyKey());
      app.toast(t('episode.unlocked', { n }));
      reload();
    },
  });
  function tick() {
    const left = countdown(at);
    clock.textContent = left ? t('episode.waitFreeIn', { time: left }) : t('episode.waitFreeReady');
    go.hidden = !!left;
    return !left;
  }
  if (!tick()) ctx.timers.push(setInterval(tick, 1000));
  return offerBox('offer-wait-free', t('episode.waitFree'), clock, go);
}

function subscriptionOffer(ctx, msg) {
  const { app, reload, denial, bookId, n } = ctx;
  const price = denial.subscriptionPrice;
  if (!price) return null;
  const balance = app.me.points || 0;
  if (balance < price)
    return offerBox('offer-subscription', t('episode.subscribe', { price: formatPoints(price) }), chargeLink(price - balance, here(bookId, n)));
  const after = t('book.balanceAfter', { balance: formatPoints(balance), after: formatPoints(balance - price) });
  return offerBox(
    'offer-subscription',
    t('episode.subscribe', { price: formatPoints(price) }),
    h('p', { class: 'balance-after' }, after),
    confirmedButton({
      label: t('episode.subscribeGo'),
      testid: 'subscribe',
      title: t('episode.confirmSubscribe'),
      body: after,
      msg,
      act: async () => {
        await api.subscribe(true);
        await app.refreshMe();
        app.toast(t('sub.started'));
        reload();
      },
    })
  );
}

async function lockedView(root, ctx) {
  const { bookId, n, app, signal, denial } = ctx;
  const back = h('a', { href: `/books/${bookId}`, class: 'btn btn-ghost', testid: 'episode-back' }, `← ${t('episode.toWork')}`);
  if (denial.status === 401 || !app.me) {
    fill(
      root,
      back,
      heading(t('reader.loginTitle')),
      h('p', {}, t('episode.loginBody')),
      h('a', { href: `/login?next=${encodeURIComponent(here(bookId, n))}`, class: 'btn btn-primary', testid: 'reader-login' }, t('nav.login'))
    );
    return;
  }
  await app.refreshMe();
  const locked = await lockedEpisodes(bookId, signal);
  if (signal.aborted) return;
  const msg = h('p', { class: 'form-error', role: 'alert', testid: 'offer-error', hidden: true });
  fill(
    root,
    back,
    heading(t('episode.lockedTitle', { n, title: ctx.episode.title })),
    h('p', {}, t('episode.lockedBody')),
    h('p', { class: 'muted', testid: 'offer-balance' }, t('episode.balance', { balance: formatPoints(app.me.points || 0) })),
    h(
      'div',
      { class: 'offers', testid: 'episode-offers' },
      buyOffers(ctx, locked, msg),
      waitFreeOffer(ctx, msg),
      subscriptionOffer(ctx, msg)
    ),
    msg
  );
}

// The first paragraph still on screen: the anchor saved with the progress.
function anchorOf(article) {
  const ps = article.querySelectorAll('p[data-anchor]');
  for (const p of ps) if (p.getBoundingClientRect().bottom > 0) return Number(p.dataset.anchor);
  return Math.max(0, ps.length - 1);
}

function percentOf() {
  const max = document.documentElement.scrollHeight - window.innerHeight;
  return max > 0 ? Math.round(Math.min(1, Math.max(0, window.scrollY / max)) * 100) : 100;
}

function navLinks(bookId, page) {
  const link = (to, label, testid) =>
    to ? h('a', { href: here(bookId, to), class: 'btn', testid, rel: testid === 'episode-prev' ? 'prev' : 'next' }, label) : h('span', { class: 'btn btn-placeholder', 'aria-hidden': 'true' });
  return h(
    'nav',
    { class: 'episode-nav', 'aria-label': t('episode.nav') },
    link(page.prev, `← ${t('episode.prev', { n: page.prev })}`, 'episode-prev'),
    h('a', { href: `/books/${bookId}`, class: 'btn btn-ghost', testid: 'episode-list-link' }, t('episode.list')),
    link(page.next, `${t('episode.next', { n: page.next })} →`, 'episode-next')
  );
}

function readingView(root, ctx, page, data) {
  const { bookId, n, app } = ctx;
  const settings = loadSettings();
  const recap = app.me ? recapSlot(bookId, n, ctx.signal) : null;
  const article = h(
    'article',
    { class: 'reader-text', testid: 'reader-content', lang: 'ko' },
    h('h1', { class: 'reader-title', tabindex: '-1', testid: 'reader-title' }, t('episode.heading', { n, title: data.title })),
    paragraphs(data.content).map((p, i) => {
      p.dataset.anchor = String(i);
      return p;
    })
  );
  fill(
    root,
    h(
      'div',
      { class: 'reader-toolbar' },
      h('a', { href: `/books/${bookId}`, class: 'btn btn-ghost', testid: 'reader-back' }, `← ${t('episode.toWork')}`),
      h('span', { class: 'reader-toolbar-title' }, page.book?.title || '')
    ),
    recap,
    article,
    navLinks(bookId, page),
    app.me ? askPanel(bookId) : null,
    commentsSection(bookId, n, app)
  );
  document.body.classList.add('reading');
  applySettings(root, settings);
  let last = null;
  const save = () => {
    if (!app.me) return;
    const p = { anchor: anchorOf(article), percent: percentOf() };
    if (last && last.anchor === p.anchor && last.percent === p.percent) return;
    last = p;
    api.saveProgress(bookId, n, p.anchor, p.percent).catch(() => {});
  };
  let timer = null;
  const onScroll = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  };
  window.addEventListener('scroll', onScroll, { passive: true });
  window.addEventListener('pagehide', save);
  ctx.cleanups.push(() => {
    clearTimeout(timer);
    save();
    window.removeEventListener('scroll', onScroll);
    window.removeEventListener('pagehide', save);
    document.body.classList.remove('reading');
    clearSettings();
  });
  // where this reader stopped in this episode, on whichever device (after the recap, which
  // must see the progress before this visit moves it)
  (recap ? recap.done : Promise.resolve())
    .then(() => api.progressOf(bookId, { signal: ctx.signal }))
    .then((res) => {
      const pr = res?.progress;
      const target = pr && pr.episode === n && article.querySelector(`p[data-anchor="${pr.anchor}"]`);
      if (target && pr.anchor > 0) target.scrollIntoView({ block: 'start' });
      if (!pr || pr.episode !== n) save();
    })
    .catch(() => {});
}

export async function render(root, { params, signal, app }) {
  const [bookId, num] = params;
  const n = Number(num);
  const ctx = { bookId, n, app, signal, timers: [], cleanups: [] };
  root.append(spinner());
  async function load() {
    ctx.timers.splice(0).forEach(clearInterval);
    let page;
    try {
      page = await api.episode(bookId, n, { signal });
    } catch (e) {
      if (!isAbort(e)) fill(root, heading(t(e.status === 404 ? 'episode.notFound' : 'error.title')), errorBox(e));
      return;
    }
    ctx.episode = page.episode;
    if (!app.me && page.access.reason !== 'login_required') await app.ensureMe();
    app.setTitle(`${t('episode.heading', { n, title: page.episode.title })} · ${page.book?.title || ''}`);
    try {
      const data = await api.episodeContent(bookId, n, { signal });
      readingView(root, ctx, page, data);
    } catch (e) {
      if (isAbort(e)) return;
      if (e.status !== 401 && e.status !== 403) return fill(root, heading(t('error.title')), errorBox(e));
      ctx.denial = { status: e.status, ...(e.body || {}) };
      ctx.reload = load;
      await lockedView(root, ctx).catch((x) => isAbort(x) || fill(root, errorBox(x)));
    }
  }
  await load();
  return () => {
    ctx.timers.forEach(clearInterval);
    ctx.cleanups.forEach((f) => f());
  };
}
