// The link of an e-mail change: confirms the new address.
import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, heading, errorBox, spinner, fill } from '../dom.js';

export async function render(root, { query, app }) {
  app.setTitle(t('confirmEmail.title'));
  root.append(spinner());
  try {
    const r = await api.confirmEmailChange(query.get('token') || '', getLang() === 'en' ? 'en' : 'ko');
    if (app.me && app.me.id === r.member.id) app.setMe(r.member);
    fill(root, h('div', { class: 'card narrow', testid: 'email-confirmed' }, heading(t('confirmEmail.title')), h('p', {}, t('confirmEmail.done', { email: r.member.email })), h('a', { href: '/me', class: 'btn btn-primary' }, t('nav.me'))));
  } catch (e) {
    fill(root, h('div', { class: 'card narrow' }, heading(t('confirmEmail.title')), errorBox(e)));
  }
}
