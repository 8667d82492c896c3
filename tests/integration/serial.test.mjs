// Serial works over real HTTP: episodes, per-episode access and sales, wait-until-free,
// schedules, edits and their history, progress, the library, rankings and filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, signup, charge, ledgerAll, adminToken, makeAuthor, publishBook, waitFor,
  publishSerial, addEpisode, problem, LOREM_KO,
} from './lib/server.mjs';

const EP = (n) => `${n}화. ` + LOREM_KO;

let srv, admin, author, other, work;

before(async () => {
  srv = await startServer({ args: ['--wait-free-exclude-latest', '2', '--reader-min-age', '0'] });
  admin = await adminToken(srv);
  author = await makeAuthor(srv, admin, '연재작가');
  other = await makeAuthor(srv, admin, '다른작가');
  work = await publishSerial(srv, author, '달빛 연재');
  for (let n = 2; n <= 6; n++) await addEpisode(srv, author, work.id, `${n}화 제목`, EP(n));
  const p = await api(srv.base, 'PATCH', `/api/books/${work.id}`, {
    token: author.token, body: { freeEpisodes: 2, waitFreeHours: 24, episodePrice: 200 },
  });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  work = p.body.book;
});
after(async () => { await srv.stop(); });

const get = (path, token) => api(srv.base, 'GET', path, { token });
const post = (path, token, headers = {}) => api(srv.base, 'POST', path, { token, headers });

test('a serial work: its fields, the AI\'s episode price, episodes numbered in order', async () => {
  for (const k of ['serial', 'episodeCount', 'freeEpisodes', 'episodePrice', 'waitFreeHours',
    'completed', 'genre', 'tags', 'ageRating', 'hidden', 'updatedAt'])
    assert.ok(k in work, k);
  assert.equal(work.serial, true);
  assert.equal(work.episodeCount, 6);
  assert.equal(work.episodePrice, 200);
  assert.equal(work.price, 4 * 200); // episodes 3..6 are paid
  assert.deepEqual(work.tags, []);
  const h = await get(`/api/books/${work.id}/history?limit=100`, author.token);
  assert.equal(h.status, 200);
  const suggested = h.body.items.find((c) => c.field === 'episodePrice' && c.generatedBy);
  assert.ok(suggested, JSON.stringify(h.body.items));
  assert.equal(suggested.from, null);
  assert.ok(suggested.to >= 100 && suggested.to <= 500 && suggested.to % 10 === 0);
  assert.equal(suggested.by, null);
  const mine = h.body.items.find((c) => c.field === 'episodePrice' && !c.generatedBy);
  assert.deepEqual({ ...mine, id: 0, at: 0 }, { id: 0, at: 0, by: author.member.id, field: 'episodePrice', from: suggested.to, to: 200, generatedBy: null });
  const list = await get('/api/manuscripts?limit=100', author.token);
  const eps = list.body.items.filter((m) => m.bookId === work.id).map((m) => m.episode).sort();
  assert.deepEqual(eps, [1, 2, 3, 4, 5, 6]);
});

test('episode manuscripts: only for one\'s own work; publishAt checked', async () => {
  const body = (extra) => ({ title: '다음 화', content: LOREM_KO, ...extra });
  problem(await api(srv.base, 'POST', '/api/manuscripts', { token: other.token, body: body({ bookId: work.id }) }), 422, 'validation_failed', 'bookId');
  problem(await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: body({ bookId: 999999 }) }), 422, 'validation_failed', 'bookId');
  problem(await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: body({ bookId: work.id, serial: true }) }), 422, 'validation_failed', 'bookId');
  problem(await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: body({ bookId: 'x' }) }), 400, 'invalid_json');
  const first = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: body({ serial: true }) });
  const soon = new Date(Date.now() + 3600e3).toISOString();
  problem(await api(srv.base, 'POST', `/api/manuscripts/${first.body.manuscript.id}/submit`, { token: author.token, body: { publishAt: soon } }), 422, 'validation_failed', 'publishAt');
  const next = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: body({ bookId: work.id }) });
  const id = next.body.manuscript.id;
  assert.equal(next.body.manuscript.bookId, work.id);
  assert.equal(next.body.manuscript.episode, null);
  for (const bad of [new Date(Date.now() - 60e3).toISOString(), new Date(Date.now() + 400 * 86400e3).toISOString(), 'tomorrow', '2026-13-01T00:00:00Z'])
    problem(await api(srv.base, 'POST', `/api/manuscripts/${id}/submit`, { token: author.token, body: { publishAt: bad } }), 422, 'validation_failed', 'publishAt');
  problem(await api(srv.base, 'POST', `/api/manuscripts/${id}/submit`, { token: author.token, body: { publishAt: 5 } }), 400, 'invalid_json');
  await api(srv.base, 'DELETE', `/api/manuscripts/${id}`, { token: author.token });
  await api(srv.base, 'DELETE', `/api/manuscripts/${first.body.manuscript.id}`, { token: author.token });
});

