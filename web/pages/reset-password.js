// Forgotten password: ask for a link by mail, or (with ?token= from that mail) set a new one.
import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, field, formError, showFormError, heading } from '../dom.js';

function requestForm() {
  const done = h('p', { class: 'notice', role: 'status', testid: 'reset-sent', hidden: true });
  const form = h(
    'form',
    { class: 'card form narrow', testid: 'reset-request-form', novalidate: true },
    heading(t('reset.title')),
    h('p', { class: 'muted' }, t('reset.explain')),
    field({ label: t('field.email'), name: 'email', type: 'email', testid: 'reset-email', autocomplete: 'email', required: true }),
    formError('reset-error'),
    done,
    h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'reset-submit' }, t('reset.send'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const email = form.elements.namedItem('email').value.trim();
    showFormError(form, null);
    try {
      await api.requestReset(email, getLang() === 'en' ? 'en' : 'ko');
      done.textContent = t('reset.sent', { email });
      done.hidden = false;
    } catch (e) {
      showFormError(form, e);
    }
  });
  return form;
}

function confirmForm(token, app) {
  const form = h(
    'form',
    { class: 'card form narrow', testid: 'reset-confirm-form', novalidate: true },
    heading(t('reset.newTitle')),
    field({ label: t('account.new'), name: 'password', type: 'password', testid: 'reset-password', autocomplete: 'new-password', required: true, minlength: 8, hint: t('signup.passwordHint') }),
    formError('reset-error'),
    h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'reset-confirm' }, t('reset.set'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showFormError(form, null);
    try {
      await api.confirmReset(token, form.elements.namedItem('password').value);
      app.setMe(null);
      app.toast(t('reset.done'));
      app.navigate('/login', { replace: true });
    } catch (e) {
      showFormError(form, e);
    }
  });
  return form;
}

export async function render(root, { query, app }) {
  app.setTitle(t('reset.title'));
  const token = query.get('token');
  const form = token ? confirmForm(token, app) : requestForm();
  root.append(form);
  form.querySelector('input')?.focus();
}
