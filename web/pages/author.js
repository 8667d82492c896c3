// Author page: pen name, bio and published books.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, bookGrid, spinner, errorBox, heading, isAbort, paragraphs, fill } from '../dom.js';
import { followButton } from '../community.js';

export async function render(root, { params, signal, app }) {
  root.append(spinner());
  try {
    const a = await api.author(params[0], { signal });
    app.setTitle(a.penName);
    fill(root, 
      h(
        'header',
        { class: 'author-head' },
        h('p', { class: 'eyebrow' }, t('author.eyebrow')),
        heading(a.penName, 'author-name'),
        h('div', { class: 'author-bio', testid: 'author-bio' }, paragraphs(a.bio)),
        h(
          'div',
          { class: 'book-social' },
          followButton('author', a.id, app, { signal }),
          h('a', { href: `/authors/${a.id}/feed.atom`, class: 'feed-link', type: 'application/atom+xml', testid: 'author-feed' }, t('follow.feed'))
        )
      ),
      h(
        'section',
        { class: 'shelf' },
        h('h2', {}, t('author.books')),
        a.books?.length ? bookGrid(a.books, 'author-books') : h('p', { class: 'empty' }, t('author.noBooks'))
      )
    );
  } catch (e) {
    if (isAbort(e)) return;
    fill(root, heading(t('error.title')), errorBox(e));
  }
}