test('the episode list shows what each costs the caller, in pages', async () => {
  const reader = await signup(srv.base);
  const anon = await get(`/api/books/${work.id}/episodes?limit=4`);
  assert.equal(anon.status, 200);
  assert.equal(anon.body.items.length, 4);
  assert.equal(anon.body.nextCursor, '4');
  const e1 = anon.body.items[0];
  for (const k of ['id', 'bookId', 'number', 'title', 'price', 'free', 'characters', 'views', 'publishedAt', 'scheduledAt', 'access'])
    assert.ok(k in e1, k);
  assert.deepEqual(e1.access, { canRead: false, reason: 'login_required', waitFreeAt: null });
  assert.deepEqual(anon.body.items.map((e) => e.free), [true, true, false, false]);
  const rest = await get(`/api/books/${work.id}/episodes?limit=4&cursor=4`);
  assert.deepEqual(rest.body.items.map((e) => e.number), [5, 6]);
  assert.equal(rest.body.nextCursor, null);
  const mine = await get(`/api/books/${work.id}/episodes?limit=100`, reader.token);
  const reasons = mine.body.items.map((e) => e.access.reason);
  assert.deepEqual(reasons, ['free', 'free', 'purchase_required', 'purchase_required', 'purchase_required', 'purchase_required']);
  // waiting opens 3 and 4 now; never the latest two (5, 6)
  assert.ok(mine.body.items[2].access.waitFreeAt);
  assert.equal(mine.body.items[4].access.waitFreeAt, null);
  assert.equal(mine.body.items[2].price, 200);
  problem(await get('/api/books/999999/episodes'), 404, 'not_found');
  problem(await get(`/api/books/${work.id}/episodes?cursor=x`), 422, 'validation_failed');
  problem(await get(`/api/books/${work.id}/episodes?limit=0`), 422, 'validation_failed');
});

test('one episode: its page with prev/next, its text by access, 401 and 403 with the offers', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 150);
  const page = await get(`/api/books/${work.id}/episodes/2`, reader.token);
  assert.equal(page.status, 200);
  assert.equal(page.body.prev, 1);
  assert.equal(page.body.next, 3);
  assert.equal(page.body.episode.number, 2);
  assert.equal(page.body.access.reason, 'free');
  assert.equal(page.body.book.id, work.id);
  assert.equal((await get(`/api/books/${work.id}/episodes/1`)).body.prev, null);
  assert.equal((await get(`/api/books/${work.id}/episodes/6`)).body.next, null);
  problem(await get(`/api/books/${work.id}/episodes/7`), 404, 'not_found');
  const free = await get(`/api/books/${work.id}/episodes/2/content`, reader.token);
  assert.equal(free.status, 200);
  assert.deepEqual(Object.keys(free.body).sort(), ['bookId', 'content', 'number', 'title']);
  assert.equal(free.body.title, '2화 제목');
  assert.match(free.body.content, /^2화\./);
  problem(await get(`/api/books/${work.id}/episodes/2/content`), 401, 'unauthenticated');
  const locked = await get(`/api/books/${work.id}/episodes/5/content`, reader.token);
  problem(locked, 403, 'purchase_required');
  assert.equal(locked.body.price, 200);
  assert.equal(locked.body.balance, 150);
  assert.equal(locked.body.subscriptionPrice, 9900);
  assert.equal(locked.body.waitFreeAt, undefined); // 5 is among the latest two
  const waitable = await get(`/api/books/${work.id}/episodes/3/content`, reader.token);
  assert.match(waitable.body.waitFreeAt, /Z$/);
  // the one-text endpoints read the first episode
  const first = await get(`/api/books/${work.id}/content`, reader.token);
  assert.equal(first.status, 200);
  assert.deepEqual((await get(`/api/books/${work.id}`, reader.token)).body.access, { canRead: true, reason: 'free' });
});

