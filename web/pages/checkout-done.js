// Back from the provider's checkout. /points/checkout/success carries the
// provider's paymentKey, orderId and amount: the server confirms the payment
// with the provider itself and credits the points once. /points/checkout/fail
// carries the provider's code and message (the member gave up, or the card
// was refused before any money moved).
import { api } from '../api.js';
import { t, formatPoints } from '../i18n.js';
import { h, fill, spinner, errorBox, heading, safePath } from '../dom.js';

const POLL_MS = 2000;
const POLL_FOR_MS = 60000;

// Where to go next; first, when given, the action that comes before them (the one primary button).
function links(back, first = null) {
  const primary = (yes) => (yes && !first ? 'btn btn-primary' : 'btn');
  return h(
    'p',
    { class: 'actions' },
    first,
    back ? h('a', { href: back, class: primary(true), testid: 'checkout-return' }, t('me.returnToBook')) : null,
    h('a', { href: '/me', class: primary(!back), testid: 'checkout-me' }, t('checkout.toMe')),
    h('a', { href: '/me/receipts', class: 'btn', testid: 'checkout-receipts' }, t('receipts.title'))
  );
}

function paid(body, app, order, balance, back) {
  app.setPoints(balance);
  fill(
    body,
    h('p', { class: 'notice notice-ok', role: 'status', testid: 'checkout-paid' }, t('checkout.paid', { amount: formatPoints(order.amount) })),
    h('p', { testid: 'checkout-balance' }, t('checkout.balance', { balance: formatPoints(balance) })),
    links(back)
  );
}

function failed(body, message, back) {
  fill(
    body,
    h('p', { class: 'notice notice-error', role: 'alert', testid: 'checkout-failed' }, message),
    links(back, h('a', { href: '/me#charge', class: 'btn btn-primary', testid: 'checkout-retry' }, t('checkout.retry')))
  );
}

// The provider did not answer in time: the server settles the order by
// itself (its reconciliation pass); show it as soon as it has.
async function waitForSettlement(body, app, id, back, signal) {
  fill(body, h('p', { class: 'notice', role: 'status', testid: 'checkout-pending' }, t('checkout.pending')), links(back));
  const until = Date.now() + POLL_FOR_MS;
  while (!signal.aborted && Date.now() < until) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (signal.aborted) return;
    try {
      const { order } = await api.order(id, { signal });
      if (order.status === 'paid') {
        const who = await app.refreshMe();
        paid(body, app, order, who?.points ?? 0, back);
        return;
      }
      if (order.status !== 'pending') {
        failed(body, t('checkout.declined'), back);
        return;
      }
    } catch {
      /* keep waiting: the page says what is going on */
    }
  }
}

async function success(body, { query, signal, app }, id, back) {
  const paymentKey = query.get('paymentKey') || '';
  const amount = Number(query.get('amount'));
  try {
    const res = await api.confirmOrder(id, paymentKey, amount);
    if (res.order.status === 'pending') await waitForSettlement(body, app, id, back, signal);
    else paid(body, app, res.order, res.balance, back);
  } catch (e) {
    if (signal.aborted) return;
    if (e.code === 'payment_declined') failed(body, t('checkout.declinedWhy', { why: e.detail || '' }), back);
    else if (e.code === 'amount_mismatch') failed(body, t('checkout.amountMismatch'), back);
    // this page again (reloaded, or in another language) after the provider refused it
    else if (e.code === 'order_closed') failed(body, t('checkout.declined'), back);
    else fill(body, errorBox(e), links(back));
  }
}

export async function render(root, ctx) {
  const { params, query, signal, app } = ctx;
  const ok = params[0] === 'success';
  app.setTitle(ok ? t('checkout.confirming') : t('checkout.failTitle'));
  if (!(await app.requireLogin()) || signal.aborted) return;
  const id = Number(query.get('order'));
  const back = safePath(query.get('return'), '');
  const body = h('div', { class: 'card checkout', testid: 'checkout-result' }, spinner(t('checkout.confirming')));
  root.append(h('header', { class: 'page-head' }, heading(ok ? t('checkout.resultTitle') : t('checkout.failTitle'))), body);
  if (ok) {
    await success(body, ctx, id, back);
    return;
  }
  const code = query.get('code') || '';
  failed(body, code === 'PAY_PROCESS_CANCELED' ? t('checkout.canceled') : t('checkout.failedWhy', { why: query.get('message') || code }), back);
}
