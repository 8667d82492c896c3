// The editor's revisions panel: the saved revisions of a draft, one shown at
// a time, and restoring one (onRestore puts it in the editor and saves it,
// resolving true when saved).
import { api } from '../api.js';
import { t, formatDateTime, formatNumber } from '../i18n.js';
import { h, spinner, errorBox, isAbort, confirmDialog, fill } from '../dom.js';

export function revisionsPanel({ msId, signal, app, onRestore }) {
  const list = h('ol', { class: 'rev-list', testid: 'revisions-list' });
  const preview = h('div', { class: 'rev-preview', testid: 'revision-preview', hidden: true });
  let timer = null;

  async function load() {
    try {
      const res = await api.revisions(msId, { signal });
      fill(list,
        ...(res.items || []).map((r) => {
          const view = h('button', { type: 'button', class: 'btn btn-small', testid: `revision-view-${r.revision}` }, t('rev.view'));
          view.addEventListener('click', () => show(r.revision));
          return h(
            'li',
            { class: 'rev-item', testid: 'revision-item', dataset: { revision: String(r.revision) } },
            h('span', { class: 'rev-no' }, `r${r.revision}`),
            h('span', { class: 'rev-meta' }, h('span', { class: 'rev-title' }, r.title), h('span', { class: 'muted' }, `${formatDateTime(r.savedAt)} · ${t('rev.chars', { n: formatNumber(r.chars) })}`)),
            view
          );
        })
      );
      if (!list.children.length) list.append(h('li', { class: 'muted' }, t('rev.none')));
    } catch (e) {
      if (!isAbort(e)) fill(list, h('li', {}, errorBox(e)));
    }
  }

  async function show(rev) {
    fill(preview, spinner());
    preview.hidden = false;
    try {
      const r = await api.revision(msId, rev, { signal });
      const restore = h('button', { type: 'button', class: 'btn btn-primary btn-small', testid: 'revision-restore' }, t('rev.restore'));
      const close = h('button', { type: 'button', class: 'btn btn-small', testid: 'revision-close' }, t('common.close'));
      close.addEventListener('click', () => {
        preview.hidden = true;
      });
      restore.addEventListener('click', async () => {
        const ok = await confirmDialog({ title: t('rev.confirmTitle', { rev: r.revision }), body: t('rev.confirmBody'), ok: t('rev.restore') });
        if (!ok || !(await onRestore(r))) return;
        app.toast(t('rev.restored', { rev: r.revision }));
        preview.hidden = true;
        load();
      });
      fill(preview,
        h('h3', {}, `r${r.revision} · ${formatDateTime(r.savedAt)}`),
        h('p', { class: 'rev-preview-title' }, r.title),
        h('div', { class: 'preview-text', testid: 'revision-content' }, r.content || ''),
        h('div', { class: 'actions' }, restore, close)
      );
    } catch (e) {
      if (!isAbort(e)) fill(preview, errorBox(e));
    }
  }

  return {
    list,
    preview,
    load,
    // after a save: reload a little later, once, however many saves come
    soon() {
      clearTimeout(timer);
      timer = setTimeout(load, 2000);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
