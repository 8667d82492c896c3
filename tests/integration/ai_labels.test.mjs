// What readers are told the AI made: `aiMade` per part in every book JSON (details, lists,
// the library), cleared part by part when the author writes the blurb or the tagline, sets the
// price or uploads a cover; and `aiCovers=hide` on the catalog lists, which leaves out works
// whose cover a generator made (a bad value is a 422 naming the parameter).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api, signup, adminToken, makeAuthor, publishBook, problem, waitFor } from './lib/server.mjs';

const JPEG = readFileSync(new URL('./fixtures/cover-400x600.jpg', import.meta.url));

let srv, admin, author, reader, drawn, own;

before(async () => {
  srv = await startServer({ args: ['--reader-min-age', '0'] });
  admin = await adminToken(srv);
  author = await makeAuthor(srv, admin, '표지작가');
  reader = await signup(srv.base);
  drawn = await publishBook(srv, author, '그려진 서랍의 밤');
  own = await publishBook(srv, author, '작가가 그린 서랍');
  const put = await api(srv.base, 'PUT', `/api/books/${own.id}/cover`, {
    token: author.token, raw: JPEG, headers: { 'content-type': 'image/jpeg' },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
});
after(async () => { await srv.stop(); });

const book = async (id) => (await api(srv.base, 'GET', `/api/books/${id}`)).body.book;
const ids = (r) => r.body.items.map((b) => b.id);

test('a generated work says every part is the AI\'s; the author\'s own parts are not', async () => {
  const b = await book(drawn.id);
  assert.ok(b.tagline.length > 0);
  assert.deepEqual(b.aiMade, { summary: true, tagline: true, price: true, cover: true });

  assert.deepEqual((await book(own.id)).aiMade, { summary: true, tagline: true, price: true, cover: false });
  const blurb = await api(srv.base, 'PATCH', `/api/books/${own.id}`, { token: author.token, body: { summary: '작가가 직접 쓴 소개입니다.' } });
  assert.equal(blurb.status, 200, JSON.stringify(blurb.body));
  assert.deepEqual(blurb.body.book.aiMade, { summary: false, tagline: true, price: true, cover: false });
  const hook = await api(srv.base, 'PATCH', `/api/books/${own.id}`, { token: author.token, body: { tagline: '서랍 속 편지는 누가 썼을까?' } });
  assert.equal(hook.status, 200, JSON.stringify(hook.body));
  assert.deepEqual(hook.body.book.aiMade, { summary: false, tagline: false, price: true, cover: false });
  const price = await api(srv.base, 'PATCH', `/api/books/${own.id}`, { token: author.token, body: { price: 2000 } });
  assert.equal(price.status, 200, JSON.stringify(price.body));
  assert.deepEqual(price.body.book.aiMade, { summary: false, tagline: false, price: false, cover: false });
});

test('readers are told only that the AI made a part; its author and admins see which generator', async () => {
  const as = async (token) => (await api(srv.base, 'GET', `/api/books/${drawn.id}`, { token })).body.book;
  for (const b of [await book(drawn.id), await as(reader.token)]) {
    assert.deepEqual(b.generatedBy, { summary: 'ai', price: 'ai', cover: 'ai' });
    assert.deepEqual(b.aiMade, { summary: true, tagline: true, price: true, cover: true });
    assert.equal(b.ai, undefined);
    assert.doesNotMatch(JSON.stringify(b), /offline/);
  }
  for (const b of [await as(author.token), await as(admin)]) {
    assert.deepEqual(b.generatedBy, { summary: 'offline', price: 'offline', cover: 'offline' });
    assert.equal(b.ai.summary.generatedBy, 'offline');
  }
  // the author's own parts are nobody's generator's, whoever asks
  assert.deepEqual((await book(own.id)).generatedBy, { summary: '', price: '', cover: '' });

  // lists: a reader's rows say "ai"; the author's own rows and the admin's list name the generator
  const row = async (path, token) => (await api(srv.base, 'GET', path, { token })).body.items.find((b) => b.id === drawn.id);
  assert.deepEqual((await row('/api/books?limit=10')).generatedBy, { summary: 'ai', price: 'ai', cover: 'ai' });
  assert.equal((await row('/api/books?limit=10', reader.token)).generatedBy.cover, 'ai');
  assert.equal((await row('/api/books?limit=10', author.token)).generatedBy.cover, 'offline');
  assert.equal((await row('/api/admin/books?limit=10', admin)).generatedBy.cover, 'offline');
  const page = await api(srv.base, 'GET', `/api/authors/${author.member.id}`);
  assert.doesNotMatch(JSON.stringify(page.body), /offline/);
});

test('lists and the library carry the same flags', async () => {
  const all = await api(srv.base, 'GET', '/api/books?limit=10');
  const flags = Object.fromEntries(all.body.items.map((b) => [b.id, b.aiMade.cover]));
  assert.deepEqual(flags, { [drawn.id]: true, [own.id]: false });
  assert.equal((await api(srv.base, 'POST', '/api/me/points/charge', { token: reader.token, body: { amount: 100000 } })).status, 201);
  const bought = await api(srv.base, 'POST', `/api/books/${drawn.id}/purchase`, { token: reader.token });
  assert.equal(bought.status, 201, JSON.stringify(bought.body));
  const lib = await api(srv.base, 'GET', '/api/me/library', { token: reader.token });
  assert.equal(lib.status, 200);
  assert.deepEqual(lib.body.items.map((b) => [b.id, b.aiMade.cover]), [[drawn.id, true]]);
});

test('aiCovers=hide leaves out works with a generated cover from every catalog list', async () => {
  for (const q of ['', '&sort=popular', '&sort=updated', '&q=서랍', '&q=서'])
    assert.deepEqual(ids(await api(srv.base, 'GET', `/api/books?aiCovers=hide${q}`)), [own.id], q);
  assert.deepEqual(ids(await api(srv.base, 'GET', '/api/books?aiCovers=show')).sort(), [drawn.id, own.id].sort());
  assert.deepEqual(ids(await api(srv.base, 'GET', '/api/books')).sort(), [drawn.id, own.id].sort());
  const best = await api(srv.base, 'GET', '/api/books/bestsellers?aiCovers=hide');
  assert.equal(best.status, 200);
  assert.ok(best.body.items.every((b) => !b.aiMade.cover));
});

// two readers of the drawn cover, one of the author's own: the filter applies before the limit
test('aiCovers=hide leaves generated covers out of the rankings, and the next work moves up', async () => {
  const other = await signup(srv.base);
  const read = async (who, b) => {
    assert.equal((await api(srv.base, 'POST', '/api/me/points/charge', { token: who.token, body: { amount: 100000 } })).status, 201);
    const bought = await api(srv.base, 'POST', `/api/books/${b.id}/purchase`, { token: who.token });
    assert.ok([201, 409].includes(bought.status), JSON.stringify(bought.body));
    const r = await api(srv.base, 'GET', `/api/books/${b.id}/episodes/1/content`, { token: who.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  await read(reader, drawn);
  await read(other, drawn);
  await read(reader, own);
  const top = (q) => api(srv.base, 'GET', `/api/books/rankings?period=day${q}`);
  await waitFor(async () => ((await top('')).body.items.length === 2 ? true : null));
  assert.deepEqual((await top('')).body.items.map((b) => [b.id, b.readers]), [[drawn.id, 2], [own.id, 1]]);
  assert.deepEqual(ids(await top('&limit=1')), [drawn.id]);
  assert.deepEqual(ids(await top('&aiCovers=hide&limit=1')), [own.id]);
  assert.deepEqual(ids(await top('&aiCovers=show&limit=1')), [drawn.id]);
  problem(await top('&aiCovers=maybe'), 422, 'validation_failed', 'aiCovers');
});

test('a bad aiCovers is refused, naming it', async () => {
  for (const v of ['yes', 'HIDE', 'hidden-please']) {
    problem(await api(srv.base, 'GET', `/api/books?aiCovers=${v}`), 422, 'validation_failed', 'aiCovers');
    problem(await api(srv.base, 'GET', `/api/books/bestsellers?aiCovers=${v}`), 422, 'validation_failed', 'aiCovers');
  }
});
