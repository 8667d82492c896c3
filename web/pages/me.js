// My page: balance and charging, the points ledger, the subscription and the
// library of bought books.
import { api } from '../api.js';
import { startCharge } from './checkout.js';
import { epubLink } from './reader-ai.js';
import { t, formatPoints, formatSignedPoints, formatDate, formatTime } from '../i18n.js';
import { h, clear, spinner, errorBox, heading, isAbort, bookGrid, bookCard, formError, showFormError, confirmDialog, safePath, fill } from '../dom.js';

const PRESETS = [1000, 5000, 10000, 50000];
const MIN = 100;
const MAX = 1000000;
const DEFAULT_SUBSCRIPTION_PRICE = 9900;

function chargeSection(app, query, onCharged) {
  const balance = h('p', { class: 'balance', testid: 'balance', 'aria-live': 'polite' }, formatPoints(app.me.points));
  const need = Number(query.get('need'));
  const initial = Number.isFinite(need) && need > 0 ? Math.min(MAX, Math.max(MIN, Math.ceil(need / 100) * 100)) : 5000;
  const amount = h('input', {
    id: 'charge-amount',
    name: 'amount',
    type: 'number',
    inputmode: 'numeric',
    min: MIN,
    max: MAX,
    step: 100,
    value: String(initial),
    required: true,
    testid: 'charge-amount',
    'aria-describedby': 'charge-hint',
  });
  const presets = h(
    'div',
    { class: 'presets', role: 'group', 'aria-label': t('me.presets') },
    PRESETS.map((p) => {
      const b = h('button', { type: 'button', class: 'btn chip', testid: `charge-preset-${p}`, 'aria-pressed': String(p === initial) }, formatPoints(p));
      b.addEventListener('click', () => {
        amount.value = String(p);
        syncPresets();
      });
      return b;
    })
  );
  function syncPresets() {
    presets.querySelectorAll('button').forEach((b, i) => b.setAttribute('aria-pressed', String(Number(amount.value) === PRESETS[i])));
  }
  amount.addEventListener('input', syncPresets);

  const back = safePath(query.get('return'), '');
  const form = h(
    'form',
    { class: 'charge-form', testid: 'charge-form', novalidate: true },
    presets,
    h(
      'div',
      { class: 'field inline' },
      h('label', { for: 'charge-amount' }, t('me.amount')),
      h('div', { class: 'input-suffix' }, amount, h('span', { 'aria-hidden': 'true' }, 'P')),
      h('p', { class: 'hint', id: 'charge-hint' }, t('me.amountHint', { min: formatPoints(MIN), max: formatPoints(MAX) }))
    ),
    formError('charge-error'),
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'charge-submit' }, t('me.charge')),
    back ? h('p', {}, h('a', { href: back, testid: 'charge-return' }, `← ${t('me.returnToBook')}`)) : null
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = Number(amount.value);
    if (!Number.isInteger(v) || v < MIN || v > MAX) {
      showFormError(form, { localized: t('me.amountInvalid', { min: formatPoints(MIN), max: formatPoints(MAX) }), field: 'amount' });
      return;
    }
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    showFormError(form, null);
    try {
      // Through the payment provider: with a real one this page is left for its checkout.
      const res = await startCharge(v, back);
      balance.textContent = formatPoints(res.balance);
      app.setPoints(res.balance);
      app.toast(t('me.charged', { amount: formatPoints(v) }));
      onCharged();
    } catch (e) {
      if (e.field === 'amount' || e.code === 'validation_failed') e.field = 'amount';
      showFormError(form, e);
    } finally {
      btn.disabled = false;
    }
  });
  return {
    balance,
    el: h(
      'section',
      { class: 'card', id: 'charge', 'aria-labelledby': 'charge-h', testid: 'charge-section' },
      h('h2', { id: 'charge-h' }, t('me.balance')),
      balance,
      form
    ),
  };
}

// A ledger line names its work (and the episode, for a serial one): the link says "book #id"
// until the work arrives (one request per work, shared by every line and page).
const works = new Map();
function workOf(e, signal) {
  const a = h('a', { href: `/books/${e.bookId}` }, t('ledger.book', { id: e.bookId }));
  const ep = h('span', { testid: 'ledger-episode' });
  if (!works.has(e.bookId)) works.set(e.bookId, api.book(e.bookId, { signal }).then((r) => r.book, () => null));
  works.get(e.bookId).then((book) => {
    if (!book) {
      works.delete(e.bookId); // asked again next time
      return;
    }
    a.textContent = book.title;
    if (book.serial && e.episode) ep.textContent = ` ${t('ledger.episode', { n: e.episode })}`;
  });
  return [' · ', a, ep];
}

