// --publish-mode review (issue 13): generation ends in a proof that only its author sees (not
// listed, searched, ranked or on its author's page, no book.published), edited with PATCH and
// put on sale with POST /api/books/{id}/accept; book.published fires once however many accept
// at once. The admin's list leaves proofs out; a proof's next episode is submitted once the work
// is on sale; --demo in review mode seeds its serial on sale and its five stories as proofs.
// The default mode (auto) is every other suite's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, cli, signup, adminToken, makeAuthor, submitManuscript, waitPublished, problem, LOREM_KO,
  waitFor,
} from './lib/server.mjs';

let srv, admin, author, other, reader;

before(async () => {
  srv = await startServer({ args: ['--publish-mode', 'review'] });
  admin = await adminToken(srv);
  author = await makeAuthor(srv, admin, '교정작가');
  other = await makeAuthor(srv, admin, '남의작가');
  reader = await signup(srv.base);
});
after(async () => { await srv.stop(); });

/** A new proof: the manuscript is published with its book, which is a proof. */
async function proof(title) {
  const m = await submitManuscript(srv, author, title, LOREM_KO);
  const done = await waitPublished(srv, author, m.id);
  assert.ok(done.bookId);
  return done.bookId;
}

const events = async (type) => (await api(srv.base, 'GET', `/api/admin/events?type=${type}&limit=100`, { token: admin })).body.items;
const publishedOf = async (id) => (await events('book.published')).filter((e) => e.payload.bookId === id);

test('a proof is its author\'s alone: not listed, searched, on the author page or published', async () => {
  const id = await proof('교정쇄의 밤');
  const mine = await api(srv.base, 'GET', `/api/books/${id}`, { token: author.token });
  assert.equal(mine.status, 200);
  assert.equal(mine.body.book.proof, true);
  assert.equal(mine.body.book.hidden, true);
  assert.equal(mine.body.access.reason, 'author');
  for (const token of [undefined, reader.token, other.token, admin]) {
    problem(await api(srv.base, 'GET', `/api/books/${id}`, { token }), 404, 'not_found');
    problem(await api(srv.base, 'GET', `/api/books/${id}/episodes/1/content`, { token: token ?? reader.token }), 404, 'not_found');
  }
  const listed = await api(srv.base, 'GET', '/api/books?sort=new&limit=100');
  assert.ok(!listed.body.items.some((b) => b.id === id));
  const found = await api(srv.base, 'GET', `/api/books?q=${encodeURIComponent('교정쇄')}`);
  assert.ok(!found.body.items.some((b) => b.id === id));
  const page = await api(srv.base, 'GET', `/api/authors/${mine.body.book.authorId}`);
  assert.ok(!(page.body.books || []).some((b) => b.id === id));
  problem(await api(srv.base, 'POST', `/api/books/${id}/purchase`, { token: reader.token }), 404, 'not_found');
  assert.deepEqual(await publishedOf(id), []);
  assert.equal((await events('book.proof_ready')).filter((e) => e.payload.bookId === id).length, 1);
  // the proof is not put on sale by unhiding it
  problem(await api(srv.base, 'PATCH', `/api/books/${id}`, { token: author.token, body: { hidden: false } }), 409, 'not_accepted', 'hidden');
});

