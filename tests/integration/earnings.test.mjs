// Author earnings over HTTP: a sale earns the author's share, payouts never
// exceed it, an admin marks them paid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, signup, adminToken, makeAuthor, publishBook, publishSerial, addEpisode, charge, problem,
  waitFor,
} from './lib/server.mjs';

let srv;
let admin;
before(async () => {
  srv = await startServer({ args: ['--author-share-percent', '60'] });
  admin = await adminToken(srv);
});
after(async () => { await srv.stop(); });

test('a sale earns the share; payouts take at most what is available, once', async () => {
  const author = await makeAuthor(srv, admin, '수익작가');
  const book = await publishBook(srv, author, '수익의 서재');
  let buyer;
  for (let i = 0; i < 2; i++) { // two sales: above the 1,000 P payout minimum
    buyer = await signup(srv.base);
    assert.equal((await charge(srv.base, buyer.token, 50000)).status, 201);
    assert.equal((await api(srv.base, 'POST', `/api/books/${book.id}/purchase`, { token: buyer.token })).status, 201);
  }
  const share = 2 * Math.floor((book.price * 60) / 100);
  const page = await waitFor(async () => {
    const r = await api(srv.base, 'GET', '/api/me/earnings', { token: author.token });
    return r.status === 200 && r.body.summary.earned === share ? r.body : null;
  });
  assert.equal(page.percent, 60);
  assert.equal(page.summary.available, share);
  assert.deepEqual(page.works.map((w) => [w.bookId, w.title, w.sales, w.pool]), [[book.id, '수익의 서재', share, 0]]);
  assert.match(page.months[0].month, /^\d{4}-\d\d$/);
  assert.deepEqual(page.months.map((m) => [m.sales, m.pool]), [[share, 0]]);
  problem(await api(srv.base, 'GET', '/api/me/earnings', { token: buyer.token }), 403, 'not_author');
  problem(await api(srv.base, 'POST', '/api/me/payouts', { token: author.token, body: { amount: share + 1 } }), 409, 'exceeds_available');
  problem(await api(srv.base, 'POST', '/api/me/payouts', { token: author.token, body: { amount: 999 } }), 422, 'validation_failed', 'amount');
  const all = await Promise.all(Array.from({ length: 10 }, () =>
    api(srv.base, 'POST', '/api/me/payouts', { token: author.token, body: { amount: share } })));
  assert.equal(all.filter((r) => r.status === 201).length, 1);
  assert.equal(all.find((r) => r.status === 201).body.payout.authorName, '수익작가');
  assert.ok(all.every((r) => r.status === 201 || r.body.code === 'exceeds_available'));
  const list = await api(srv.base, 'GET', '/api/admin/payouts?status=requested', { token: admin });
  const p = list.body.items.find((x) => x.authorId === author.member.id);
  assert.deepEqual([p.amount, p.authorName], [share, '수익작가']);
  problem(await api(srv.base, 'POST', `/api/admin/payouts/${p.id}/paid`, { token: author.token, body: { reference: 'x' } }), 403, 'forbidden');
  const paid = await api(srv.base, 'POST', `/api/admin/payouts/${p.id}/paid`, { token: admin, body: { reference: '국민 123-456' } });
  assert.equal(paid.status, 200);
  assert.equal(paid.body.payout.status, 'paid');
  assert.equal(paid.body.payout.reference, '국민 123-456');
  assert.equal(paid.body.payout.authorName, '수익작가');
  problem(await api(srv.base, 'POST', `/api/admin/payouts/${p.id}/paid`, { token: admin, body: { reference: 'again' } }), 409, 'already_paid');
  const after = (await api(srv.base, 'GET', '/api/me/earnings', { token: author.token })).body;
  assert.deepEqual(after.summary, { earned: share, requested: 0, paidOut: share, available: 0 });
  assert.deepEqual([after.payouts[0].status, after.payouts[0].authorName], ['paid', '수익작가']);
});

test('episode purchases earn the share of each episode, one alone and the rest at once', async () => {
  const author = await makeAuthor(srv, admin, '연재작가');
  const work = await publishSerial(srv, author, '회차의 서재');
  for (let n = 2; n <= 4; n++) await addEpisode(srv, author, work.id, `${n}화`);
  const set = await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { freeEpisodes: 1, episodePrice: 130 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const buyer = await signup(srv.base);
  assert.equal((await charge(srv.base, buyer.token, 1000)).status, 201);
  const one = await api(srv.base, 'POST', `/api/books/${work.id}/episodes/2/purchase`, { token: buyer.token });
  assert.equal(one.status, 201, JSON.stringify(one.body));
  assert.equal(one.body.price, 130);
  const rest = await api(srv.base, 'POST', `/api/books/${work.id}/purchase`, { token: buyer.token });
  assert.equal(rest.status, 201, JSON.stringify(rest.body));
  assert.deepEqual(rest.body.episodes, [3, 4]);
  // the share of each ledger entry, rounded down: 130 P at 60 % is 78 P, three times
  const ledger = (await api(srv.base, 'GET', '/api/me/points/ledger?limit=50', { token: buyer.token })).body.items;
  const paid = ledger.filter((e) => e.kind === 'purchase' && e.bookId === work.id);
  assert.deepEqual(paid.map((e) => [e.episode, e.amount]).sort(), [[2, -130], [3, -130], [4, -130]]);
  const page = await waitFor(async () => {
    const r = await api(srv.base, 'GET', '/api/me/earnings', { token: author.token });
    return r.status === 200 && r.body.summary.earned === 3 * 78 ? r.body : null;
  });
  assert.deepEqual(page.works.map((w) => [w.bookId, w.title, w.sales]), [[work.id, '회차의 서재', 3 * 78]]);
});

test("the admin's payout list names each payout's author", async () => {
  const sell = async (name, sales) => {
    const author = await makeAuthor(srv, admin, name);
    const book = await publishBook(srv, author, `${name}의 책`);
    for (let i = 0; i < sales; i++) {
      const buyer = await signup(srv.base);
      assert.equal((await charge(srv.base, buyer.token, 50000)).status, 201);
      assert.equal((await api(srv.base, 'POST', `/api/books/${book.id}/purchase`, { token: buyer.token })).status, 201);
    }
    assert.ok(sales * Math.floor((book.price * 60) / 100) >= 1000 * Math.floor(sales / 2), 'the sales pay for the payouts');
    return author;
  };
  const request = async (author) => {
    const r = await waitFor(async () => {
      const x = await api(srv.base, 'POST', '/api/me/payouts', { token: author.token, body: { amount: 1000 } });
      return x.status === 201 ? x : null;
    });
    return r.body.payout.id;
  };
  const one = await sell('첫정산', 4);
  const two = await sell('둘째정산', 2);
  const ids = [await request(one), await request(two), await request(one)];
  const list = (await api(srv.base, 'GET', '/api/admin/payouts?status=requested', { token: admin })).body.items;
  const named = Object.fromEntries(list.map((p) => [p.id, p.authorName]));
  assert.deepEqual(ids.map((id) => named[id]), ['첫정산', '둘째정산', '첫정산']);
});