function ledgerSection(signal) {
  const tbody = h('tbody', { testid: 'ledger-rows' });
  const more = h('button', { type: 'button', class: 'btn', testid: 'ledger-more', hidden: true }, t('common.more'));
  const empty = h('p', { class: 'empty', testid: 'ledger-empty', hidden: true }, t('me.ledgerEmpty'));
  const status = h('div');
  let cursor = null;

  async function load(reset) {
    if (reset) {
      cursor = null;
      clear(tbody);
    }
    more.disabled = true;
    try {
      const res = await api.ledger(cursor, { signal });
      for (const e of res.items || []) {
        tbody.append(
          h(
            'tr',
            { testid: 'ledger-row', dataset: { kind: e.kind } },
            // Date and time wrap as two units, never mid-date on a phone.
            h('td', {}, h('span', { class: 'nowrap' }, formatDate(e.createdAt)), ' ', h('span', { class: 'nowrap' }, formatTime(e.createdAt))),
            h('td', {}, t(`ledger.${e.kind}`), e.bookId ? workOf(e, signal) : null),
            h('td', { class: `num ${e.amount < 0 ? 'neg' : 'pos'}` }, formatSignedPoints(e.amount)),
            h('td', { class: 'num', dataset: { label: t('ledger.balanceAfter') } }, formatPoints(e.balanceAfter))
          )
        );
      }
      cursor = res.nextCursor || null;
      more.hidden = !cursor;
      empty.hidden = tbody.children.length > 0;
      clear(status);
    } catch (e) {
      if (!isAbort(e)) fill(status, errorBox(e));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(false));
  load(true);
  return {
    reload: () => load(true),
    el: h(
      'section',
      { class: 'card wide', id: 'ledger', 'aria-labelledby': 'ledger-h', testid: 'ledger-section' },
      h('div', { class: 'section-head' }, h('h2', { id: 'ledger-h' }, t('me.ledger')), h('a', { href: '/me/receipts', testid: 'receipts-link' }, t('receipts.title'))),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table ledger-table', testid: 'ledger' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('ledger.when')), h('th', { scope: 'col' }, t('ledger.what')), h('th', { scope: 'col', class: 'num' }, t('ledger.amount')), h('th', { scope: 'col', class: 'num' }, t('ledger.balanceAfter')))),
          tbody
        )
      ),
      empty,
      status,
      more
    ),
  };
}

function subscriptionSection(app, signal, onChange) {
  const body = h('div', { testid: 'subscription' }, spinner());

  function draw(sub) {
    const price = sub?.price || DEFAULT_SUBSCRIPTION_PRICE;
    const msg = formError('subscription-error');
    const parts = [];
    if (sub?.active) {
      parts.push(
        h('p', { class: 'sub-state', testid: 'subscription-state', dataset: { active: 'true' } }, h('span', { class: 'badge badge-published' }, t('sub.active'))),
        h('p', { testid: 'subscription-expiry' }, t('sub.expires', { date: formatDate(sub.expiresAt) })),
        h('p', { testid: 'subscription-autorenew', dataset: { autoRenew: String(!!sub.autoRenew) } }, sub.autoRenew ? t('sub.autoRenewOn') : t('sub.autoRenewOff'))
      );
    } else {
      parts.push(
        h('p', { class: 'sub-state', testid: 'subscription-state', dataset: { active: 'false' } }, t('sub.inactive')),
        sub?.expiresAt ? h('p', { class: 'muted' }, t('sub.expired', { date: formatDate(sub.expiresAt) })) : null
      );
    }
    parts.push(h('p', { class: 'muted' }, t('sub.pitch', { price: formatPoints(price) })));

    const auto = h('input', { type: 'checkbox', id: 'sub-auto', testid: 'subscribe-autorenew', checked: sub?.active ? !!sub.autoRenew : true });
    const subscribe = h('button', { type: 'button', class: 'btn btn-primary', testid: 'subscribe-button' }, sub?.active ? t('sub.extend', { price: formatPoints(price) }) : t('sub.subscribe', { price: formatPoints(price) }));
    subscribe.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: sub?.active ? t('sub.confirmExtendTitle') : t('sub.confirmTitle'),
        body: t('sub.confirmBody', { price: formatPoints(price), balance: formatPoints((app.me?.points || 0) - price) }),
        ok: t('sub.confirmOk'),
      });
      if (!ok) return;
      subscribe.disabled = true;
      showFormError(box, null);
      try {
        const res = await api.subscribe(auto.checked);
        app.toast(t('sub.started'));
        await app.refreshMe();
        draw(res.subscription);
        onChange();
      } catch (e) {
        subscribe.disabled = false;
        if (e.code === 'insufficient_points') {
          const need = (e.body.price || price) - (e.body.balance ?? app.me?.points ?? 0);
          e = { localized: `${e.localized} ${t('sub.chargeFirst', { need: formatPoints(Math.max(need, 0)) })}` };
        }
        showFormError(box, e);
      }
    });
    const controls = [h('div', { class: 'check' }, auto, h('label', { for: 'sub-auto' }, t('sub.autoRenew'))), subscribe];
    if (sub?.active && sub.autoRenew) {
      const off = h('button', { type: 'button', class: 'btn', testid: 'cancel-autorenew' }, t('sub.turnOff'));
      off.addEventListener('click', async () => {
        off.disabled = true;
        try {
          const res = await api.cancelAutoRenew();
          app.toast(t('sub.turnedOff'));
          draw(res.subscription);
        } catch (e) {
          off.disabled = false;
          showFormError(box, e);
        }
      });
      controls.push(off);
    }
    const box = h('div', { class: 'sub-box' }, parts, h('div', { class: 'actions' }, controls), msg);
    fill(body, box);
  }

  api
    .subscription({ signal })
    .then((res) => draw(res.subscription))
    .catch((e) => {
      if (!isAbort(e)) draw(app.me.subscription);
    });
  return h(
    'section',
    { class: 'card', id: 'subscription', 'aria-labelledby': 'sub-h', testid: 'subscription-section' },
    h('h2', { id: 'sub-h' }, t('me.subscription')),
    body
  );
}

