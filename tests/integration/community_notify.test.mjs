// Follows, notifications and the daily digest mail through the fake relay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, adminToken, makeAuthor, publishBook, waitFor, problem } from './lib/server.mjs';
import { startRelay } from './lib/smtp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function header(mail, name) {
  const m = new RegExp(`^${name}: (.*)$`, 'mi').exec(mail.data.split('\r\n\r\n')[0]);
  return m ? m[1] : null;
}

test('follows, notifications, one digest a day and the unsubscribe link', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.stop());
  const srv = await startServer({
    args: [...relay.serverArgs, '--digest-delay', '0', '--scheduler-interval', '1'],
    env: relay.serverEnv,
  });
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const reader = await signup(srv.base, undefined, 'password1', '서랍독자');

  // refusals first
  problem(await api(srv.base, 'POST', `/api/authors/${author.member.id}/follow`), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', `/api/authors/${reader.member.id}/follow`, { token: author.token }), 404, 'not_found');
  problem(await api(srv.base, 'POST', '/api/books/999999/follow', { token: reader.token }), 404, 'not_found');
  problem(await api(srv.base, 'POST', `/api/authors/${author.member.id}/follow`, { token: author.token }), 422, 'own_work');

  const f = await api(srv.base, 'POST', `/api/authors/${author.member.id}/follow`, { token: reader.token });
  assert.deepEqual(f.body, { following: true, followers: 1 });
  const again = await api(srv.base, 'POST', `/api/authors/${author.member.id}/follow`, { token: reader.token });
  assert.deepEqual(again.body, { following: true, followers: 1 }, 'following twice is following once');
  assert.deepEqual((await api(srv.base, 'GET', `/api/authors/${author.member.id}/follow`)).body, { following: false, followers: 1 });

  const settings = await api(srv.base, 'PUT', '/api/me/notification-settings', { token: reader.token, body: { emailDigest: true } });
  assert.deepEqual(settings.body, { emailDigest: true, lang: 'ko' });
  problem(await api(srv.base, 'PUT', '/api/me/notification-settings', { token: reader.token, body: { emailDigest: true, lang: 'fr' } }), 422, 'validation_failed', 'lang');

  const book = await publishBook(srv, author, '시간의 서랍');
  const notes = await waitFor(async () => {
    const r = await api(srv.base, 'GET', '/api/me/notifications', { token: reader.token });
    return r.body.items.length ? r.body : null;
  });
  assert.equal(notes.unread, 1);
  assert.equal(notes.items[0].kind, 'work');
  assert.equal(notes.items[0].bookId, book.id);
  assert.equal(notes.items[0].title, '시간의 서랍');
  assert.equal(notes.items[0].actor, '윤서재');
  assert.equal(notes.items[0].read, false);
  assert.deepEqual((await api(srv.base, 'GET', '/api/me/notifications/unread', { token: reader.token })).body, { unread: 1 });
  assert.deepEqual((await api(srv.base, 'GET', '/api/me/notifications', { token: author.token })).body.items.map((n) => n.kind), ['application'], 'the author hears of the approval, not of their own work');

  // the digest: one mail, the notification in it, a working unsubscribe link
  const [digest] = await relay.waitFor(1, { to: reader.email, timeoutMs: 10000 });
  assert.equal(digest.subject, '[걷다가서재] 새 소식 1건');
  assert.match(digest.text, /서랍독자님, 새 소식이 있어요\./);
  assert.match(digest.text, /윤서재 작가가 새 작품을 냈어요: 「시간의 서랍」/);
  assert.match(digest.text, new RegExp(`https://library\\.test/books/${book.id}`));
  const unsub = /^<(.*)>$/.exec(header(digest, 'List-Unsubscribe'))[1];
  assert.match(unsub, /^https:\/\/library\.test\/api\/notifications\/unsubscribe\?token=/);
  assert.equal(header(digest, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
  assert.match(digest.text, /https:\/\/library\.test\/unsubscribe\?token=/);

  // a second work the same day: a notification, no second mail
  const f2 = await api(srv.base, 'POST', `/api/books/${book.id}/follow`, { token: reader.token });
  assert.deepEqual(f2.body, { following: true, followers: 1 });
  await publishBook(srv, author, '달 아래의 기억들');
  await waitFor(async () => (await api(srv.base, 'GET', '/api/me/notifications/unread', { token: reader.token })).body.unread === 2);
  await sleep(3000);
  assert.equal((await relay.messages()).filter((m) => m.rcpt.includes(reader.email)).length, 1, 'at most one digest a day');

  // one-click unsubscribe as a mail client does it: POST the link with a form body, no session
  const path = unsub.replace('https://library.test', '');
  const r = await fetch(srv.base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  assert.equal(r.status, 204);
  assert.equal((await api(srv.base, 'GET', '/api/me/notification-settings', { token: reader.token })).body.emailDigest, false);
  problem(await api(srv.base, 'POST', '/api/notifications/unsubscribe', { body: { token: 'nope' } }), 422, 'invalid_token', 'token');

  // read: one, then everything
  const list = (await api(srv.base, 'GET', '/api/me/notifications', { token: reader.token })).body;
  assert.equal((await api(srv.base, 'POST', '/api/me/notifications/read', { token: reader.token, body: { id: list.items[1].id } })).body.unread, 1);
  assert.equal((await api(srv.base, 'GET', '/api/me/notifications?unread=true', { token: reader.token })).body.items.length, 1);
  problem(await api(srv.base, 'POST', '/api/me/notifications/read', { token: reader.token, body: {} }), 422, 'validation_failed');
  assert.equal((await api(srv.base, 'POST', '/api/me/notifications/read', { token: reader.token, body: { upTo: list.items[0].id } })).body.unread, 0);

  const mine = await api(srv.base, 'GET', '/api/me/follows', { token: reader.token });
  assert.deepEqual(mine.body.items.map((x) => [x.kind, x.id]), [['book', book.id], ['author', author.member.id]]);
  assert.deepEqual((await api(srv.base, 'DELETE', `/api/books/${book.id}/follow`, { token: reader.token })).body, { following: false, followers: 0 });
});

test('an application decided tells the applicant; a deleted account leaves no follows', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const who = await signup(srv.base);
  const app = await api(srv.base, 'POST', '/api/author-applications', { token: who.token, body: { penName: '새작가', bio: '소개', portfolio: '' } });
  await api(srv.base, 'POST', `/api/admin/author-applications/${app.body.application.id}/reject`, { token: admin, body: { reason: '포트폴리오가 비어 있어요' } });
  const notes = (await api(srv.base, 'GET', '/api/me/notifications', { token: who.token })).body;
  assert.equal(notes.items.length, 1);
  assert.equal(notes.items[0].kind, 'application');
  assert.equal(notes.items[0].state, 'rejected');
  assert.equal(notes.items[0].detail, '포트폴리오가 비어 있어요');

  const author = await makeAuthor(srv, admin, '떠날작가팬');
  await api(srv.base, 'POST', `/api/authors/${author.member.id}/follow`, { token: who.token });
  assert.equal((await api(srv.base, 'GET', `/api/authors/${author.member.id}/follow`)).body.followers, 1);
  assert.equal((await api(srv.base, 'POST', '/api/me/delete', { token: who.token, body: { password: who.password } })).status, 204);
  assert.equal((await api(srv.base, 'GET', `/api/authors/${author.member.id}/follow`)).body.followers, 0);
});
