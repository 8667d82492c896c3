// Home: search as you type, bestseller shelf, new releases and popular books.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, bookGrid, debounce, spinner, errorBox, isAbort, fill } from '../dom.js';

function shelf(id, title, loader, signal, { scroller = false } = {}) {
  const body = h('div', { class: 'shelf-body' }, spinner());
  const section = h(
    'section',
    { class: 'shelf', 'aria-labelledby': `${id}-h`, testid: `shelf-${id}` },
    h('h2', { id: `${id}-h` }, title),
    body
  );
  loader(signal)
    .then((res) => {
      const items = res?.items || [];
      fill(body, 
        items.length
          ? bookGrid(items, `${id}-list`)
          : h('p', { class: 'empty', testid: `${id}-empty` }, t(id === 'bestsellers' ? 'home.emptyBestsellers' : 'home.emptyShelf'))
      );
      if (scroller) body.firstChild.classList.add('book-row');
    })
    .catch((e) => {
      if (!isAbort(e)) fill(body, errorBox(e));
    });
  return section;
}

export async function render(root, { query, signal, app }) {
  app.setTitle('');
  const input = h('input', {
    type: 'search',
    id: 'search',
    name: 'q',
    testid: 'search-input',
    placeholder: t('home.searchPlaceholder'),
    autocomplete: 'off',
    value: query.get('q') || '',
    'aria-controls': 'search-results',
  });
  const status = h('p', { class: 'search-status', role: 'status', testid: 'search-status' });
  const results = h('div', { id: 'search-results', class: 'search-results', testid: 'search-results', hidden: true });
  const shelves = h(
    'div',
    { class: 'shelves' },
    shelf('bestsellers', t('home.bestsellers'), (s) => api.bestsellers(12, { signal: s }), signal, { scroller: true }),
    shelf('new', t('home.new'), (s) => api.books({ sort: 'new', limit: 12 }, { signal: s }), signal),
    shelf('popular', t('home.popular'), (s) => api.books({ sort: 'popular', limit: 12 }, { signal: s }), signal)
  );

  let searchCtl = null;
  async function search() {
    const q = input.value.trim();
    const url = q ? `/?q=${encodeURIComponent(q)}` : '/';
    history.replaceState(null, '', url);
    searchCtl?.abort();
    if (!q) {
      results.hidden = true;
      shelves.hidden = false;
      status.textContent = '';
      return;
    }
    searchCtl = new AbortController();
    const mine = searchCtl;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    status.textContent = t('home.searching');
    try {
      const res = await api.books({ q, limit: 40 }, { signal: mine.signal });
      if (mine.signal.aborted) return;
      const items = res?.items || [];
      shelves.hidden = true;
      results.hidden = false;
      status.textContent = t('home.results', { n: items.length, q });
      fill(results, 
        items.length
          ? bookGrid(items, 'search-list')
          : h('p', { class: 'empty', testid: 'search-empty' }, t('home.noResults', { q }))
      );
    } catch (e) {
      if (isAbort(e)) return;
      status.textContent = '';
      fill(results, errorBox(e));
      results.hidden = false;
    }
  }
  const debounced = debounce(search, 250);
  input.addEventListener('input', debounced);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      debounced.cancel();
      search();
    }
  });

  root.append(
    h(
      'section',
      { class: 'hero' },
      h('h1', { tabindex: '-1' }, t('home.title')),
      h('p', { class: 'lede' }, t('home.lede')),
      h(
        'form',
        { class: 'search', role: 'search', onsubmit: (e) => e.preventDefault() },
        h('label', { for: 'search', class: 'visually-hidden' }, t('home.searchLabel')),
        input
      ),
      status
    ),
    results,
    shelves
  );
  if (input.value) search();
  return () => {
    debounced.cancel();
    searchCtl?.abort();
  };
}
