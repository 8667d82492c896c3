// Reviews: one per member per work, only after reading, average and count, reports,
// moderation, bans on every write, a write limit per member.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, charge, adminToken, makeAuthor, publishBook, waitFor, problem } from './lib/server.mjs';

async function readBook(srv, who, book) {
  assert.equal((await charge(srv.base, who.token, 50000)).status, 201);
  assert.equal((await api(srv.base, 'POST', `/api/books/${book.id}/purchase`, { token: who.token })).status, 201);
  assert.equal((await api(srv.base, 'GET', `/api/books/${book.id}/content`, { token: who.token })).status, 200);
}

async function reviewWhenRead(srv, who, book, body) {
  return waitFor(async () => {
    const r = await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: who.token, body });
    if (r.status === 403 && r.body.code === 'not_read') return null; // the read is still on its way
    return r;
  });
}

test('reviews after reading, the average, reports, moderation and bans', async (t) => {
  const srv = await startServer({ args: ['--community-write-limit', '6'] });
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const book = await publishBook(srv, author, '시간의 서랍');
  const one = await signup(srv.base, undefined, 'password1', '첫독자');
  const two = await signup(srv.base, undefined, 'password1', '둘째독자');

  problem(await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: one.token, body: { rating: 5 } }), 403, 'not_read');
  problem(await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: author.token, body: { rating: 5 } }), 403, 'own_work');
  problem(await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { body: { rating: 5 } }), 401, 'unauthenticated');
  problem(await api(srv.base, 'PUT', '/api/books/99999/review', { token: one.token, body: { rating: 5 } }), 404, 'not_found');

  await readBook(srv, one, book);
  const first = await reviewWhenRead(srv, one, book, { rating: 5, text: '서랍이 열리는 장면에서 울었어요.' });
  assert.equal(first.status, 201);
  assert.equal(first.body.review.rating, 5);
  assert.equal(first.body.review.member.name, '첫독자');
  problem(await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: one.token, body: { rating: 6 } }), 422, 'validation_failed', 'rating');
  problem(await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: one.token, body: { rating: 4, text: '가'.repeat(2001) } }), 422, 'validation_failed', 'text');
  const edit = await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: one.token, body: { rating: 4, text: '다시 읽으니 별 넷.' } });
  assert.equal(edit.status, 200, 'one review per member: the second write replaces it');
  assert.equal(edit.body.review.id, first.body.review.id);
  assert.equal((await api(srv.base, 'GET', `/api/books/${book.id}/review`, { token: one.token })).body.review.text, '다시 읽으니 별 넷.');

  await readBook(srv, two, book);
  assert.equal((await reviewWhenRead(srv, two, book, { rating: 1 })).status, 201);
  let list = (await api(srv.base, 'GET', `/api/books/${book.id}/reviews`)).body;
  assert.equal(list.count, 2);
  assert.equal(list.average, 2.5);
  assert.deepEqual(list.items.map((r) => r.rating), [1, 4], 'newest first');

  // anyone reports; the admin sees the queue, hides, restores
  const target = list.items[0].id;
  problem(await api(srv.base, 'POST', `/api/reviews/${target}/report`, { token: two.token, body: { reason: '스스로' } }), 422, 'own_work');
  problem(await api(srv.base, 'POST', `/api/reviews/${target}/report`, { token: one.token, body: { reason: '' } }), 422, 'validation_failed', 'reason');
  assert.equal((await api(srv.base, 'POST', `/api/reviews/${target}/report`, { token: one.token, body: { reason: '별점 테러예요' } })).status, 204);
  assert.equal((await api(srv.base, 'POST', `/api/reviews/${target}/report`, { token: one.token, body: { reason: '또 신고' } })).status, 204);
  const queue = (await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items;
  assert.equal(queue.length, 1, 'one report per member per review');
  assert.deepEqual([queue[0].kind, queue[0].targetId, queue[0].episode, queue[0].reason], ['review', target, null, '별점 테러예요']);
  problem(await api(srv.base, 'GET', '/api/admin/reports', { token: one.token }), 403, 'forbidden');
  assert.equal((await api(srv.base, 'POST', `/api/admin/reviews/${target}/hide`, { token: admin })).status, 204);
  list = (await api(srv.base, 'GET', `/api/books/${book.id}/reviews`)).body;
  assert.deepEqual([list.count, list.average], [1, 4], 'a hidden review is out of the average');
  assert.equal((await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items.length, 0, 'hiding closes its reports');
  assert.equal((await api(srv.base, 'POST', `/api/admin/reviews/${target}/restore`, { token: admin })).status, 204);
  assert.equal((await api(srv.base, 'GET', `/api/books/${book.id}/reviews`)).body.count, 2);

  // a banned member cannot write, edits included, but may take a review back
  const ban = await api(srv.base, 'POST', `/api/admin/members/${two.member.id}/ban`, { token: admin, body: { days: 3, reason: '도배' } });
  assert.equal(ban.status, 200);
  problem(await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: two.token, body: { rating: 2 } }), 403, 'banned');
  problem(await api(srv.base, 'POST', `/api/reviews/${first.body.review.id}/report`, { token: two.token, body: { reason: '보복' } }), 403, 'banned');
  assert.equal((await api(srv.base, 'DELETE', `/api/books/${book.id}/review`, { token: two.token })).status, 204);
  list = (await api(srv.base, 'GET', `/api/books/${book.id}/reviews`)).body;
  assert.deepEqual([list.count, list.average], [1, 4], 'a deleted review takes its rating with it');
  problem(await api(srv.base, 'DELETE', `/api/books/${book.id}/review`, { token: two.token }), 404, 'not_found');

  // the write limit: six writes in ten minutes, then 429
  for (let i = 0; i < 2; i++)
    assert.equal((await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: one.token, body: { rating: 3 + (i % 2) } })).status, 200);
  problem(await api(srv.base, 'PUT', `/api/books/${book.id}/review`, { token: one.token, body: { rating: 5 } }), 429, 'too_many_attempts');
});
