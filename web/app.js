// Boot, session state, header and the History API router.
import { api, onUnauthorized } from './api.js';
import { t, getLang, setLang, languages, onLangChange, formatPoints } from './i18n.js';
import { h, errorBox, fill } from './dom.js';

// ---- session ---------------------------------------------------------------
// The session cookie is HttpOnly, so the page cannot see it. "wl.session" is a
// hint (not a secret) remembering that this browser logged in, so anonymous
// visitors are not greeted with a 401 from GET /api/me on every page.
const SESSION_HINT = 'wl.session';
let me = null;
let meProbed = false;

function hint(v) {
  try {
    if (v === undefined) return localStorage.getItem(SESSION_HINT);
    if (v === null) localStorage.removeItem(SESSION_HINT);
    else localStorage.setItem(SESSION_HINT, v);
  } catch {
    /* storage disabled */
  }
  return null;
}

function setMe(member) {
  me = member || null;
  if (!me) unread = 0;
  meProbed = true;
  hint(me ? '1' : null);
  renderHeader();
}

async function refreshMe() {
  try {
    const res = await api.me();
    setMe(res?.member || null);
  } catch (e) {
    if (e.status === 401) setMe(null);
    else meProbed = true; // network trouble: keep what we had
  }
  return me;
}

// Pages that need to know who is signed in call this; it asks the server once
// per page load even without the hint (e.g. after a login made elsewhere).
async function ensureMe() {
  if (!meProbed) await refreshMe();
  return me;
}

function setPoints(points) {
  if (me && typeof points === 'number') {
    me = { ...me, points };
    renderHeader();
  }
}

const hasRole = (role) => !!me?.roles?.includes(role);

// ---- notifications badge -----------------------------------------------------
// Asked on every page change and every 20 s while the page is visible, so a
// notification shows up at the moment it is made (a scheduled episode's publish time).
// A poll's answer is dropped when a read mark answered while it was under way: it
// may have been counted before the mark (clicking a notification also changes the page).
let unread = 0;
let unreadTimer = null;
let unreadMarks = 0;

function showUnread(n) {
  if (typeof n !== 'number' || n === unread) return;
  unread = n;
  renderHeader();
}

function setUnread(n) {
  unreadMarks++;
  showUnread(n);
}

async function pollUnread() {
  if (!me || document.hidden) return;
  const marks = unreadMarks;
  try {
    const { unread: n } = await api.unreadCount();
    if (marks === unreadMarks) showUnread(n);
  } catch {
    /* the next tick tries again */
  }
}

function startUnreadPolling() {
  clearInterval(unreadTimer);
  unreadTimer = setInterval(pollUnread, 20000);
  document.addEventListener('visibilitychange', pollUnread);
}

onUnauthorized(() => {
  if (me) {
    setMe(null);
    toast(t('auth.expired'));
  }
});

// ---- theme -----------------------------------------------------------------
const THEME_KEY = 'wl.theme';
const THEMES = ['auto', 'light', 'dark'];
let theme = 'auto';
try {
  theme = THEMES.includes(localStorage.getItem(THEME_KEY)) ? localStorage.getItem(THEME_KEY) : 'auto';
} catch {
  /* default */
}

function applyTheme() {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

function cycleTheme() {
  theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    /* ignore */
  }
  applyTheme();
  renderHeader();
}
applyTheme();

// ---- toast -----------------------------------------------------------------
let toastTimer = null;
export function toast(message) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, 4000);
}

// ---- header ----------------------------------------------------------------
function navLink(href, label, testid) {
  const here = location.pathname === href || (href !== '/' && location.pathname.startsWith(`${href}/`));
  return h('a', { href, testid, class: 'nav-link', 'aria-current': here ? 'page' : null }, label);
}

