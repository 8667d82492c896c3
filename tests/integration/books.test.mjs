// Books over real HTTP: catalog, search, access, covers, reading, purchases, views, bestsellers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, signup, charge, ledgerAll, adminToken, makeAuthor, publishBook, waitFor, LOREM_KO,
  problem,
} from './lib/server.mjs';

const MOON_KO = '달이 가장 밝은 밤이면 마을 사람들은 잃어버린 기억을 하나씩 돌려받았다. ' +
  '어떤 이는 첫사랑의 목소리를, 어떤 이는 어린 시절 먹던 국수의 맛을 되찾았다. ' +
  '열일곱 살 서윤은 한 번도 아무것도 돌려받지 못했다. 그러던 어느 보름밤, 낯선 소년이 그녀의 이름을 불렀다.';

let srv, admin, author, other;
const books = {};

before(async () => {
  // bestsellers count honest readers: accounts of any age, each reader at its own address
  srv = await startServer({ args: ['--bestseller-threshold', '30', '--reader-min-age', '0', '--trusted-proxy', '127.0.0.1/32'] });
  admin = await adminToken(srv);
  author = await makeAuthor(srv, admin, '윤서재');
  other = await makeAuthor(srv, admin, '달빛작가');
  books.drawer = await publishBook(srv, author, '시간의 서랍', LOREM_KO);
  books.moon = await publishBook(srv, other, '달 아래의 기억들', MOON_KO);
  books.train = await publishBook(srv, author, 'Night Train to the Sea', 'The night train left the station at midnight. ' .repeat(10));
});
after(async () => { await srv.stop(); });

test('a published book has every field of the contract', async () => {
  const b = books.drawer;
  for (const k of ['id', 'title', 'authorId', 'authorName', 'summary', 'tagline', 'price', 'priceReason', 'coverUrl', 'views', 'bestseller', 'publishedAt', 'generatedBy'])
    assert.ok(k in b, k);
  assert.equal(b.title, '시간의 서랍');
  assert.equal(b.authorId, author.member.id);
  assert.equal(b.authorName, '윤서재');
  assert.match(b.coverUrl, new RegExp(`^/api/books/${b.id}/cover\\?v=[0-9a-f-]+$`));
  assert.ok(b.price >= 1000 && b.price <= 50000 && b.price % 100 === 0);
  assert.deepEqual(Object.keys(b.generatedBy).sort(), ['cover', 'price', 'summary']);
  assert.equal(b.views, 0);
  assert.equal(b.bestseller, false);
});

test('catalog: newest first with cursors; popular; limits validated', async () => {
  const p1 = await api(srv.base, 'GET', '/api/books?limit=2');
  assert.equal(p1.status, 200);
  assert.deepEqual(p1.body.items.map((b) => b.id), [books.train.id, books.moon.id]);
  const p2 = await api(srv.base, 'GET', `/api/books?limit=2&cursor=${p1.body.nextCursor}`);
  assert.deepEqual(p2.body.items.map((b) => b.id), [books.drawer.id]);
  assert.equal(p2.body.nextCursor, null);
  const pop = await api(srv.base, 'GET', '/api/books?sort=popular&limit=100');
  assert.equal(pop.status, 200);
  assert.equal(pop.body.items.length, 3);
  problem(await api(srv.base, 'GET', '/api/books?sort=best'), 422, 'validation_failed');
  problem(await api(srv.base, 'GET', '/api/books?limit=0'), 422, 'validation_failed');
  problem(await api(srv.base, 'GET', '/api/books?cursor=x'), 422, 'validation_failed');
  problem(await api(srv.base, 'GET', `/api/books?q=${'가'.repeat(101)}`), 422, 'validation_failed');
});

test('search finds Korean words in the middle of titles, pen names and summaries', async () => {
  const q = async (s) => (await api(srv.base, 'GET', `/api/books?q=${encodeURIComponent(s)}`)).body.items.map((b) => b.id);
  assert.deepEqual(await q('서랍'), [books.drawer.id]);      // two syllables, mid-title
  assert.deepEqual(await q('간의 서'), [books.drawer.id]);   // trigram
  assert.deepEqual(await q('기억'), [books.moon.id]);
  assert.deepEqual(await q('달빛작가'), [books.moon.id]);    // pen name
  assert.deepEqual(await q('train'), [books.train.id]);     // case-insensitive
  assert.deepEqual(await q('없는책'), []);
  assert.deepEqual(await q('"'), []);
});

