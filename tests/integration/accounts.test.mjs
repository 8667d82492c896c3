// Accounts: password change and reset by mail, e-mail change with confirmation,
// deletion, the admin's member desk; mail through the fake relay (STARTTLS + AUTH).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, login, charge, adminToken, uniqueEmail, problem } from './lib/server.mjs';
import { startRelay, linkIn } from './lib/smtp.mjs';

async function setup(t) {
  const relay = await startRelay();
  t.after(() => relay.stop());
  const srv = await startServer({ args: relay.serverArgs, env: relay.serverEnv });
  t.after(() => srv.stop());
  return { relay, srv };
}

test('password change revokes the other sessions and keeps this one', async (t) => {
  const { srv } = await setup(t);
  const who = await signup(srv.base);
  const other = await login(srv.base, who.email, who.password);

  problem(await api(srv.base, 'POST', '/api/auth/password', { token: who.token, body: { currentPassword: 'wrong-one', newPassword: 'new-password-1' } }), 401, 'invalid_credentials', 'currentPassword');
  problem(await api(srv.base, 'POST', '/api/auth/password', { token: who.token, body: { currentPassword: who.password, newPassword: 'short' } }), 422, 'validation_failed', 'newPassword');
  problem(await api(srv.base, 'POST', '/api/auth/password', { body: { currentPassword: who.password, newPassword: 'new-password-1' } }), 401, 'unauthenticated');
  assert.equal((await api(srv.base, 'GET', '/api/me', { token: other })).status, 200, 'nothing changed yet');

  const r = await api(srv.base, 'POST', '/api/auth/password', { token: who.token, body: { currentPassword: who.password, newPassword: 'new-password-1' } });
  assert.equal(r.status, 204);
  assert.equal((await api(srv.base, 'GET', '/api/me', { token: who.token })).status, 200, 'this session stays');
  problem(await api(srv.base, 'GET', '/api/me', { token: other }), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/auth/login', { body: { email: who.email, password: who.password } }), 401, 'invalid_credentials');
  await login(srv.base, who.email, 'new-password-1');
});

test('password reset by mail: one-time link, sessions revoked, unknown addresses get the same answer', async (t) => {
  const { srv, relay } = await setup(t);
  const who = await signup(srv.base, uniqueEmail('reset'), 'password1', '서랍독자');

  const unknown = await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: uniqueEmail('nobody') } });
  assert.equal(unknown.status, 202);
  problem(await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: 'not-an-address' } }), 422, 'validation_failed', 'email');

  const r = await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: who.email.toUpperCase() } });
  assert.equal(r.status, 202);
  const [mail] = await relay.waitFor(1, { to: who.email });
  assert.equal(mail.tls, true, 'sent over STARTTLS');
  assert.equal(mail.user, 'relay-user', 'authenticated at the relay');
  assert.equal(mail.from, 'noreply@library.test');
  assert.equal(mail.subject, '[걷다가서재] 비밀번호 재설정 안내');
  assert.match(mail.text, /서랍독자님, 안녕하세요\./);
  assert.match(mail.text, /30분 안에/);
  const token = linkIn(mail, '/reset-password');
  assert.equal((await relay.messages()).length, 1, 'the unknown address got nothing');

  problem(await api(srv.base, 'POST', '/api/auth/password-reset/confirm', { body: { token: 'made-up-token', password: 'another-pass-1' } }), 422, 'invalid_token', 'token');
  problem(await api(srv.base, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: 'short' } }), 422, 'validation_failed', 'password');
  const ok = await api(srv.base, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: 'another-pass-1' } });
  assert.equal(ok.status, 204);
  problem(await api(srv.base, 'GET', '/api/me', { token: who.token }), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: 'third-pass-1' } }), 422, 'invalid_token', 'token');
  await login(srv.base, who.email, 'another-pass-1');

  // English on request; a second request replaces the first link
  await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: who.email, lang: 'en' } });
  await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: who.email, lang: 'en' } });
  const mails = await relay.waitFor(3, { to: who.email });
  assert.equal(mails[1].subject, '[Walking Library] Reset your password');
  const first = linkIn(mails[1], '/reset-password');
  const second = linkIn(mails[2], '/reset-password');
  problem(await api(srv.base, 'POST', '/api/auth/password-reset/confirm', { body: { token: first, password: 'fourth-pass-1' } }), 422, 'invalid_token');
  assert.equal((await api(srv.base, 'POST', '/api/auth/password-reset/confirm', { body: { token: second, password: 'fourth-pass-1' } })).status, 204);

  // a fourth mail to one address within the hour is refused
  problem(await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: who.email } }), 429, 'too_many_attempts');
});