function renderHeader() {
  const header = document.getElementById('site-header');
  if (!header) return;
  const nav = h('nav', { class: 'site-nav', 'aria-label': t('nav.main') });
  nav.append(navLink('/', t('nav.home'), 'nav-home'));
  if (me) {
    nav.append(navLink('/me', t('nav.me'), 'nav-me'));
    nav.append(
      h(
        'a',
        {
          href: '/notifications',
          class: 'nav-link nav-notes',
          testid: 'nav-notes',
          'aria-current': location.pathname === '/notifications' ? 'page' : null,
        },
        t('nav.notes'),
        unread ? h('span', { class: 'badge badge-count', testid: 'nav-unread' }, unread > 99 ? '99+' : String(unread)) : null,
        unread ? h('span', { class: 'visually-hidden' }, t('nav.notesUnread')) : null
      )
    );
    if (hasRole('author')) nav.append(navLink('/studio', t('nav.studio'), 'nav-studio'));
    else nav.append(navLink('/author/apply', t('nav.apply'), 'nav-apply'));
    if (hasRole('admin')) nav.append(navLink('/admin', t('nav.admin'), 'nav-admin'));
  }

  const langSelect = h(
    'select',
    { testid: 'lang-switch', 'aria-label': t('nav.language'), class: 'lang-select' },
    languages.map((l) => h('option', { value: l.code, selected: l.code === getLang() }, l.label))
  );
  langSelect.addEventListener('change', () => setLang(langSelect.value));

  const themeBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-icon',
      testid: 'theme-toggle',
      'aria-label': t('theme.toggle', { mode: t(`theme.${theme}`) }),
      title: t('theme.toggle', { mode: t(`theme.${theme}`) }),
      dataset: { mode: theme },
    },
    theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'
  );
  themeBtn.addEventListener('click', cycleTheme);

  const account = h('div', { class: 'account' });
  if (me) {
    account.append(
      h(
        'a',
        { href: '/me', class: 'points-chip', testid: 'nav-balance', title: t('me.balance') },
        formatPoints(me.points)
      ),
      h('span', { class: 'member-name', testid: 'nav-name' }, me.name || me.email || '')
    );
    const out = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'logout-button' }, t('nav.logout'));
    out.addEventListener('click', logout);
    account.append(out);
  } else {
    const next = location.pathname.startsWith('/login') || location.pathname.startsWith('/signup') ? '' : location.pathname;
    const q = next && next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
    account.append(
      h('a', { href: `/login${q}`, class: 'btn btn-ghost', testid: 'nav-login' }, t('nav.login')),
      h('a', { href: `/signup${q}`, class: 'btn btn-primary', testid: 'nav-signup' }, t('nav.signup'))
    );
  }

  fill(header, 
    h(
      'div',
      { class: 'header-inner' },
      h(
        'a',
        { href: '/', class: 'brand', testid: 'brand' },
        h('img', { src: '/favicon.svg', alt: '', width: 28, height: 28 }),
        h('span', {}, t('app.name'))
      ),
      nav,
      account,
      h('div', { class: 'header-tools' }, langSelect, themeBtn)
    )
  );
  document.getElementById('skip-link').textContent = t('nav.skip');
  document.getElementById('site-footer').textContent = t('app.footer');
}

async function logout() {
  try {
    await api.logout();
  } catch {
    /* the session may already be gone; log out locally anyway */
  }
  setMe(null);
  toast(t('auth.loggedOut'));
  navigate('/');
}

// ---- router ----------------------------------------------------------------
const routes = [
  [/^\/$/, 'home'],
  [/^\/books\/(\d+)\/?$/, 'book'],
  [/^\/books\/(\d+)\/episodes\/(\d+)\/?$/, 'episode'],
  [/^\/authors\/(\d+)\/?$/, 'author'],
  [/^\/read\/(\d+)\/?$/, 'reader'],
  [/^\/login\/?$/, 'login'],
  [/^\/signup\/?$/, 'signup'],
  [/^\/me\/?$/, 'me'],
  [/^\/me\/receipts\/?$/, 'receipts'],
  [/^\/points\/checkout\/?$/, 'checkout'],
  [/^\/points\/checkout\/(success|fail)\/?$/, 'checkout-done'],
  [/^\/author\/apply\/?$/, 'apply'],
  [/^\/studio\/?$/, 'studio'],
  [/^\/studio\/(\d+)\/?$/, 'editor'],
  [/^\/studio\/earnings\/?$/, 'earnings'],
  [/^\/studio\/books\/(\d+)\/?$/, 'desk'],
  [/^\/admin\/?$/, 'admin'],
  [/^\/admin\/payments\/?$/, 'payments'],
  [/^\/notifications\/?$/, 'notifications'],
  [/^\/me\/account\/?$/, 'account'],
  [/^\/reset-password\/?$/, 'reset-password'],
  [/^\/confirm-email\/?$/, 'confirm-email'],
  [/^\/unsubscribe\/?$/, 'unsubscribe'],
  [/^\/admin\/members\/?$/, 'admin-members'],
  [/^\/admin\/reports\/?$/, 'admin-reports'],
  [/^\/admin\/books\/?$/, 'admin-books'],
];

