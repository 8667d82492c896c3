// The studio's works: each with its episodes (published, scheduled, drafts), "write the next
// episode", and the work's settings (free episodes, wait-until-free, episode price, completed)
// saved through PATCH /api/books/{id}.
import { api } from '../api.js';
import { t, formatDateTime, formatPoints } from '../i18n.js';
import { h, errorBox, isAbort, fill, formError, showFormError } from '../dom.js';

const WAIT_HOURS = [0, 12, 24, 48, 72];

function settingsForm(book, app, onSaved) {
  const uid = `ws-${book.id}`;
  const num = (name, value, min, max, step) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `${uid}-${name}` }, t(`works.${name}`)),
      h('input', { id: `${uid}-${name}`, name, type: 'number', value: String(value), min, max, step, testid: `work-${name}`, required: true })
    );
  const wait = h(
    'select',
    { id: `${uid}-wait`, name: 'waitFreeHours', testid: 'work-waitFreeHours' },
    WAIT_HOURS.map((v) => h('option', { value: String(v), selected: v === book.waitFreeHours }, v ? t('works.hours', { n: v }) : t('works.waitOff')))
  );
  const done = h('input', { id: `${uid}-done`, name: 'completed', type: 'checkbox', checked: !!book.completed, testid: 'work-completed' });
  const form = h(
    'form',
    { class: 'work-settings', testid: 'work-settings', 'aria-label': t('works.settings', { title: book.title }) },
    num('freeEpisodes', book.freeEpisodes, 0, 1000, 1),
    num('episodePrice', book.episodePrice, 0, 100000, 10),
    h('div', { class: 'field' }, h('label', { for: `${uid}-wait` }, t('works.waitFreeHours')), wait),
    h('div', { class: 'field check' }, done, h('label', { for: `${uid}-done` }, t('works.completed'))),
    formError('work-settings-error'),
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'work-save' }, t('works.save'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showFormError(form, null);
    const body = {
      freeEpisodes: Number(form.elements.freeEpisodes.value),
      episodePrice: Number(form.elements.episodePrice.value),
      waitFreeHours: Number(wait.value),
      completed: done.checked,
    };
    try {
      const res = await api.patchBook(book.id, body);
      app.toast(t('works.saved'));
      onSaved(res.book);
    } catch (e) {
      showFormError(form, e);
    }
  });
  return form;
}

function episodeItem(e) {
  const state = e.publishedAt ? 'published' : 'scheduled';
  return h(
    'li',
    { class: 'work-episode', testid: 'work-episode', dataset: { number: String(e.number), state } },
    h('a', { href: `/books/${e.bookId}/episodes/${e.number}` }, `${t('episode.no', { n: e.number })} · ${e.title}`),
    ' ',
    e.publishedAt
      ? h('span', { class: 'muted' }, formatDateTime(e.publishedAt))
      : h('span', { class: 'badge badge-scheduled', testid: 'work-episode-scheduled' }, t('episode.scheduledAt', { at: formatDateTime(e.scheduledAt) }))
  );
}

async function workCard(bookId, drafts, app, signal) {
  const { book } = await api.book(bookId, { signal });
  const eps = [];
  let cursor = null;
  do {
    const res = await api.episodes(bookId, cursor, { signal });
    eps.push(...(res.items || []));
    cursor = res.nextCursor;
  } while (cursor);
  const card = h('section', { class: 'card work-card', testid: 'work-card', dataset: { bookId: String(bookId) }, 'aria-labelledby': `wk-${bookId}` });
  const msg = h('div', { role: 'alert' });
  const next = h('button', { type: 'button', class: 'btn', testid: 'write-next' }, `+ ${t('works.writeNext')}`);
  next.addEventListener('click', async () => {
    next.disabled = true;
    try {
      const n = eps.reduce((a, e) => Math.max(a, e.number), 0) + drafts.length + 1;
      const res = await api.createManuscript(t('works.nextTitle', { n }), '', { bookId });
      app.navigate(`/studio/${res.manuscript.id}`);
    } catch (e) {
      next.disabled = false;
      fill(msg, errorBox(e));
    }
  });
  const draw = (b) =>
    fill(
      card,
      h(
        'header',
        { class: 'row' },
        h('h2', { id: `wk-${bookId}` }, h('a', { href: `/books/${bookId}` }, b.title)),
        h('a', { href: `/studio/books/${bookId}`, class: 'btn', testid: 'desk-link' }, t('desk.link')),
        next
      ),
      h('p', { class: 'muted' }, t('works.facts', { count: b.episodeCount, price: formatPoints(b.episodePrice) })),
      h('ol', { class: 'work-episodes', testid: 'work-episodes' }, eps.map(episodeItem)),
      drafts.length
        ? h(
            'ul',
            { class: 'work-drafts', testid: 'work-drafts', 'aria-label': t('works.drafts') },
            drafts.map((m) => h('li', {}, h('a', { href: `/studio/${m.id}`, testid: `manuscript-${m.id}` }, m.title || t('studio.untitled')), ' ', h('span', { class: 'badge' }, t('status.draft'))))
          )
        : null,
      msg,
      h('details', { class: 'work-settings-box' }, h('summary', { testid: 'work-settings-toggle' }, t('works.settingsTitle')), settingsForm(b, app, draw))
    );
  draw(book);
  return card;
}

// Works of the author's manuscripts (those with a bookId), newest first.
export async function worksSection(items, app, signal) {
  const byBook = new Map();
  for (const m of items) {
    if (!m.bookId) continue;
    if (!byBook.has(m.bookId)) byBook.set(m.bookId, []);
    if (m.status === 'draft') byBook.get(m.bookId).push(m);
  }
  if (!byBook.size) return null;
  const section = h('section', { class: 'works', testid: 'works-section', 'aria-labelledby': 'works-h' }, h('h2', { id: 'works-h' }, t('works.title')));
  for (const [bookId, drafts] of byBook) {
    try {
      section.append(await workCard(bookId, drafts, app, signal));
    } catch (e) {
      if (isAbort(e)) return null;
      section.append(errorBox(e));
    }
  }
  return section;
}
