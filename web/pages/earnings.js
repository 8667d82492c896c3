// The author's earnings: what each work earned each month (sales and the
// subscription pool), a chart of the months, what is available, a payout
// request, and the payouts so far.
import { api, newIdempotencyKey } from '../api.js';
import { t, formatPoints, formatNumber, formatDate } from '../i18n.js';
import { h, fill, spinner, errorBox, heading, formError, showFormError, statusBadge } from '../dom.js';
import { requireAuthor } from './studio.js';

const SVG = 'http://www.w3.org/2000/svg';
const CHART_MONTHS = 12;

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

function monthLabel(m) {
  const [y, mo] = m.split('-').map(Number);
  return t('earnings.month', { year: y, month: mo });
}

// Stacked bars per month, oldest on the left: sales below, the pool above.
function chart(months) {
  const data = months.slice(0, CHART_MONTHS).reverse();
  const W = 640, H = 220, pad = 28, gap = 8;
  const max = Math.max(1, ...data.map((m) => m.sales + m.pool));
  // a slot a month, at most a sixth of the width: one month is a bar, not a wall
  const slot = (W - pad * 2) / Math.max(data.length, 6);
  const bw = slot - gap;
  const y = (v) => H - pad - (v / max) * (H - pad * 2);
  const bars = data.map((m, i) => {
    const x = pad + i * slot + gap / 2;
    const g = svg('g', { 'data-testid': 'chart-bar', 'data-month': m.month });
    g.append(
      svg('title', {}, `${monthLabel(m.month)}: ${t('earnings.sales')} ${formatPoints(m.sales)}, ${t('earnings.pool')} ${formatPoints(m.pool)}`),
      svg('rect', { class: 'bar-sales', x, y: y(m.sales), width: bw, height: H - pad - y(m.sales) }),
      svg('rect', { class: 'bar-pool', x, y: y(m.sales + m.pool), width: bw, height: y(m.sales) - y(m.sales + m.pool) }),
      svg('text', { class: 'bar-label', x: x + bw / 2, y: H - pad + 16, 'text-anchor': 'middle' }, m.month.slice(5))
    );
    return g;
  });
  const figure = h(
    'figure',
    { class: 'chart', testid: 'earnings-chart' },
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': t('earnings.chartLabel') }, svg('line', { class: 'axis', x1: pad, x2: W - pad, y1: H - pad, y2: H - pad }), ...bars),
    h('figcaption', {}, h('span', { class: 'key key-sales' }), t('earnings.sales'), ' ', h('span', { class: 'key key-pool' }), t('earnings.pool'))
  );
  return data.length ? figure : h('p', { class: 'empty', testid: 'earnings-empty' }, t('earnings.none'));
}

function worksTable(works) {
  if (!works.length) return null;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table', testid: 'earnings-works' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('earnings.monthCol')), h('th', { scope: 'col' }, t('earnings.work')), h('th', { scope: 'col', class: 'num' }, t('earnings.sales')), h('th', { scope: 'col', class: 'num' }, t('earnings.pool')), h('th', { scope: 'col', class: 'num' }, t('earnings.units')))),
      h(
        'tbody',
        {},
        works.map((w) =>
          h(
            'tr',
            { testid: 'earnings-work', dataset: { bookId: String(w.bookId), month: w.month } },
            h('td', {}, monthLabel(w.month)),
            h('td', {}, h('a', { href: `/books/${w.bookId}` }, w.title || t('ledger.book', { id: w.bookId }))),
            h('td', { class: 'num' }, formatPoints(w.sales)),
            h('td', { class: 'num' }, formatPoints(w.pool)),
            h('td', { class: 'num' }, formatNumber(w.units))
          )
        )
      )
    )
  );
}

