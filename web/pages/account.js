// Account settings: password, e-mail address (confirmed by mail), deleting the account.
import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, field, formError, showFormError, heading, confirmDialog } from '../dom.js';
import { opdsSection } from './reader-ai.js';

function section(title, testid, ...children) {
  const id = `${testid}-h`;
  return h('section', { class: 'card form', testid, 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function passwordForm(app) {
  const form = h(
    'form',
    { testid: 'password-form', novalidate: true },
    field({ label: t('account.current'), name: 'currentPassword', type: 'password', testid: 'password-current', autocomplete: 'current-password', required: true }),
    field({ label: t('account.new'), name: 'newPassword', type: 'password', testid: 'password-new', autocomplete: 'new-password', required: true, minlength: 8, hint: t('signup.passwordHint') }),
    formError('password-error'),
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'password-submit' }, t('account.changePassword'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    showFormError(form, null);
    try {
      await api.changePassword(form.elements.namedItem('currentPassword').value, form.elements.namedItem('newPassword').value);
      form.reset();
      app.toast(t('account.passwordChanged'));
    } catch (e) {
      showFormError(form, e);
    }
    btn.disabled = false;
  });
  return section(t('account.password'), 'password-section', h('p', { class: 'hint' }, t('account.passwordHint')), form);
}

function emailForm(app) {
  const form = h(
    'form',
    { testid: 'email-form', novalidate: true },
    h('p', { class: 'muted', testid: 'email-current' }, t('account.currentEmail', { email: app.me.email })),
    field({ label: t('account.newEmail'), name: 'email', type: 'email', testid: 'email-new', autocomplete: 'email', required: true }),
    field({ label: t('field.password'), name: 'password', type: 'password', testid: 'email-password', autocomplete: 'current-password', required: true }),
    formError('email-error'),
    h('p', { class: 'notice', testid: 'email-sent', role: 'status', hidden: true }),
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'email-submit' }, t('account.sendConfirmation'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const email = form.elements.namedItem('email').value.trim();
    const btn = form.querySelector('[type=submit]');
    btn.disabled = true;
    showFormError(form, null);
    try {
      await api.requestEmailChange(email, form.elements.namedItem('password').value, getLang() === 'en' ? 'en' : 'ko');
      const sent = form.querySelector('[data-testid="email-sent"]');
      sent.textContent = t('account.confirmationSent', { email });
      sent.hidden = false;
      form.elements.namedItem('password').value = '';
    } catch (e) {
      showFormError(form, e);
    }
    btn.disabled = false;
  });
  return section(t('account.email'), 'email-section', form);
}

function deleteForm(app) {
  const form = h(
    'form',
    { testid: 'delete-form', novalidate: true },
    h('p', {}, t('account.deleteWhat')),
    field({ label: t('field.password'), name: 'password', type: 'password', testid: 'delete-password', autocomplete: 'current-password', required: true }),
    formError('delete-error'),
    h('button', { type: 'submit', class: 'btn btn-danger', testid: 'delete-submit' }, t('account.delete'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const ok = await confirmDialog({ title: t('account.deleteConfirmTitle'), body: t('account.deleteConfirm'), ok: t('account.delete'), danger: true });
    if (!ok) return;
    showFormError(form, null);
    try {
      await api.deleteAccount(form.elements.namedItem('password').value);
      app.setMe(null);
      app.toast(t('account.deleted'));
      app.navigate('/', { replace: true });
    } catch (e) {
      showFormError(form, e);
    }
  });
  return section(t('account.deleteTitle'), 'delete-section', form);
}

export async function render(root, { app }) {
  if (!(await app.requireLogin())) return;
  app.setTitle(t('account.title'));
  root.append(heading(t('account.title')), h('div', { class: 'stack' }, passwordForm(app), emailForm(app), opdsSection(app), deleteForm(app)));
}