test('detail answers access per caller', async () => {
  const reader = await signup(srv.base);
  const id = books.drawer.id;
  const as = async (token) => (await api(srv.base, 'GET', `/api/books/${id}`, { token })).body.access;
  assert.deepEqual(await as(undefined), { canRead: false, reason: 'login_required' });
  assert.deepEqual(await as(reader.token), { canRead: false, reason: 'purchase_required' });
  assert.deepEqual(await as(author.token), { canRead: true, reason: 'author' });
  assert.deepEqual(await as(admin), { canRead: true, reason: 'admin' });
  assert.deepEqual(await as(other.token), { canRead: false, reason: 'purchase_required' });
  problem(await api(srv.base, 'GET', '/api/books/999999'), 404, 'not_found');
  problem(await api(srv.base, 'GET', '/api/books/abc'), 404, 'not_found');
});

test('cover: image with a strong ETag, 304, long cache and a CSP without scripts', async () => {
  const r = await fetch(srv.base + books.drawer.coverUrl);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^image\/(svg\+xml|png|jpeg)/);
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[^"]+"$/);
  assert.match(r.headers.get('cache-control'), /max-age=\d{6,}/);
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  assert.doesNotMatch(r.headers.get('content-security-policy'), /script-src/);
  assert.ok((await r.text()).length > 100);
  const again = await fetch(srv.base + books.drawer.coverUrl, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  problem(await api(srv.base, 'GET', '/api/books/999999/cover'), 404, 'not_found');
});

test('content: 401 anonymous, 403 purchase_required with price and balance, 200 for the author', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 700);
  problem(await api(srv.base, 'GET', `/api/books/${books.drawer.id}/content`), 401, 'unauthenticated');
  const r = await api(srv.base, 'GET', `/api/books/${books.drawer.id}/content`, { token: reader.token });
  problem(r, 403, 'purchase_required');
  assert.equal(r.body.price, books.drawer.price);
  assert.equal(r.body.balance, 700);
  assert.equal(r.body.subscriptionPrice, 9900);
  const own = await api(srv.base, 'GET', `/api/books/${books.drawer.id}/content`, { token: author.token });
  assert.equal(own.status, 200);
  assert.equal(own.body.bookId, books.drawer.id);
  assert.equal(own.body.title, '시간의 서랍');
  assert.match(own.body.content, /서랍/);
});

test('purchase: 402 with price and balance, then 201, 409 already_owned, idempotent key, library', async () => {
  const reader = await signup(srv.base);
  const b = books.moon;
  const short = await api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: reader.token });
  problem(short, 402, 'insufficient_points');
  assert.equal(short.body.price, b.price);
  assert.equal(short.body.balance, 0);
  await charge(srv.base, reader.token, 50000);
  const ok = await api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: reader.token, headers: { 'idempotency-key': 'buy-1' } });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body, { bookId: b.id, price: b.price, balanceAfter: 50000 - b.price, episodes: [1] });
  const replay = await api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: reader.token, headers: { 'idempotency-key': 'buy-1' } });
  assert.equal(replay.status, 201);
  assert.deepEqual(replay.body, ok.body);
  problem(await api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: reader.token }), 409, 'already_owned');
  problem(await api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: other.token }), 409, 'already_owned');
  problem(await api(srv.base, 'POST', `/api/books/${b.id}/purchase`), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/books/999999/purchase', { token: reader.token }), 404, 'not_found');
  const access = await api(srv.base, 'GET', `/api/books/${b.id}`, { token: reader.token });
  assert.deepEqual(access.body.access, { canRead: true, reason: 'owned' });
  const read = await api(srv.base, 'GET', `/api/books/${b.id}/content`, { token: reader.token });
  assert.equal(read.status, 200);
  const lib = await api(srv.base, 'GET', '/api/me/library', { token: reader.token });
  assert.equal(lib.status, 200);
  assert.equal(lib.body.items.length, 1);
  assert.equal(lib.body.items[0].id, b.id);
  assert.match(lib.body.items[0].purchasedAt, /Z$/);
  const ledger = await ledgerAll(srv.base, reader.token);
  assert.deepEqual(ledger[0], { ...ledger[0], kind: 'purchase', amount: -b.price, bookId: b.id });
  problem(await api(srv.base, 'GET', '/api/me/library'), 401, 'unauthenticated');
});

test('a subscriber reads without buying', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 9900);
  assert.equal((await api(srv.base, 'POST', '/api/me/subscription', { token: reader.token, body: { autoRenew: false } })).status, 201);
  const d = await api(srv.base, 'GET', `/api/books/${books.train.id}`, { token: reader.token });
  assert.deepEqual(d.body.access, { canRead: true, reason: 'subscription' });
  assert.equal((await api(srv.base, 'GET', `/api/books/${books.train.id}/content`, { token: reader.token })).status, 200);
});

