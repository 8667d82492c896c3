// Manuscript editor: the draft (autosave, conflict handling, the backup in
// this browser, submission); the revisions panel (editor-revisions.js) and
// the generation's progress (editor-progress.js) are their own modules.
import { api } from '../api.js';
import { t, formatDateTime, formatNumber } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, statusBadge, confirmDialog, fill } from '../dom.js';
import { requireAuthor } from './studio.js';
import { progressView } from './editor-progress.js';
import { revisionsPanel } from './editor-revisions.js';

const AUTOSAVE_MS = 1500;
const OFFLINE_RETRY_MS = 5000;
const MAX_BYTES = 2 * 1024 * 1024;
const MIN_SUBMIT_CHARS = 100;

// A save still running when the page is left; the next editor render waits for
// it so it never loads a revision that is about to be superseded.
let inflight = Promise.resolve();

const backupKey = (id) => `wl.draft.${id}`;
function readBackup(id) {
  try {
    return JSON.parse(localStorage.getItem(backupKey(id)) || 'null');
  } catch {
    return null;
  }
}
function writeBackup(id, data) {
  try {
    localStorage.setItem(backupKey(id), JSON.stringify(data));
  } catch {
    /* quota: the server copy is the backup */
  }
}
function dropBackup(id) {
  try {
    localStorage.removeItem(backupKey(id));
  } catch {
    /* ignore */
  }
}

const chars = (s) => {
  let n = 0;
  for (const _ of s) n++; // code points, so Hangul and emoji count once
  return n;
};
const charsNoSpace = (s) => chars(s.replace(/\s+/g, ''));

export async function render(root, { params, signal, app }) {
  const msId = params[0];
  app.setTitle(t('editor.title'));
  if (!(await requireAuthor(root, app, signal))) return;
  root.append(spinner());
  await inflight.catch(() => {});

  let ms;
  try {
    ms = (await api.manuscript(msId, { signal })).manuscript;
  } catch (e) {
    if (!isAbort(e)) fill(root, heading(t(e.status === 404 ? 'editor.notFound' : 'error.title')), errorBox(e), h('a', { href: '/studio' }, `← ${t('editor.back')}`));
    return;
  }
  if (signal.aborted) return;
  app.setTitle(ms.title);

  const cleanups = [];
  const stop = () => cleanups.splice(0).forEach((fn) => fn());
  const onCleanup = (fn) => cleanups.push(fn);
  const progress = (m) => progressView(root, { ms: m, msId, signal, onCleanup });

  if (ms.status === 'draft') {
    draftView(root, {
      ms, msId, signal, app, onCleanup,
      onSubmitted: (m) => {
        stop();
        progress(m);
      },
    });
  } else progress(ms);
  return stop;
}