test('buying one episode: 402, 201, replay, 409, a ledger entry naming the episode', async () => {
  const reader = await signup(srv.base);
  const short = await post(`/api/books/${work.id}/episodes/4/purchase`, reader.token);
  problem(short, 402, 'insufficient_points');
  assert.equal(short.body.price, 200);
  assert.equal(short.body.balance, 0);
  await charge(srv.base, reader.token, 1000);
  const ok = await post(`/api/books/${work.id}/episodes/4/purchase`, reader.token, { 'idempotency-key': 'ep-4' });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body, { bookId: work.id, number: 4, price: 200, balanceAfter: 800 });
  const again = await post(`/api/books/${work.id}/episodes/4/purchase`, reader.token, { 'idempotency-key': 'ep-4' });
  assert.deepEqual(again.body, ok.body);
  problem(await post(`/api/books/${work.id}/episodes/4/purchase`, reader.token), 409, 'already_owned');
  problem(await post(`/api/books/${work.id}/episodes/1/purchase`, reader.token), 409, 'already_owned');
  problem(await post(`/api/books/${work.id}/episodes/4/purchase`, author.token), 409, 'already_owned');
  problem(await post(`/api/books/${work.id}/episodes/99/purchase`, reader.token), 404, 'not_found');
  problem(await post(`/api/books/${work.id}/episodes/4/purchase`), 401, 'unauthenticated');
  const read = await get(`/api/books/${work.id}/episodes/4/content`, reader.token);
  assert.equal(read.status, 200);
  assert.equal((await get(`/api/books/${work.id}/episodes/4`, reader.token)).body.access.reason, 'owned');
  const ledger = await ledgerAll(srv.base, reader.token);
  assert.deepEqual(ledger[0], { ...ledger[0], kind: 'purchase', amount: -200, bookId: work.id, episode: 4 });
  const ev = await get('/api/admin/events?type=episode.purchased&limit=100', admin);
  const mine = ev.body.items.filter((e) => e.payload.memberId === reader.member.id);
  assert.equal(mine.length, 1);
  assert.deepEqual({ ...mine[0].payload, episodeId: 0, ledgerId: 0 }, { bookId: work.id, number: 4, episodeId: 0, authorId: author.member.id, memberId: reader.member.id, price: 200, ledgerId: 0 });
});

test('buying every remaining episode: one transaction at their sum, 409 when none is left', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 500);
  const short = await post(`/api/books/${work.id}/purchase`, reader.token);
  problem(short, 402, 'insufficient_points');
  assert.equal(short.body.price, 800);
  assert.equal(short.body.balance, 500);
  await charge(srv.base, reader.token, 500);
  assert.equal((await post(`/api/books/${work.id}/episodes/5/purchase`, reader.token)).status, 201);
  const all = await post(`/api/books/${work.id}/purchase`, reader.token, { 'idempotency-key': 'all-1' });
  assert.equal(all.status, 201);
  assert.deepEqual(all.body, { bookId: work.id, price: 600, balanceAfter: 200, episodes: [3, 4, 6] });
  assert.deepEqual((await post(`/api/books/${work.id}/purchase`, reader.token, { 'idempotency-key': 'all-1' })).body, all.body);
  problem(await post(`/api/books/${work.id}/purchase`, reader.token), 409, 'already_owned');
  const ledger = await ledgerAll(srv.base, reader.token);
  assert.deepEqual(ledger.filter((e) => e.kind === 'purchase').map((e) => e.episode).sort(), [3, 4, 5, 6]);
  assert.equal(ledger.reduce((s, e) => s + e.amount, 0), 200);
  const lib = await get('/api/me/library', reader.token);
  assert.equal(lib.body.items[0].id, work.id);
  assert.equal(lib.body.items[0].ownedEpisodes, 4);
  assert.match(lib.body.items[0].purchasedAt, /Z$/);
});

