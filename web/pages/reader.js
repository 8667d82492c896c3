// Reader: long Korean text with adjustable type, width and theme. Settings are
// global (localStorage "wl.reader"); the scroll position is kept per book
// ("wl.reader.pos.<id>") as a fraction so it survives font changes.
import { api } from '../api.js';
import { t, formatPoints } from '../i18n.js';
import { h, spinner, errorBox, heading, isAbort, paragraphs, fill } from '../dom.js';

const SETTINGS_KEY = 'wl.reader';
const DEFAULTS = { size: 19, leading: 1.9, width: 'medium', theme: 'auto', font: 'serif' };
const WIDTHS = ['narrow', 'medium', 'wide'];
const THEMES = ['auto', 'paper', 'sepia', 'night'];
const FONTS = ['serif', 'sans'];
const LEADINGS = [1.5, 1.7, 1.9, 2.1, 2.3];

export function loadSettings() {
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) || '{}');
    return {
      size: Math.min(30, Math.max(14, Number(s.size) || DEFAULTS.size)),
      leading: LEADINGS.includes(Number(s.leading)) ? Number(s.leading) : DEFAULTS.leading,
      width: WIDTHS.includes(s.width) ? s.width : DEFAULTS.width,
      theme: THEMES.includes(s.theme) ? s.theme : DEFAULTS.theme,
      font: FONTS.includes(s.font) ? s.font : DEFAULTS.font,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

// The reader's type, width, font and theme on root and the page (shared by the episode reader).
export function applySettings(root, settings) {
  root.style.setProperty('--reader-size', `${settings.size}px`);
  root.style.setProperty('--reader-leading', String(settings.leading));
  for (const w of WIDTHS) root.classList.toggle(`reader-w-${w}`, settings.width === w);
  for (const f of FONTS) root.classList.toggle(`reader-f-${f}`, settings.font === f);
  for (const th of THEMES) document.body.classList.toggle(`reader-theme-${th}`, settings.theme === th);
}

export function clearSettings() {
  document.body.classList.remove(...THEMES.map((th) => `reader-theme-${th}`));
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* ignore */
  }
}

function loadPos(bookId) {
  try {
    const v = JSON.parse(localStorage.getItem(`wl.reader.pos.${bookId}`) || 'null');
    return v && typeof v.ratio === 'number' ? v.ratio : 0;
  } catch {
    return 0;
  }
}

function scrollRatio() {
  const max = document.documentElement.scrollHeight - window.innerHeight;
  return max > 0 ? Math.min(1, Math.max(0, window.scrollY / max)) : 0;
}

function scrollToRatio(r) {
  const max = document.documentElement.scrollHeight - window.innerHeight;
  window.scrollTo(0, Math.round(max * r));
}

function selectControl(id, label, options, value, testid, onChange) {
  const sel = h(
    'select',
    { id, testid },
    options.map(([v, text]) => h('option', { value: String(v), selected: String(v) === String(value) }, text))
  );
  sel.addEventListener('change', () => onChange(sel.value));
  return h('div', { class: 'reader-control' }, h('label', { for: id }, label), sel);
}

function denied(root, e, bookId, app) {
  const here = `/read/${bookId}`;
  if (e.status === 401) {
    fill(root, 
      heading(t('reader.loginTitle')),
      h('p', {}, t('reader.loginBody')),
      h('a', { href: `/login?next=${encodeURIComponent(here)}`, class: 'btn btn-primary', testid: 'reader-login' }, t('nav.login'))
    );
    return;
  }
  if (e.status === 403) {
    const b = e.body || {};
    fill(root, 
      heading(t('reader.purchaseTitle')),
      h(
        'p',
        { testid: 'reader-purchase-info' },
        t('reader.purchaseBody', { price: formatPoints(b.price), balance: formatPoints(b.balance ?? app.me?.points) })
      ),
      h(
        'div',
        { class: 'actions' },
        h('a', { href: `/books/${bookId}`, class: 'btn btn-primary', testid: 'reader-buy-link' }, t('reader.toBook')),
        h(
          'a',
          { href: '/me#subscription', class: 'btn', testid: 'reader-subscribe-link' },
          b.subscriptionPrice ? t('reader.subscribeFor', { price: formatPoints(b.subscriptionPrice) }) : t('book.orSubscribe')
        )
      )
    );
    return;
  }
  fill(root, heading(t('error.title')), errorBox(e));
}

