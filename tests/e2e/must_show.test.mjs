// The must-show of issue 15, in one browser session: a reader follows a work from the
// keyboard; its author publishes an episode and schedules the next; the reader is told of
// each, the scheduled one at its publish time and not before, and gets one digest mail at the
// fake relay; then on the new episode: a comment, a spoiler, a like, a reply, a report, the
// author hiding it, and an admin's ban that stops the banned member's next comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, adminToken, makeAuthor, publishSerial, uniqueEmail, waitFor, LOREM_KO } from '../integration/lib/server.mjs';
import { startRelay } from '../integration/lib/smtp.mjs';
import { withBrowser, newUser, until, screenshots } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

async function logIn(user, email, password) {
  const p = await user.newPage();
  await p.goto('/login');
  await p.getByTestId('login-email').fill(email);
  await p.getByTestId('login-password').fill(password);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-balance').waitFor();
  return p;
}

// Writes and submits the next episode (publishAt: scheduled); resolves once it is generated.
async function nextEpisode(srv, author, bookId, title, publishAt) {
  const m = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: { title, content: LOREM_KO, bookId } });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const s = await api(srv.base, 'POST', `/api/manuscripts/${m.body.manuscript.id}/submit`, { token: author.token, body: publishAt ? { publishAt } : undefined });
  assert.equal(s.status, 202, JSON.stringify(s.body));
  return waitFor(async () => {
    const r = (await api(srv.base, 'GET', `/api/manuscripts/${m.body.manuscript.id}`, { token: author.token })).body.manuscript;
    if (r.status === 'failed') throw new Error(r.error);
    return ['published', 'scheduled'].includes(r.status) ? r : null;
  }, { timeoutMs: 30000 });
}

const item = (p, id) => p.locator(`[data-testid="comment"][data-comment-id="${id}"]`);

