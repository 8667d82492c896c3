// The author's desk, regeneration (issue 13): POST /api/books/{id}/regenerate queues a job on the
// generation workers, the result is applied and recorded in the history with generatedBy, the
// work's ai object keeps the AI's suggestion beside the author's value, readers see the new
// values (and no ai object), and every refusal changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  startServer, api, signup, adminToken, makeAuthor, publishBook, problem, waitFor, LOREM_KO,
} from './lib/server.mjs';

const PNG_300 = readFileSync(new URL('./fixtures/cover-300x450.png', import.meta.url));

let srv, admin, author, other, reader;

before(async () => {
  srv = await startServer();
  admin = await adminToken(srv);
  author = await makeAuthor(srv, admin, '다시쓰는작가');
  other = await makeAuthor(srv, admin, '남의작가');
  reader = await signup(srv.base);
});
after(async () => { await srv.stop(); });

const regen = (id, body, token = author.token) =>
  api(srv.base, 'POST', `/api/books/${id}/regenerate`, { token, body });
const history = async (id) =>
  (await api(srv.base, 'GET', `/api/books/${id}/history?limit=100`, { token: author.token })).body.items;
const generated = (items, field) => items.filter((c) => c.field === field && c.generatedBy);
const mine = async (id) => (await api(srv.base, 'GET', `/api/books/${id}`, { token: author.token })).body.book;

/** Waits until the work's history holds n more generated changes of field than before. */
async function waitGenerated(id, field, before, n = 1) {
  return waitFor(async () => {
    const items = await history(id);
    return generated(items, field).length >= before + n ? items : null;
  }, { timeoutMs: 20000 });
}

test('a regeneration reads the text as its author last edited it, not the submitted manuscript', async () => {
  const book = await publishBook(srv, author, '고쳐 쓴 이야기', LOREM_KO);
  assert.match(book.summary, /서랍|할머니|편지/);
  const scene = '등대지기 윤슬은 매일 밤 바다에 유리병을 띄웠다. 답장은 한 번도 오지 않았다. ' +
    '그러던 어느 봄날, 모래사장에 유리병 하나가 밀려왔다. 병 안에는 윤슬의 글씨로 쓴 쪽지가 들어 있었다. ';
  const edited = scene.repeat(24); // some 2,600 characters: a longer read than the first text
  const e = await api(srv.base, 'PATCH', `/api/books/${book.id}/episodes/1`, { token: author.token, body: { content: edited } });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  const items = await history(book.id);
  const before = { summary: generated(items, 'summary').length, price: generated(items, 'price').length };

  const r = await regen(book.id, { parts: ['summary', 'price'] });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  await waitGenerated(book.id, 'summary', before.summary);
  await waitGenerated(book.id, 'price', before.price);
  const now = await mine(book.id);
  assert.match(now.summary, /윤슬|등대|유리병/, now.summary);
  assert.doesNotMatch(now.summary, /할머니|서랍/, now.summary);
  assert.ok(now.ai.price.value > book.price, `${now.ai.price.value} for the longer text, ${book.price} before`);
  assert.ok(now.priceBasis.minutes > book.priceBasis.minutes, JSON.stringify([now.priceBasis, book.priceBasis]));
  // the submitted manuscript itself is as it was
  const ms = (await api(srv.base, 'GET', '/api/manuscripts?limit=100', { token: author.token })).body.items.find((m) => m.bookId === book.id);
  assert.equal((await api(srv.base, 'GET', `/api/manuscripts/${ms.id}`, { token: author.token })).body.manuscript.content, LOREM_KO);
});

