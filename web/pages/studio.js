// Author studio: own manuscripts with their states, and "new manuscript".
import { api } from '../api.js';
import { t, formatDateTime } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, statusBadge, fill } from '../dom.js';
import { worksSection } from './studio-works.js';

// Shared by the studio and the editor: authors only, with a way forward for others.
export async function requireAuthor(root, app, signal) {
  const who = await app.requireLogin();
  if (!who || signal.aborted) return false;
  if (!app.hasRole('author')) await app.refreshMe(); // approval may be recent
  if (signal.aborted) return false;
  if (app.hasRole('author')) return true;
  fill(root, 
    heading(t('studio.title')),
    h(
      'div',
      { class: 'notice', testid: 'studio-not-author' },
      h('p', {}, t('studio.notAuthor')),
      h('a', { href: '/author/apply', class: 'btn btn-primary' }, t('nav.apply'))
    )
  );
  return false;
}

export async function render(root, { signal, app }) {
  app.setTitle(t('studio.title'));
  if (!(await requireAuthor(root, app, signal))) return;

  const msg = h('div', { role: 'alert' });
  const starter = (testid, label, extra) => {
    const b = h('button', { type: 'button', class: 'btn btn-primary', testid }, `+ ${label}`);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const res = await api.createManuscript(t('studio.untitled'), '', extra);
        app.navigate(`/studio/${res.manuscript.id}`);
      } catch (e) {
        b.disabled = false;
        fill(msg, errorBox(e));
      }
    });
    return b;
  };
  const newBtn = h('div', { class: 'actions' }, starter('new-manuscript', t('studio.new')), starter('new-serial', t('studio.newSerial'), { serial: true }));

  const list = h('div', {}, spinner());
  root.append(
    h('header', { class: 'page-head row' }, h('div', {}, heading(t('studio.title')), h('p', { class: 'muted' }, t('studio.lede'), ' ', h('a', { href: '/studio/earnings', testid: 'earnings-link' }, t('earnings.title')))), newBtn),
    msg,
    list
  );

  try {
    const items = [];
    let cursor = null;
    do {
      const res = await api.manuscripts(cursor, { signal });
      items.push(...(res.items || []));
      cursor = res.nextCursor || null;
    } while (cursor && items.length < 500);
    if (!items.length) {
      fill(list, h('p', { class: 'empty card', testid: 'manuscripts-empty' }, t('studio.empty')));
      return;
    }
    const works = await worksSection(items, app, signal);
    if (signal.aborted) return;
    fill(list, 
      works,
      h('h2', {}, t('studio.manuscripts')),
      h(
        'ul',
        { class: 'ms-list', testid: 'manuscript-list' },
        items.map((m) =>
          h(
            'li',
            { class: 'ms-item card', testid: 'manuscript-item', dataset: { id: String(m.id), status: m.status } },
            h('a', { href: `/studio/${m.id}`, class: 'ms-title', testid: `manuscript-${m.id}` }, m.title || t('studio.untitled')),
            statusBadge(m.publishAt && Date.parse(m.publishAt) > Date.now() ? 'scheduled' : m.status),
            h('span', { class: 'muted ms-date' }, t('studio.updated', { date: formatDateTime(m.updatedAt) })),
            m.bookId ? h('a', { href: `/books/${m.bookId}`, class: 'ms-book' }, t('studio.viewBook')) : null
          )
        )
      )
    );
  } catch (e) {
    if (!isAbort(e)) fill(list, errorBox(e));
  }
}
