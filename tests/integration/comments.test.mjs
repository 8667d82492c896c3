// Comments per episode: replies one level deep, edit and delete one's own, spoilers, likes once
// per member, best or newest first, the work's author hiding them, reports into the admin's
// queue, bans on every write (edits of old comments too), the write limit, reply notifications.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, adminToken, makeAuthor, publishBook, publishSerial, addEpisode, waitFor, problem } from './lib/server.mjs';

test('comments, replies, likes, spoilers, sorting, hiding, reports, bans and the write limit', async (t) => {
  const srv = await startServer({ args: ['--community-write-limit', '12'] });
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const book = await publishBook(srv, author, '시간의 서랍');
  const one = await signup(srv.base, undefined, 'password1', '첫독자');
  const two = await signup(srv.base, undefined, 'password1', '둘째독자');
  const path = `/api/books/${book.id}/episodes/1/comments`;
  const post = (who, body) => api(srv.base, 'POST', path, { token: who.token, body });

  // refusals that change nothing
  problem(await api(srv.base, 'POST', path, { body: { text: '익명' } }), 401, 'unauthenticated');
  problem(await post(one, { text: '' }), 422, 'validation_failed', 'text');
  problem(await post(one, { text: '가'.repeat(1001) }), 422, 'validation_failed', 'text');
  problem(await post(one, { text: '숫자', spoiler: 'yes' }), 400, 'invalid_json');
  problem(await post(one, { text: '없는 댓글에', parentId: 99999 }), 422, 'validation_failed', 'parentId');
  problem(await api(srv.base, 'POST', `/api/books/${book.id}/episodes/2/comments`, { token: one.token, body: { text: '2화는 아직' } }), 404, 'not_found');
  problem(await api(srv.base, 'POST', '/api/books/99999/episodes/1/comments', { token: one.token, body: { text: '없는 작품' } }), 404, 'not_found');
  problem(await api(srv.base, 'GET', `/api/books/${book.id}/episodes/2/comments`), 404, 'not_found');
  problem(await api(srv.base, 'GET', `${path}?sort=oldest`), 422, 'validation_failed', 'sort');
  problem(await api(srv.base, 'GET', `${path}?sort=best&cursor=x`), 422, 'validation_failed', 'cursor');
  assert.deepEqual((await api(srv.base, 'GET', path)).body, { items: [], nextCursor: null, count: 0, moderator: false });

  // comments and a reply; the reply notifies the parent's writer, a spoiler stays covered there
  const first = await post(one, { text: '서랍이 열리는 장면 최고예요' });
  assert.equal(first.status, 201);
  const c1 = first.body.comment;
  assert.deepEqual([c1.member.name, c1.episode, c1.parentId, c1.likes, c1.mine, c1.spoiler], ['첫독자', 1, null, 0, true, false]);
  const c2 = (await post(two, { text: '범인은 할머니였다', spoiler: true })).body.comment;
  const c3 = (await post(author, { text: '읽어 주셔서 고마워요' })).body.comment;
  const reply = await post(two, { text: '저도 그 장면에서 울었어요', parentId: c1.id });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.comment.parentId, c1.id);
  problem(await post(one, { text: '답글의 답글', parentId: reply.body.comment.id }), 422, 'validation_failed', 'parentId');
  assert.equal((await post(one, { text: '스포 답글', parentId: c2.id, spoiler: true })).status, 201);
  const note = await waitFor(async () => {
    const r = await api(srv.base, 'GET', '/api/me/notifications', { token: one.token });
    return r.body.items.find((n) => n.kind === 'reply') ?? null;
  });
  assert.deepEqual([note.actor, note.bookId, note.episode, note.commentId, note.detail],
    ['둘째독자', book.id, 1, reply.body.comment.id, '저도 그 장면에서 울었어요']);
  const spoilerNote = await waitFor(async () => {
    const r = await api(srv.base, 'GET', '/api/me/notifications', { token: two.token });
    return r.body.items.find((n) => n.kind === 'reply') ?? null;
  });
  assert.equal(spoilerNote.detail, '', 'a spoiler reply is not quoted in the notification');

  // likes once per member, not one's own; best first, then newest
  problem(await api(srv.base, 'POST', `/api/comments/${c1.id}/like`, { token: one.token }), 422, 'own_comment');
  problem(await api(srv.base, 'POST', `/api/comments/${c1.id}/like`), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/comments/99999/like', { token: one.token }), 404, 'not_found');
  assert.deepEqual((await api(srv.base, 'POST', `/api/comments/${c2.id}/like`, { token: one.token })).body, { liked: true, likes: 1 });
  assert.deepEqual((await api(srv.base, 'POST', `/api/comments/${c2.id}/like`, { token: one.token })).body, { liked: true, likes: 1 }, 'a second like is the same like');
  assert.deepEqual((await api(srv.base, 'POST', `/api/comments/${c2.id}/like`, { token: author.token })).body, { liked: true, likes: 2 });
  assert.deepEqual((await api(srv.base, 'POST', `/api/comments/${c1.id}/like`, { token: two.token })).body, { liked: true, likes: 1 });
  assert.deepEqual((await api(srv.base, 'DELETE', `/api/comments/${c1.id}/like`, { token: two.token })).body, { liked: false, likes: 0 });
  assert.deepEqual((await api(srv.base, 'DELETE', `/api/comments/${c1.id}/like`, { token: two.token })).body, { liked: false, likes: 0 });
  assert.equal((await api(srv.base, 'POST', `/api/comments/${c1.id}/like`, { token: author.token })).status, 200);
  let list = (await api(srv.base, 'GET', path, { token: one.token })).body;
  assert.deepEqual(list.items.map((c) => c.id), [c3.id, c2.id, c1.id], 'newest first');
  assert.equal(list.count, 5, 'three comments and two replies');
  assert.deepEqual(list.items.map((c) => c.replyCount), [0, 1, 1]);
  assert.equal(list.items[1].liked, true);
  assert.equal(list.items[1].spoiler, true);
  const best = [];
  let cursor = '';
  for (let page = 0; page < 4; page++) {
    const r = (await api(srv.base, 'GET', `${path}?sort=best&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).body;
    best.push(...r.items.map((c) => c.id));
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  assert.deepEqual(best, [c2.id, c1.id, c3.id], 'most liked first, ties newest first, across pages');
  const replies = (await api(srv.base, 'GET', `${path}?parent=${c1.id}`)).body;
  assert.deepEqual(replies.items.map((c) => c.text), ['저도 그 장면에서 울었어요'], 'replies oldest first');

  // edit and delete one's own
  problem(await api(srv.base, 'PATCH', `/api/comments/${c1.id}`, { token: two.token, body: { text: '남의 댓글' } }), 403, 'forbidden');
  problem(await api(srv.base, 'PATCH', `/api/comments/${c1.id}`, { token: one.token, body: {} }), 422, 'validation_failed', 'text');
  problem(await api(srv.base, 'PATCH', `/api/comments/${c1.id}`, { token: one.token, body: { text: '' } }), 422, 'validation_failed', 'text');
  const edited = await api(srv.base, 'PATCH', `/api/comments/${c1.id}`, { token: one.token, body: { text: '서랍 장면, 다시 봐도 최고', spoiler: true } });
  assert.equal(edited.status, 200);
  assert.deepEqual([edited.body.comment.text, edited.body.comment.spoiler, edited.body.comment.likes], ['서랍 장면, 다시 봐도 최고', true, 1]);
  problem(await api(srv.base, 'DELETE', `/api/comments/${c1.id}`, { token: two.token }), 403, 'forbidden');
  assert.equal((await api(srv.base, 'DELETE', `/api/comments/${c1.id}`, { token: one.token })).status, 204);
  problem(await api(srv.base, 'DELETE', `/api/comments/${c1.id}`, { token: one.token }), 404, 'not_found');
  problem(await api(srv.base, 'PATCH', `/api/comments/${c1.id}`, { token: one.token, body: { text: '되살리기' } }), 404, 'not_found');
  problem(await api(srv.base, 'POST', `/api/comments/${c1.id}/like`, { token: two.token }), 404, 'not_found');
  list = (await api(srv.base, 'GET', path)).body;
  const gone = list.items.find((c) => c.id === c1.id);
  assert.deepEqual([gone.deleted, gone.text, gone.member, gone.likes, gone.replyCount], [true, '', null, 0, 1], 'a deleted comment with replies stays, textless');
  assert.equal(list.count, 4);

  // reports into the admin's queue; the work's author (or an admin) hides, which closes them
  problem(await api(srv.base, 'POST', `/api/comments/${c2.id}/report`, { token: two.token, body: { reason: '내 댓글' } }), 422, 'own_work');
  problem(await api(srv.base, 'POST', `/api/comments/${c2.id}/report`, { token: one.token, body: { reason: '' } }), 422, 'validation_failed', 'reason');
  problem(await api(srv.base, 'POST', '/api/comments/99999/report', { token: one.token, body: { reason: '없음' } }), 404, 'not_found');
  assert.equal((await api(srv.base, 'POST', `/api/comments/${c2.id}/report`, { token: one.token, body: { reason: '스포일러 테러' } })).status, 204);
  let queue = (await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items;
  assert.deepEqual(queue.map((q) => [q.kind, q.targetId, q.bookId, q.episode, q.reason, q.excerpt]), [['comment', c2.id, book.id, 1, '스포일러 테러', '범인은 할머니였다']]);
  problem(await api(srv.base, 'POST', `/api/comments/${c2.id}/hide`, { token: one.token }), 403, 'forbidden');
  problem(await api(srv.base, 'POST', `/api/comments/${c2.id}/hide`), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/comments/99999/hide', { token: author.token }), 404, 'not_found');
  assert.equal((await api(srv.base, 'POST', `/api/comments/${c2.id}/hide`, { token: author.token })).status, 204);
  assert.equal((await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items.length, 0, 'hiding closes its reports');
  list = (await api(srv.base, 'GET', path, { token: one.token })).body;
  assert.deepEqual([list.items.some((c) => c.id === c2.id), list.moderator, list.count], [false, false, 2], 'hidden: out of the list, its replies with it');
  problem(await api(srv.base, 'POST', `/api/comments/${c2.id}/like`, { token: one.token }), 404, 'not_found');
  problem(await api(srv.base, 'GET', `${path}?parent=${c2.id}`), 404, 'not_found');
  list = (await api(srv.base, 'GET', path, { token: author.token })).body;
  assert.equal(list.moderator, true);
  assert.equal(list.items.find((c) => c.id === c2.id).hidden, true, 'the author still sees what they hid');
  assert.equal((await api(srv.base, 'POST', `/api/comments/${c2.id}/restore`, { token: admin })).status, 204);
  assert.equal((await api(srv.base, 'GET', path)).body.count, 4);

  // a banned member writes nothing, edits of old comments included, but may delete
  const c4 = (await post(two, { text: '오래된 댓글' })).body.comment;
  assert.equal((await api(srv.base, 'POST', `/api/admin/members/${two.member.id}/ban`, { token: admin, body: { days: 3, reason: '도배' } })).status, 200);
  const banned = await post(two, { text: '차단 중' });
  problem(banned, 403, 'banned');
  assert.ok(banned.body.until);
  problem(await api(srv.base, 'PATCH', `/api/comments/${c4.id}`, { token: two.token, body: { text: '고쳐 쓰기' } }), 403, 'banned');
  problem(await api(srv.base, 'POST', `/api/comments/${c3.id}/like`, { token: two.token }), 403, 'banned');
  problem(await api(srv.base, 'POST', `/api/comments/${c3.id}/report`, { token: two.token, body: { reason: '보복' } }), 403, 'banned');
  assert.equal((await api(srv.base, 'DELETE', `/api/comments/${c4.id}`, { token: two.token })).status, 204);
  assert.equal((await api(srv.base, 'GET', path)).body.count, 4);

  // the write limit: posts, edits and reports count, twelve in ten minutes
  let status = 0;
  for (let i = 0; i < 12 && status !== 429; i++)
    status = (await post(author, { text: `작가의 말 ${i}` })).status;
  problem(await post(author, { text: '한 번 더' }), 429, 'too_many_attempts');
});

test("a report of a comment names the comment's episode", async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const work = await publishSerial(srv, author, '연재 서랍');
  await addEpisode(srv, author, work.id, '둘째 날');
  await addEpisode(srv, author, work.id, '셋째 날');
  const reader = await signup(srv.base, undefined, 'password1', '신고자');
  const said = await api(srv.base, 'POST', `/api/books/${work.id}/episodes/3/comments`, { token: author.token, body: { text: '3화 작가의 말' } });
  assert.equal(said.status, 201);
  assert.equal((await api(srv.base, 'POST', `/api/comments/${said.body.comment.id}/report`, { token: reader.token, body: { reason: '홍보 글' } })).status, 204);
  const queue = (await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items;
  assert.deepEqual(queue.map((q) => [q.kind, q.bookId, q.episode]), [['comment', work.id, 3]]);
});