test('a regenerated tagline is applied, recorded with generatedBy, shown as the AI\'s, and readers see it', async () => {
  const book = await publishBook(srv, author, '서랍 속 편지');
  const first = book.tagline;
  const before = generated(await history(book.id), 'tagline').length;
  assert.equal(before, 1, 'the first tagline is the generator\'s suggestion at publication');

  const r = await regen(book.id, { parts: ['tagline'] });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.job.bookId, book.id);
  assert.deepEqual(r.body.job.parts, ['tagline']);
  assert.equal(r.body.job.status, 'queued');
  assert.equal(r.body.job.variant, 1);

  const items = await waitGenerated(book.id, 'tagline', before);
  const change = generated(items, 'tagline')[0]; // newest first
  assert.equal(change.from, first);
  assert.notEqual(change.to, first, 'another variant gives another tagline');
  assert.equal(change.generatedBy, 'offline');
  assert.equal(change.by, null);
  // only the asked part moved
  assert.equal(generated(items, 'summary').length, 1);

  const now = await mine(book.id);
  assert.equal(now.tagline, change.to);
  assert.equal(now.summary, book.summary);
  assert.equal(now.ai.tagline.value, change.to);
  assert.equal(now.ai.tagline.generatedBy, 'offline');
  assert.equal(now.ai.summary.value, book.summary);

  // readers see the new tagline, and nothing of the AI's side
  for (const token of [undefined, reader.token]) {
    const seen = await api(srv.base, 'GET', `/api/books/${book.id}`, { token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.book.tagline, change.to);
    assert.equal(seen.body.book.ai, undefined);
  }

  // a second regeneration is the next variant, deterministic and different again
  const again = await regen(book.id, { parts: ['tagline'] });
  assert.equal(again.status, 202);
  assert.equal(again.body.job.variant, 2);
  const later = generated(await waitGenerated(book.id, 'tagline', before + 1), 'tagline')[0];
  assert.equal(later.from, change.to);
  assert.notEqual(later.to, change.to);
});

test('the author\'s price stands beside the AI\'s; regenerating the price brings the AI\'s back', async () => {
  const book = await publishBook(srv, author, '값을 다시 묻는 밤', LOREM_KO.repeat(12));
  const suggested = book.price;
  const set = suggested + 1000;
  const p = await api(srv.base, 'PATCH', `/api/books/${book.id}`, { token: author.token, body: { price: set } });
  assert.equal(p.status, 200);
  assert.equal(p.body.book.price, set);
  // "AI 제안 … · 작가 설정 …": both are there
  assert.equal(p.body.book.ai.price.value, suggested);
  assert.equal(p.body.book.ai.price.field, 'price');
  assert.equal(p.body.book.ai.price.priceBasis.code, 'length');
  assert.equal(p.body.book.ai.price.generatedBy, 'offline');

  const before = generated(await history(book.id), 'price').length;
  assert.equal((await regen(book.id, { parts: ['price'] })).status, 202);
  const change = generated(await waitGenerated(book.id, 'price', before), 'price')[0];
  assert.deepEqual([change.from, change.to, change.by], [set, suggested, null]);
  const now = await mine(book.id);
  assert.equal(now.price, suggested);
  assert.equal(now.ai.price.value, suggested);
  const seen = await api(srv.base, 'GET', `/api/books/${book.id}`, { token: reader.token });
  assert.equal(seen.body.book.price, suggested);

  // a suggestion equal to the value in place is recorded too (the history keeps the AI's latest)
  assert.equal((await regen(book.id, { parts: ['summary'] })).status, 202);
  const same = generated(await waitGenerated(book.id, 'summary', 1), 'summary')[0];
  assert.equal(same.from, same.to);
  assert.equal(same.generatedBy, 'offline');
});

test('one regeneration at a time per work: the others answer 409 regeneration_queued', async () => {
  const book = await publishBook(srv, author, '한 번에 하나씩');
  const all = ['summary', 'tagline', 'price', 'cover'];
  const answers = await Promise.all(Array.from({ length: 20 }, () => regen(book.id, { parts: all })));
  const accepted = answers.filter((r) => r.status === 202);
  const refused = answers.filter((r) => r.status !== 202);
  assert.ok(accepted.length >= 1);
  assert.ok(refused.length >= 1, 'some asked while one was pending');
  for (const r of refused) problem(r, 409, 'regeneration_queued');
  // every accepted one ran: each part recorded once per job, the cover redrawn by the generator
  const items = await waitFor(async () => {
    const h = await history(book.id);
    return generated(h, 'cover').length >= accepted.length ? h : null;
  }, { timeoutMs: 30000 });
  assert.equal(generated(items, 'tagline').length, 1 + accepted.length);
  assert.equal((await mine(book.id)).ai.cover.generatedBy, 'offline');
});

