// Follow buttons and notification sentences, shared by the pages that show them.
import { api } from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';

/**
 * A follow toggle for a work ('book') or an author ('author'): aria-pressed
 * says where it stands, the count of followers beside it. Anonymous visitors
 * are sent to log in.
 */
export function followButton(kind, targetId, app, { signal } = {}) {
  const count = h('span', { class: 'follow-count', testid: `${kind}-followers`, 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn follow-btn', testid: `${kind}-follow`, 'aria-pressed': 'false', disabled: true });
  const label = h('span', {}, t(`follow.${kind}.off`));
  btn.append(h('span', { class: 'follow-icon', 'aria-hidden': 'true' }, '♡'), label);
  let state = { following: false, followers: 0 };
  const show = (s) => {
    state = s;
    btn.setAttribute('aria-pressed', String(s.following));
    btn.querySelector('.follow-icon').textContent = s.following ? '♥' : '♡';
    label.textContent = t(s.following ? `follow.${kind}.on` : `follow.${kind}.off`);
    count.textContent = t(`follow.${kind}.count`, { n: s.followers.toLocaleString() });
    btn.disabled = false;
  };
  api.followState(kind, targetId, { signal }).then(show, () => { btn.disabled = false; });
  btn.addEventListener('click', async () => {
    if (!app.me) {
      app.navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    btn.disabled = true;
    try {
      show(await api.follow(kind, targetId, !state.following));
      app.toast(t(state.following ? `follow.${kind}.done` : `follow.${kind}.undone`));
    } catch (e) {
      btn.disabled = false;
      app.toast(e.localized || e.message);
    }
  });
  return h('div', { class: 'follow' }, btn, count);
}

/** The sentence of a notification, in the current language. */
export function noteText(n) {
  switch (n.kind) {
    case 'episode':
      return n.detail
        ? t('note.episodeTitled', { title: n.title, n: n.episode, episode: n.detail })
        : t('note.episode', { title: n.title, n: n.episode });
    case 'work':
      return t('note.work', { author: n.actor, title: n.title });
    case 'application':
      return n.state === 'approved' ? t('note.approved') : t('note.rejected', { reason: n.detail || '—' });
    case 'reply':
      return t('note.reply', { who: n.actor, title: n.title, text: n.detail });
    default:
      return n.title || '';
  }
}

/** Where a notification leads. */
export function noteLink(n) {
  if (n.kind === 'application') return n.state === 'approved' ? '/studio' : '/author/apply';
  return n.bookId ? `/books/${n.bookId}` : '/';
}

/**
 * For the work's author and admins: its readers this week under the rankings' rule and the
 * suspicious reads left out ("suspicious reads excluded: 27"); nothing for anyone else.
 */
export function readerCounts(book, app, { signal } = {}) {
  const me = app.me;
  if (!me || (me.id !== book.authorId && !app.hasRole('admin'))) return null;
  const line = h('p', { class: 'reader-counts muted', testid: 'reader-counts', 'aria-live': 'polite' });
  api.readerCounts(book.id, 'week', { signal }).then(
    (c) => {
      line.textContent = t('readers.week', { n: c.readers.toLocaleString() });
      line.append(' · ', h('strong', { testid: 'reads-excluded' }, t('readers.excluded', { n: c.excluded.toLocaleString() })));
      if (c.excluded) line.append(' ', t('readers.why', { fresh: c.newAccounts, crowded: c.crowdedAddresses }));
    },
    () => line.remove()
  );
  return line;
}