// A work on the shelf: its card, new episodes since the reader's last one, "continue", and
// the EPUB of what the member owns of it.
function shelfCard(it) {
  const book = { ...(it.book || it), purchasedAt: it.purchasedAt };
  const card = bookCard(book);
  if (it.newEpisodes > 0) card.append(h('span', { class: 'badge badge-new', testid: 'library-new' }, t('me.newEpisodes', { n: it.newEpisodes })));
  if (it.lastRead)
    card.append(h('a', { href: `/books/${book.id}/episodes/${it.lastRead.episode}`, class: 'btn btn-small', testid: 'library-continue' }, t('episode.continue', { n: it.lastRead.episode })));
  if (it.ownedEpisodes > 0) card.append(epubLink(book.id, true));
  return card;
}

function librarySection(signal) {
  const body = h('div', {}, spinner());
  const more = h('button', { type: 'button', class: 'btn', testid: 'library-more', hidden: true }, t('common.more'));
  let cursor = null;
  let list = null;
  async function load() {
    more.disabled = true;
    try {
      const res = await api.library(cursor, { signal });
      if (!list) {
        list = bookGrid([], 'library');
        fill(body, list);
      }
      list.append(...(res.items || []).map(shelfCard));
      if (!list.children.length) fill(body, h('p', { class: 'empty', testid: 'library-empty' }, t('me.libraryEmpty'), ' ', h('a', { href: '/' }, t('me.browse'))));
      cursor = res.nextCursor || null;
      more.hidden = !cursor;
    } catch (e) {
      if (!isAbort(e)) fill(body, errorBox(e));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);
  load();
  return h(
    'section',
    { class: 'card wide', id: 'library', 'aria-labelledby': 'lib-h', testid: 'library-section' },
    h('h2', { id: 'lib-h' }, t('me.library')),
    body,
    more
  );
}

export async function render(root, { query, signal, app }) {
  app.setTitle(t('me.title'));
  const who = await app.requireLogin();
  if (!who || signal.aborted) return;
  // Fresh numbers: the balance may have changed in another tab.
  await app.refreshMe();
  if (signal.aborted || !app.me) return;

  const ledger = ledgerSection(signal);
  const charge = chargeSection(app, query, () => ledger.reload());
  const sub = subscriptionSection(app, signal, () => {
    ledger.reload();
    charge.balance.textContent = formatPoints(app.me?.points);
  });
  root.append(
    h(
      'header',
      { class: 'page-head' },
      heading(t('me.title')),
      h('p', { class: 'muted', testid: 'me-email' }, `${app.me.name} · ${app.me.email}`),
      h('nav', { class: 'subnav', 'aria-label': t('me.links') }, h('a', { href: '/notifications', testid: 'me-notes' }, t('nav.notes')), h('a', { href: '/me/account', testid: 'me-account' }, t('account.title')))
    ),
    h('div', { class: 'grid-2' }, librarySection(signal), charge.el, sub, ledger.el)
  );
}