test('the author\'s own cover is not redrawn unasked: 409 authors_cover, then with replaceAuthorsCover', async () => {
  const book = await publishBook(srv, author, '내가 그린 표지');
  const up = await api(srv.base, 'PUT', `/api/books/${book.id}/cover`, {
    token: author.token, raw: PNG_300, headers: { 'content-type': 'image/png' },
  });
  assert.equal(up.status, 200);
  const coverUrl = up.body.book.coverUrl;
  problem(await regen(book.id, { parts: ['tagline', 'cover'] }), 409, 'authors_cover', 'parts');
  // nothing was queued: the tagline alone goes through at once
  const t = await regen(book.id, { parts: ['tagline'] });
  assert.equal(t.status, 202);
  assert.equal(t.body.job.variant, 1);
  await waitGenerated(book.id, 'tagline', 1);
  assert.equal((await mine(book.id)).coverUrl, coverUrl);

  const r = await regen(book.id, { parts: ['cover'], replaceAuthorsCover: true });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const change = generated(await waitGenerated(book.id, 'cover', 0), 'cover')[0];
  assert.equal(change.generatedBy, 'offline');
  const now = await mine(book.id);
  assert.notEqual(now.coverUrl, coverUrl);
  assert.equal(now.generatedBy.cover, 'offline');
  const img = await fetch(srv.base + now.coverUrl);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/svg+xml');
});

test('bad bodies are refused and change nothing', async () => {
  const book = await publishBook(srv, author, '잘못된 요청');
  const before = await history(book.id);
  for (const [body, status, code, field] of [
    [{}, 422, 'validation_failed', 'parts'],
    [{ parts: [] }, 422, 'validation_failed', 'parts'],
    [{ parts: ['blurb'] }, 422, 'validation_failed', 'parts'],
    [{ parts: ['tagline', 'tagline'] }, 422, 'validation_failed', 'parts'],
    [{ parts: ['tagline'], genre: 'sf' }, 422, 'validation_failed', 'genre'],
    [{ parts: 'tagline' }, 400, 'invalid_json', 'parts'],
    [{ parts: [1] }, 400, 'invalid_json', 'parts'],
    [{ parts: ['cover'], replaceAuthorsCover: 'yes' }, 400, 'invalid_json', 'replaceAuthorsCover'],
  ]) problem(await regen(book.id, body), status, code, field);
  problem(await api(srv.base, 'POST', `/api/books/${book.id}/regenerate`, { token: author.token, raw: '{"parts":["tagline"]' }), 400, 'invalid_json');
  // someone else's work, an admin, a reader, nobody, no such work
  problem(await regen(book.id, { parts: ['tagline'] }, other.token), 404, 'not_found');
  problem(await regen(book.id, { parts: ['tagline'] }, admin), 404, 'not_found');
  problem(await regen(book.id, { parts: ['tagline'] }, reader.token), 404, 'not_found');
  problem(await api(srv.base, 'POST', `/api/books/${book.id}/regenerate`, { body: { parts: ['tagline'] } }), 401, 'unauthenticated');
  problem(await regen(book.id + 100000, { parts: ['tagline'] }), 404, 'not_found');
  // a cross-site request is refused before anything
  const cross = await api(srv.base, 'POST', `/api/books/${book.id}/regenerate`, {
    token: author.token, body: { parts: ['tagline'] }, headers: { origin: 'https://evil.example' },
  });
  problem(cross, 403, 'forbidden');
  // nothing moved, and no job was queued (the next one is the work's first)
  assert.deepEqual(await history(book.id), before);
  const ok = await regen(book.id, { parts: ['tagline'] });
  assert.equal(ok.status, 202);
  assert.equal(ok.body.job.variant, 1);
});