test('wait-until-free: one unlock per timer, not_ready with availableAt, never the latest', async () => {
  const reader = await signup(srv.base);
  const r = await post(`/api/books/${work.id}/episodes/3/wait-free`, reader.token, { 'idempotency-key': 'wf-3' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.bookId, work.id);
  assert.equal(r.body.number, 3);
  const next = Date.parse(r.body.nextAt);
  assert.ok(Math.abs(next - (Date.now() + 24 * 3600e3)) < 60e3);
  assert.deepEqual((await post(`/api/books/${work.id}/episodes/3/wait-free`, reader.token, { 'idempotency-key': 'wf-3' })).body, r.body);
  assert.equal((await get(`/api/books/${work.id}/episodes/3`, reader.token)).body.access.reason, 'wait_free');
  assert.equal((await get(`/api/books/${work.id}/episodes/3/content`, reader.token)).status, 200);
  const wait = await post(`/api/books/${work.id}/episodes/4/wait-free`, reader.token);
  problem(wait, 409, 'not_ready');
  assert.equal(wait.body.availableAt, r.body.nextAt);
  problem(await post(`/api/books/${work.id}/episodes/5/wait-free`, reader.token), 409, 'not_eligible');
  problem(await post(`/api/books/${work.id}/episodes/1/wait-free`, reader.token), 409, 'not_eligible');
  problem(await post(`/api/books/${work.id}/episodes/3/wait-free`, reader.token), 409, 'not_eligible');
  problem(await post(`/api/books/${work.id}/episodes/9/wait-free`, reader.token), 404, 'not_found');
  problem(await post(`/api/books/${work.id}/episodes/3/wait-free`), 401, 'unauthenticated');
  const me = await get('/api/me', reader.token);
  assert.equal(me.body.member.points, 0);
  const ev = await get('/api/admin/events?type=episode.unlocked_wait_free&limit=100', admin);
  const mine = ev.body.items.filter((e) => e.payload.memberId === reader.member.id);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].payload.authorId, author.member.id);
  assert.equal(mine[0].payload.price, 200);
});

test('50 simultaneous purchases of one episode by one member: one debit', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 10000);
  const rs = await Promise.all(Array.from({ length: 50 }, () => post(`/api/books/${work.id}/episodes/6/purchase`, reader.token)));
  assert.equal(rs.filter((r) => r.status === 201).length, 1);
  assert.equal(rs.filter((r) => r.status === 409).length, 49);
  const me = await get('/api/me', reader.token);
  assert.equal(me.body.member.points, 9800);
  const ledger = await ledgerAll(srv.base, reader.token);
  assert.equal(ledger.filter((e) => e.kind === 'purchase').length, 1);
});

