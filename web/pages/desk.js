// The author's desk (/studio/books/:id): every part the generator made, editable (blurb, tagline,
// price within the bounds, genre, tags, age rating), the author's own cover, "regenerate" per
// part with the AI's suggestion beside the author's value, the work's history, and in review
// mode the proof's accept button.
import { api } from '../api.js';
import { t, formatDateTime, formatPoints, priceReason } from '../i18n.js';
import { h, spinner, errorBox, heading, fill, field, formError, showFormError, cover, confirmDialog, isAbort } from '../dom.js';
import { requireAuthor } from './studio.js';

const GENRES = ['fantasy', 'modern_fantasy', 'wuxia', 'romance', 'romance_fantasy', 'mystery', 'sf', 'drama', 'horror', 'light_novel'];
const AGES = ['all', '12', '15', '19'];
const POLL_MS = 700;
const POLL_TRIES = 120; // about a minute and a half, then the page stops waiting

const onePriced = (book) => !book.serial && book.episodeCount <= 1;

// "AI 제안 3,000 P · 작가 설정 2,000 P", or the AI's text when the author kept it.
function suggestion(book, part) {
  const ai = book.ai?.[part];
  if (!ai) return null;
  const by = ai.generatedBy;
  if (part === 'price') {
    const mine = ai.field === 'episodePrice' ? book.episodePrice : book.price;
    const text = ai.value === mine
      ? t('desk.aiSame', { ai: formatPoints(ai.value) })
      : t('desk.aiPrice', { ai: formatPoints(ai.value), mine: formatPoints(mine) });
    return h('p', { class: 'desk-ai', testid: 'ai-price' }, h('span', { class: 'ai-badge', 'aria-hidden': 'true' }, 'AI'), ' ', text, ' ', h('span', { class: 'muted' }, `(${by})`));
  }
  const same = ai.value === book[part];
  return h(
    'p',
    { class: 'desk-ai', testid: `ai-${part}`, dataset: { same: String(same) } },
    h('span', { class: 'ai-badge', 'aria-hidden': 'true' }, 'AI'),
    ' ',
    same ? t('desk.aiKept') : t('desk.aiWas'),
    ' ',
    same ? null : h('q', {}, ai.value),
    ' ',
    h('span', { class: 'muted' }, `(${by})`)
  );
}

