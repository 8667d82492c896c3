// Home: search as you type, 이어 읽기, rankings by period, 최신 연재 with the catalog's genre,
// tag and completed filters, the bestseller shelf, new releases and popular books; and the
// reader's choice to leave works with AI-drawn covers out of them.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, bookGrid, bookCard, debounce, spinner, errorBox, isAbort, fill } from '../dom.js';
import { hidesAiCovers, setHidesAiCovers } from '../prefs.js';

const GENRES = ['fantasy', 'modern_fantasy', 'wuxia', 'romance', 'romance_fantasy', 'mystery', 'sf', 'drama', 'horror', 'light_novel'];
const PERIODS = ['day', 'week', 'month'];

// Where the signed-in reader stopped, latest first: each card opens that episode.
function continueShelf(signal) {
  const body = h('div', { class: 'shelf-body' });
  const section = h('section', { class: 'shelf', 'aria-labelledby': 'continue-h', testid: 'shelf-continue', hidden: true }, h('h2', { id: 'continue-h' }, t('home.continue')), body);
  api
    .progressList({ signal })
    .then((res) => {
      const items = (res?.items || []).filter((p) => p.book).slice(0, 12);
      if (!items.length) return;
      const list = h('ul', { class: 'book-grid book-row', testid: 'continue-list' });
      for (const p of items) {
        const card = bookCard(p.book);
        card.querySelector('a').href = `/books/${p.bookId}/episodes/${p.episode}`;
        card.append(h('span', { class: 'badge badge-new', testid: 'continue-episode' }, t('episode.continue', { n: p.episode })));
        list.append(card);
      }
      fill(body, list);
      section.hidden = false;
    })
    .catch(() => {});
  return section;
}

// Distinct readers per work in the day, week or month.
function rankingShelf(signal) {
  const body = h('div', { class: 'shelf-body' }, spinner());
  const tabs = h('div', { class: 'segmented', role: 'group', 'aria-label': t('home.rankingPeriod') });
  async function show(period) {
    for (const b of tabs.children) b.setAttribute('aria-pressed', String(b.dataset.period === period));
    try {
      const res = await api.rankings(period, { signal });
      const items = res?.items || [];
      fill(
        body,
        items.length
          ? h('ol', { class: 'book-grid ranking', testid: 'ranking-list' }, items.map((b) => {
              const card = bookCard(b);
              card.append(h('span', { class: 'muted ranking-readers' }, t('home.readers', { n: b.readers })));
              return card;
            }))
          : h('p', { class: 'empty', testid: 'ranking-empty' }, t('home.emptyShelf'))
      );
    } catch (e) {
      if (!isAbort(e)) fill(body, errorBox(e));
    }
  }
  for (const p of PERIODS) {
    const b = h('button', { type: 'button', class: 'btn btn-small', testid: `ranking-${p}`, dataset: { period: p }, 'aria-pressed': 'false' }, t(`home.period.${p}`));
    b.addEventListener('click', () => show(p));
    tabs.append(b);
  }
  show('day');
  return h('section', { class: 'shelf', 'aria-labelledby': 'ranking-h', testid: 'shelf-ranking' }, h('div', { class: 'shelf-head' }, h('h2', { id: 'ranking-h' }, t('home.ranking')), tabs), body);
}

// 최신 연재: works by their latest episode, filtered by genre, tag and completion.
function updatedShelf(signal) {
  const body = h('div', { class: 'shelf-body' }, spinner());
  const genre = h('select', { id: 'cat-genre', name: 'genre', testid: 'filter-genre' }, h('option', { value: '' }, t('home.allGenres')), GENRES.map((g) => h('option', { value: g }, t(`genre.${g}`))));
  const tag = h('input', { id: 'cat-tag', name: 'tag', type: 'search', testid: 'filter-tag', maxlength: 20, autocomplete: 'off' });
  const done = h(
    'select',
    { id: 'cat-completed', name: 'completed', testid: 'filter-completed' },
    h('option', { value: '' }, t('home.anyState')),
    h('option', { value: 'false' }, t('home.ongoing')),
    h('option', { value: 'true' }, t('home.completed'))
  );
  async function load() {
    try {
      const res = await api.books({ sort: 'updated', limit: 12, genre: genre.value, tag: tag.value.trim(), completed: done.value }, { signal });
      const items = res?.items || [];
      fill(body, items.length ? bookGrid(items, 'updated-list') : h('p', { class: 'empty', testid: 'updated-empty' }, t('home.noMatch')));
    } catch (e) {
      if (!isAbort(e)) fill(body, errorBox(e));
    }
  }
  const later = debounce(load, 300);
  genre.addEventListener('change', load);
  done.addEventListener('change', load);
  tag.addEventListener('input', later);
  load();
  const label = (id, text) => h('label', { for: id }, text);
  return h(
    'section',
    { class: 'shelf', 'aria-labelledby': 'updated-h', testid: 'shelf-updated' },
    h('h2', { id: 'updated-h' }, t('home.updated')),
    h(
      'form',
      { class: 'filters', testid: 'catalog-filters', onsubmit: (e) => e.preventDefault(), 'aria-label': t('home.filters') },
      h('div', { class: 'field' }, label('cat-genre', t('home.genre')), genre),
      h('div', { class: 'field' }, label('cat-tag', t('home.tag')), tag),
      h('div', { class: 'field' }, label('cat-completed', t('home.state')), done)
    ),
    body
  );
}

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

// "AI가 그린 표지의 작품 숨기기": remembered in this browser; onChange redraws the lists.
function aiCoversChoice(onChange) {
  const box = h('input', { type: 'checkbox', id: 'hide-ai-covers', testid: 'hide-ai-covers', checked: hidesAiCovers(), 'aria-describedby': 'hide-ai-covers-hint' });
  box.addEventListener('change', () => {
    setHidesAiCovers(box.checked);
    onChange();
  });
  return h(
    'div',
    { class: 'catalog-prefs' },
    box,
    h('label', { for: 'hide-ai-covers' }, t('home.hideAiCovers')),
    h('span', { class: 'hint', id: 'hide-ai-covers-hint' }, t('home.hideAiCoversHint'))
  );
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
  const makeShelves = () =>
    h(
      'div',
      { class: 'shelves' },
      app.me ? continueShelf(signal) : null,
      rankingShelf(signal),
      updatedShelf(signal),
      shelf('bestsellers', t('home.bestsellers'), (s) => api.bestsellers(12, { signal: s }), signal, { scroller: true }),
      shelf('new', t('home.new'), (s) => api.books({ sort: 'new', limit: 12 }, { signal: s }), signal),
      shelf('popular', t('home.popular'), (s) => api.books({ sort: 'popular', limit: 12 }, { signal: s }), signal)
    );
  let shelves = makeShelves();

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
      aiCoversChoice(() => {
        const fresh = makeShelves();
        fresh.hidden = shelves.hidden;
        shelves.replaceWith(fresh);
        shelves = fresh;
        if (input.value.trim()) search();
      }),
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