test('two simultaneous wait-free unlocks of one work by one member: one unlock', async () => {
  for (let round = 0; round < 3; round++) {
    const reader = await signup(srv.base);
    const [a, b] = await Promise.all([
      post(`/api/books/${work.id}/episodes/3/wait-free`, reader.token),
      post(`/api/books/${work.id}/episodes/4/wait-free`, reader.token),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [201, 409]);
    const list = await get(`/api/books/${work.id}/episodes`, reader.token);
    assert.equal(list.body.items.filter((e) => e.access.reason === 'wait_free').length, 1);
  }
});

test('PATCH: every field, each change in the history and in book.updated; refusals', async () => {
  const b = await publishBook(srv, other, '한 권짜리', LOREM_KO);
  const patch = (body, token = other.token) => api(srv.base, 'PATCH', `/api/books/${b.id}`, { token, body });
  const ok = await patch({ summary: '새 소개', tagline: '새 한 줄', price: 2500, genre: 'romance', tags: ['회귀', ' 복수 ', '회귀'], ageRating: '15', completed: true });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const nb = ok.body.book;
  assert.deepEqual([nb.summary, nb.tagline, nb.price, nb.genre, nb.tags, nb.ageRating, nb.completed], ['새 소개', '새 한 줄', 2500, 'romance', ['회귀', '복수'], '15', true]);
  assert.equal((await get(`/api/books/${b.id}/episodes/1`)).body.episode.price, 2500);
  const h = (await get(`/api/books/${b.id}/history`, other.token)).body.items;
  const byField = Object.fromEntries(h.filter((c) => c.by === other.member.id).map((c) => [c.field, c]));
  assert.deepEqual(Object.keys(byField).sort(), ['ageRating', 'completed', 'genre', 'price', 'summary', 'tagline', 'tags']);
  assert.deepEqual([byField.price.from, byField.price.to], [b.price, 2500]);
  assert.deepEqual([byField.completed.from, byField.completed.to], [false, true]);
  assert.deepEqual(byField.tags.to, ['회귀', '복수']);
  assert.equal(byField.genre.generatedBy, null);
  const ev = await get('/api/admin/events?type=book.updated&limit=100', admin);
  assert.ok(ev.body.items.some((e) => e.payload.bookId === b.id && e.payload.fields.includes('price')));
  // nothing changed: no change recorded
  const before = h.length;
  assert.equal((await patch({ tagline: '새 한 줄' })).status, 200);
  assert.equal((await get(`/api/books/${b.id}/history`, other.token)).body.items.length, before);
  assert.equal((await patch({ hidden: false }, admin)).status, 200);
  problem(await patch({ summary: 'x' }, author.token), 404, 'not_found');
  problem(await api(srv.base, 'PATCH', `/api/books/${b.id}`, { body: { summary: 'x' } }), 401, 'unauthenticated');
  for (const [body, field] of [[{ price: 999 }, 'price'], [{ price: 1050 }, 'price'], [{ episodePrice: 95 }, 'episodePrice'], [{ waitFreeHours: 6 }, 'waitFreeHours'], [{ freeEpisodes: -1 }, 'freeEpisodes'], [{ ageRating: '18' }, 'ageRating'], [{ genre: 'cooking' }, 'genre'], [{ tags: ['a'.repeat(21)] }, 'tags'], [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'], [{ summary: '' }, 'summary'], [{ freeEpisode: 1 }, 'freeEpisode']])
    problem(await patch(body), 422, 'validation_failed', field);
  problem(await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { price: 2000 } }), 422, 'validation_failed', 'price');
  for (const body of [{ price: '2000' }, { completed: 'yes' }, { tags: '회귀' }])
    problem(await patch(body), 400, 'invalid_json');
  problem(await get(`/api/books/${b.id}/history`, author.token), 404, 'not_found');
  assert.equal((await get(`/api/books/${b.id}/history`, admin)).status, 200);
  problem(await get(`/api/books/${b.id}/history`), 401, 'unauthenticated');
});

test('hidden: off every list and not sold; holders keep what they hold', async () => {
  const b = await publishSerial(srv, other, '숨길 연재');
  await addEpisode(srv, other, b.id, '2화', EP(2));
  const holder = await signup(srv.base);
  const stranger = await signup(srv.base);
  await charge(srv.base, holder.token, 5000);
  assert.equal((await post(`/api/books/${b.id}/episodes/2/purchase`, holder.token)).status, 201);
  const h = await api(srv.base, 'PATCH', `/api/books/${b.id}`, { token: other.token, body: { hidden: true } });
  assert.equal(h.body.book.hidden, true);
  problem(await get(`/api/books/${b.id}`, stranger.token), 404, 'not_found');
  problem(await get(`/api/books/${b.id}`), 404, 'not_found');
  problem(await get(`/api/books/${b.id}/episodes`, stranger.token), 404, 'not_found');
  assert.equal((await get(`/api/books/${b.id}`, holder.token)).status, 200);
  assert.equal((await get(`/api/books/${b.id}/episodes/2/content`, holder.token)).status, 200);
  problem(await get(`/api/books/${b.id}/episodes/1/content`, holder.token), 403, 'purchase_required');
  problem(await post(`/api/books/${b.id}/purchase`, holder.token), 404, 'not_found');
  assert.equal((await get(`/api/books/${b.id}`, other.token)).status, 200);
  const all = await get('/api/books?limit=100');
  assert.ok(!all.body.items.some((x) => x.id === b.id));
  assert.ok(!(await get('/api/books?q=숨길')).body.items.length);
  assert.ok((await get('/api/me/library', holder.token)).body.items.some((x) => x.id === b.id));
});

test('PATCH of an episode: title, text and price; the number and readers\' access stay', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 1000);
  assert.equal((await post(`/api/books/${work.id}/episodes/3/purchase`, reader.token)).status, 201);
  const fixed = '3화 고친 본문. ' + LOREM_KO;
  const r = await api(srv.base, 'PATCH', `/api/books/${work.id}/episodes/3`, { token: author.token, body: { title: '3화 (수정)', content: fixed, price: 300 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.episode.number, 3);
  assert.equal(r.body.episode.title, '3화 (수정)');
  assert.equal(r.body.episode.price, 300);
  const read = await get(`/api/books/${work.id}/episodes/3/content`, reader.token);
  assert.equal(read.status, 200);
  assert.equal(read.body.content, fixed);
  const h = (await get(`/api/books/${work.id}/history`, author.token)).body.items;
  assert.ok(h.some((c) => c.field === 'episodes/3/title' && c.to === '3화 (수정)'));
  assert.ok(h.some((c) => c.field === 'episodes/3/content' && typeof c.to === 'number'));
  // a later purchase pays the new price
  const buyer = await signup(srv.base);
  await charge(srv.base, buyer.token, 1000);
  assert.equal((await post(`/api/books/${work.id}/episodes/3/purchase`, buyer.token)).body.price, 300);
  problem(await api(srv.base, 'PATCH', `/api/books/${work.id}/episodes/3`, { token: other.token, body: { title: 'x' } }), 404, 'not_found');
  problem(await api(srv.base, 'PATCH', `/api/books/${work.id}/episodes/3`, { token: author.token, body: { price: 7 } }), 422, 'validation_failed', 'price');
  problem(await api(srv.base, 'PATCH', `/api/books/${work.id}/episodes/3`, { token: author.token, body: { content: '짧다' } }), 422, 'validation_failed', 'content');
  problem(await api(srv.base, 'PATCH', `/api/books/${work.id}/episodes/99`, { token: author.token, body: { title: 'x' } }), 404, 'not_found');
  await api(srv.base, 'PATCH', `/api/books/${work.id}/episodes/3`, { token: author.token, body: { price: 200, title: '3화 제목' } });
});

test('reading progress: saved per work, listed latest first, only where the reader may read', async () => {
  const reader = await signup(srv.base);
  const put = (bookId, body, token = reader.token) => api(srv.base, 'PUT', `/api/me/progress/${bookId}`, { token, body });
  const r = await put(work.id, { episode: 2, anchor: 5, percent: 40 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual({ ...r.body.progress, updatedAt: 'x' }, { bookId: work.id, episode: 2, anchor: 5, percent: 40, updatedAt: 'x' });
  problem(await put(work.id, { episode: 5, anchor: 0, percent: 0 }), 403, 'purchase_required');
  problem(await put(work.id, { episode: 2, anchor: -1, percent: 0 }), 422, 'validation_failed', 'anchor');
  problem(await put(work.id, { episode: 2, anchor: 0, percent: 101 }), 422, 'validation_failed', 'percent');
  problem(await put(work.id, { episode: 2, anchor: 0 }), 422, 'validation_failed', 'percent');
  problem(await put(work.id, { episode: '2', anchor: 0, percent: 0 }), 400, 'invalid_json');
  problem(await put(work.id, { episode: 99, anchor: 0, percent: 0 }), 404, 'not_found');
  problem(await put(999999, { episode: 1, anchor: 0, percent: 0 }), 404, 'not_found');
  problem(await put(work.id, { episode: 1, anchor: 0, percent: 0 }, null), 401, 'unauthenticated');
  const b = await publishBook(srv, other, '짧은 책', LOREM_KO);
  await new Promise((res) => setTimeout(res, 5));
  const free = await api(srv.base, 'PATCH', `/api/books/${b.id}`, { token: other.token, body: { price: 1000 } });
  assert.equal(free.status, 200);
  await charge(srv.base, reader.token, 1000);
  await post(`/api/books/${b.id}/purchase`, reader.token);
  assert.equal((await put(b.id, { episode: 1, anchor: 3, percent: 90 })).status, 200);
  assert.equal((await get(`/api/me/progress/${work.id}`, reader.token)).body.progress.episode, 2);
  assert.deepEqual((await get(`/api/me/progress/${work.id}`, author.token)).body, { progress: null });
  problem(await get(`/api/me/progress/${work.id}`), 401, 'unauthenticated');
  const list = await get('/api/me/progress', reader.token);
  assert.deepEqual(list.body.items.map((p) => p.bookId), [b.id, work.id]);
  assert.equal(list.body.items[1].book.id, work.id);
  assert.equal(list.body.items[1].episode, 2);
  const lib = await get('/api/me/library', reader.token);
  const shelf = Object.fromEntries(lib.body.items.map((x) => [x.id, x]));
  assert.deepEqual(shelf[work.id].lastRead.episode, 2);
  assert.equal(shelf[work.id].newEpisodes, 4);
  assert.equal(shelf[work.id].purchasedAt, null);
  assert.equal(shelf[b.id].newEpisodes, 0);
  problem(await get('/api/me/progress'), 401, 'unauthenticated');
  problem(await get('/api/me/progress?cursor=bad', reader.token), 422, 'validation_failed');
});

test('catalog: sort=updated, genre, tag and completed filters; rankings by period', async () => {
  const tagged = await publishSerial(srv, other, '무협 연재');
  await api(srv.base, 'PATCH', `/api/books/${tagged.id}`, { token: other.token, body: { genre: 'wuxia', tags: ['검술'], completed: true, freeEpisodes: 1 } });
  const updated = await get('/api/books?sort=updated&limit=1');
  assert.equal(updated.status, 200);
  assert.equal(updated.body.items[0].id, tagged.id);
  const page2 = await get(`/api/books?sort=updated&limit=1&cursor=${updated.body.nextCursor}`);
  assert.notEqual(page2.body.items[0].id, tagged.id);
  assert.deepEqual((await get('/api/books?genre=wuxia')).body.items.map((b) => b.id), [tagged.id]);
  assert.deepEqual((await get(`/api/books?tag=${encodeURIComponent('검술')}`)).body.items.map((b) => b.id), [tagged.id]);
  const done = (await get('/api/books?completed=true&limit=100')).body.items;
  assert.ok(done.some((b) => b.id === tagged.id) && done.every((b) => b.completed));
  assert.ok(!(await get('/api/books?completed=false&limit=100')).body.items.some((b) => b.id === tagged.id));
  problem(await get('/api/books?completed=maybe'), 422, 'validation_failed', 'completed');
  problem(await get('/api/books?sort=oldest'), 422, 'validation_failed', 'sort');
  // rankings: distinct readers of any episode
  const readers = await Promise.all(Array.from({ length: 3 }, () => signup(srv.base)));
  await Promise.all(readers.map(async (r) => {
    await get(`/api/books/${tagged.id}/episodes/1/content`, r.token);
    await get(`/api/books/${tagged.id}/content`, r.token); // the same episode, the same reader
  }));
  await get(`/api/books/${work.id}/episodes/1/content`, readers[0].token);
  await get(`/api/books/${work.id}/episodes/2/content`, readers[0].token);
  const ranked = await waitFor(async () => {
    const r = await get('/api/books/rankings?period=day');
    const top = r.body.items.find((b) => b.id === tagged.id);
    return top && top.readers === 3 ? r.body : null;
  });
  const counts = ranked.items.map((b) => b.readers);
  assert.deepEqual(counts, [...counts].sort((x, y) => y - x)); // most readers first
  assert.ok(ranked.items.find((b) => b.id === work.id).readers >= 1);
  assert.equal((await get('/api/books/rankings')).status, 200);
  assert.equal((await get('/api/books/rankings?period=month')).status, 200);
  problem(await get('/api/books/rankings?period=year'), 422, 'validation_failed', 'period');
  const viewed = await get('/api/admin/events?type=episode.viewed&limit=100', admin);
  assert.ok(viewed.body.items.some((e) => e.payload.bookId === tagged.id && e.payload.reason === 'free'));
});

test('a scheduled episode is invisible on every endpoint until its time, then published once', async () => {
  const b = await publishSerial(srv, other, '예약 연재');
  await api(srv.base, 'PATCH', `/api/books/${b.id}`, { token: other.token, body: { waitFreeHours: 12 } });
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 5000);
  const at = new Date(Date.now() + 5000);
  const m = await addEpisode(srv, other, b.id, '예약된 2화', EP(2), at.toISOString());
  assert.equal(m.episode, 2);
  assert.equal(Date.parse(m.publishAt), Math.floor(at.getTime() / 1000) * 1000);
  const hidden = async (token) => {
    problem(await get(`/api/books/${b.id}/episodes/2`, token), 404, 'not_found');
    problem(await get(`/api/books/${b.id}/episodes/2/content`, token), token ? 404 : 404, 'not_found');
    assert.deepEqual((await get(`/api/books/${b.id}/episodes`, token)).body.items.map((e) => e.number), [1]);
    assert.equal((await get(`/api/books/${b.id}/episodes/1`, token)).body.next, null);
    const book = (await get(`/api/books/${b.id}`, token)).body.book;
    assert.equal(book.episodeCount, 1);
  };
  await hidden(reader.token);
  await hidden(undefined);
  await hidden(admin);
  problem(await post(`/api/books/${b.id}/episodes/2/purchase`, reader.token), 404, 'not_found');
  problem(await post(`/api/books/${b.id}/episodes/2/wait-free`, reader.token), 404, 'not_found');
  problem(await api(srv.base, 'PUT', `/api/me/progress/${b.id}`, { token: reader.token, body: { episode: 2, anchor: 0, percent: 0 } }), 404, 'not_found');
  // buying every remaining episode buys what is published: not the scheduled one
  assert.deepEqual((await post(`/api/books/${b.id}/purchase`, reader.token)).body.episodes, [1]);
  const published = async () => (await get(`/api/admin/events?type=episode.published&limit=100`, admin)).body.items.filter((e) => e.payload.bookId === b.id);
  assert.deepEqual((await published()).map((e) => e.payload.number), [1]);
  // its author sees it coming
  const mine = await get(`/api/books/${b.id}/episodes`, other.token);
  assert.deepEqual(mine.body.items.map((e) => [e.number, e.publishedAt === null, !!e.scheduledAt]), [[1, false, false], [2, true, true]]);
  assert.equal((await get(`/api/books/${b.id}/episodes/2/content`, other.token)).status, 200);
  // then on time
  const seen = await waitFor(async () => {
    const r = await get(`/api/books/${b.id}/episodes/2`, reader.token);
    return r.status === 200 ? r.body : null;
  }, { timeoutMs: 15000, stepMs: 200 });
  assert.ok(Date.now() >= at.getTime());
  assert.ok(Date.parse(seen.episode.publishedAt) >= Math.floor(at.getTime() / 1000) * 1000);
  assert.equal(seen.episode.scheduledAt, null);
  const book = (await get(`/api/books/${b.id}`)).body.book;
  assert.equal(book.episodeCount, 2);
  assert.equal(Date.parse(book.updatedAt), Date.parse(seen.episode.publishedAt));
  assert.deepEqual((await published()).map((e) => e.payload.number), [1, 2]);
  assert.equal((await post(`/api/books/${b.id}/episodes/2/purchase`, reader.token)).status, 201);
});

test('the scheduler publishes on time after a restart too', async () => {
  const b = await publishSerial(srv, other, '재시작 연재');
  const at = new Date(Date.now() + 3000);
  await addEpisode(srv, other, b.id, '2화', EP(2), at.toISOString());
  await srv.stop();
  await new Promise((r) => setTimeout(r, Math.max(0, at.getTime() - Date.now()) + 500));
  await srv.restart();
  const ep = await waitFor(async () => {
    const r = await get(`/api/books/${b.id}/episodes/2`);
    return r.status === 200 ? r.body.episode : null;
  }, { timeoutMs: 5000, stepMs: 100 });
  assert.ok(ep.publishedAt);
  admin = await adminToken(srv);
});

test('--demo seeds a serial of 12 episodes: 3 free, waiting 24 h, one for tomorrow; the reader has read 4', async () => {
  const demo = await startServer({ args: ['--demo'] });
  try {
    const login = async (email, password) => (await api(demo.base, 'POST', '/api/auth/login', { body: { email, password } })).body.token;
    const reader = await login('reader@demo.local', 'demo-reader-pass');
    const author = await login('author@demo.local', 'demo-author-pass');
    const works = (await api(demo.base, 'GET', '/api/books?limit=100')).body.items;
    const w = works.find((b) => b.serial);
    assert.ok(w, JSON.stringify(works.map((b) => b.title)));
    assert.equal(w.title, '달빛 우체국');
    assert.equal(w.freeEpisodes, 3);
    assert.equal(w.waitFreeHours, 24);
    assert.equal(w.episodeCount, 11);
    assert.equal(w.genre, 'fantasy');
    const eps = (await api(demo.base, 'GET', `/api/books/${w.id}/episodes?limit=100`, { token: reader })).body.items;
    assert.equal(eps.length, 11);
    assert.equal(eps[0].title, '밤에만 여는 우체국');
    assert.deepEqual(eps.slice(0, 5).map((e) => e.access.reason), ['free', 'free', 'free', 'wait_free', 'purchase_required']);
    for (const e of eps) assert.ok(/[가-힣]/.test(e.title) && e.characters > 300, e.title);
    const mine = (await api(demo.base, 'GET', `/api/books/${w.id}/episodes?limit=100`, { token: author })).body.items;
    assert.equal(mine.length, 12);
    const due = Date.parse(mine[11].scheduledAt) - Date.now();
    assert.ok(due > 23 * 3600e3 && due <= 24 * 3600e3, String(due));
    const p = (await api(demo.base, 'GET', `/api/me/progress/${w.id}`, { token: reader })).body.progress;
    assert.equal(p.episode, 4);
    const views = await waitFor(async () => {
      const list = (await api(demo.base, 'GET', `/api/books/${w.id}/episodes?limit=4`, { token: reader })).body.items;
      return list.every((e) => e.views === 1) ? list : null;
    });
    assert.equal(views.length, 4);
    const text = await api(demo.base, 'GET', `/api/books/${w.id}/episodes/2/content`, { token: reader });
    assert.match(text.body.content, /은하/);
    assert.ok(text.body.content.split('\n').length >= 5);
  } finally {
    await demo.stop();
  }
});

test('reading a later episode is reading the work: the reader may review it', async () => {
  const reader = await signup(srv.base);
  problem(await api(srv.base, 'PUT', `/api/books/${work.id}/review`, { token: reader.token, body: { rating: 4 } }), 403, 'not_read');
  assert.equal((await get(`/api/books/${work.id}/episodes/2/content`, reader.token)).status, 200);
  const r = await waitFor(async () => {
    const x = await api(srv.base, 'PUT', `/api/books/${work.id}/review`, { token: reader.token, body: { rating: 4, text: '2화부터 읽었어요.' } });
    return x.status === 403 && x.body.code === 'not_read' ? null : x; // the read is on its way
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.review.rating, 4);
});
