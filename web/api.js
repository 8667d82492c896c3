// The one module that talks to the server. Every call goes through request():
// same-origin cookies, JSON in and out, and problem+json turned into ApiError.
import { t, has, getLang } from './i18n.js';
import { hidesAiCovers } from './prefs.js';

export class ApiError extends Error {
  constructor({ status = 0, code = 'unknown', title = '', detail = '', field = null, body = null }) {
    super(detail || title || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.field = field;
    this.body = body || {};
  }

  // A message in the current language; computed on demand so that a language
  // switch after the error still shows the right words.
  get localized() {
    const key = `error.${this.code}`;
    if (has(key)) {
      const base = t(key, this.body);
      if (this.code === 'validation_failed' && this.field) {
        const label = has(`field.${this.field}`) ? t(`field.${this.field}`) : this.field;
        return `${base} (${label})`;
      }
      return base;
    }
    if (this.detail) return this.detail;
    if (this.status >= 500) return t('error.server');
    return t('error.unknown');
  }
}

const STATUS_CODES = {
  400: 'invalid_json',
  401: 'unauthenticated',
  402: 'insufficient_points',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'too_many_attempts',
};

let unauthorizedHandler = null;

// app.js registers this so that a session expiring mid-use logs the header out.
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID) {
    try {
      return crypto.randomUUID();
    } catch {
      /* randomUUID needs a secure context; fall through */
    }
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function buildUrl(path, query) {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function request(method, path, opts = {}) {
  const { body, raw, query, signal, idempotencyKey, quiet401 = false } = opts;
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (raw) {
    // a file as it is (an author's cover): its own type, never JSON
    headers['Content-Type'] = raw.type;
    init.body = raw;
  }
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;

  let res;
  try {
    res = await fetch(buildUrl(path, query), init);
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network' });
  }

  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;

  const p = data && typeof data === 'object' ? data : {};
  const err = new ApiError({
    status: res.status,
    code: p.code || STATUS_CODES[res.status] || (res.status >= 500 ? 'server' : 'unknown'),
    title: p.title || '',
    detail: p.detail || '',
    field: p.field || null,
    body: p,
  });
  if (res.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(err);
  throw err;
}

const get = (path, opts) => request('GET', path, opts);
const aiCovers = () => (hidesAiCovers() ? 'hide' : undefined);
const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });
const del = (path, opts) => request('DELETE', path, opts);
const patch = (path, body, opts = {}) => request('PATCH', path, { ...opts, body });
const id = (v) => encodeURIComponent(String(v));

export const api = {
  // auth and account
  signup: (email, password, name) => post('/api/auth/signup', { email, password, name }, { quiet401: true }),
  login: (email, password) => post('/api/auth/login', { email, password }, { quiet401: true }),
  logout: () => request('POST', '/api/auth/logout', { quiet401: true }),
  me: (opts = {}) => get('/api/me', { quiet401: true, ...opts }),
  charge: (amount, idempotencyKey) => post('/api/me/points/charge', { amount }, { idempotencyKey }),
  ledger: (cursor, opts = {}) => get('/api/me/points/ledger', { ...opts, query: { cursor, limit: 20 } }),
  subscription: (opts) => get('/api/me/subscription', opts),
  subscribe: (autoRenew) => post('/api/me/subscription', { autoRenew }),
  cancelAutoRenew: () => del('/api/me/subscription'),
  library: (cursor, opts = {}) => get('/api/me/library', { ...opts, query: { cursor, limit: 20 } }),

  // points orders through the payment provider, receipts
  createOrder: (amount, idempotencyKey) => post('/api/me/points/orders', { amount }, { idempotencyKey }),
  order: (orderId, opts) => get(`/api/me/points/orders/${id(orderId)}`, opts),
  orders: (cursor, opts = {}) => get('/api/me/points/orders', { ...opts, query: { cursor, limit: 20 } }),
  confirmOrder: (orderId, paymentKey, amount) =>
    post(`/api/me/points/orders/${id(orderId)}/confirm`, { paymentKey, amount }),

  // author earnings and payouts
  earnings: (opts) => get('/api/me/earnings', opts),
  requestPayout: (amount, idempotencyKey) => post('/api/me/payouts', { amount }, { idempotencyKey }),

  // authors
  apply: (penName, bio, portfolio) => post('/api/author-applications', { penName, bio, portfolio }),
  myApplication: (opts) => get('/api/me/author-application', opts),
  author: (memberId, opts) => get(`/api/authors/${id(memberId)}`, opts),

  // books
  // the catalog lists leave out works with AI-drawn covers when the reader chose so (prefs.js)
  books: ({ sort, q, cursor, limit, genre, tag, completed } = {}, opts = {}) =>
    get('/api/books', { ...opts, query: { sort, q, cursor, limit, genre, tag, completed, aiCovers: aiCovers() } }),
  bestsellers: (limit = 12, opts = {}) => get('/api/books/bestsellers', { ...opts, query: { limit, aiCovers: aiCovers() } }),
  book: (bookId, opts) => get(`/api/books/${id(bookId)}`, opts),
  content: (bookId, opts) => get(`/api/books/${id(bookId)}/content`, { quiet401: true, ...opts }),
  purchase: (bookId, idempotencyKey) =>
    request('POST', `/api/books/${id(bookId)}/purchase`, { idempotencyKey }),

  // serial works: episodes, their sales, wait-until-free, progress, settings
  episodes: (bookId, cursor, opts = {}) =>
    get(`/api/books/${id(bookId)}/episodes`, { quiet401: true, ...opts, query: { cursor, limit: 100 } }),
  episode: (bookId, n, opts) => get(`/api/books/${id(bookId)}/episodes/${id(n)}`, { quiet401: true, ...opts }),
  episodeContent: (bookId, n, opts) =>
    get(`/api/books/${id(bookId)}/episodes/${id(n)}/content`, { quiet401: true, ...opts }),
  purchaseEpisode: (bookId, n, idempotencyKey) =>
    request('POST', `/api/books/${id(bookId)}/episodes/${id(n)}/purchase`, { idempotencyKey }),
  waitFree: (bookId, n, idempotencyKey) =>
    request('POST', `/api/books/${id(bookId)}/episodes/${id(n)}/wait-free`, { idempotencyKey }),
  progressOf: (bookId, opts) => get(`/api/me/progress/${id(bookId)}`, { quiet401: true, ...opts }),
  progressList: (opts) => get('/api/me/progress', { quiet401: true, ...opts }),
  saveProgress: (bookId, episode, anchor, percent) =>
    put(`/api/me/progress/${id(bookId)}`, { episode, anchor, percent }, { quiet401: true }),
  patchBook: (bookId, body) => patch(`/api/books/${id(bookId)}`, body),

  // the author's desk: history, regeneration, the own cover, the proof
  history: (bookId, opts = {}) => get(`/api/books/${id(bookId)}/history`, { ...opts, query: { limit: 100 } }),
  regenerate: (bookId, parts, replaceAuthorsCover = false) =>
    post(`/api/books/${id(bookId)}/regenerate`, replaceAuthorsCover ? { parts, replaceAuthorsCover } : { parts }),
  uploadCover: (bookId, file) => request('PUT', `/api/books/${id(bookId)}/cover`, { raw: file }),
  acceptBook: (bookId) => request('POST', `/api/books/${id(bookId)}/accept`),

  // the reader's AI and the library that leaves the site
  recap: (bookId, opts) => get(`/api/books/${id(bookId)}/recap`, { quiet401: true, ...opts }),
  ask: (bookId, question) => post(`/api/books/${id(bookId)}/ask`, { question }),
  // a plain link, so the interface's language goes in the address (the browser's may differ)
  epubUrl: (bookId) => `/api/books/${id(bookId)}/epub?lang=${getLang()}`,
  opds: (opts) => get('/api/me/opds', opts),
  opdsNew: () => post('/api/me/opds'),
  opdsRevoke: () => del('/api/me/opds'),
  rankings: (period, opts = {}) => get('/api/books/rankings', { ...opts, query: { period, limit: 10, aiCovers: aiCovers() } }),

  // manuscripts
  manuscripts: (cursor, opts = {}) => get('/api/manuscripts', { ...opts, query: { cursor, limit: 50 } }),
  createManuscript: (title, content, extra = {}) => post('/api/manuscripts', { title, content, ...extra }),
  manuscript: (msId, opts) => get(`/api/manuscripts/${id(msId)}`, opts),
  saveManuscript: (msId, title, content, revision, opts = {}) =>
    put(`/api/manuscripts/${id(msId)}`, { title, content, revision }, opts),
  deleteManuscript: (msId) => del(`/api/manuscripts/${id(msId)}`),
  submitManuscript: (msId, publishAt) =>
    publishAt ? post(`/api/manuscripts/${id(msId)}/submit`, { publishAt }) : request('POST', `/api/manuscripts/${id(msId)}/submit`),
  retryManuscript: (msId) => request('POST', `/api/manuscripts/${id(msId)}/retry`),
  revisions: (msId, opts) => get(`/api/manuscripts/${id(msId)}/revisions`, opts),
  revision: (msId, rev, opts) => get(`/api/manuscripts/${id(msId)}/revisions/${id(rev)}`, opts),

  // accounts
  changePassword: (currentPassword, newPassword) => post('/api/auth/password', { currentPassword, newPassword }),
  requestReset: (email, lang) => post('/api/auth/password-reset', { email, lang }, { quiet401: true }),
  confirmReset: (token, password) => post('/api/auth/password-reset/confirm', { token, password }, { quiet401: true }),
  requestEmailChange: (email, password, lang) => post('/api/me/email', { email, password, lang }),
  confirmEmailChange: (token, lang) => post('/api/me/email/confirm', { token, lang }, { quiet401: true }),
  deleteAccount: (password) => post('/api/me/delete', { password }),

  readerCounts: (bookId, period, opts) => get(`/api/books/${id(bookId)}/readers`, { ...opts, query: { period } }),
  // comments on episodes
  comments: (bookId, n, { sort, parent, cursor } = {}, opts) =>
    get(`/api/books/${id(bookId)}/episodes/${id(n)}/comments`, { ...opts, query: { sort, parent, cursor, limit: 20 } }),
  postComment: (bookId, n, body) => post(`/api/books/${id(bookId)}/episodes/${id(n)}/comments`, body),
  editComment: (cid, body) => patch(`/api/comments/${id(cid)}`, body),
  deleteComment: (cid) => del(`/api/comments/${id(cid)}`),
  likeComment: (cid, on) => request(on ? 'POST' : 'DELETE', `/api/comments/${id(cid)}/like`),
  reportComment: (cid, reason) => post(`/api/comments/${id(cid)}/report`, { reason }),
  reports: (cursor, opts) => get('/api/admin/reports', { ...opts, query: { cursor, limit: 50 } }),
  dismissReport: (rid) => request('POST', `/api/admin/reports/${id(rid)}/dismiss`),
  hideReview: (rid) => request('POST', `/api/admin/reviews/${id(rid)}/hide`),
  hideComment: (cid, hidden) => request('POST', `/api/comments/${id(cid)}/${hidden ? 'hide' : 'restore'}`),
  // follows and notifications
  followState: (kind, targetId, opts) => get(`/api/${kind === 'author' ? 'authors' : 'books'}/${id(targetId)}/follow`, { quiet401: true, ...opts }),
  follow: (kind, targetId, on) =>
    request(on ? 'POST' : 'DELETE', `/api/${kind === 'author' ? 'authors' : 'books'}/${id(targetId)}/follow`),
  notifications: (cursor, opts = {}) => get('/api/me/notifications', { ...opts, query: { cursor, limit: 30 } }),
  unreadCount: (opts = {}) => get('/api/me/notifications/unread', { quiet401: true, ...opts }),
  markRead: (body) => post('/api/me/notifications/read', body),
  notificationSettings: (opts) => get('/api/me/notification-settings', opts),
  saveNotificationSettings: (emailDigest, lang) => put('/api/me/notification-settings', { emailDigest, lang }),
  unsubscribe: (token) => post('/api/notifications/unsubscribe', { token }, { quiet401: true }),

  // admin
  members: (q, role, cursor, opts = {}) => get('/api/admin/members', { ...opts, query: { q, role, cursor, limit: 30 } }),
  adminBooks: (q, cursor, opts = {}) => get('/api/admin/books', { ...opts, query: { q, cursor, limit: 30 } }),
  exclusions: (period, opts = {}) => get('/api/admin/exclusions', { ...opts, query: { period, limit: 50 } }),
  setRole: (memberId, role, granted) => post(`/api/admin/members/${id(memberId)}/roles`, { role, granted }),
  ban: (memberId, days, reason) => post(`/api/admin/members/${id(memberId)}/ban`, { days, reason }),
  unban: (memberId) => del(`/api/admin/members/${id(memberId)}/ban`),
  applications: (status, cursor, opts = {}) =>
    get('/api/admin/author-applications', { ...opts, query: { status, cursor } }),
  approve: (appId) => request('POST', `/api/admin/author-applications/${id(appId)}/approve`),
  reject: (appId, reason) => post(`/api/admin/author-applications/${id(appId)}/reject`, { reason }),
  aiJobs: (status, cursor, opts = {}) => get('/api/admin/ai-jobs', { ...opts, query: { status, cursor } }),
  events: (after, type, opts = {}) => get('/api/admin/events', { ...opts, query: { after, type, limit: 50 } }),
  adminOrders: (status, cursor, opts = {}) => get('/api/admin/points/orders', { ...opts, query: { status, cursor } }),
  refund: (orderId, mode, reason) => post(`/api/admin/points/orders/${id(orderId)}/refund`, { mode, reason }),
  payouts: (status, cursor, opts = {}) => get('/api/admin/payouts', { ...opts, query: { status, cursor } }),
  markPaid: (payoutId, reference) => post(`/api/admin/payouts/${id(payoutId)}/paid`, { reference }),
};
