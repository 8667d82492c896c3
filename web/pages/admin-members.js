// Admin: members - search by e-mail or name, roles, bans for a number of days.
import { api } from '../api.js';
import { t, formatDateTime, formatPoints } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, fill, debounce } from '../dom.js';

function roleToggle(app, m, role, onChange) {
  const has = m.roles.includes(role);
  const b = h('button', { type: 'button', class: 'btn btn-small', testid: `role-${role}-${m.id}`, 'aria-pressed': String(has) }, t(`members.role.${role}`));
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      onChange((await api.setRole(m.id, role, !has)).member);
    } catch (e) {
      app.toast(e.localized || e.message);
      b.disabled = false;
    }
  });
  return b;
}

function banForm(app, m, onChange) {
  const id = `ban-${m.id}`;
  const days = h('select', { id: `${id}-days`, name: 'days', testid: `ban-days-${m.id}` }, [1, 3, 7, 30, 365].map((d) => h('option', { value: String(d), selected: d === 7 }, t('members.days', { n: d }))));
  const reason = h('input', { id: `${id}-reason`, name: 'reason', maxlength: 200, required: true, testid: `ban-reason-${m.id}` });
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'ban-form', testid: `ban-form-${m.id}`, novalidate: true },
    h('div', { class: 'field inline' }, h('label', { for: `${id}-days` }, t('members.banFor')), days),
    h('div', { class: 'field inline' }, h('label', { for: `${id}-reason` }, t('members.banReason')), reason),
    err,
    h('button', { type: 'submit', class: 'btn btn-danger btn-small', testid: `ban-submit-${m.id}` }, t('members.ban'))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    try {
      onChange((await api.ban(m.id, Number(days.value), reason.value.trim())).member);
      app.toast(t('members.banned', { name: m.name }));
    } catch (e) {
      err.textContent = e.localized || e.message;
      err.hidden = false;
    }
  });
  return form;
}

function memberRow(app, m) {
  const row = h('li', { class: 'card member-row', testid: 'member-row', dataset: { id: String(m.id) } });
  const draw = (cur) => {
    const unban = h('button', { type: 'button', class: 'btn btn-small', testid: `unban-${cur.id}` }, t('members.unban'));
    unban.addEventListener('click', async () => {
      try {
        draw((await api.unban(cur.id)).member);
      } catch (e) {
        app.toast(e.localized || e.message);
      }
    });
    fill(
      row,
      h('div', { class: 'member-head' }, h('strong', {}, cur.name || '—'), h('span', { class: 'muted' }, ` #${cur.id} · ${cur.email}`)),
      h('p', { class: 'muted' }, t('members.since', { date: formatDateTime(cur.createdAt) }), ' · ', formatPoints(cur.points)),
      h('div', { class: 'actions', role: 'group', 'aria-label': t('members.roles') }, roleToggle(app, cur, 'author', draw), roleToggle(app, cur, 'admin', draw)),
      cur.banned
        ? h('p', { class: 'notice notice-error', testid: `banned-${cur.id}` }, t('members.bannedUntil', { until: formatDateTime(cur.banned.until), reason: cur.banned.reason }), ' ', unban)
        : cur.roles.includes('admin')
          ? null
          : banForm(app, cur, draw)
    );
  };
  draw(m);
  return row;
}

export async function render(root, { signal, app }) {
  app.setTitle(t('members.title'));
  if (!(await app.requireLogin()) || signal.aborted) return;
  if (!app.hasRole('admin')) {
    root.append(heading(t('members.title')), h('p', { class: 'notice notice-error' }, t('error.forbidden')));
    return;
  }
  const q = h('input', { id: 'member-q', type: 'search', name: 'q', testid: 'member-search', autocomplete: 'off' });
  const role = h('select', { id: 'member-role', name: 'role', testid: 'member-role' }, [['', t('members.anyRole')], ['author', t('members.role.author')], ['admin', t('members.role.admin')]].map(([v, l]) => h('option', { value: v }, l)));
  const list = h('ul', { class: 'member-list', testid: 'member-list', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('common.more'));
  let cursor = null;
  const load = async (reset) => {
    if (reset) {
      cursor = null;
      fill(list, spinner());
    }
    try {
      const page = await api.members(q.value.trim(), role.value, cursor, { signal });
      if (reset) list.replaceChildren();
      list.append(...page.items.map((m) => memberRow(app, m)));
      if (!list.children.length) list.append(h('li', { class: 'empty' }, t('members.none')));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (e) {
      if (!isAbort(e)) fill(list, errorBox(e));
    }
  };
  const search = debounce(() => load(true), 250);
  q.addEventListener('input', search);
  role.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  root.append(
    h('header', { class: 'page-head' }, heading(t('members.title')), h('a', { href: '/admin' }, t('admin.title'))),
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (ev) => { ev.preventDefault(); load(true); } },
      h('div', { class: 'field inline' }, h('label', { for: 'member-q' }, t('members.search')), q),
      h('div', { class: 'field inline' }, h('label', { for: 'member-role' }, t('members.roleFilter')), role)
    ),
    list,
    more
  );
  await load(true);
  return () => search.cancel();
}
