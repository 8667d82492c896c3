// Receipts: the member's points orders, newest first, with status, amount,
// method and time; a pending one can be paid from here.
import { api } from '../api.js';
import { t, formatPoints, formatDate, formatTime } from '../i18n.js';
import { h, clear, fill, errorBox, heading, isAbort, statusBadge } from '../dom.js';
import { paymentMethod } from './checkout.js';

function row(o) {
  const when = o.paidAt || o.createdAt;
  return h(
    'tr',
    { testid: 'receipt-row', dataset: { status: o.status, orderId: String(o.id) } },
    h('td', {}, h('span', { class: 'nowrap' }, formatDate(when)), ' ', h('span', { class: 'nowrap' }, formatTime(when))),
    h('td', { class: 'num', testid: 'receipt-amount' }, formatPoints(o.amount)),
    h('td', { class: 'col-method' }, paymentMethod(o)),
    h(
      'td',
      {},
      statusBadge(o.status, 'order'),
      o.refunded > 0 && o.status !== 'refunded' ? h('span', { class: 'muted' }, ` ${t('receipts.refunded', { amount: formatPoints(o.refunded) })}`) : null,
      o.status === 'pending' ? [' ', h('a', { href: `/points/checkout?order=${o.id}`, testid: 'receipt-pay' }, t('receipts.pay'))] : null
    ),
    h('td', { class: 'muted col-order' }, t('receipts.number', { id: o.id }))
  );
}

export async function render(root, { signal, app }) {
  app.setTitle(t('receipts.title'));
  if (!(await app.requireLogin()) || signal.aborted) return;
  const tbody = h('tbody', { testid: 'receipt-rows' });
  const empty = h('p', { class: 'empty', testid: 'receipts-empty', hidden: true }, t('receipts.empty'));
  const more = h('button', { type: 'button', class: 'btn', testid: 'receipts-more', hidden: true }, t('common.more'));
  const status = h('div');
  let cursor = null;
  async function load() {
    more.disabled = true;
    try {
      const res = await api.orders(cursor, { signal });
      tbody.append(...(res.items || []).map(row));
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
  more.addEventListener('click', load);
  root.append(
    h('header', { class: 'page-head' }, heading(t('receipts.title')), h('p', { class: 'muted' }, h('a', { href: '/me' }, `← ${t('me.title')}`))),
    h(
      'section',
      { class: 'card wide', 'aria-labelledby': 'receipts-h', testid: 'receipts' },
      h('h2', { id: 'receipts-h', class: 'visually-hidden' }, t('receipts.title')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table receipts-table' },
          h('thead', {}, h('tr', {}, ['when', 'amount', 'method', 'status', 'numberCol'].map((k) => h('th', { scope: 'col', class: { amount: 'num', method: 'col-method', numberCol: 'col-order' }[k] ?? null }, t(`receipts.${k}`))))),
          tbody
        )
      ),
      empty,
      status,
      more
    )
  );
  await load();
}