let current = null; // { cleanup, controller }
let renderSeq = 0;

export function navigate(url, { replace = false } = {}) {
  const u = new URL(url, location.origin);
  if (u.origin !== location.origin) {
    location.href = url;
    return;
  }
  const target = u.pathname + u.search + u.hash;
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  render({ scroll: true });
}

function match(path) {
  for (const [re, name] of routes) {
    const m = re.exec(path);
    if (m) return { name, params: m.slice(1) };
  }
  return { name: 'notfound', params: [] };
}

const app = {
  get me() {
    return me;
  },
  hasRole,
  ensureMe,
  refreshMe,
  setMe,
  setPoints,
  setUnread,
  navigate,
  toast,
  // Sends anonymous visitors to the login page and back here afterwards.
  async requireLogin() {
    const who = await ensureMe();
    if (!who) {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
      return null;
    }
    return who;
  },
  setTitle(title) {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  },
};

async function render({ scroll = false } = {}) {
  const seq = ++renderSeq;
  if (current) {
    current.controller.abort();
    try {
      current.cleanup?.();
    } catch (e) {
      reportError(e);
    }
    current = null;
  }
  const main = document.getElementById('main');
  const { name, params } = match(location.pathname);
  const controller = new AbortController();
  const root = h('div', { class: `page page-${name}`, testid: `page-${name}` });
  fill(main, root);
  main.dataset.route = name;
  renderHeader();
  pollUnread();
  app.setTitle('');
  current = { controller, cleanup: null };
  if (scroll && !location.hash) window.scrollTo(0, 0);

  try {
    const mod = await import(`./pages/${name}.js`);
    if (seq !== renderSeq) return;
    const ctx = {
      params,
      query: new URLSearchParams(location.search),
      hash: location.hash.slice(1),
      signal: controller.signal,
      app,
    };
    const cleanup = await mod.render(root, ctx);
    if (seq !== renderSeq) {
      if (typeof cleanup === 'function') cleanup();
      return;
    }
    current.cleanup = typeof cleanup === 'function' ? cleanup : null;
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
    if (scroll) root.querySelector('h1')?.focus({ preventScroll: true });
  } catch (e) {
    if (e?.name === 'AbortError' || seq !== renderSeq) return;
    fill(root, h('h1', { tabindex: '-1' }, t('error.title')), errorBox(e));
  }
}

// Same-origin links are handled by the router; modified clicks, downloads,
// new tabs and /api/ URLs are left to the browser.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest?.('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const u = new URL(a.href, location.href);
  if (u.origin !== location.origin || u.pathname.startsWith('/api/') || u.pathname.endsWith('.atom')) return;
  ev.preventDefault();
  if (u.pathname === location.pathname && u.search === location.search && u.hash) {
    history.replaceState(null, '', u.hash);
    const target = document.getElementById(decodeURIComponent(u.hash.slice(1)));
    target?.scrollIntoView();
    if (target?.hasAttribute('tabindex')) target.focus({ preventScroll: true });
    return;
  }
  navigate(u.pathname + u.search + u.hash);
});

window.addEventListener('popstate', () => render());
onLangChange(() => render());

async function boot() {
  renderHeader();
  if (hint() === '1') await refreshMe();
  startUnreadPolling();
  await render();
}

boot();
