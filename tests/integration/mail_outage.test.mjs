// With the relay down for a minute (and the server killed meanwhile), no mail is lost,
// none is sent twice, and the metrics tell the wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, uniqueEmail, adminToken, makeAuthor, publishBook, waitFor } from './lib/server.mjs';
import { startRelay } from './lib/smtp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function gauge(srv, name) {
  const text = (await api(srv.base, 'GET', '/metrics')).body;
  const m = new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

test('a relay outage of a minute delays mail and loses none', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.stop());
  const srv = await startServer({
    args: [...relay.serverArgs, '--smtp-retry-max', '3', '--digest-delay', '0', '--scheduler-interval', '1'],
    env: relay.serverEnv,
  });
  t.after(() => srv.stop());
  const people = [];
  for (let i = 0; i < 6; i++) people.push(await signup(srv.base, uniqueEmail(`outage${i}`)));
  // a follower with the daily digest on: a notification mail comes out of the outage too
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '정전작가');
  const fan = await signup(srv.base, uniqueEmail('fan'), 'password1', '기다린독자');
  await api(srv.base, 'POST', `/api/authors/${author.member.id}/follow`, { token: fan.token });
  await api(srv.base, 'PUT', '/api/me/notification-settings', { token: fan.token, body: { emailDigest: true } });

  await relay.down();
  const downAt = Date.now();
  for (const p of people.slice(0, 3))
    assert.equal((await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: p.email } })).status, 202);
  await publishBook(srv, author, '정전 속의 책');
  await waitFor(async () => (await gauge(srv, 'wl_mail{state="queued"}')) === 4, { timeoutMs: 10000 });
  await sleep(3000);
  assert.equal(await gauge(srv, 'wl_mail{state="queued"}'), 4, 'waiting in the outbox');
  assert.ok(await gauge(srv, 'wl_mail_oldest_queued_seconds') >= 3);

  // the process dies during the outage; the outbox is on disk
  await srv.kill();
  await srv.restart();
  for (const p of people.slice(3))
    assert.equal((await api(srv.base, 'POST', '/api/auth/password-reset', { body: { email: p.email } })).status, 202);
  await sleep(Math.max(0, 60000 - (Date.now() - downAt)));
  assert.equal((await relay.messages()).length, 0, 'nothing got through while down');
  assert.equal(await gauge(srv, 'wl_mail{state="queued"}'), 7);

  await relay.up();
  await relay.waitFor(7, { timeoutMs: 15000 });
  await sleep(4000); // a retry that was still due would show up now
  const all = await relay.messages();
  assert.equal(all.length, 7, 'each mail exactly once');
  assert.deepEqual(all.map((m) => m.rcpt[0]).sort(), [...people.map((p) => p.email), fan.email].sort());
  const resets = all.filter((m) => m.rcpt[0] !== fan.email);
  assert.ok(resets.every((m) => m.tls && m.subject === '[걷다가서재] 비밀번호 재설정 안내'));
  const digest = all.find((m) => m.rcpt[0] === fan.email);
  assert.equal(digest.subject, '[걷다가서재] 새 소식 1건');
  assert.match(digest.text, /정전작가 작가가 새 작품을 냈어요: 「정전 속의 책」/);
  assert.equal(await gauge(srv, 'wl_mail{state="queued"}'), 0);
  assert.equal(await gauge(srv, 'wl_mail{state="sent"}'), 7);
});
