// Admin: author application queue, AI generation jobs and the event log.
import { api } from '../api.js';
import { t, has, formatDateTime } from '../i18n.js';
import { h, clear, spinner, errorBox, heading, isAbort, statusBadge, paragraphs, fill } from '../dom.js';

const EVENT_TYPES = [
  'member.signed_up', 'points.charged', 'points.spent', 'subscription.started', 'subscription.renewed',
  'subscription.expired', 'author.applied', 'author.approved', 'author.rejected', 'manuscript.submitted',
  'ai.generation_completed', 'ai.generation_failed', 'book.published', 'book.purchased', 'book.viewed',
  'book.bestseller_selected', 'member.deleted', 'member.banned', 'member.unbanned',
];

function select(id, label, options, value, testid) {
  const sel = h('select', { id, testid }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return { sel, el: h('div', { class: 'field inline' }, h('label', { for: id }, label), sel) };
}

function applicationsSection(app, signal) {
  const list = h('div', { testid: 'application-queue' });
  const filter = select('adm-app-status', t('admin.status'), ['pending', 'approved', 'rejected'].map((s) => [s, t(`appstatus.${s}`)]), 'pending', 'application-status-filter');
  const more = h('button', { type: 'button', class: 'btn', testid: 'applications-more', hidden: true }, t('common.more'));
  let cursor = null;

  function item(a) {
    const actions = h('div', { class: 'actions' });
    const li = h(
      'li',
      { class: 'card app-item', testid: 'application-item', dataset: { id: String(a.id), status: a.status } },
      h('div', { class: 'app-head' }, h('strong', { class: 'app-pen' }, a.penName), statusBadge(a.status, 'appstatus'), h('span', { class: 'muted' }, t('admin.member', { id: a.memberId }), ' · ', formatDateTime(a.createdAt))),
      a.bio ? h('div', { class: 'app-bio' }, paragraphs(a.bio)) : null,
      a.portfolio ? h('details', { class: 'app-portfolio' }, h('summary', {}, t('field.portfolio')), h('div', { class: 'preview-text' }, a.portfolio)) : null,
      a.reason ? h('p', { class: 'reason' }, t('admin.reason'), ': ', a.reason) : null,
      actions
    );
    if (a.status !== 'pending') return li;

    const approve = h('button', { type: 'button', class: 'btn btn-primary', testid: `approve-${a.id}` }, t('admin.approve'));
    const reject = h('button', { type: 'button', class: 'btn', testid: `reject-${a.id}` }, t('admin.reject'));
    const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
    actions.append(approve, reject);
    li.append(err);
    const fail = (e) => {
      if (e.code === 'not_pending') {
        app.toast(e.localized);
        return load(true);
      }
      err.textContent = e.localized;
      err.hidden = false;
      approve.disabled = reject.disabled = false;
    };
    approve.addEventListener('click', async () => {
      approve.disabled = reject.disabled = true;
      try {
        const res = await api.approve(a.id);
        app.toast(t('admin.approved', { name: a.penName }));
        li.replaceWith(item(res.application || { ...a, status: 'approved' }));
      } catch (e) {
        fail(e);
      }
    });
    reject.addEventListener('click', () => {
      const rid = `reason-${a.id}`;
      const reason = h('textarea', { id: rid, rows: 2, maxlength: 500, testid: `reject-reason-${a.id}`, required: true });
      const confirm = h('button', { type: 'submit', class: 'btn btn-danger', testid: `reject-confirm-${a.id}` }, t('admin.rejectConfirm'));
      const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, t('common.cancel'));
      const form = h('form', { class: 'reject-form' }, h('label', { for: rid }, t('admin.reasonLabel')), reason, h('div', { class: 'actions' }, cancel, confirm));
      cancel.addEventListener('click', () => {
        form.replaceWith(actions);
        reject.focus();
      });
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const r = reason.value.trim();
        if (!r) {
          err.textContent = t('admin.needReason');
          err.hidden = false;
          reason.focus();
          return;
        }
        confirm.disabled = true;
        try {
          const res = await api.reject(a.id, r);
          app.toast(t('admin.rejected', { name: a.penName }));
          li.replaceWith(item(res.application || { ...a, status: 'rejected', reason: r }));
        } catch (e) {
          confirm.disabled = false;
          fail(e);
        }
      });
      actions.replaceWith(form);
      reason.focus();
    });
    return li;
  }

  let ul = null;
  async function load(reset) {
    if (reset) {
      cursor = null;
      ul = h('ul', { class: 'app-list' });
      fill(list, spinner());
    }
    more.disabled = true;
    try {
      const res = await api.applications(filter.sel.value, cursor, { signal });
      if (reset) fill(list, ul);
      for (const a of res.items || []) ul.append(item(a));
      if (!ul.children.length) fill(list, h('p', { class: 'empty', testid: 'applications-empty' }, t('admin.noApplications')));
      cursor = res.nextCursor || null;
      more.hidden = !cursor;
    } catch (e) {
      if (!isAbort(e)) fill(list, errorBox(e));
    } finally {
      more.disabled = false;
    }
  }
  filter.sel.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  load(true);
  return h(
    'section',
    { class: 'card wide', id: 'applications', 'aria-labelledby': 'adm-apps-h', testid: 'admin-applications' },
    h('div', { class: 'section-head' }, h('h2', { id: 'adm-apps-h' }, t('admin.applications')), filter.el),
    list,
    more
  );
}