test('e-mail change waits for the confirmation link and tells the old address', async (t) => {
  const { srv, relay } = await setup(t);
  const who = await signup(srv.base, uniqueEmail('old'));
  const taken = await signup(srv.base);
  const next = uniqueEmail('new');

  problem(await api(srv.base, 'POST', '/api/me/email', { token: who.token, body: { email: next, password: 'wrong-pass' } }), 401, 'invalid_credentials', 'password');
  problem(await api(srv.base, 'POST', '/api/me/email', { token: who.token, body: { email: taken.email, password: who.password } }), 409, 'email_taken', 'email');
  problem(await api(srv.base, 'POST', '/api/me/email', { token: who.token, body: { email: 'nope', password: who.password } }), 422, 'validation_failed', 'email');
  assert.equal((await api(srv.base, 'POST', '/api/me/email', { token: who.token, body: { email: next, password: who.password } })).status, 202);
  const [confirm] = await relay.waitFor(1, { to: next });
  assert.equal(confirm.subject, '[걷다가서재] 새 이메일 주소를 확인해 주세요');
  assert.equal((await api(srv.base, 'GET', '/api/me', { token: who.token })).body.member.email, who.email, 'nothing changes before the confirmation');

  const token = linkIn(confirm, '/confirm-email');
  const r = await api(srv.base, 'POST', '/api/me/email/confirm', { body: { token } });
  assert.equal(r.status, 200);
  assert.equal(r.body.member.email, next);
  const [notice] = await relay.waitFor(1, { to: who.email });
  assert.equal(notice.subject, '[걷다가서재] 계정 이메일 주소가 바뀌었습니다');
  assert.match(notice.text, new RegExp(`새 주소: ${next.replace('.', '\\.')}`));
  problem(await api(srv.base, 'POST', '/api/me/email/confirm', { body: { token } }), 422, 'invalid_token');
  await login(srv.base, next, who.password);
  problem(await api(srv.base, 'POST', '/api/auth/login', { body: { email: who.email, password: who.password } }), 401, 'invalid_credentials');
});

test('deleting an account removes the person and keeps the ledger', async (t) => {
  const { srv } = await setup(t);
  const admin = await adminToken(srv);
  const who = await signup(srv.base, uniqueEmail('leaver'), 'password1', '떠나는독자');
  assert.equal((await charge(srv.base, who.token, 5000)).status, 201);
  const other = await login(srv.base, who.email, who.password);

  problem(await api(srv.base, 'POST', '/api/me/delete', { token: who.token, body: { password: 'wrong-pass' } }), 401, 'invalid_credentials');
  const r = await api(srv.base, 'POST', '/api/me/delete', { token: who.token, body: { password: who.password } });
  assert.equal(r.status, 204);
  assert.match(r.headers.get('set-cookie'), /wl_session=;.*Max-Age=0/);
  problem(await api(srv.base, 'GET', '/api/me', { token: who.token }), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/me', { token: other }), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/auth/login', { body: { email: who.email, password: who.password } }), 401, 'invalid_credentials');

  const found = await api(srv.base, 'GET', `/api/admin/members?q=${encodeURIComponent('떠나는독자')}`, { token: admin });
  assert.deepEqual(found.body.items, [], 'no trace in the member search');
  const ev = await api(srv.base, 'GET', '/api/admin/events?type=member.deleted', { token: admin });
  assert.deepEqual(ev.body.items.map((e) => e.payload.memberId), [who.member.id]);
  const charged = await api(srv.base, 'GET', '/api/admin/events?type=points.charged', { token: admin });
  assert.ok(charged.body.items.some((e) => e.payload.memberId === who.member.id), 'the ledger event stays');
  // the address is free again
  const again = await signup(srv.base, who.email);
  assert.notEqual(again.member.id, who.member.id);
});

