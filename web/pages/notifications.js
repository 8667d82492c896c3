// Notifications: what happened to followed works and authors, replies, application
// decisions; read marks; the daily digest mail switch.
import { api } from '../api.js';
import { t, getLang, formatDate, formatTime } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, fill } from '../dom.js';
import { noteText, noteLink } from '../community.js';

function noteItem(n, onOpen) {
  const link = h('a', { href: noteLink(n), class: 'note-link' }, noteText(n));
  link.addEventListener('click', () => onOpen(n));
  return h(
    'li',
    { class: ['note', n.read ? 'note-read' : 'note-unread'], testid: 'note', dataset: { kind: n.kind, read: String(n.read), id: String(n.id) } },
    n.read ? null : h('span', { class: 'note-dot' }, h('span', { class: 'visually-hidden' }, t('notes.unread'))),
    h('div', { class: 'note-body' }, link, h('time', { class: 'muted', datetime: n.createdAt }, `${formatDate(n.createdAt)} ${formatTime(n.createdAt)}`))
  );
}

function digestSection(app, settings) {
  const box = h('input', { type: 'checkbox', id: 'digest-on', name: 'emailDigest', checked: settings.emailDigest, testid: 'digest-toggle' });
  const status = h('p', { class: 'hint', id: 'digest-hint', 'aria-live': 'polite', testid: 'digest-status' }, t(settings.emailDigest ? 'notes.digestOn' : 'notes.digestOff'));
  box.setAttribute('aria-describedby', 'digest-hint');
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      const s = await api.saveNotificationSettings(box.checked, getLang() === 'en' ? 'en' : 'ko');
      status.textContent = t(s.emailDigest ? 'notes.digestOn' : 'notes.digestOff');
      app.toast(t(s.emailDigest ? 'notes.digestSaved' : 'notes.digestStopped'));
    } catch (e) {
      box.checked = !box.checked;
      app.toast(e.localized || e.message);
    }
    box.disabled = false;
  });
  return h(
    'section',
    { class: 'card', testid: 'digest-section', 'aria-labelledby': 'digest-h' },
    h('h2', { id: 'digest-h' }, t('notes.digestTitle')),
    h('div', { class: 'check' }, box, h('label', { for: 'digest-on' }, t('notes.digestLabel'))),
    status
  );
}

export async function render(root, { signal, app }) {
  if (!(await app.requireLogin())) return;
  app.setTitle(t('notes.title'));
  root.append(spinner());
  try {
    const [page, settings] = await Promise.all([api.notifications(undefined, { signal }), api.notificationSettings({ signal })]);
    const items = [...page.items];
    let cursor = page.nextCursor;
    const list = h('ul', { class: 'note-list', testid: 'note-list' });
    const allRead = h('button', { type: 'button', class: 'btn', testid: 'notes-read-all', disabled: page.unread === 0 }, t('notes.readAll'));
    const more = h('button', { type: 'button', class: 'btn', testid: 'notes-more', hidden: !cursor }, t('common.more'));
    const draw = () => {
      fill(list, items.length ? items.map((n) => noteItem(n, open)) : h('li', { class: 'empty', testid: 'notes-empty' }, t('notes.empty')));
    };
    const open = (n) => {
      if (!n.read) api.markRead({ id: n.id }).then((r) => app.setUnread?.(r.unread), () => {});
    };
    allRead.addEventListener('click', async () => {
      if (!items.length) return;
      allRead.disabled = true;
      try {
        const r = await api.markRead({ upTo: Math.max(...items.map((n) => n.id)) });
        items.forEach((n) => { n.read = true; });
        app.setUnread?.(r.unread);
        draw();
        list.querySelector('a')?.focus();
      } catch (e) {
        allRead.disabled = false;
        app.toast(e.localized || e.message);
      }
    });
    more.addEventListener('click', async () => {
      more.disabled = true;
      const next = await api.notifications(cursor, { signal });
      items.push(...next.items);
      cursor = next.nextCursor;
      more.hidden = !cursor;
      more.disabled = false;
      draw();
    });
    draw();
    fill(
      root,
      h('div', { class: 'page-head' }, heading(t('notes.title')), allRead),
      list,
      more,
      digestSection(app, settings)
    );
  } catch (e) {
    if (isAbort(e)) return;
    fill(root, heading(t('error.title')), errorBox(e));
  }
}
