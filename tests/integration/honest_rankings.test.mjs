// Honest rankings: a reader counts once a day when the account is older than the minimum age
// and its address has not already supplied three readers to the work that day; the rest are
// excluded and shown to the work's author and admins. Addresses are played through a trusted
// proxy's X-Forwarded-For (the server believes it from 127.0.0.1 only here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, adminToken, makeAuthor, publishSerial, waitFor, problem } from './lib/server.mjs';

const FARM = '203.0.113.7';
const BYSTANDER = '198.51.100.9';

async function freeWork(srv, admin, title) {
  const author = await makeAuthor(srv, admin, '윤서재');
  const book = await publishSerial(srv, author, title);
  const p = await api(srv.base, 'PATCH', `/api/books/${book.id}`, { token: author.token, body: { freeEpisodes: 1 } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  return { author, book };
}

async function readFrom(srv, address, book, name) {
  const who = await signup(srv.base, undefined, 'password1', name);
  const r = await api(srv.base, 'GET', `/api/books/${book.id}/episodes/1/content`,
    { token: who.token, headers: { 'X-Forwarded-For': address } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return who;
}

const counts = (srv, token, book, period = 'day') => api(srv.base, 'GET', `/api/books/${book.id}/readers?period=${period}`, { token });

test('30 sign-ups from one address reading one work move its ranking by at most 3 readers, and make no bestseller', async (t) => {
  const srv = await startServer({ args: ['--reader-min-age', '0', '--signup-limit', '0', '--trusted-proxy', '127.0.0.1/32', '--bestseller-threshold', '5'] });
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const { author, book } = await freeWork(srv, admin, '서랍 농장');
  for (let i = 0; i < 30; i++) await readFrom(srv, FARM, book, `농장${i}`);
  const bystander = await readFrom(srv, BYSTANDER, book, '지나가던독자');

  const seen = await waitFor(async () => {
    const r = await counts(srv, author.token, book);
    return r.body.readers + r.body.excluded === 31 ? r.body : null; // the views are flushed
  });
  assert.deepEqual(seen, { period: 'day', readers: 4, excluded: 27, newAccounts: 0, crowdedAddresses: 27 });
  const ranked = (await api(srv.base, 'GET', '/api/books/rankings?period=day')).body.items.find((b) => b.id === book.id);
  assert.equal(ranked.readers, 4, 'three from the farm and the bystander');
  assert.ok(ranked.readers - 1 <= 3, 'the farm moved the ranking by at most 3 readers');
  assert.deepEqual((await counts(srv, admin, book, 'week')).body.excluded, 27, 'admins see the exclusions too');
  assert.equal((await counts(srv, admin, book, 'month')).body.readers, 4);

  // every work's exclusions, for admins alone; a work without any is not listed
  const other = await freeWork(srv, admin, '조용한 서랍');
  await readFrom(srv, BYSTANDER, other.book, '조용한독자');
  const ex = await waitFor(async () => {
    const r = await api(srv.base, 'GET', '/api/admin/exclusions?period=day', { token: admin });
    return (await counts(srv, admin, other.book)).body.readers === 1 ? r : null;
  });
  assert.equal(ex.status, 200);
  assert.equal(ex.body.period, 'day');
  assert.deepEqual(ex.body.items.map((x) => [x.book.id, x.readers, x.excluded, x.newAccounts, x.crowdedAddresses]),
    [[book.id, 4, 27, 0, 27]]);
  assert.equal(ex.body.items[0].book.title, '서랍 농장');
  assert.equal(ex.body.nextCursor, null);
  problem(await api(srv.base, 'GET', '/api/admin/exclusions', { token: author.token }), 403, 'forbidden');
  problem(await api(srv.base, 'GET', '/api/admin/exclusions?period=year', { token: admin }), 422, 'validation_failed', 'period');

  // a second read the same day changes nothing; refusals
  await api(srv.base, 'GET', `/api/books/${book.id}/episodes/1/content`, { token: bystander.token, headers: { 'X-Forwarded-For': BYSTANDER } });
  problem(await counts(srv, bystander.token, book), 403, 'forbidden');
  problem(await api(srv.base, 'GET', `/api/books/${book.id}/readers`), 401, 'unauthenticated');
  problem(await counts(srv, admin, { id: 999999 }), 404, 'not_found');
  problem(await counts(srv, author.token, book, 'year'), 422, 'validation_failed', 'period');
  assert.equal((await counts(srv, author.token, book)).body.readers, 4);

  // 31 views but four honest readers: below the threshold of five; a fifth makes the bestseller
  const detail = async () => (await api(srv.base, 'GET', `/api/books/${book.id}`)).body.book;
  assert.equal((await detail()).views, 31);
  assert.equal((await detail()).bestseller, false);
  await readFrom(srv, '192.0.2.44', book, '다섯번째독자');
  const best = await waitFor(async () => ((await detail()).bestseller ? await detail() : null));
  assert.equal(best.views, 32);
  const ev = await api(srv.base, 'GET', '/api/admin/events?type=book.bestseller_selected&limit=100', { token: admin });
  assert.deepEqual(ev.body.items.filter((e) => e.payload.bookId === book.id).map((e) => e.payload.readers), [5]);
});

test('accounts younger than an hour do not rank, and are counted as excluded', async (t) => {
  const srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1/32'] });
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const { author, book } = await freeWork(srv, admin, '새 계정의 서랍');
  await readFrom(srv, BYSTANDER, book, '갓가입');
  const seen = await waitFor(async () => {
    const r = await counts(srv, author.token, book);
    return r.body.excluded === 1 ? r.body : null;
  });
  assert.deepEqual(seen, { period: 'day', readers: 0, excluded: 1, newAccounts: 1, crowdedAddresses: 0 });
  const ranked = (await api(srv.base, 'GET', '/api/books/rankings?period=day')).body.items;
  assert.ok(!ranked.some((b) => b.id === book.id), 'no counted reader: not ranked');
});

test('admins list every book, hidden ones too, and hide or restore one', async (t) => {
  const srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1/32'] });
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const { author, book } = await freeWork(srv, admin, '숨길 서랍');
  const seen = await freeWork(srv, admin, '보이는 서랍');
  const hide = await api(srv.base, 'PATCH', `/api/books/${book.id}`, { token: admin, body: { hidden: true } });
  assert.equal(hide.status, 200, JSON.stringify(hide.body));
  const catalog = (await api(srv.base, 'GET', '/api/books?limit=100')).body.items.map((b) => b.id);
  assert.deepEqual(catalog, [seen.book.id]);
  const all = await api(srv.base, 'GET', '/api/admin/books?limit=100', { token: admin });
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.items.map((b) => [b.id, b.hidden]), [[seen.book.id, false], [book.id, true]]);
  const found = await api(srv.base, 'GET', `/api/admin/books?q=${encodeURIComponent('숨길')}`, { token: admin });
  assert.deepEqual(found.body.items.map((b) => b.id), [book.id]);
  const page = await api(srv.base, 'GET', '/api/admin/books?limit=1', { token: admin });
  assert.deepEqual(page.body.items.map((b) => b.id), [seen.book.id]);
  const next = await api(srv.base, 'GET', `/api/admin/books?limit=1&cursor=${page.body.nextCursor}`, { token: admin });
  assert.deepEqual(next.body.items.map((b) => b.id), [book.id]);
  problem(await api(srv.base, 'GET', '/api/admin/books', { token: author.token }), 403, 'forbidden');
  problem(await api(srv.base, 'GET', '/api/admin/books'), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/admin/books?limit=0', { token: admin }), 422, 'validation_failed');
  const restore = await api(srv.base, 'PATCH', `/api/books/${book.id}`, { token: admin, body: { hidden: false } });
  assert.equal(restore.body.book.hidden, false);
  assert.equal((await api(srv.base, 'GET', '/api/books?limit=100')).body.items.length, 2);
});