export async function render(root, { params, signal, app }) {
  const [bookId] = params;
  const settings = loadSettings();
  root.append(spinner());

  let data;
  try {
    data = await api.content(bookId, { signal });
  } catch (e) {
    if (!isAbort(e)) denied(root, e, bookId, app);
    return;
  }
  if (!app.me) app.ensureMe();
  app.setTitle(data.title);

  const body = document.body;
  const article = h(
    'article',
    { class: 'reader-text', testid: 'reader-content', lang: 'ko' },
    h('h1', { class: 'reader-title', tabindex: '-1', testid: 'reader-title' }, data.title),
    paragraphs(data.content)
  );
  const progress = h('span', { class: 'reader-progress', testid: 'reader-progress', 'aria-live': 'off' }, '0%');
  const bar = h('div', { class: 'reader-bar', 'aria-hidden': 'true' });

  function apply() {
    const r = scrollRatio();
    applySettings(root, settings);
    sizeOut.textContent = `${settings.size}px`;
    store(SETTINGS_KEY, JSON.stringify(settings));
    requestAnimationFrame(() => scrollToRatio(r));
  }

  const sizeOut = h('output', { class: 'reader-size', testid: 'reader-font-size', 'aria-live': 'polite' });
  const dec = h('button', { type: 'button', class: 'btn btn-icon', testid: 'reader-font-dec', 'aria-label': t('reader.smaller') }, 'A−');
  const inc = h('button', { type: 'button', class: 'btn btn-icon', testid: 'reader-font-inc', 'aria-label': t('reader.larger') }, 'A+');
  dec.addEventListener('click', () => {
    settings.size = Math.max(14, settings.size - 1);
    apply();
  });
  inc.addEventListener('click', () => {
    settings.size = Math.min(30, settings.size + 1);
    apply();
  });

  const panel = h(
    'div',
    { class: 'reader-settings', id: 'reader-settings', testid: 'reader-settings', hidden: true },
    h('div', { class: 'reader-control' }, h('span', { class: 'label' }, t('reader.fontSize')), h('div', { class: 'stepper' }, dec, sizeOut, inc)),
    selectControl('rd-lead', t('reader.lineHeight'), LEADINGS.map((v) => [v, String(v)]), settings.leading, 'reader-line-height', (v) => {
      settings.leading = Number(v);
      apply();
    }),
    selectControl('rd-width', t('reader.width'), WIDTHS.map((v) => [v, t(`reader.width.${v}`)]), settings.width, 'reader-width', (v) => {
      settings.width = v;
      apply();
    }),
    selectControl('rd-font', t('reader.font'), FONTS.map((v) => [v, t(`reader.font.${v}`)]), settings.font, 'reader-font', (v) => {
      settings.font = v;
      apply();
    }),
    selectControl('rd-theme', t('reader.theme'), THEMES.map((v) => [v, t(`reader.theme.${v}`)]), settings.theme, 'reader-theme', (v) => {
      settings.theme = v;
      apply();
    })
  );
  const toggle = h(
    'button',
    { type: 'button', class: 'btn', testid: 'reader-settings-toggle', 'aria-expanded': 'false', 'aria-controls': 'reader-settings' },
    t('reader.settings')
  );
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
  });

  fill(root, 
    h(
      'div',
      { class: 'reader-toolbar' },
      h('a', { href: `/books/${bookId}`, class: 'btn btn-ghost', testid: 'reader-back' }, `← ${t('reader.back')}`),
      h('span', { class: 'reader-toolbar-title' }, data.title),
      progress,
      toggle,
      bar
    ),
    panel,
    article,
    h('p', { class: 'reader-end', testid: 'reader-end' }, t('reader.end'))
  );
  body.classList.add('reading');
  apply();

  // Restore the saved position once the text is laid out.
  const saved = loadPos(bookId);
  requestAnimationFrame(() => {
    scrollToRatio(saved);
    update(false);
  });

  let saveTimer = null;
  function update(save = true) {
    const r = scrollRatio();
    progress.textContent = `${Math.round(r * 100)}%`;
    bar.style.setProperty('--progress', String(r));
    if (!save) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => store(`wl.reader.pos.${bookId}`, JSON.stringify({ ratio: r, at: Date.now() })), 200);
  }
  const onScroll = () => update(true);
  const onHide = () => store(`wl.reader.pos.${bookId}`, JSON.stringify({ ratio: scrollRatio(), at: Date.now() }));
  window.addEventListener('scroll', onScroll, { passive: true });
  window.addEventListener('pagehide', onHide);

  return () => {
    onHide();
    clearTimeout(saveTimer);
    window.removeEventListener('scroll', onScroll);
    window.removeEventListener('pagehide', onHide);
    body.classList.remove('reading', ...THEMES.map((th) => `reader-theme-${th}`));
  };
}
