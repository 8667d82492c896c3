// Admin: the report queue (comments and reviews): what was reported and why, with a link to
// where it stands; hide it (its reports close) or dismiss one report.
import { api } from '../api.js';
import { t, formatDateTime } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, fill } from '../dom.js';

function reportRow(app, r, onDone) {
  const act = (label, testid, run, all, cls = 'btn btn-small') => {
    const b = h('button', { type: 'button', class: cls, testid: `${testid}-${r.id}` }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await run();
        onDone(r, all);
      } catch (e) {
        app.toast(e.localized || e.message);
        b.disabled = false;
      }
    });
    return b;
  };
  return h(
    'li',
    { class: 'report', testid: 'report', dataset: { reportId: String(r.id), target: `${r.kind}:${r.targetId}` } },
    h('p', { class: 'report-meta' },
      h('span', { class: 'badge' }, t(`reports.kind.${r.kind}`)), ' ',
      h('a', { href: `/books/${r.bookId}` }, t('reports.work', { id: r.bookId })), ' · ',
      r.episode ? [h('a', { href: `/books/${r.bookId}/episodes/${r.episode}`, testid: 'report-episode' }, t('episode.no', { n: r.episode })), ' · '] : null,
      h('time', { datetime: r.createdAt }, formatDateTime(r.createdAt))),
    h('blockquote', { class: 'report-excerpt', lang: 'ko' }, r.excerpt || t('reports.noText')),
    h('p', {}, h('strong', {}, t('reports.reason')), ' ', r.reason),
    h('div', { class: 'report-actions' },
      act(t('reports.hide'), 'report-hide', () => (r.kind === 'comment' ? api.hideComment(r.targetId, true) : api.hideReview(r.targetId)), true, 'btn btn-small btn-danger'),
      act(t('reports.dismiss'), 'report-dismiss', () => api.dismissReport(r.id), false))
  );
}

export async function render(root, { signal, app }) {
  app.setTitle(t('reports.title'));
  if (!(await app.requireLogin()) || signal.aborted) return;
  if (!app.hasRole('admin')) {
    root.append(heading(t('reports.title')), h('p', { class: 'notice notice-error' }, t('error.forbidden')));
    return;
  }
  const list = h('ul', { class: 'report-list', testid: 'report-list', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('common.more'));
  let cursor = null;
  const empty = () => {
    if (!list.children.length) list.append(h('li', { class: 'empty', testid: 'reports-empty' }, t('reports.none')));
  };
  // hiding closes every report of its target; a dismissal closes one
  const done = (r, all) => {
    for (const li of [...list.children])
      if (li.dataset.reportId === String(r.id) || (all && li.dataset.target === `${r.kind}:${r.targetId}`)) li.remove();
    app.toast(t('reports.done'));
    empty();
  };
  const load = async (reset) => {
    if (reset) fill(list, spinner());
    try {
      const page = await api.reports(reset ? null : cursor, { signal });
      if (reset) list.replaceChildren();
      list.append(...page.items.map((r) => reportRow(app, r, done)));
      empty();
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (e) {
      if (!isAbort(e)) fill(list, errorBox(e));
    }
  };
  more.addEventListener('click', () => load(false));
  root.append(
    h('header', { class: 'page-head' }, heading(t('reports.title')), h('a', { href: '/admin' }, t('admin.title'))),
    h('p', { class: 'muted' }, t('reports.lead')),
    list,
    more
  );
  await load(true);
}
