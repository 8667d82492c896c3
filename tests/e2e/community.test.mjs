// Readers together: a reader follows a work and its author from the keyboard, is told
// when the author publishes (the header badge changes without a reload), gets one digest
// mail at the fake relay, unsubscribes from it without signing in, changes and resets the
// password; an admin bans the reader from the members page. axe-core on every new page,
// screenshots at 1280 and 375 px in Korean and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminToken, createAdmin, makeAuthor, publishBook, uniqueEmail } from '../integration/lib/server.mjs';
import { startRelay } from '../integration/lib/smtp.mjs';
import { withBrowser, newUser, until, screenshots } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

async function bothLanguages(page, name) {
  await screenshots(page, `${name}-ko`);
  await page.getByTestId('lang-switch').selectOption('en');
  await page.locator('html[lang="en"]').waitFor();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await assertAccessible(page, `${name} (en)`);
  await screenshots(page, `${name}-en`);
  await page.getByTestId('lang-switch').selectOption('ko');
  await page.locator('html[lang="ko"]').waitFor();
}

test('follow, be told, one digest, unsubscribe, account, ban', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.stop());
  const srv = await startServer({ args: [...relay.serverArgs, '--digest-delay', '0', '--scheduler-interval', '1'], env: relay.serverEnv });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const first = await publishBook(srv, author, '시간의 서랍');
  const email = uniqueEmail('fan');

  // ---- sign up, follow the work with the keyboard, the author with a click
  const reader = await newUser(browser, srv.base);
  const p = await reader.newPage();
  await p.goto('/signup');
  await p.getByTestId('signup-name').fill('서랍독자');
  await p.getByTestId('signup-email').fill(email);
  await p.getByTestId('signup-password').fill('password1');
  await p.getByTestId('signup-submit').click();
  await p.getByTestId('nav-balance').waitFor();
  await p.goto(`/books/${first.id}`);
  const follow = p.getByTestId('book-follow');
  await until(async () => !(await follow.isDisabled()), { what: 'follow button ready' });
  await follow.focus();
  await p.keyboard.press('Enter');
  await p.locator('[data-testid="book-follow"][aria-pressed="true"]').waitFor();
  assert.match(await p.getByTestId('book-followers').innerText(), /1명/);
  await screenshots(p, 'book-follow');
  await p.getByTestId('author-link').click();
  await p.getByTestId('author-follow').click();
  await p.locator('[data-testid="author-follow"][aria-pressed="true"]').waitFor();
  await assertAccessible(p, 'author page with follow');

  // ---- the daily mail on, from the notifications page
  await p.getByTestId('nav-notes').click();
  await p.getByTestId('notes-empty').waitFor();
  await p.getByTestId('digest-toggle').check();
  await until(async () => /하루에 한 통/.test(await p.getByTestId('digest-status').innerText()), { what: 'digest on' });

  // ---- the author publishes: the badge appears while the reader sits on the page
  await publishBook(srv, author, '달 아래의 기억들');
  await p.getByTestId('nav-unread').waitFor({ timeout: 30000 });
  assert.equal(await p.getByTestId('nav-unread').innerText(), '1');
  const [digest] = await relay.waitFor(1, { to: email, timeoutMs: 15000 });
  assert.equal(digest.subject, '[걷다가서재] 새 소식 1건');
  assert.match(digest.text, /윤서재 작가가 새 작품을 냈어요: 「달 아래의 기억들」/);

  await p.goto('/notifications');
  const note = p.locator('[data-testid="note"][data-read="false"]');
  await note.waitFor();
  assert.match(await note.innerText(), /윤서재 작가가 새 작품을 냈어요: 「달 아래의 기억들」/);
  await assertAccessible(p, 'notifications');
  await bothLanguages(p, 'notifications');
  await p.locator('[data-testid="note"] a').first().click();
  await p.getByTestId('book-title').waitFor();
  await until(async () => (await p.getByTestId('nav-unread').count()) === 0, { what: 'badge gone after reading' });

  // ---- the mail's link turns the mail off, no session needed
  const link = /https:\/\/library\.test(\/unsubscribe\?token=[A-Za-z0-9_-]+)/.exec(digest.text)[1];
  const stranger = await newUser(browser, srv.base);
  const sp = await stranger.newPage();
  await sp.goto(link);
  await sp.getByTestId('unsubscribe-confirm').waitFor();
  await assertAccessible(sp, 'unsubscribe');
  await bothLanguages(sp, 'unsubscribe');
  await sp.getByTestId('unsubscribe-confirm').click();
  await sp.getByTestId('unsubscribed').waitFor();
  await stranger.close();
  await p.goto('/notifications');
  await until(async () => !(await p.getByTestId('digest-toggle').isChecked()), { what: 'digest off after unsubscribing' });

  // ---- change the password on the account page
  await p.goto('/me');
  await p.getByTestId('me-account').click();
  await p.getByTestId('password-section').waitFor();
  await assertAccessible(p, 'account');
  await bothLanguages(p, 'account');
  await p.getByTestId('password-current').fill('password1');
  await p.getByTestId('password-new').fill('new-password-2');
  await p.getByTestId('password-submit').click();
  await until(async () => (await p.getByTestId('password-current').inputValue()) === '', { what: 'password changed' });
  reader.assertClean();

  // ---- forgot it anyway: the reset link from the login page
  const again = await newUser(browser, srv.base);
  const rp = await again.newPage();
  await rp.goto('/login');
  await rp.getByTestId('forgot-password').click();
  await rp.getByTestId('reset-email').fill(email);
  await rp.getByTestId('reset-submit').click();
  await rp.getByTestId('reset-sent').waitFor();
  await assertAccessible(rp, 'reset request');
  await bothLanguages(rp, 'reset-password');
  const [, resetMail] = await relay.waitFor(2, { to: email });
  const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(resetMail.text)[1];
  await rp.goto(`/reset-password?token=${token}`);
  await rp.getByTestId('reset-password').fill('third-password-3');
  await rp.getByTestId('reset-confirm').click();
  await rp.getByTestId('login-form').waitFor();
  await rp.getByTestId('login-email').fill(email);
  await rp.getByTestId('login-password').fill('third-password-3');
  await rp.getByTestId('login-submit').click();
  await rp.getByTestId('nav-balance').waitFor();
  again.assertClean();

  // ---- an admin bans the reader from the members page
  const root = createAdmin(srv.dbPath);
  const adm = await newUser(browser, srv.base);
  const ap = await adm.newPage();
  await ap.goto('/login');
  await ap.getByTestId('login-email').fill(root.email);
  await ap.getByTestId('login-password').fill(root.password);
  await ap.getByTestId('login-submit').click();
  await ap.getByTestId('nav-admin').click();
  await ap.getByTestId('members-link').click();
  await ap.getByTestId('member-search').fill('서랍독자');
  const row = ap.locator('[data-testid="member-row"]');
  await until(async () => (await row.count()) === 1, { what: 'one member found' });
  const id = await row.getAttribute('data-id');
  await ap.getByTestId(`ban-reason-${id}`).fill('욕설 도배');
  await ap.getByTestId(`ban-submit-${id}`).click();
  await ap.getByTestId(`banned-${id}`).waitFor();
  await assertAccessible(ap, 'admin members');
  await bothLanguages(ap, 'admin-members');
  const me = await api(srv.base, 'GET', `/api/admin/members?q=${encodeURIComponent('서랍독자')}`, { token: admin });
  assert.equal(me.body.items[0].banned.reason, '욕설 도배');
  adm.assertClean();
});
