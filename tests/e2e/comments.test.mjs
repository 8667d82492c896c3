// Comments under an episode in the reader, from the keyboard: post (with the spoiler flag),
// uncover a spoiler, like, reply (the parent's writer is told), report (into the admin's
// queue), and the work's author hides a comment. axe-core on the page with its comments,
// screenshots at 1280 and 375 px in Korean and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, adminToken, makeAuthor, publishSerial, uniqueEmail, waitFor } from '../integration/lib/server.mjs';
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

const item = (p, id) => p.locator(`[data-testid="comment"][data-comment-id="${id}"]`);

test('comments in the reader: post, spoiler, like, reply, report, the author hides', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const work = await publishSerial(srv, author, '서랍 속 편지');
  assert.equal((await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { freeEpisodes: 1 } })).status, 200);
  const email = uniqueEmail('reader');
  const reader = await signup(srv.base, email, 'password1', '서랍독자');
  const other = await signup(srv.base, undefined, 'password1', '스포왕');
  const path = `/api/books/${work.id}/episodes/1/comments`;
  const spoiler = (await api(srv.base, 'POST', path, { token: other.token, body: { text: '편지를 쓴 사람은 할머니였다', spoiler: true } })).body.comment;

  // ---- the reader: the spoiler is covered until its button is pressed (keyboard)
  const user = await newUser(browser, srv.base);
  const p = await logIn(user, email, 'password1');
  await p.goto(`/books/${work.id}/episodes/1`);
  await p.getByTestId('reader-content').waitFor();
  await item(p, spoiler.id).waitFor();
  assert.equal(await item(p, spoiler.id).getByTestId('comment-text').isHidden(), true, 'a spoiler starts covered');
  await item(p, spoiler.id).getByTestId('comment-reveal').focus();
  await p.keyboard.press('Enter');
  await item(p, spoiler.id).getByTestId('comment-text').waitFor({ state: 'visible' });

  // ---- post from the keyboard, newest first after posting
  await p.getByTestId('comment-form-text').focus();
  await p.keyboard.type('서랍이 열리는 장면에서 숨을 참았어요.');
  await p.keyboard.press('Tab');
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  await until(async () => (await p.getByTestId('comment').count()) === 2, { what: 'two comments' });
  await waitAttr(p, 'comment-sort-new', 'true');
  assert.match(await p.getByTestId('comment-count').innerText(), /2개/);

  // ---- like, reply, report the other's comment
  await item(p, spoiler.id).getByTestId('comment-like').click();
  await p.locator(`[data-comment-id="${spoiler.id}"] [data-testid="comment-like"][aria-pressed="true"]`).waitFor();
  assert.match(await item(p, spoiler.id).getByTestId('comment-like').innerText(), /1/);
  await item(p, spoiler.id).getByTestId('comment-reply').click();
  await p.getByTestId('comment-reply-form-text').fill('헉, 스포 조심해 주세요!');
  await p.getByTestId('comment-reply-form-submit').click();
  await item(p, spoiler.id).getByTestId('comment-replies-toggle').click();
  await item(p, spoiler.id).getByTestId('comment-replies').getByText('헉, 스포 조심해 주세요!').waitFor();
  const note = await waitFor(async () => {
    const r = await api(srv.base, 'GET', '/api/me/notifications', { token: other.token });
    return r.body.items.find((n) => n.kind === 'reply') ?? null;
  });
  assert.equal(note.actor, '서랍독자');
  await item(p, spoiler.id).getByTestId('comment-report').click();
  await p.getByTestId('comment-report-reason').fill('스포일러를 제목처럼 써요');
  await p.keyboard.press('Enter');
  await p.getByTestId('comment-report-form').waitFor({ state: 'detached' });
  const queue = (await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items;
  assert.deepEqual(queue.map((q) => [q.kind, q.targetId]), [['comment', spoiler.id]]);
  await assertAccessible(p, 'episode with comments');
  await screenshots(p, 'episode-comments-ko');
  await p.getByTestId('lang-switch').selectOption('en');
  await p.locator('html[lang="en"]').waitFor();
  await p.getByTestId('comments').getByText('Comments').first().waitFor();
  await assertAccessible(p, 'episode with comments (en)');
  await screenshots(p, 'episode-comments-en');
  user.assertClean();

  // ---- the admin's report queue shows it; the work's author hides the comment, which closes it
  const adminEmail = uniqueEmail('boss');
  const boss = await signup(srv.base, adminEmail, 'password1', '관리자둘');
  assert.equal((await api(srv.base, 'POST', `/api/admin/members/${boss.member.id}/roles`, { token: admin, body: { role: 'admin', granted: true } })).status, 200);
  const desk = await newUser(browser, srv.base);
  const d = await logIn(desk, adminEmail, 'password1');
  await d.goto('/admin');
  await d.getByTestId('reports-link').click();
  await d.locator(`[data-testid="report"][data-target="comment:${spoiler.id}"]`).waitFor();
  assert.match(await d.getByTestId('report-list').innerText(), /스포일러를 제목처럼 써요/);
  const episodeLink = d.locator(`[data-target="comment:${spoiler.id}"]`).getByTestId('report-episode');
  assert.deepEqual([await episodeLink.innerText(), await episodeLink.getAttribute('href')], ['1화', `/books/${work.id}/episodes/1`]);
  await assertAccessible(d, 'report queue');
  await screenshots(d, 'admin-reports-ko');

  const writer = await newUser(browser, srv.base);
  const q = await logIn(writer, author.email, author.password);
  await q.goto(`/books/${work.id}/episodes/1`);
  await item(q, spoiler.id).getByTestId('comment-hide').click();
  await item(q, spoiler.id).getByTestId('comment-hidden-badge').waitFor();
  await item(q, spoiler.id).getByTestId('comment-restore').waitFor();
  assert.equal((await api(srv.base, 'GET', '/api/admin/reports', { token: admin })).body.items.length, 0, 'hiding closed the report');
  const seen = (await api(srv.base, 'GET', path, { token: reader.token })).body;
  assert.ok(!seen.items.some((c) => c.id === spoiler.id), 'the reader no longer sees it');
  await d.reload();
  await d.getByTestId('reports-empty').waitFor();

  // ---- the author's work page: readers this week and the suspicious reads left out
  await waitFor(async () => (await api(srv.base, 'GET', `/api/books/${work.id}/readers`, { token: author.token })).body.excluded === 1);
  await q.goto(`/books/${work.id}`);
  await q.getByTestId('reads-excluded').waitFor();
  assert.equal(await q.getByTestId('reads-excluded').innerText(), '의심스러운 읽기 제외: 1', 'the fresh account\'s read');
  await assertAccessible(q, 'work page with reader counts');
  await screenshots(q, 'book-reader-counts-ko');
  writer.assertClean();
  desk.assertClean();
});

async function waitAttr(p, testid, pressed) {
  await p.locator(`[data-testid="${testid}"][aria-pressed="${pressed}"]`).waitFor();
}