test('50 concurrent purchases of one book by one member: one succeeds, the balance drops once', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 100000);
  const b = books.drawer;
  const rs = await Promise.all(Array.from({ length: 50 }, () => api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: reader.token })));
  assert.equal(rs.filter((r) => r.status === 201).length, 1);
  assert.equal(rs.filter((r) => r.status === 409).length, 49);
  const me = await api(srv.base, 'GET', '/api/me', { token: reader.token });
  assert.equal(me.body.member.points, 100000 - b.price);
  const ledger = await ledgerAll(srv.base, reader.token);
  assert.equal(ledger.filter((e) => e.kind === 'purchase').length, 1);
  assert.equal(ledger.reduce((s, e) => s + e.amount, 0), me.body.member.points);
});

test('50 members buying at once: no lost debit', async () => {
  const readers = await Promise.all(Array.from({ length: 50 }, () => signup(srv.base)));
  await Promise.all(readers.map((r) => charge(srv.base, r.token, 60000)));
  const b = books.train;
  const rs = await Promise.all(readers.map((r) => api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: r.token })));
  rs.forEach((r) => assert.equal(r.status, 201, JSON.stringify(r.body)));
  const mes = await Promise.all(readers.map((r) => api(srv.base, 'GET', '/api/me', { token: r.token })));
  mes.forEach((m) => assert.equal(m.body.member.points, 60000 - b.price));
});

test('40 distinct readers: views 40, a bestseller exactly once, still 40 after a graceful restart', async () => {
  const b = await publishBook(srv, other, '별을 세는 우체부', MOON_KO.replace('달이', '별이'));
  const readers = await Promise.all(Array.from({ length: 40 }, () => signup(srv.base)));
  await Promise.all(readers.map(async (r) => {
    await charge(srv.base, r.token, 9900);
    await api(srv.base, 'POST', '/api/me/subscription', { token: r.token, body: { autoRenew: false } });
  }));
  // each reads twice at once, and the author and an admin read too: none of that counts twice
  const from = (i) => ({ 'X-Forwarded-For': `198.51.100.${i + 1}` });
  await Promise.all([...readers, ...readers].map((r, i) =>
    api(srv.base, 'GET', `/api/books/${b.id}/content`, { token: r.token, headers: from(i % 40) })));
  await api(srv.base, 'GET', `/api/books/${b.id}/content`, { token: other.token });
  await api(srv.base, 'GET', `/api/books/${b.id}/content`, { token: admin });
  const seen = await waitFor(async () => {
    const r = await api(srv.base, 'GET', `/api/books/${b.id}`);
    return r.body.book.views >= 40 ? r.body.book : null;
  }, { timeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 1200)); // one more flush interval: nothing else arrives
  const settled = (await api(srv.base, 'GET', `/api/books/${b.id}`)).body.book;
  assert.equal(settled.views, 40);
  assert.equal(seen.bestseller, true);
  const ev = await api(srv.base, 'GET', '/api/admin/events?type=book.bestseller_selected&limit=100', { token: admin });
  const selected = ev.body.items.filter((e) => e.payload.bookId === b.id);
  assert.equal(selected.length, 1);
  assert.ok(selected[0].payload.readers >= 30, JSON.stringify(selected[0].payload));
  const viewed = await api(srv.base, 'GET', '/api/admin/events?type=book.viewed&limit=100', { token: admin });
  assert.equal(viewed.body.items.filter((e) => e.payload.bookId === b.id).length, 40);
  const best = await api(srv.base, 'GET', '/api/books/bestsellers');
  assert.deepEqual(best.body.items.map((x) => x.id), [b.id]);
  const pop = await api(srv.base, 'GET', '/api/books?sort=popular&limit=1');
  assert.equal(pop.body.items[0].id, b.id);

  await srv.restart();
  const after = (await api(srv.base, 'GET', `/api/books/${b.id}`)).body.book;
  assert.equal(after.views, 40);
  assert.equal(after.bestseller, true);
  // reading again the same day does not count again
  await api(srv.base, 'GET', `/api/books/${b.id}/content`, { token: readers[0].token });
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal((await api(srv.base, 'GET', `/api/books/${b.id}`)).body.book.views, 40);
});

test('the author profile lists the published books', async () => {
  const r = await api(srv.base, 'GET', `/api/authors/${author.member.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.penName, '윤서재');
  assert.deepEqual(r.body.books.map((b) => b.id).sort(), [books.drawer.id, books.train.id].sort());
});

test('SIGKILL loses at most the last interval of views, never a purchase', async () => {
  const reader = await signup(srv.base);
  await charge(srv.base, reader.token, 50000);
  const p = await api(srv.base, 'POST', `/api/books/${books.drawer.id}/purchase`, { token: reader.token });
  assert.equal(p.status, 201);
  await srv.kill();
  await srv.restart();
  const lib = await api(srv.base, 'GET', '/api/me/library', { token: reader.token });
  assert.deepEqual(lib.body.items.map((b) => b.id), [books.drawer.id]);
  const me = await api(srv.base, 'GET', '/api/me', { token: reader.token });
  assert.equal(me.body.member.points, 50000 - books.drawer.price);
});
