// Buying points through the payment provider. startCharge() creates the
// order; with the development provider it is confirmed at once, with a real
// one the browser goes to /points/checkout, the only page whose
// Content-Security-Policy lets the provider's script in. That page loads the
// script and opens the provider's payment window; the provider sends the
// browser back to /points/checkout/success or /fail (checkout-done.js).
import { api, newIdempotencyKey } from '../api.js';
import { t, formatPoints, formatNumber } from '../i18n.js';
import { h, fill, spinner, errorBox, heading, formError, showFormError, safePath } from '../dom.js';

/**
 * Charges amount points. Resolves {balance} when the points are in (the
 * development provider), or leaves this page for the provider's checkout.
 */
export async function startCharge(amount, back) {
  // One key per click: a retried request of this click never opens two orders.
  const { order } = await api.createOrder(amount, newIdempotencyKey());
  if (order.checkout?.provider === 'dev') {
    return api.confirmOrder(order.id, order.checkout.paymentKey, order.amount);
  }
  const q = new URLSearchParams({ order: String(order.id) });
  if (back) q.set('return', back);
  // A full page load: the provider's script is allowed on that page only.
  location.assign(`/points/checkout?${q}`);
  return new Promise(() => {});
}

// The provider names the method in Korean (its documented values); the page's language names it here.
const METHODS = { 카드: 'card', 가상계좌: 'virtualAccount', 간편결제: 'easyPay', 휴대폰: 'mobile', 계좌이체: 'transfer', 문화상품권: 'giftCard', 도서문화상품권: 'bookGiftCard', 게임문화상품권: 'gameGiftCard' };

/** How an order was paid, in the page's language: the method, or else the provider. */
export function paymentMethod(o) {
  if (!o.method) return t(`provider.${o.provider}`);
  return METHODS[o.method] ? t(`method.${METHODS[o.method]}`) : o.method;
}

export function orderName(amount) {
  return t('checkout.orderName', { amount: formatPoints(amount) });
}

function loadScript(src) {
  if (window.TossPayments) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.addEventListener('load', () => resolve());
    s.addEventListener('error', () => reject(new Error(t('checkout.scriptFailed'))));
    document.head.append(s);
  });
}

function resultUrl(kind, order, back) {
  const q = new URLSearchParams({ order: String(order.id) });
  if (back) q.set('return', back);
  return `${location.origin}/points/checkout/${kind}?${q}`;
}

async function openProvider(order, back) {
  const c = order.checkout;
  await loadScript(c.scriptUrl);
  const toss = window.TossPayments(c.clientKey);
  const payment = toss.payment({ customerKey: c.customerKey || window.TossPayments.ANONYMOUS });
  await payment.requestPayment({
    method: 'CARD',
    amount: { currency: 'KRW', value: order.amount },
    orderId: c.orderId,
    orderName: orderName(order.amount),
    successUrl: resultUrl('success', order, back),
    failUrl: resultUrl('fail', order, back),
  });
}

// True when this document was loaded for this page, so its policy lets the provider's
// script in; reached by the router from another page (a receipt's link, history), it was not.
function loadedHere() {
  const nav = performance.getEntriesByType('navigation')[0];
  return !nav || new URL(nav.name).pathname === location.pathname;
}

export async function render(root, { query, signal, app }) {
  if (!loadedHere()) {
    location.reload();
    return;
  }
  app.setTitle(t('checkout.title'));
  if (!(await app.requireLogin()) || signal.aborted) return;
  const id = Number(query.get('order'));
  const back = safePath(query.get('return'), '');
  const body = h('div', { class: 'card checkout', testid: 'checkout' }, spinner());
  root.append(h('header', { class: 'page-head' }, heading(t('checkout.title'))), body);
  let order;
  try {
    ({ order } = await api.order(id, { signal }));
  } catch (e) {
    if (!signal.aborted) fill(body, errorBox(e));
    return;
  }
  if (order.status !== 'pending' || !order.checkout) {
    fill(
      body,
      h('p', { testid: 'checkout-closed' }, t('checkout.notPending', { status: t(`order.${order.status}`) })),
      h('p', {}, h('a', { href: '/me/receipts' }, t('receipts.title')))
    );
    return;
  }
  const pay = h('button', { type: 'button', class: 'btn btn-primary', testid: 'checkout-pay' }, t('checkout.pay', { amount: formatPoints(order.amount) }));
  const box = h(
    'div',
    {},
    h('dl', { class: 'order-summary' }, h('dt', {}, t('checkout.item')), h('dd', { testid: 'checkout-item' }, orderName(order.amount)), h('dt', {}, t('checkout.amount')), h('dd', { testid: 'checkout-amount' }, t('checkout.won', { amount: formatNumber(order.amount) }))),
    h('p', { class: 'muted' }, t('checkout.provider')),
    formError('checkout-error'),
    h('div', { class: 'actions' }, pay, h('a', { href: back || '/me', class: 'btn', testid: 'checkout-cancel' }, t('common.cancel')))
  );
  pay.addEventListener('click', async () => {
    pay.disabled = true;
    showFormError(box, null);
    try {
      await openProvider(order, back);
    } catch (e) {
      // The member closed the provider's window, or the SDK refused the request.
      showFormError(box, { localized: e?.code === 'USER_CANCEL' ? t('checkout.closed') : e?.message || t('error.unknown') });
      pay.disabled = false;
    }
  });
  fill(body, box);
  pay.focus();
}
