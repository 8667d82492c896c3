// Admin: every book, hidden ones too (search, hide, restore), and the works whose readers the
// reader rule excluded from the rankings in a period, most excluded first.
import { api } from '../api.js';
import { t, formatDateTime } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, fill, debounce } from '../dom.js';

function bookRow(app, b) {
  const row = h('li', { class: 'card admin-book', testid: 'admin-book', dataset: { id: String(b.id) } });
  const draw = (cur) => {
    const toggle = h(
      'button',
      { type: 'button', class: cur.hidden ? 'btn btn-small' : 'btn btn-small btn-danger', testid: `book-${cur.hidden ? 'restore' : 'hide'}-${cur.id}` },
      t(cur.hidden ? 'adminBooks.restore' : 'adminBooks.hide')
    );
    toggle.addEventListener('click', async () => {
      toggle.disabled = true;
      try {
        const res = await api.patchBook(cur.id, { hidden: !cur.hidden });
        app.toast(t(res.book.hidden ? 'adminBooks.hidden' : 'adminBooks.restored', { title: cur.title }));
        draw(res.book);
        row.querySelector('button')?.focus();
      } catch (e) {
        app.toast(e.localized || e.message);
        toggle.disabled = false;
      }
    });
    fill(
      row,
      h('div', { class: 'member-head' },
        h('a', { href: `/books/${cur.id}` }, h('strong', {}, cur.title)),
        h('span', { class: 'muted' }, ` #${cur.id} · ${cur.authorName}`),
        cur.hidden ? [' ', h('span', { class: 'badge', testid: `book-hidden-${cur.id}` }, t('adminBooks.hiddenBadge'))] : null),
      h('p', { class: 'muted' }, t('adminBooks.published', { date: formatDateTime(cur.publishedAt) }), ' · ', t('adminBooks.views', { n: cur.views.toLocaleString() })),
      h('div', { class: 'actions' }, toggle)
    );
  };
  draw(b);
  return row;
}

function booksSection(app, signal) {
  const q = h('input', { id: 'admin-book-q', type: 'search', name: 'q', testid: 'admin-book-search', autocomplete: 'off', maxlength: 100 });
  const list = h('ul', { class: 'member-list', testid: 'admin-book-list', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('common.more'));
  let cursor = null;
  const load = async (reset) => {
    if (reset) {
      cursor = null;
      fill(list, spinner());
    }
    try {
      const page = await api.adminBooks(q.value.trim(), cursor, { signal });
      if (reset) list.replaceChildren();
      list.append(...page.items.map((b) => bookRow(app, b)));
      if (!list.children.length) list.append(h('li', { class: 'empty' }, t('adminBooks.none')));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (e) {
      if (!isAbort(e)) fill(list, errorBox(e));
    }
  };
  const search = debounce(() => load(true), 250);
  q.addEventListener('input', search);
  more.addEventListener('click', () => load(false));
  const section = h(
    'section',
    { class: 'card wide', 'aria-labelledby': 'admin-books-h' },
    h('h2', { id: 'admin-books-h' }, t('adminBooks.list')),
    h('form', { class: 'filters', role: 'search', onsubmit: (ev) => { ev.preventDefault(); load(true); } },
      h('div', { class: 'field inline' }, h('label', { for: 'admin-book-q' }, t('adminBooks.search')), q)),
    list,
    more
  );
  return { section, load, cancel: () => search.cancel() };
}

function exclusionsSection(signal) {
  const period = h('select', { id: 'excl-period', name: 'period', testid: 'exclusions-period' },
    ['day', 'week', 'month'].map((p) => h('option', { value: p, selected: p === 'week' }, t(`adminBooks.period.${p}`))));
  const table = h('div', { testid: 'exclusions', 'aria-live': 'polite' });
  const load = async () => {
    fill(table, spinner());
    try {
      const page = await api.exclusions(period.value, { signal });
      if (!page.items.length) {
        fill(table, h('p', { class: 'empty', testid: 'exclusions-empty' }, t('adminBooks.noExclusions')));
        return;
      }
      const head = ['work', 'readers', 'excluded', 'fresh', 'crowded'].map((k) => h('th', { scope: 'col' }, t(`adminBooks.col.${k}`)));
      fill(table, h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'visually-hidden' }, t('adminBooks.exclusions')),
        h('thead', {}, h('tr', {}, ...head)),
        h('tbody', {}, ...page.items.map((x) => h('tr', { testid: 'exclusion-row', dataset: { bookId: String(x.book.id) } },
          h('th', { scope: 'row' }, h('a', { href: `/books/${x.book.id}` }, x.book.title)),
          h('td', {}, x.readers.toLocaleString()),
          h('td', {}, h('strong', {}, x.excluded.toLocaleString())),
          h('td', {}, x.newAccounts.toLocaleString()),
          h('td', {}, x.crowdedAddresses.toLocaleString())))))));
    } catch (e) {
      if (!isAbort(e)) fill(table, errorBox(e));
    }
  };
  period.addEventListener('change', load);
  const section = h(
    'section',
    { class: 'card wide', 'aria-labelledby': 'exclusions-h' },
    h('h2', { id: 'exclusions-h' }, t('adminBooks.exclusions')),
    h('p', { class: 'muted' }, t('adminBooks.exclusionsLead')),
    h('div', { class: 'field inline' }, h('label', { for: 'excl-period' }, t('adminBooks.periodLabel')), period),
    table
  );
  return { section, load };
}

export async function render(root, { signal, app }) {
  app.setTitle(t('adminBooks.title'));
  if (!(await app.requireLogin()) || signal.aborted) return;
  if (!app.hasRole('admin')) {
    root.append(heading(t('adminBooks.title')), h('p', { class: 'notice notice-error' }, t('error.forbidden')));
    return;
  }
  const books = booksSection(app, signal);
  const excl = exclusionsSection(signal);
  root.append(
    h('header', { class: 'page-head' }, heading(t('adminBooks.title')), h('a', { href: '/admin' }, t('admin.title'))),
    h('p', { class: 'muted' }, t('adminBooks.lead')),
    h('div', { class: 'grid-2' }, excl.section, books.section)
  );
  await Promise.all([excl.load(), books.load(true)]);
  return () => books.cancel();
}