function jobsSection(signal) {
  const tbody = h('tbody', { testid: 'ai-jobs-rows' });
  const status = h('div');
  const more = h('button', { type: 'button', class: 'btn', testid: 'ai-jobs-more', hidden: true }, t('common.more'));
  const refresh = h('button', { type: 'button', class: 'btn btn-small', testid: 'ai-jobs-refresh' }, t('common.refresh'));
  let cursor = null;
  async function load(reset) {
    if (reset) {
      cursor = null;
      clear(tbody);
    }
    try {
      const res = await api.aiJobs(undefined, cursor, { signal });
      for (const j of res.items || []) {
        tbody.append(
          h(
            'tr',
            { testid: 'ai-job-row', dataset: { id: String(j.id), status: j.status } },
            h('td', { class: 'num' }, String(j.id)),
            h('td', { class: 'num' }, String(j.manuscriptId)),
            h('td', {}, h('span', { class: `badge badge-${j.status}`, title: j.status }, has(`job.${j.status}`) ? t(`job.${j.status}`) : j.status)),
            h('td', { class: 'num' }, String(j.attempts ?? '')),
            h('td', {}, j.generator || ''),
            h('td', { class: 'cell-error' }, j.lastError || ''),
            h('td', { class: 'cell-time' }, formatDateTime(j.updatedAt))
          )
        );
      }
      cursor = res.nextCursor || null;
      more.hidden = !cursor;
      fill(status, tbody.children.length ? '' : h('p', { class: 'empty', testid: 'ai-jobs-empty' }, t('admin.noJobs')));
    } catch (e) {
      if (!isAbort(e)) fill(status, errorBox(e));
    }
  }
  refresh.addEventListener('click', () => load(true));
  more.addEventListener('click', () => load(false));
  load(true);
  const cols = ['id', 'manuscript', 'status', 'attempts', 'generator', 'lastError', 'updated'];
  return h(
    'section',
    { class: 'card wide', id: 'ai-jobs', 'aria-labelledby': 'adm-jobs-h', testid: 'admin-ai-jobs' },
    h('div', { class: 'section-head' }, h('h2', { id: 'adm-jobs-h' }, t('admin.jobs')), refresh),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table table-wide', testid: 'ai-jobs' }, h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`admin.job.${c}`))))), tbody)),
    status,
    more
  );
}

function eventsSection(signal) {
  const tbody = h('tbody', { testid: 'events-rows' });
  const status = h('div');
  const filter = select('adm-ev-type', t('admin.eventType'), [['', t('admin.allTypes')], ...EVENT_TYPES.map((x) => [x, x])], '', 'event-type-filter');
  const more = h('button', { type: 'button', class: 'btn', testid: 'events-more' }, t('admin.moreEvents'));
  let after = null;
  async function load(reset) {
    if (reset) {
      after = null;
      clear(tbody);
    }
    more.disabled = true;
    try {
      const res = await api.events(after, filter.sel.value || undefined, { signal });
      const items = res.items || [];
      for (const ev of items) {
        tbody.append(
          h(
            'tr',
            { testid: 'event-row', dataset: { id: String(ev.id), type: ev.type } },
            h('td', { class: 'num' }, String(ev.id)),
            h('td', {}, h('code', {}, ev.type)),
            h('td', { class: 'cell-time' }, formatDateTime(ev.createdAt)),
            h('td', { class: 'cell-payload' }, h('code', {}, JSON.stringify(ev.payload ?? {})))
          )
        );
      }
      // Oldest first: the cursor (or the last id) asks for what came after.
      after = res.nextCursor ?? (items.length ? items[items.length - 1].id : after);
      more.textContent = res.nextCursor ? t('common.more') : t('admin.moreEvents');
      fill(status, tbody.children.length ? '' : h('p', { class: 'empty', testid: 'events-empty' }, t('admin.noEvents')));
    } catch (e) {
      if (!isAbort(e)) fill(status, errorBox(e));
    } finally {
      more.disabled = false;
    }
  }
  filter.sel.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  load(true);
  const cols = ['id', 'type', 'time', 'payload'];
  return h(
    'section',
    { class: 'card wide', id: 'events', 'aria-labelledby': 'adm-ev-h', testid: 'admin-events' },
    h('div', { class: 'section-head' }, h('h2', { id: 'adm-ev-h' }, t('admin.events')), filter.el),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table table-wide events-table', testid: 'events' }, h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`admin.ev.${c}`))))), tbody)),
    status,
    more
  );
}

export async function render(root, { signal, app }) {
  app.setTitle(t('admin.title'));
  const who = await app.requireLogin();
  if (!who || signal.aborted) return;
  if (!app.hasRole('admin')) {
    root.append(heading(t('admin.title')), h('p', { class: 'notice notice-error', testid: 'admin-forbidden' }, t('error.forbidden')));
    return;
  }
  root.append(
    h(
      'header',
      { class: 'page-head' },
      heading(t('admin.title')),
      h(
        'nav',
        { class: 'subnav', 'aria-label': t('admin.sections') },
        h('a', { href: '#applications' }, t('admin.applications')),
        h('a', { href: '#ai-jobs' }, t('admin.jobs')),
        h('a', { href: '#events' }, t('admin.events')),
        h('a', { href: '/admin/payments', testid: 'desk-link' }, t('desk.title')),
        h('a', { href: '/admin/members', testid: 'members-link' }, t('members.title')),
        h('a', { href: '/admin/reports', testid: 'reports-link' }, t('reports.title')),
        h('a', { href: '/admin/books', testid: 'books-link' }, t('adminBooks.title'))
      )
    ),
    h('div', { class: 'grid-2' }, applicationsSection(app, signal), jobsSection(signal), eventsSection(signal))
  );
}
