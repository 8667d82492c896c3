// Comments under an episode: best or newest first, replies one level deep (shown on demand),
// a spoiler covered until its button is pressed, likes, edit and delete of one's own, reports,
// and for the work's author (and admins) hide and restore. Every control is a labelled button
// or form field, reachable from the keyboard.
import { api } from './api.js';
import { t, formatDateTime } from './i18n.js';
import { h, fill } from './dom.js';

const MAX = 1000;

function composer({ testid, label, submitLabel, onSubmit, initial = '', spoiler = false, onCancel }) {
  const area = h('textarea', { name: 'text', rows: 3, maxlength: MAX, required: true, 'aria-label': label, testid: `${testid}-text` });
  area.value = initial;
  const box = h('input', { type: 'checkbox', name: 'spoiler', testid: `${testid}-spoiler`, checked: spoiler });
  const msg = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: `${testid}-error` });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: `${testid}-submit` }, submitLabel);
  const form = h(
    'form',
    { class: 'comment-form', testid },
    area,
    msg,
    h('div', { class: 'comment-form-row' },
      h('label', { class: 'check' }, box, ' ', t('comments.spoilerFlag')),
      onCancel ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: onCancel }, t('comments.cancel')) : null,
      submit)
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!area.value.trim()) return area.focus();
    submit.disabled = true;
    msg.hidden = true;
    try {
      await onSubmit({ text: area.value.trim(), spoiler: box.checked });
      area.value = '';
      box.checked = false;
    } catch (e) {
      msg.textContent = e.localized || e.message;
      msg.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// The text, or for a spoiler a button that uncovers it.
function body(c) {
  if (c.deleted) return h('p', { class: 'comment-text comment-gone' }, t('comments.deleted'));
  const text = h('p', { class: 'comment-text', testid: 'comment-text', lang: 'ko', hidden: c.spoiler }, c.text);
  if (!c.spoiler) return text;
  const reveal = h('button', { type: 'button', class: 'btn btn-ghost spoiler-btn', testid: 'comment-reveal', 'aria-expanded': 'false' }, t('comments.reveal'));
  reveal.addEventListener('click', () => {
    text.hidden = false;
    reveal.remove();
    text.setAttribute('tabindex', '-1');
    text.focus();
  });
  return h('div', { class: 'comment-spoiler' }, reveal, text);
}

function actionButton(label, testid, run, extra = {}) {
  const b = h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid, ...extra }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await run(b);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

function commentItem(c, ctx, { moderator }) {
  const { app } = ctx;
  const li = h('li', { class: ['comment', c.hidden && 'comment-hidden'], testid: 'comment', dataset: { commentId: String(c.id) } });
  const tools = h('div', { class: 'comment-tools' });
  const toast = (e) => app.toast(e.localized || e.message);
  const meta = h(
    'p',
    { class: 'comment-meta' },
    h('strong', {}, c.member ? c.member.name : t('comments.gone')),
    ' · ',
    h('time', { datetime: c.createdAt }, formatDateTime(c.createdAt)),
    c.edited && !c.deleted ? ` · ${t('comments.edited')}` : '',
    c.hidden ? h('span', { class: 'badge', testid: 'comment-hidden-badge' }, t('comments.hiddenBadge')) : null
  );
  const refresh = () => ctx.reload();
  if (!c.deleted) {
    const likeLabel = h('span', {}, t('comments.like', { n: c.likes }));
    const like = actionButton([h('span', { 'aria-hidden': 'true' }, '♥ '), likeLabel], 'comment-like', async (b) => {
      if (!app.me) return app.navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      try {
        const r = await api.likeComment(c.id, !c.liked);
        c.liked = r.liked;
        c.likes = r.likes;
        likeLabel.textContent = t('comments.like', { n: r.likes });
        b.setAttribute('aria-pressed', String(r.liked));
      } catch (e) {
        toast(e);
      }
    }, { 'aria-pressed': String(c.liked), disabled: c.mine });
    tools.append(like);
    if (app.me && !c.parentId) tools.append(actionButton(t('comments.reply'), 'comment-reply', () => ctx.openReply(c, li)));
    if (app.me && !c.mine) tools.append(actionButton(t('comments.report'), 'comment-report', () => openReport(c, li, ctx)));
    if (c.mine) {
      tools.append(actionButton(t('comments.edit'), 'comment-edit', () => openEdit(c, li, ctx)));
      tools.append(actionButton(t('comments.delete'), 'comment-delete', async () => {
        try {
          await api.deleteComment(c.id);
          app.toast(t('comments.deletedDone'));
          refresh();
        } catch (e) {
          toast(e);
        }
      }));
    }
    if (moderator)
      tools.append(actionButton(t(c.hidden ? 'comments.restore' : 'comments.hide'), c.hidden ? 'comment-restore' : 'comment-hide', async () => {
        try {
          await api.hideComment(c.id, !c.hidden);
          refresh();
        } catch (e) {
          toast(e);
        }
      }));
  }
  li.append(meta, body(c), tools);
  if (!c.parentId && c.replyCount > 0) li.append(repliesToggle(c, li, ctx, moderator));
  return li;
}

function repliesToggle(c, li, ctx, moderator) {
  const list = h('ol', { class: 'comment-replies', testid: 'comment-replies', hidden: true });
  const btn = h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'comment-replies-toggle', 'aria-expanded': 'false' },
    t('comments.replies', { n: c.replyCount }));
  btn.addEventListener('click', async () => {
    const open = btn.getAttribute('aria-expanded') !== 'true';
    btn.setAttribute('aria-expanded', String(open));
    list.hidden = !open;
    if (!open) return;
    const res = await api.comments(ctx.bookId, ctx.n, { parent: c.id }).catch((e) => (ctx.app.toast(e.localized || e.message), null));
    if (res) fill(list, res.items.map((r) => commentItem(r, ctx, { moderator })));
  });
  return h('div', {}, btn, list);
}