function summary(s) {
  const item = (key, v) => h('div', { class: 'stat', testid: `earnings-${key}` }, h('dt', {}, t(`earnings.${key}`)), h('dd', {}, formatPoints(v)));
  return h('dl', { class: 'stats' }, item('available', s.available), item('earned', s.earned), item('requested', s.requested), item('paidOut', s.paidOut));
}

function payoutForm(data, reload) {
  const input = h('input', { id: 'payout-amount', name: 'amount', type: 'number', inputmode: 'numeric', min: data.payoutMin, max: data.summary.available, step: 1, value: String(data.summary.available), testid: 'payout-amount', 'aria-describedby': 'payout-hint' });
  const form = h(
    'form',
    { class: 'payout-form', testid: 'payout-form', novalidate: true },
    h('div', { class: 'field inline' }, h('label', { for: 'payout-amount' }, t('earnings.payoutAmount')), h('div', { class: 'input-suffix' }, input, h('span', { 'aria-hidden': 'true' }, 'P')), h('p', { class: 'hint', id: 'payout-hint' }, t('earnings.payoutHint', { min: formatPoints(data.payoutMin), max: formatPoints(data.summary.available) }))),
    formError('payout-error'),
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'payout-submit', disabled: data.summary.available < data.payoutMin }, t('earnings.requestPayout'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = Number(input.value);
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    showFormError(form, null);
    try {
      await api.requestPayout(v, newIdempotencyKey());
      reload(t('earnings.requestedToast', { amount: formatPoints(v) }));
    } catch (e) {
      e.field = 'amount';
      showFormError(form, e);
      btn.disabled = false;
    }
  });
  return form;
}

function payoutList(payouts) {
  if (!payouts.length) return h('p', { class: 'empty' }, t('earnings.noPayouts'));
  return h(
    'ul',
    { class: 'payouts', testid: 'payouts' },
    payouts.map((p) =>
      h(
        'li',
        { testid: 'payout', dataset: { status: p.status } },
        h('span', { class: 'num' }, formatPoints(p.amount)),
        ' ',
        statusBadge(p.status, 'payout'),
        ' ',
        h('span', { class: 'muted' }, p.paidAt ? t('earnings.paidOn', { date: formatDate(p.paidAt), ref: p.reference || '' }) : t('earnings.requestedOn', { date: formatDate(p.requestedAt) }))
      )
    )
  );
}

export async function render(root, { signal, app }) {
  app.setTitle(t('earnings.title'));
  if (!(await requireAuthor(root, app, signal))) return;
  const body = h('div', { testid: 'earnings' }, spinner());
  root.append(h('header', { class: 'page-head' }, heading(t('earnings.title')), h('p', { class: 'muted' }, h('a', { href: '/studio' }, `← ${t('studio.title')}`))), body);
  const load = async (toast) => {
    try {
      const data = await api.earnings({ signal });
      if (toast) app.toast(toast);
      fill(
        body,
        h('p', { class: 'muted', testid: 'earnings-terms' }, t('earnings.terms', { percent: data.percent })),
        h('section', { class: 'card wide', 'aria-labelledby': 'earn-sum-h' }, h('h2', { id: 'earn-sum-h' }, t('earnings.summary')), summary(data.summary), payoutForm(data, load)),
        h('section', { class: 'card wide', 'aria-labelledby': 'earn-chart-h' }, h('h2', { id: 'earn-chart-h' }, t('earnings.byMonth')), chart(data.months)),
        h('section', { class: 'card wide', 'aria-labelledby': 'earn-works-h' }, h('h2', { id: 'earn-works-h' }, t('earnings.byWork')), worksTable(data.works) || h('p', { class: 'empty' }, t('earnings.none'))),
        h('section', { class: 'card wide', 'aria-labelledby': 'earn-payouts-h' }, h('h2', { id: 'earn-payouts-h' }, t('earnings.payouts')), payoutList(data.payouts))
      );
    } catch (e) {
      if (!signal.aborted) fill(body, errorBox(e));
    }
  };
  await load();
}
