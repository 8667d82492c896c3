// Become an author: the application form and the state of the last application.
import { api } from '../api.js';
import { t, formatDateTime } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, field, formError, showFormError, statusBadge, fill } from '../dom.js';

export async function render(root, { signal, app }) {
  app.setTitle(t('apply.title'));
  const who = await app.requireLogin();
  if (!who || signal.aborted) return;
  const body = h('div', {}, spinner());
  root.append(h('header', { class: 'page-head' }, heading(t('apply.title')), h('p', { class: 'lede' }, t('apply.lede'))), body);

  function form(prev) {
    const f = h(
      'form',
      { class: 'card form', testid: 'apply-form', novalidate: true },
      h('h2', {}, prev ? t('apply.again') : t('apply.formTitle')),
      field({ label: t('field.penName'), name: 'penName', testid: 'apply-penname', required: true, maxlength: 50, value: prev?.penName || '' }),
      field({ label: t('field.bio'), name: 'bio', textarea: true, rows: 4, testid: 'apply-bio', maxlength: 2000, value: prev?.bio || '', hint: t('apply.bioHint') }),
      field({ label: t('field.portfolio'), name: 'portfolio', textarea: true, rows: 6, testid: 'apply-portfolio', maxlength: 2000, value: prev?.portfolio || '', hint: t('apply.portfolioHint') }),
      formError('apply-error'),
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'apply-submit' }, t('apply.submit'))
    );
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const v = (n) => f.elements.namedItem(n).value.trim();
      if (!v('penName')) return showFormError(f, { localized: t('apply.needPenName'), field: 'penName' });
      const btn = f.querySelector('[type=submit]');
      btn.disabled = true;
      showFormError(f, null);
      try {
        const res = await api.apply(v('penName'), v('bio'), v('portfolio'));
        app.toast(t('apply.sent'));
        show(res.application);
      } catch (e) {
        btn.disabled = false;
        if (e.code === 'application_exists') return load();
        showFormError(f, e);
      }
    });
    return f;
  }

  function show(a) {
    if (!a) {
      fill(body, form(null));
      return;
    }
    const state = h(
      'section',
      { class: 'card', testid: 'application-state', dataset: { status: a.status } },
      h('h2', {}, t('apply.stateTitle'), ' ', statusBadge(a.status, 'appstatus')),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, t('field.penName')), h('dd', {}, a.penName)),
        h('div', {}, h('dt', {}, t('apply.appliedAt')), h('dd', {}, formatDateTime(a.createdAt))),
        a.decidedAt ? h('div', {}, h('dt', {}, t('apply.decidedAt')), h('dd', {}, formatDateTime(a.decidedAt))) : null
      ),
      h('p', {}, t(`apply.explain.${a.status}`)),
      a.status === 'rejected' && a.reason ? h('blockquote', { class: 'reason', testid: 'rejection-reason' }, a.reason) : null,
      a.status === 'approved' ? h('a', { href: '/studio', class: 'btn btn-primary', testid: 'go-studio' }, t('apply.toStudio')) : null
    );
    fill(body, state);
    if (a.status === 'rejected') body.append(form(a));
    if (a.status === 'approved' && !app.hasRole('author')) app.refreshMe();
  }

  async function load() {
    try {
      const res = await api.myApplication({ signal });
      show(res.application);
    } catch (e) {
      if (isAbort(e)) return;
      if (e.status === 404) show(null);
      else fill(body, errorBox(e));
    }
  }
  await load();
}