test('the author edits the proof, accepts it, and then it is on sale and published once', async () => {
  const id = await proof('고쳐서 내는 책');
  const p = await api(srv.base, 'PATCH', `/api/books/${id}`, { token: author.token, body: { summary: '작가가 고친 소개입니다.', price: 2000 } });
  assert.equal(p.status, 200);
  assert.equal(p.body.book.proof, true);
  problem(await api(srv.base, 'POST', `/api/books/${id}/accept`, { token: other.token }), 404, 'not_found');
  problem(await api(srv.base, 'POST', `/api/books/${id}/accept`, { token: admin }), 404, 'not_found');
  problem(await api(srv.base, 'POST', `/api/books/${id}/accept`), 401, 'unauthenticated');
  const ok = await api(srv.base, 'POST', `/api/books/${id}/accept`, { token: author.token });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.book.proof, false);
  assert.equal(ok.body.book.hidden, false);
  assert.equal(ok.body.book.summary, '작가가 고친 소개입니다.');
  problem(await api(srv.base, 'POST', `/api/books/${id}/accept`, { token: author.token }), 409, 'not_proof');
  const seen = await api(srv.base, 'GET', `/api/books/${id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.book.price, 2000);
  const listed = await api(srv.base, 'GET', '/api/books?sort=new&limit=100');
  assert.ok(listed.body.items.some((b) => b.id === id));
  assert.equal((await publishedOf(id)).length, 1);
  const h = await api(srv.base, 'GET', `/api/books/${id}/history?limit=100`, { token: author.token });
  const change = h.body.items.find((c) => c.field === 'proof');
  assert.deepEqual([change.from, change.to, change.by !== null], [true, false, true]);
  // readers can buy it now
  await api(srv.base, 'POST', '/api/me/points/charge', { token: reader.token, body: { amount: 5000 } });
  assert.equal((await api(srv.base, 'POST', `/api/books/${id}/purchase`, { token: reader.token })).status, 201);
});

test('the admin\'s list of every book leaves a proof out until its author accepts it', async () => {
  const id = await proof('관리자도 모르는 교정본');
  const all = async (q = '') => (await api(srv.base, 'GET', `/api/admin/books?limit=100${q}`, { token: admin })).body.items;
  assert.ok(!(await all()).some((b) => b.id === id));
  assert.ok(!(await all(`&q=${encodeURIComponent('교정본')}`)).some((b) => b.id === id));
  assert.ok((await all()).every((b) => b.proof === false));
  assert.equal((await api(srv.base, 'POST', `/api/books/${id}/accept`, { token: author.token })).status, 200);
  const row = (await all()).find((b) => b.id === id);
  assert.deepEqual([row.proof, row.hidden], [false, false]);
});

test('a proof\'s next episode is written meanwhile, but submitted only once the work is on sale (409 not_accepted)', async () => {
  const id = await proof('다음 화를 기다리는 교정본');
  const next = LOREM_KO.replace('할머니', '할아버지');
  const m = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: { title: '2화', content: next, bookId: id } });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const mid = m.body.manuscript.id;
  problem(await api(srv.base, 'POST', `/api/manuscripts/${mid}/submit`, { token: author.token }), 409, 'not_accepted', 'bookId');
  assert.equal((await api(srv.base, 'GET', `/api/manuscripts/${mid}`, { token: author.token })).body.manuscript.status, 'draft');
  assert.equal((await events('manuscript.submitted')).filter((e) => e.payload.manuscriptId === mid).length, 0);

  assert.equal((await api(srv.base, 'POST', `/api/books/${id}/accept`, { token: author.token })).status, 200);
  assert.equal((await api(srv.base, 'POST', `/api/manuscripts/${mid}/submit`, { token: author.token })).status, 202);
  await waitPublished(srv, author, mid);
  const eps = (await api(srv.base, 'GET', `/api/books/${id}/episodes`)).body.items;
  assert.deepEqual(eps.map((e) => e.number), [1, 2]);
});

test('--demo in review mode: the serial is on sale as before, the five stories are proofs their author accepts', async () => {
  const demo = await startServer({ args: ['--demo', '--publish-mode', 'review'] });
  try {
    const login = async (email, password) => (await api(demo.base, 'POST', '/api/auth/login', { body: { email, password } })).body.token;
    const reader = await login('reader@demo.local', 'demo-reader-pass');
    const author = await login('author@demo.local', 'demo-author-pass');
    const works = (await api(demo.base, 'GET', '/api/books?limit=100')).body.items;
    assert.deepEqual(works.map((b) => [b.title, b.serial, b.proof]), [['달빛 우체국', true, false]]);
    const serial = works[0];
    assert.equal(serial.episodeCount, 11);
    assert.equal((await api(demo.base, 'GET', `/api/me/progress/${serial.id}`, { token: reader })).body.progress.episode, 4);
    // the stories are generated after the seed: each ends as a proof its author sees
    const stories = await waitFor(async () => {
      const ms = (await api(demo.base, 'GET', '/api/manuscripts?limit=100', { token: author })).body.items;
      const done = ms.filter((x) => x.status === 'published' && x.bookId !== serial.id);
      return done.length === 5 ? done : null;
    }, { timeoutMs: 60000 });
    for (const m of stories) {
      const b = await api(demo.base, 'GET', `/api/books/${m.bookId}`, { token: author });
      assert.deepEqual([b.body.book.proof, b.body.book.hidden], [true, true], m.title);
      problem(await api(demo.base, 'GET', `/api/books/${m.bookId}`, { token: reader }), 404, 'not_found');
    }
    const ok = await api(demo.base, 'POST', `/api/books/${stories[0].bookId}/accept`, { token: author });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const now = (await api(demo.base, 'GET', '/api/books?limit=100')).body.items.map((b) => b.id);
    assert.ok(now.includes(stories[0].bookId));
    assert.equal(now.length, 2);
  } finally {
    await demo.stop();
  }
});

test('many accepts at once: one goes through, the others answer 409 not_proof, book.published once', async () => {
  const id = await proof('한꺼번에 누른 승인');
  const answers = await Promise.all(Array.from({ length: 30 }, () => api(srv.base, 'POST', `/api/books/${id}/accept`, { token: author.token })));
  assert.equal(answers.filter((r) => r.status === 200).length, 1);
  for (const r of answers.filter((x) => x.status !== 200)) problem(r, 409, 'not_proof');
  assert.equal((await publishedOf(id)).length, 1);
});

test('a work on sale is not a proof; a bad mode does not start', async () => {
  const auto = await startServer();
  try {
    const a = await makeAuthor(auto, await adminToken(auto), '바로작가');
    const m = await submitManuscript(auto, a, '바로 파는 책');
    const done = await waitPublished(auto, a, m.id);
    const b = await api(auto.base, 'GET', `/api/books/${done.bookId}`);
    assert.equal(b.body.book.proof, false);
    problem(await api(auto.base, 'POST', `/api/books/${done.bookId}/accept`, { token: a.token }), 409, 'not_proof');
  } finally {
    await auto.stop();
  }
  const bad = cli(['serve', '--publish-mode', 'manual']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--publish-mode: expected auto or review/);
});