test('admin member desk: search, roles and bans', async (t) => {
  const { srv } = await setup(t);
  const admin = await adminToken(srv);
  const me = await api(srv.base, 'GET', '/api/me', { token: admin });
  const a = await signup(srv.base, uniqueEmail('findme'), 'password1', '검색될독자');
  const b = await signup(srv.base);

  problem(await api(srv.base, 'GET', '/api/admin/members', { token: a.token }), 403, 'forbidden');
  const byName = await api(srv.base, 'GET', `/api/admin/members?q=${encodeURIComponent('검색될')}`, { token: admin });
  assert.deepEqual(byName.body.items.map((m) => m.id), [a.member.id]);
  const byMail = await api(srv.base, 'GET', '/api/admin/members?q=FINDME', { token: admin });
  assert.deepEqual(byMail.body.items.map((m) => m.id), [a.member.id]);
  const page = await api(srv.base, 'GET', '/api/admin/members?limit=1', { token: admin });
  assert.equal(page.body.items[0].id, b.member.id, 'newest first');
  const page2 = await api(srv.base, 'GET', `/api/admin/members?limit=1&cursor=${page.body.nextCursor}`, { token: admin });
  assert.equal(page2.body.items[0].id, a.member.id);
  problem(await api(srv.base, 'GET', '/api/admin/members?role=king', { token: admin }), 422, 'validation_failed', 'role');

  const granted = await api(srv.base, 'POST', `/api/admin/members/${a.member.id}/roles`, { token: admin, body: { role: 'author', granted: true } });
  assert.deepEqual(granted.body.member.roles, ['reader', 'author']);
  const authors = await api(srv.base, 'GET', '/api/admin/members?role=author', { token: admin });
  assert.deepEqual(authors.body.items.map((m) => m.id), [a.member.id]);
  const taken = await api(srv.base, 'POST', `/api/admin/members/${a.member.id}/roles`, { token: admin, body: { role: 'author', granted: false } });
  assert.deepEqual(taken.body.member.roles, ['reader']);
  problem(await api(srv.base, 'POST', `/api/admin/members/${me.body.member.id}/roles`, { token: admin, body: { role: 'admin', granted: false } }), 409, 'not_allowed');
  problem(await api(srv.base, 'POST', `/api/admin/members/${a.member.id}/roles`, { token: admin, body: { role: 'reader', granted: false } }), 422, 'validation_failed', 'role');

  problem(await api(srv.base, 'POST', `/api/admin/members/${a.member.id}/ban`, { token: admin, body: { days: 0, reason: '도배' } }), 422, 'validation_failed', 'days');
  problem(await api(srv.base, 'POST', `/api/admin/members/${a.member.id}/ban`, { token: admin, body: { days: 7, reason: '' } }), 422, 'validation_failed', 'reason');
  problem(await api(srv.base, 'POST', `/api/admin/members/${me.body.member.id}/ban`, { token: admin, body: { days: 7, reason: '실수' } }), 409, 'not_allowed');
  problem(await api(srv.base, 'POST', '/api/admin/members/999999/ban', { token: admin, body: { days: 7, reason: '없는 회원' } }), 404, 'not_found');
  const banned = await api(srv.base, 'POST', `/api/admin/members/${a.member.id}/ban`, { token: admin, body: { days: 7, reason: '욕설 도배' } });
  assert.equal(banned.status, 200);
  assert.equal(banned.body.member.banned.reason, '욕설 도배');
  const days = (Date.parse(banned.body.member.banned.until) - Date.now()) / 86400000;
  assert.ok(days > 6.9 && days <= 7, `banned for ${days} days`);
  assert.equal((await api(srv.base, 'GET', '/api/me', { token: a.token })).body.member.banned.reason, '욕설 도배', 'the member sees it');
  const lifted = await api(srv.base, 'DELETE', `/api/admin/members/${a.member.id}/ban`, { token: admin });
  assert.equal(lifted.body.member.banned, null);
  const ev = await api(srv.base, 'GET', '/api/admin/events?type=member.banned', { token: admin });
  assert.equal(ev.body.items.length, 1);
});