function openEdit(c, li, ctx) {
  if (li.querySelector('.comment-form')) return;
  const form = composer({
    testid: 'comment-edit-form',
    label: t('comments.editLabel'),
    submitLabel: t('comments.save'),
    initial: c.text,
    spoiler: c.spoiler,
    onCancel: () => form.remove(),
    onSubmit: async (b) => {
      await api.editComment(c.id, b);
      ctx.reload();
    },
  });
  li.append(form);
  form.querySelector('textarea').focus();
}

function openReport(c, li, ctx) {
  if (li.querySelector('.report-form')) return;
  const reason = h('input', { type: 'text', name: 'reason', maxlength: 500, required: true, 'aria-label': t('comments.reportReason'), testid: 'comment-report-reason' });
  const form = h('form', { class: 'report-form', testid: 'comment-report-form' },
    reason,
    h('button', { type: 'submit', class: 'btn', testid: 'comment-report-submit' }, t('comments.reportSend')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) return reason.focus();
    try {
      await api.reportComment(c.id, reason.value.trim());
      form.remove();
      ctx.app.toast(t('comments.reported'));
    } catch (e) {
      ctx.app.toast(e.localized || e.message);
    }
  });
  li.append(form);
  reason.focus();
}

/** The comments section of episode n of bookId. */
export function commentsSection(bookId, n, app) {
  const count = h('span', { class: 'comment-count', testid: 'comment-count' });
  const list = h('ol', { class: 'comment-list', testid: 'comment-list' });
  const more = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'comment-more', hidden: true }, t('comments.more'));
  const sorts = ['best', 'new'].map((s) =>
    h('button', { type: 'button', class: 'btn btn-small', testid: `comment-sort-${s}`, 'aria-pressed': String(s === 'best') }, t(`comments.sort.${s}`)));
  const ctx = { bookId, n, app, sort: 'best', cursor: null };
  async function load(append = false) {
    const res = await api.comments(bookId, n, { sort: ctx.sort, cursor: append ? ctx.cursor : null }).catch((e) => (app.toast(e.localized || e.message), null));
    if (!res) return;
    count.textContent = t('comments.count', { n: res.count });
    const items = res.items.map((c) => commentItem(c, ctx, res));
    if (append) list.append(...items);
    else fill(list, items.length ? items : h('li', { class: 'muted', testid: 'comment-empty' }, t('comments.empty')));
    ctx.cursor = res.nextCursor;
    more.hidden = !res.nextCursor;
  }
  ctx.reload = () => load(false);
  ctx.openReply = (c, li) => {
    if (li.querySelector('.comment-form')) return;
    const form = composer({
      testid: 'comment-reply-form',
      label: t('comments.replyLabel', { who: c.member?.name || '' }),
      submitLabel: t('comments.replySend'),
      onCancel: () => form.remove(),
      onSubmit: async (b) => {
        await api.postComment(bookId, n, { ...b, parentId: c.id });
        ctx.reload();
      },
    });
    li.append(form);
    form.querySelector('textarea').focus();
  };
  sorts.forEach((b, i) => b.addEventListener('click', () => {
    ctx.sort = i === 0 ? 'best' : 'new';
    sorts.forEach((o) => o.setAttribute('aria-pressed', String(o === b)));
    load(false);
  }));
  more.addEventListener('click', () => load(true));
  const write = app.me
    ? composer({
        testid: 'comment-form',
        label: t('comments.label'),
        submitLabel: t('comments.send'),
        onSubmit: async (b) => {
          await api.postComment(bookId, n, b);
          ctx.sort = 'new';
          sorts.forEach((o, i) => o.setAttribute('aria-pressed', String(i === 1)));
          await load(false);
        },
      })
    : h('p', { class: 'muted' }, h('a', { href: `/login?next=${encodeURIComponent(location.pathname)}` }, t('comments.login')));
  load(false);
  return h(
    'section',
    { class: 'comments', testid: 'comments', 'aria-labelledby': 'comments-title' },
    h('div', { class: 'comments-head' },
      h('h2', { id: 'comments-title' }, t('comments.title'), ' ', count),
      h('div', { class: 'comment-sorts', role: 'group', 'aria-label': t('comments.sortLabel') }, sorts)),
    write,
    list,
    more
  );
}
