// Sign up: name, email and a password of at least 8 characters.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, field, formError, showFormError, heading, safePath } from '../dom.js';

export async function render(root, { query, app }) {
  app.setTitle(t('signup.title'));
  const next = safePath(query.get('next'));
  const form = h(
    'form',
    { class: 'card form narrow', testid: 'signup-form', novalidate: true },
    heading(t('signup.title')),
    field({ label: t('field.name'), name: 'name', testid: 'signup-name', autocomplete: 'nickname', required: true, maxlength: 50 }),
    field({ label: t('field.email'), name: 'email', type: 'email', testid: 'signup-email', autocomplete: 'email', required: true }),
    field({
      label: t('field.password'),
      name: 'password',
      type: 'password',
      testid: 'signup-password',
      autocomplete: 'new-password',
      required: true,
      minlength: 8,
      hint: t('signup.passwordHint'),
    }),
    formError('signup-error'),
    h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'signup-submit' }, t('signup.submit')),
    h('p', { class: 'muted' }, t('signup.haveAccount'), ' ', h('a', { href: `/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, testid: 'to-login' }, t('nav.login')))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = form.elements.namedItem('name').value.trim();
    const email = form.elements.namedItem('email').value.trim();
    const password = form.elements.namedItem('password').value;
    if (!name) return showFormError(form, { localized: t('signup.needName'), field: 'name' });
    if (!email || !form.elements.namedItem('email').checkValidity()) return showFormError(form, { localized: t('signup.needEmail'), field: 'email' });
    if (password.length < 8) return showFormError(form, { localized: t('signup.shortPassword'), field: 'password' });
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    showFormError(form, null);
    try {
      const res = await api.signup(email, password, name);
      app.setMe(res.member);
      app.toast(t('signup.welcome', { name: res.member?.name || name }));
      app.navigate(next, { replace: true });
    } catch (e) {
      if (e.code === 'email_taken') e.field = 'email';
      showFormError(form, e);
      btn.disabled = false;
    }
  });
  root.append(form);
  form.elements.namedItem('name').focus();
}