// ---------------------------------------------------------------- draft --
function draftView(root, { ms, msId, signal, app, onCleanup, onSubmitted }) {
  let revision = ms.revision;
  let savedTitle = ms.title;
  let savedContent = ms.content || '';
  let state = 'saved';
  let timer = null;
  let retryTimer = null;
  let saving = null;
  let conflictRev = null;
  let lastSaved = ms.updatedAt;

  const saveState = h('span', { class: 'save-state', testid: 'save-state', role: 'status', 'aria-live': 'polite' });
  const titleEl = h('input', {
    id: 'ed-title',
    name: 'title',
    class: 'editor-title',
    testid: 'editor-title',
    value: ms.title,
    maxlength: 200,
    required: true,
    autocomplete: 'off',
  });
  const contentEl = h('textarea', {
    id: 'ed-content',
    name: 'content',
    class: 'editor-content',
    testid: 'editor-content',
    spellcheck: 'false',
    'aria-describedby': 'char-count',
  });
  contentEl.value = savedContent;
  const count = h('span', { id: 'char-count', class: 'char-count', testid: 'char-count', 'aria-live': 'off' });
  const message = h('p', { class: 'form-error', role: 'alert', testid: 'editor-error', hidden: true });
  const banner = h('div', { class: 'conflict-banner', role: 'alert', testid: 'conflict-banner', hidden: true });
  const recovery = h('div', { class: 'notice notice-warn', testid: 'draft-recovery', hidden: true });

  function setState(s, detail) {
    state = s;
    saveState.dataset.state = s;
    saveState.textContent = t(`save.${s}`);
    saveState.title = s === 'saved' && lastSaved ? t('save.savedAt', { time: formatDateTime(lastSaved) }) : detail || '';
    message.hidden = !detail;
    message.textContent = detail || '';
  }

  function updateCount() {
    const v = contentEl.value;
    count.textContent = t('editor.count', { n: formatNumber(chars(v)), m: formatNumber(charsNoSpace(v)) });
  }

  let backupTimer = null;
  function backupSoon() {
    clearTimeout(backupTimer);
    backupTimer = setTimeout(() => {
      if (titleEl.value !== savedTitle || contentEl.value !== savedContent)
        writeBackup(msId, { title: titleEl.value, content: contentEl.value, baseRevision: revision, at: new Date().toISOString() });
    }, 500);
  }

  function schedule(ms2 = AUTOSAVE_MS) {
    clearTimeout(timer);
    timer = setTimeout(save, ms2);
  }

  function onEdit() {
    updateCount();
    backupSoon();
    if (state === 'conflict') return; // autosave stays off until the author chooses
    if (titleEl.value === savedTitle && contentEl.value === savedContent) {
      clearTimeout(timer);
      if (!saving) setState('saved');
      return;
    }
    if (state !== 'saving') setState(navigator.onLine ? 'dirty' : 'offline');
    schedule();
  }

  function save() {
    clearTimeout(timer);
    clearTimeout(retryTimer);
    if (state === 'conflict') return Promise.resolve(false);
    if (saving) {
      // Edits arrived while a save was running: save again when it ends.
      return saving.then(() => (state === 'conflict' ? false : save()));
    }
    const title = titleEl.value.trim();
    const content = contentEl.value;
    if (title === savedTitle && content === savedContent) {
      setState('saved');
      return Promise.resolve(true);
    }
    if (!title) {
      setState('error', t('editor.needTitle'));
      return Promise.resolve(false);
    }
    if (new TextEncoder().encode(content).length > MAX_BYTES) {
      setState('error', t('error.payload_too_large'));
      return Promise.resolve(false);
    }
    if (!navigator.onLine) {
      setState('offline');
      retryTimer = setTimeout(save, OFFLINE_RETRY_MS);
      return Promise.resolve(false);
    }
    setState('saving');
    saving = (async () => {
      try {
        const res = await api.saveManuscript(msId, title, content, revision);
        const m = res?.manuscript || res || {};
        revision = typeof m.revision === 'number' ? m.revision : revision + 1;
        lastSaved = m.updatedAt || new Date().toISOString();
        savedTitle = title;
        savedContent = content;
        if (titleEl.value.trim() === savedTitle && contentEl.value === savedContent) {
          dropBackup(msId);
          setState('saved');
        } else {
          setState('dirty');
          if (!timer) schedule();
        }
        revisionsSoon();
        return true;
      } catch (e) {
        if (e.code === 'revision_conflict') enterConflict(e.body?.currentRevision);
        else if (e.code === 'not_draft') {
          app.toast(t('editor.notDraft'));
          setTimeout(() => app.navigate(location.pathname, { replace: true }), 0);
        } else if (e.code === 'network') {
          setState('offline');
          retryTimer = setTimeout(save, OFFLINE_RETRY_MS);
        } else setState('error', e.localized);
        return false;
      } finally {
        saving = null;
      }
    })();
    inflight = saving;
    return saving;
  }

  // ---- conflict ----
  async function enterConflict(currentRevision) {
    clearTimeout(timer);
    clearTimeout(retryTimer);
    conflictRev = typeof currentRevision === 'number' ? currentRevision : null;
    setState('conflict');
    const reload = h('button', { type: 'button', class: 'btn', testid: 'conflict-reload' }, t('conflict.reload'));
    const overwrite = h('button', { type: 'button', class: 'btn btn-danger', testid: 'conflict-overwrite' }, t('conflict.overwrite'));
    const server = h('details', { class: 'conflict-server', testid: 'conflict-server' }, h('summary', {}, t('conflict.showServer')));
    fill(banner, 
      h('h2', {}, t('conflict.title')),
      h('p', {}, t('conflict.body', { rev: conflictRev ?? '?' })),
      h('div', { class: 'actions' }, reload, overwrite),
      server
    );
    banner.hidden = false;
    banner.scrollIntoView({ block: 'nearest' });
    loadRevisions(); // the newer revision shows up in the list too
    reload.addEventListener('click', async () => {
      reload.disabled = overwrite.disabled = true;
      try {
        const fresh = (await api.manuscript(msId)).manuscript;
        if (fresh.status !== 'draft') return app.navigate(location.pathname, { replace: true });
        titleEl.value = savedTitle = fresh.title;
        contentEl.value = savedContent = fresh.content || '';
        revision = fresh.revision;
        lastSaved = fresh.updatedAt;
        dropBackup(msId);
        banner.hidden = true;
        updateCount();
        setState('saved');
        loadRevisions();
        app.toast(t('conflict.reloaded'));
      } catch (e) {
        reload.disabled = overwrite.disabled = false;
        setState('conflict', e.localized);
      }
    });
    overwrite.addEventListener('click', async () => {
      reload.disabled = overwrite.disabled = true;
      let rev = conflictRev;
      if (rev === null) {
        try {
          rev = (await api.manuscript(msId)).manuscript.revision;
        } catch (e) {
          reload.disabled = overwrite.disabled = false;
          setState('conflict', e.localized);
          return;
        }
      }
      revision = rev;
      banner.hidden = true;
      savedContent = null; // force a save even if the text equals the last save
      setState('dirty');
      const ok = await save();
      if (ok) app.toast(t('conflict.overwritten'));
    });
    // Show what the server has, so the choice is informed.
    try {
      const fresh = (await api.manuscript(msId)).manuscript;
      server.append(
        h('p', { class: 'muted' }, t('conflict.serverMeta', { rev: fresh.revision, date: formatDateTime(fresh.updatedAt), n: formatNumber(chars(fresh.content || '')) })),
        h('p', { class: 'conflict-server-title' }, fresh.title),
        h('div', { class: 'preview-text' }, fresh.content || '')
      );
      if (conflictRev === null) conflictRev = fresh.revision;
    } catch {
      /* the banner still offers both choices */
    }
  }

  // ---- revisions ----
  const revisions = revisionsPanel({ msId, signal, app, onRestore: restoreRevision });
  const { load: loadRevisions, soon: revisionsSoon } = revisions;
  function restoreRevision(r) {
    if (state === 'conflict') {
      app.toast(t('rev.conflictFirst'));
      return Promise.resolve(false);
    }
    titleEl.value = r.title;
    contentEl.value = r.content || '';
    updateCount();
    setState('dirty');
    return save();
  }

  // ---- submit / delete ----
  // An episode of a work may be scheduled: empty publishes it once generated.
  const publishAt = ms.bookId ? h('input', { id: 'ed-publish-at', type: 'datetime-local', testid: 'publish-at' }) : null;
  const scheduleField = publishAt ? h('div', { class: 'field schedule' }, h('label', { for: 'ed-publish-at' }, t('editor.publishAt')), publishAt, h('p', { class: 'hint' }, t('editor.publishAtHint'))) : null;
  const submitBtn = h('button', { type: 'button', class: 'btn btn-primary', testid: 'submit-manuscript' }, t('editor.submit'));
  submitBtn.addEventListener('click', async () => {
    if (state === 'conflict') return setState('conflict', t('editor.resolveFirst'));
    if (chars(contentEl.value) < MIN_SUBMIT_CHARS) {
      message.textContent = t('editor.tooShort', { n: MIN_SUBMIT_CHARS });
      message.hidden = false;
      contentEl.focus();
      return;
    }
    const ok = await confirmDialog({ title: t('editor.confirmTitle'), body: t('editor.confirmBody'), ok: t('editor.submit') });
    if (!ok) return;
    submitBtn.disabled = true;
    const saved = await save();
    if (!saved && state !== 'saved') {
      submitBtn.disabled = false;
      return;
    }
    try {
      const at = publishAt?.value ? new Date(publishAt.value).toISOString() : undefined;
      const res = await api.submitManuscript(msId, at);
      dropBackup(msId);
      app.toast(t('editor.submitted'));
      onSubmitted(res?.manuscript || { ...ms, status: 'submitted' });
    } catch (e) {
      submitBtn.disabled = false;
      message.textContent = e.code === 'validation_failed' && e.field !== 'publishAt' ? t('editor.tooShort', { n: MIN_SUBMIT_CHARS }) : e.localized;
      message.hidden = false;
    }
  });

  const saveNow = h('button', { type: 'button', class: 'btn', testid: 'save-now' }, t('editor.saveNow'));
  saveNow.addEventListener('click', () => save());

  const delBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-danger-text', testid: 'delete-manuscript' }, t('editor.delete'));
  delBtn.addEventListener('click', async () => {
    const ok = await confirmDialog({ title: t('editor.deleteTitle'), body: t('editor.deleteBody'), ok: t('editor.delete'), danger: true });
    if (!ok) return;
    clearTimeout(timer);
    try {
      await api.deleteManuscript(msId);
      dropBackup(msId);
      state = 'saved';
      app.toast(t('editor.deleted'));
      app.navigate('/studio', { replace: true });
    } catch (e) {
      setState(state, e.localized);
    }
  });

  titleEl.addEventListener('input', onEdit);
  contentEl.addEventListener('input', onEdit);
  const onKey = (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 's') {
      ev.preventDefault();
      save();
    }
  };
  root.addEventListener('keydown', onKey);
  const onOnline = () => {
    if (state === 'offline') save();
  };
  const onOffline = () => {
    if (state === 'dirty' || state === 'saving') setState('offline');
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  onCleanup(() => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearTimeout(retryTimer);
    revisions.dispose();
    clearTimeout(backupTimer);
    // Leaving with unsaved edits: save them now (the next render waits).
    if (state === 'dirty') save();
    clearTimeout(timer);
  });

  fill(root, 
    h(
      'header',
      { class: 'page-head row editor-head' },
      h('a', { href: '/studio', class: 'btn btn-ghost', testid: 'back-to-studio' }, `← ${t('editor.back')}`),
      statusBadge(ms.status),
      saveState
    ),
    recovery,
    banner,
    h(
      'div',
      { class: 'editor-layout' },
      h(
        'div',
        { class: 'editor-main' },
        h('h1', { class: 'visually-hidden', tabindex: '-1' }, t('editor.title')),
        h('label', { for: 'ed-title', class: 'label' }, t('field.title')),
        titleEl,
        h('label', { for: 'ed-content', class: 'label' }, t('field.content')),
        contentEl,
        message,
        scheduleField,
        h('div', { class: 'editor-foot' }, count, h('div', { class: 'actions' }, delBtn, saveNow, submitBtn))
      ),
      h(
        'aside',
        { class: 'editor-side', 'aria-labelledby': 'rev-h' },
        h('h2', { id: 'rev-h' }, t('rev.title')),
        h('p', { class: 'muted small' }, t('rev.hint')),
        revisions.list,
        revisions.preview
      )
    )
  );
  updateCount();
  setState('saved');
  loadRevisions();

  // Unsaved text left in this browser from an earlier visit?
  const b = readBackup(msId);
  if (b && (b.title !== savedTitle || b.content !== savedContent)) {
    const use = h('button', { type: 'button', class: 'btn btn-primary btn-small', testid: 'draft-recover' }, t('recover.use'));
    const drop = h('button', { type: 'button', class: 'btn btn-small', testid: 'draft-discard' }, t('recover.discard'));
    recovery.append(h('p', {}, t('recover.body', { date: formatDateTime(b.at) })), h('div', { class: 'actions' }, use, drop));
    recovery.hidden = false;
    use.addEventListener('click', () => {
      recovery.hidden = true;
      titleEl.value = b.title;
      contentEl.value = b.content;
      // Save against the revision the backup was based on: if the server
      // moved on meanwhile, the conflict banner lets the author choose.
      if (typeof b.baseRevision === 'number') revision = b.baseRevision;
      onEdit();
    });
    drop.addEventListener('click', () => {
      recovery.hidden = true;
      dropBackup(msId);
    });
  }
}
