// Admin money desk: points orders with refunds (the whole order, or the part
// the member has not spent), and the authors' payout requests to mark paid.
import { api } from '../api.js';
import { t, formatPoints, formatDateTime } from '../i18n.js';
import { h, clear, fill, errorBox, heading, isAbort, statusBadge, formError, showFormError } from '../dom.js';
import { paymentMethod } from './checkout.js';

const ORDER_FILTERS = ['paid', 'partially_refunded', 'refunded', 'pending', 'failed', 'canceled'];

// A list that loads page by page with a "more" button; returns {el, reload}.
function pagedList(fetchPage, renderItem, testid) {
  const list = h('ul', { class: 'desk-list', testid });
  const empty = h('p', { class: 'empty', hidden: true }, t('desk.empty'));
  const status = h('div');
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('common.more'));
  let cursor = null;
  async function load(reset) {
    if (reset) {
      cursor = null;
      clear(list);
    }
    more.disabled = true;
    try {
      const res = await fetchPage(cursor);
      list.append(...(res.items || []).map(renderItem));
      cursor = res.nextCursor || null;
      more.hidden = !cursor;
      empty.hidden = list.children.length > 0;
      clear(status);
    } catch (e) {
      if (!isAbort(e)) fill(status, errorBox(e));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(false));
  return { el: [list, empty, status, more], reload: () => load(true) };
}

function refundForm(app, o, done) {
  const id = `refund-${o.id}`;
  const mode = h('select', { id: `${id}-mode`, name: 'mode', testid: `refund-mode-${o.id}` }, ['unspent', 'full'].map((m) => h('option', { value: m }, t(`desk.refund.${m}`))));
  const reason = h('input', { id: `${id}-reason`, name: 'reason', maxlength: 200, required: true, testid: `refund-reason-${o.id}` });
  const form = h(
    'form',
    { class: 'refund-form', novalidate: true },
    h('div', { class: 'field inline' }, h('label', { for: `${id}-mode` }, t('desk.refund.mode')), mode),
    h('div', { class: 'field inline' }, h('label', { for: `${id}-reason` }, t('desk.refund.reason')), reason),
    formError(),
    h('button', { type: 'submit', class: 'btn btn-danger', testid: `refund-${o.id}` }, t('desk.refund.submit'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) {
      showFormError(form, { localized: t('desk.refund.needReason'), field: 'reason' });
      return;
    }
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    try {
      const res = await api.refund(o.id, mode.value, reason.value.trim());
      app.toast(res.refund.status === 'pending' ? t('desk.refund.pending') : t('desk.refund.done', { amount: formatPoints(res.refund.amount) }));
      done(res.order);
    } catch (e) {
      showFormError(form, e);
      btn.disabled = false;
    }
  });
  return form;
}

function orderItem(app) {
  const item = (o) => {
    const li = h(
      'li',
      { class: 'card desk-item', testid: 'desk-order', dataset: { id: String(o.id), status: o.status } },
      h('div', { class: 'app-head' }, h('strong', {}, formatPoints(o.amount)), statusBadge(o.status, 'order'), h('span', { class: 'muted' }, t('admin.member', { id: o.memberId }), ' · ', paymentMethod(o), ' · ', formatDateTime(o.paidAt || o.createdAt))),
      o.refunded ? h('p', { class: 'muted' }, t('receipts.refunded', { amount: formatPoints(o.refunded) })) : null
    );
    if (o.status === 'paid' || o.status === 'partially_refunded') li.append(refundForm(app, o, (next) => li.replaceWith(item(next))));
    return li;
  };
  return item;
}

function payoutItem(app) {
  const item = (p) => {
    const li = h(
      'li',
      { class: 'card desk-item', testid: 'desk-payout', dataset: { id: String(p.id), status: p.status } },
      h('div', { class: 'app-head' }, h('strong', {}, formatPoints(p.amount)), statusBadge(p.status, 'payout'), h('span', { class: 'muted' }, p.authorName || t('admin.member', { id: p.authorId }), ' · ', formatDateTime(p.requestedAt))),
      p.reference ? h('p', { class: 'muted' }, t('desk.payout.reference'), ': ', p.reference) : null
    );
    if (p.status !== 'requested') return li;
    const ref = h('input', { id: `payout-ref-${p.id}`, name: 'reference', maxlength: 100, testid: `payout-ref-${p.id}` });
    const form = h(
      'form',
      { class: 'refund-form', novalidate: true },
      h('div', { class: 'field inline' }, h('label', { for: `payout-ref-${p.id}` }, t('desk.payout.reference')), ref),
      formError(),
      h('button', { type: 'submit', class: 'btn btn-primary', testid: `mark-paid-${p.id}` }, t('desk.payout.markPaid'))
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!ref.value.trim()) {
        showFormError(form, { localized: t('desk.payout.needReference'), field: 'reference' });
        return;
      }
      try {
        const res = await api.markPaid(p.id, ref.value.trim());
        app.toast(t('desk.payout.marked'));
        li.replaceWith(item(res.payout));
      } catch (e) {
        showFormError(form, e);
      }
    });
    li.append(form);
    return li;
  };
  return item;
}

export async function render(root, { signal, app }) {
  app.setTitle(t('desk.title'));
  const who = await app.requireLogin();
  if (!who || signal.aborted) return;
  if (!app.hasRole('admin')) {
    root.append(heading(t('desk.title')), h('p', { class: 'notice notice-error', testid: 'admin-forbidden' }, t('error.forbidden')));
    return;
  }
  let status = 'paid';
  const orders = pagedList((c) => api.adminOrders(status, c, { signal }), orderItem(app), 'desk-orders');
  const filter = h('select', { id: 'desk-order-status', testid: 'desk-order-status' }, ORDER_FILTERS.map((s) => h('option', { value: s }, t(`order.${s}`))));
  filter.addEventListener('change', () => {
    status = filter.value;
    orders.reload();
  });
  const payouts = pagedList((c) => api.payouts('requested', c, { signal }), payoutItem(app), 'desk-payouts');
  root.append(
    h('header', { class: 'page-head' }, heading(t('desk.title')), h('p', { class: 'muted' }, h('a', { href: '/admin' }, `← ${t('admin.title')}`))),
    h(
      'div',
      { class: 'grid-2' },
      h('section', { class: 'card wide', 'aria-labelledby': 'desk-orders-h' }, h('div', { class: 'section-head' }, h('h2', { id: 'desk-orders-h' }, t('desk.orders')), h('div', { class: 'field inline' }, h('label', { for: 'desk-order-status' }, t('admin.status')), filter)), orders.el),
      h('section', { class: 'card wide', 'aria-labelledby': 'desk-payouts-h' }, h('h2', { id: 'desk-payouts-h' }, t('desk.payouts')), payouts.el)
    )
  );
  orders.reload();
  payouts.reload();
}