test('follow, the published and the scheduled episode, one digest, then the comments and a ban', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.stop());
  const srv = await startServer({ args: [...relay.serverArgs, '--digest-delay', '30', '--scheduler-interval', '1'], env: relay.serverEnv });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const work = await publishSerial(srv, author, '서랍 속 편지');
  assert.equal((await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { freeEpisodes: 3 } })).status, 200);
  const email = uniqueEmail('fan');
  const reader = await signup(srv.base, email, 'password1', '서랍독자');
  const rival = await signup(srv.base, undefined, 'password1', '스포왕');
  assert.equal((await api(srv.base, 'PUT', '/api/me/notification-settings', { token: reader.token, body: { emailDigest: true } })).status, 200);

  // ---- follow the work from the keyboard
  const user = await newUser(browser, srv.base);
  const p = await logIn(user, email, 'password1');
  await p.goto(`/books/${work.id}`);
  const follow = p.getByTestId('book-follow');
  await until(async () => !(await follow.isDisabled()), { what: 'follow button ready' });
  await follow.focus();
  await p.keyboard.press('Enter');
  await p.locator('[data-testid="book-follow"][aria-pressed="true"]').waitFor();

  // ---- the author schedules episode 2 and then publishes episode 3 at once
  const at = new Date(Date.now() + 10000);
  const scheduled = await nextEpisode(srv, author, work.id, '두 번째 편지', at.toISOString());
  assert.equal(scheduled.episode, 2);
  const told = async () => (await api(srv.base, 'GET', '/api/me/notifications', { token: reader.token })).body.items;
  if (Date.now() < at.getTime() - 1000)
    assert.ok(!(await told()).some((n) => n.episode === 2), 'nothing of the scheduled episode before its time');
  assert.equal((await nextEpisode(srv, author, work.id, '세 번째 편지')).episode, 3);
  await p.getByTestId('nav-unread').waitFor({ timeout: 40000 });
  await until(async () => (await p.getByTestId('nav-unread').innerText().catch(() => '')) === '2', { timeout: 60000, what: 'both episodes told, the badge without a reload' });
  const notes = await told();
  assert.deepEqual(notes.map((n) => [n.kind, n.episode]).sort(), [['episode', 2], ['episode', 3]]);
  const second = notes.find((n) => n.episode === 2);
  assert.ok(Date.parse(second.createdAt) >= Math.floor(at.getTime() / 1000) * 1000, 'told at its publish time, not before');

  // ---- one digest (the scheduled episode in it; the other too when it came within the delay)
  const [digest] = await relay.waitFor(1, { to: email, timeoutMs: 90000 });
  assert.match(digest.subject, /^\[걷다가서재\] 새 소식 [12]건$/);
  assert.match(digest.text, /「서랍 속 편지」 2화가 올라왔어요/);

  // ---- the new episode's comments: a spoiler from another member, the reader's comment,
  // a like, a reply, a report
  const path = `/api/books/${work.id}/episodes/2/comments`;
  const posted = await api(srv.base, 'POST', path, { token: rival.token, body: { text: '편지를 쓴 사람은 미래의 나', spoiler: true } });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  const spoiler = posted.body.comment;
  await p.goto(`/books/${work.id}/episodes/2`);
  await item(p, spoiler.id).getByTestId('comment-reveal').click();
  await item(p, spoiler.id).getByTestId('comment-text').waitFor({ state: 'visible' });
  await p.getByTestId('comment-form-text').fill('두 번째 편지가 제일 좋아요.');
  await p.getByTestId('comment-form-submit').click();
  await until(async () => (await p.getByTestId('comment').count()) === 2, { what: 'the reader\'s comment' });
  await item(p, spoiler.id).getByTestId('comment-like').click();
  await p.locator(`[data-comment-id="${spoiler.id}"] [data-testid="comment-like"][aria-pressed="true"]`).waitFor();
  await item(p, spoiler.id).getByTestId('comment-reply').click();
  await p.getByTestId('comment-reply-form-text').fill('스포는 가려 주세요');
  await p.getByTestId('comment-reply-form-submit').click();
  await item(p, spoiler.id).getByTestId('comment-replies-toggle').waitFor();
  await waitFor(async () => (await api(srv.base, 'GET', '/api/me/notifications', { token: rival.token })).body.items.find((n) => n.kind === 'reply'));
  await item(p, spoiler.id).getByTestId('comment-report').click();
  await p.getByTestId('comment-report-reason').fill('스포일러');
  await p.getByTestId('comment-report-submit').click();
  await p.getByTestId('comment-report-form').waitFor({ state: 'detached' });
  assert.deepEqual((await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items.map((r) => r.targetId), [spoiler.id]);
  await assertAccessible(p, 'scheduled episode with comments');
  await screenshots(p, 'must-show-episode');
  user.assertClean();

  // ---- the author hides it
  const writer = await newUser(browser, srv.base);
  const q = await logIn(writer, author.email, author.password);
  await q.goto(`/books/${work.id}/episodes/2`);
  await item(q, spoiler.id).getByTestId('comment-hide').click();
  await item(q, spoiler.id).getByTestId('comment-hidden-badge').waitFor();
  writer.assertClean();

  // ---- an admin bans the rival; their next comment is refused on the page
  assert.equal((await api(srv.base, 'POST', `/api/admin/members/${rival.member.id}/ban`, { token: admin, body: { days: 3, reason: '스포 도배' } })).status, 200);
  const banned = await newUser(browser, srv.base);
  banned.allow(403);
  const b = await logIn(banned, rival.email, rival.password);
  await b.goto(`/books/${work.id}/episodes/2`);
  await b.getByTestId('comment-form-text').fill('또 스포');
  await b.getByTestId('comment-form-submit').click();
  await b.getByTestId('comment-form-error').waitFor();
  assert.equal((await api(srv.base, 'GET', path)).body.count, 1, 'the reader\'s comment: the hidden one takes its reply');
  banned.assertClean();

  // ---- still one digest
  assert.equal((await relay.messages()).filter((m) => m.rcpt.includes(email)).length, 1);
});
