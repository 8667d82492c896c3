// The digest mail's link: turns the mail off, no sign-in needed.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, errorBox, spinner, fill } from '../dom.js';

export async function render(root, { query, app }) {
  app.setTitle(t('unsubscribe.title'));
  const token = query.get('token') || '';
  const btn = h('button', { type: 'button', class: 'btn btn-primary', testid: 'unsubscribe-confirm' }, t('unsubscribe.confirm'));
  const card = h('div', { class: 'card narrow', testid: 'unsubscribe' }, heading(t('unsubscribe.title')), h('p', {}, t('unsubscribe.explain')), btn);
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    fill(card, spinner());
    try {
      await api.unsubscribe(token);
      fill(card, heading(t('unsubscribe.title')), h('p', { testid: 'unsubscribed', role: 'status' }, t('unsubscribe.done')), h('a', { href: '/notifications' }, t('unsubscribe.settings')));
    } catch (e) {
      fill(card, heading(t('unsubscribe.title')), errorBox(e));
    }
  });
  root.append(card);
}
