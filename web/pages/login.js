// Log in. ?next= brings the member back to where they were.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, field, formError, showFormError, heading, safePath } from '../dom.js';

export async function render(root, { query, app }) {
  app.setTitle(t('login.title'));
  const next = safePath(query.get('next'));
  const form = h(
    'form',
    { class: 'card form narrow', testid: 'login-form', novalidate: true },
    heading(t('login.title')),
    field({ label: t('field.email'), name: 'email', type: 'email', testid: 'login-email', autocomplete: 'username', required: true }),
    field({ label: t('field.password'), name: 'password', type: 'password', testid: 'login-password', autocomplete: 'current-password', required: true }),
    formError('login-error'),
    h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'login-submit' }, t('login.submit')),
    h('p', { class: 'muted' }, h('a', { href: '/reset-password', testid: 'forgot-password' }, t('login.forgot'))),
    h('p', { class: 'muted' }, t('login.noAccount'), ' ', h('a', { href: `/signup${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, testid: 'to-signup' }, t('nav.signup')))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const email = form.elements.namedItem('email').value.trim();
    const password = form.elements.namedItem('password').value;
    if (!email || !password) {
      showFormError(form, { localized: t('login.missing'), field: !email ? 'email' : 'password' });
      return;
    }
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    showFormError(form, null);
    try {
      const res = await api.login(email, password);
      app.setMe(res.member);
      app.toast(t('login.welcome', { name: res.member?.name || '' }));
      app.navigate(next, { replace: true });
    } catch (e) {
      showFormError(form, e);
      btn.disabled = false;
    }
  });
  root.append(form);
  form.elements.namedItem('email').focus();
}