function select(name, label, values, current, text, testid) {
  const id = `desk-${name}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name, testid }, values.map((v) => h('option', { value: v, selected: v === current }, text(v))))
  );
}

// The edit form: only the fields that changed are sent.
function infoForm(book, ctx) {
  const form = h(
    'form',
    { class: 'card desk-form', testid: 'desk-form', 'aria-labelledby': 'desk-info-h' },
    h('h2', { id: 'desk-info-h' }, t('desk.info')),
    field({ label: t('desk.summary'), name: 'summary', textarea: true, value: book.summary, testid: 'desk-summary', maxlength: 1000, rows: 5, required: true }),
    suggestion(book, 'summary'),
    ctx.regenButton('summary'),
    field({ label: t('desk.tagline'), name: 'tagline', value: book.tagline, testid: 'desk-tagline', maxlength: 120 }),
    suggestion(book, 'tagline'),
    ctx.regenButton('tagline'),
    onePriced(book)
      ? field({ label: t('desk.price'), name: 'price', type: 'number', value: String(book.price), testid: 'desk-price', min: 0, step: 100, hint: t('desk.priceHint') })
      : field({ label: t('desk.episodePrice'), name: 'episodePrice', type: 'number', value: String(book.episodePrice), testid: 'desk-price', min: 0, step: 10, hint: t('desk.episodePriceHint') }),
    priceReason(book) ? h('p', { class: 'price-reason', testid: 'desk-price-reason' }, t('book.priceReason'), ': ', priceReason(book)) : null,
    suggestion(book, 'price'),
    ctx.regenButton('price'),
    select('genre', t('desk.genre'), ['', ...GENRES], book.genre || '', (g) => (g ? t(`genre.${g}`) : t('desk.genreNone')), 'desk-genre'),
    field({ label: t('desk.tags'), name: 'tags', value: (book.tags || []).join(', '), testid: 'desk-tags', hint: t('desk.tagsHint') }),
    select('ageRating', t('desk.age'), AGES, book.ageRating || 'all', (a) => t(`desk.age.${a}`), 'desk-age'),
    formError('desk-form-error'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', testid: 'desk-save' }, t('desk.save')))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showFormError(form, null);
    const el = form.elements;
    const tags = el.tags.value.split(',').map((s) => s.trim()).filter(Boolean);
    const priceName = onePriced(book) ? 'price' : 'episodePrice';
    const next = {
      summary: el.summary.value.trim(),
      tagline: el.tagline.value.trim(),
      [priceName]: Number(el[priceName].value),
      genre: el.genre.value || null,
      tags,
      ageRating: el.ageRating.value,
    };
    const body = {};
    for (const [k, v] of Object.entries(next)) {
      const was = k === 'genre' ? book.genre || null : book[k];
      if (JSON.stringify(v) !== JSON.stringify(was)) body[k] = v;
    }
    if (!Object.keys(body).length) return ctx.app.toast(t('desk.nothing'));
    try {
      const res = await api.patchBook(book.id, body);
      ctx.app.toast(t('desk.saved'));
      await ctx.reload(res.book);
    } catch (e) {
      showFormError(form, e);
    }
  });
  return form;
}

function coverBox(book, ctx) {
  const mine = !book.ai?.cover && !book.generatedBy?.cover;
  const file = h('input', { id: 'desk-cover-file', type: 'file', name: 'cover', accept: 'image/png,image/jpeg', testid: 'desk-cover-file', 'aria-describedby': 'desk-cover-hint' });
  const form = h(
    'form',
    { class: 'card desk-cover', testid: 'desk-cover', 'aria-labelledby': 'desk-cover-h' },
    h('h2', { id: 'desk-cover-h' }, t('desk.cover')),
    cover(book, 'lg', { mark: false }),
    h('p', { class: 'muted', testid: 'desk-cover-by' }, mine ? t('desk.coverMine') : t('desk.coverAi', { by: book.ai?.cover?.generatedBy || book.generatedBy?.cover })),
    h('div', { class: 'field' }, h('label', { for: 'desk-cover-file' }, t('desk.coverUpload')), file, h('p', { class: 'hint', id: 'desk-cover-hint' }, t('desk.coverHint'))),
    formError('desk-cover-error'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn', testid: 'desk-cover-upload' }, t('desk.coverSend')), ctx.regenButton('cover', mine))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showFormError(form, null);
    const f = file.files?.[0];
    if (!f) return showFormError(form, { localized: t('desk.coverPick'), field: 'cover' });
    try {
      const res = await api.uploadCover(book.id, f);
      ctx.app.toast(t('desk.coverUploaded'));
      await ctx.reload(res.book);
    } catch (e) {
      showFormError(form, e);
    }
  });
  return form;
}

function fieldName(field) {
  const ep = /^episodes\/(\d+)\/(\w+)$/.exec(field);
  if (ep) return t('desk.field.episode', { n: ep[1], what: t(`desk.field.${ep[2]}`) });
  return t(`desk.field.${field}`);
}

function value(c, v) {
  if (v === null || v === undefined || v === '') return t('desk.none');
  if (typeof v === 'boolean') return v ? t('desk.yes') : t('desk.no');
  if (Array.isArray(v)) return v.join(', ') || t('desk.none');
  if (typeof v === 'number' && /price/i.test(c.field)) return formatPoints(v);
  if (c.field === 'genre') return t(`genre.${v}`);
  return String(v);
}

function historyList(book, items) {
  const who = (c) => (c.generatedBy ? t('desk.byAi', { gen: c.generatedBy }) : c.by === book.authorId ? t('desk.byAuthor') : c.by ? t('desk.byAdmin') : t('desk.bySystem'));
  return h(
    'section',
    { class: 'card desk-history', 'aria-labelledby': 'desk-history-h' },
    h('h2', { id: 'desk-history-h' }, t('desk.history')),
    items.length
      ? h(
          'ol',
          { class: 'history', testid: 'desk-history' },
          items.map((c) =>
            h(
              'li',
              { testid: 'history-item', dataset: { field: c.field, generated: String(!!c.generatedBy) } },
              h('time', { datetime: c.at }, formatDateTime(c.at)),
              ' · ',
              h('strong', {}, fieldName(c.field)),
              ' · ',
              h('span', { class: c.generatedBy ? 'ai-label' : 'muted' }, who(c)),
              h('p', { class: 'history-values' }, c.field === 'cover' ? t('desk.coverChanged') : [value(c, c.from), ' → ', value(c, c.to)])
            )
          )
        )
      : h('p', { class: 'muted' }, t('desk.historyEmpty'))
  );
}

function proofBox(book, ctx) {
  if (!book.proof) return null;
  const btn = h('button', { type: 'button', class: 'btn btn-primary', testid: 'desk-accept' }, t('desk.accept'));
  const msg = h('div', { role: 'alert' });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      const res = await api.acceptBook(book.id);
      ctx.app.toast(t('desk.accepted'));
      await ctx.reload(res.book);
    } catch (e) {
      btn.disabled = false;
      fill(msg, errorBox(e));
    }
  });
  return h('section', { class: 'notice desk-proof', testid: 'desk-proof', 'aria-labelledby': 'desk-proof-h' }, h('h2', { id: 'desk-proof-h' }, t('desk.proofTitle')), h('p', {}, t('desk.proof')), btn, msg);
}

export async function render(root, { params, signal, app }) {
  app.setTitle(t('desk.title'));
  if (!(await requireAuthor(root, app, signal))) return;
  const bookId = params[0];
  const status = h('p', { class: 'visually-hidden', role: 'status', testid: 'desk-status' });
  const body = h('div', {}, spinner());
  let pending = null; // the part being made again, and the history length it waits past

  const ctx = {
    app,
    regenButton(part, authorsCover = false) {
      const label = t('desk.regenPart', { part: t(`desk.part.${part}`) });
      const b = h('button', { type: 'button', class: 'btn btn-small', testid: `regen-${part}`, 'aria-label': label, disabled: !!pending }, t('desk.regen'));
      b.addEventListener('click', () => regenerate(part, authorsCover));
      return b;
    },
    reload: (book) => draw(book),
  };

  async function regenerate(part, authorsCover) {
    if (authorsCover && !(await confirmDialog({ title: t('desk.replaceTitle'), body: t('desk.replaceBody'), ok: t('desk.replaceOk') }))) return;
    try {
      const { book } = await api.book(bookId, { signal });
      // a serial's price part is its episode price
      const f = part === 'price' && !onePriced(book) ? 'episodePrice' : part;
      const h0 = (await api.history(bookId, { signal })).items;
      await api.regenerate(bookId, [part], authorsCover);
      pending = { part, field: f, seen: h0.filter((c) => c.field === f && c.generatedBy).length, tries: 0 };
      status.textContent = t('desk.regenQueued', { part: t(`desk.part.${part}`) });
      await draw();
      poll();
    } catch (e) {
      if (!isAbort(e)) app.toast(e.localized || e.message);
    }
  }

  async function poll() {
    while (pending && !signal.aborted) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      let items;
      try {
        items = (await api.history(bookId, { signal })).items;
      } catch (e) {
        if (isAbort(e)) return;
        continue;
      }
      const done = items.filter((c) => c.field === pending.field && c.generatedBy).length > pending.seen;
      if (done || ++pending.tries > POLL_TRIES) {
        status.textContent = t(done ? 'desk.regenDone' : 'desk.regenSlow', { part: t(`desk.part.${pending.part}`) });
        if (!done) app.toast(status.textContent);
        pending = null;
        await draw();
      }
    }
  }

  async function draw(fresh) {
    try {
      const [book, hist] = await Promise.all([fresh ? Promise.resolve(fresh) : api.book(bookId, { signal }).then((r) => r.book), api.history(bookId, { signal })]);
      if (signal.aborted) return;
      app.setTitle(t('desk.titleOf', { title: book.title }));
      fill(
        body,
        h('header', { class: 'page-head' }, heading(t('desk.titleOf', { title: book.title }), 'desk-title'), h('p', { class: 'muted' }, t('desk.lede'), ' ', book.proof ? null : h('a', { href: `/books/${book.id}`, testid: 'desk-reader-link' }, t('desk.readerView')))),
        proofBox(book, ctx),
        pending ? h('p', { class: 'notice', testid: 'desk-regenerating' }, t('desk.regenQueued', { part: t(`desk.part.${pending.part}`) })) : null,
        h('div', { class: 'desk-grid' }, infoForm(book, ctx), coverBox(book, ctx)),
        historyList(book, hist.items || [])
      );
    } catch (e) {
      if (!isAbort(e)) fill(body, errorBox(e));
    }
  }

  root.append(status, body);
  await draw();
}
