// An applicant applies, an admin approves, the new author writes with autosave,
// submits, and the book appears on the home page with its cover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createAdmin, uniqueEmail } from '../integration/lib/server.mjs';
import { withBrowser, newUser, waitAttr, until, imagesLoaded, screenshots, longText } from './lib/browser.mjs';

test('apply → approve → write (autosave) → submit → published on the home page', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = createAdmin(srv.dbPath, uniqueEmail('admin'), 'admin-password', '관리자');

  // ---- the applicant signs up and applies
  const applicant = await newUser(browser, srv.base);
  applicant.allow(404); // GET /api/me/author-application before the first application
  const me = await applicant.newPage();
  await me.goto('/');
  await me.getByTestId('nav-signup').click();
  await me.getByTestId('signup-name').fill('한결');
  const email = uniqueEmail('writer');
  await me.getByTestId('signup-email').fill(email);
  await me.getByTestId('signup-password').fill('password1');
  await me.getByTestId('signup-submit').click();
  await me.getByTestId('nav-apply').click();
  await me.getByTestId('apply-form').waitFor();
  await me.getByTestId('apply-penname').fill('한결작가');
  await me.getByTestId('apply-bio').fill('골목과 서재에 관한 이야기를 씁니다.');
  await me.getByTestId('apply-portfolio').fill('단편 「저녁의 서재」 외 세 편.');
  await me.getByTestId('apply-submit').click();
  await waitAttr(me, 'application-state', 'data-status', 'pending');

  // ---- the admin logs in through the UI and approves
  const boss = await newUser(browser, srv.base);
  const adm = await boss.newPage();
  await adm.goto('/login');
  await adm.getByTestId('login-email').fill(admin.email);
  await adm.getByTestId('login-password').fill(admin.password);
  await adm.getByTestId('login-submit').click();
  await adm.getByTestId('nav-admin').click();
  await adm.getByTestId('page-admin').waitFor();
  const item = adm.getByTestId('application-item').filter({ hasText: '한결작가' });
  await item.waitFor();
  const appId = await item.getAttribute('data-id');
  await adm.locator('[data-testid="event-row"][data-type="author.applied"]').first().waitFor();
  await screenshots(adm, 'admin-queue');
  await adm.getByTestId(`approve-${appId}`).click();
  await adm.locator(`[data-testid="application-item"][data-id="${appId}"][data-status="approved"]`).waitFor();

  // ---- the applicant sees the approval and opens the studio
  await me.reload();
  await waitAttr(me, 'application-state', 'data-status', 'approved');
  await me.getByTestId('go-studio').click();
  await me.getByTestId('page-studio').waitFor();
  await me.getByTestId('nav-studio').waitFor(); // the header knows the new role
  await me.getByTestId('new-manuscript').click();
  await me.getByTestId('page-editor').waitFor();
  await waitAttr(me, 'save-state', 'data-state', 'saved');
  const msId = /\/studio\/(\d+)/.exec(me.url())[1];

  // ---- writing: autosave a moment after typing stops
  const title = '골목 끝의 서재';
  await me.getByTestId('editor-title').fill(title);
  await waitAttr(me, 'save-state', 'data-state', 'dirty');
  await me.getByTestId('editor-content').click();
  await me.keyboard.type('첫 문단을 직접 입력합니다. ');
  await waitAttr(me, 'save-state', 'data-state', 'saved', 10000);
  const body = `첫 문단을 직접 입력합니다. \n${longText('골목 끝에는 아무도 모르는 작은 서재가 있었다.', 12)}`;
  await me.getByTestId('editor-content').fill(body);
  await waitAttr(me, 'save-state', 'data-state', 'saved', 10000);
  const saved = await me.request.get(`/api/manuscripts/${msId}`);
  const ms = (await saved.json()).manuscript;
  assert.equal(ms.title, title);
  assert.equal(ms.content, body);
  assert.ok(ms.revision >= 3, `revision ${ms.revision}`);
  assert.match(await me.getByTestId('char-count').innerText(), /자/);
  await until(async () => (await me.getByTestId('revision-item').count()) >= 2, { what: 'revisions listed' });
  await screenshots(me, 'editor');

  // ---- an older revision: shown, restored (saved as the newest), then the text written again
  const older = await me.getByTestId('revision-item').nth(1).getAttribute('data-revision');
  const kept = await (await me.request.get(`/api/manuscripts/${msId}/revisions/${older}`)).json();
  await me.getByTestId(`revision-view-${older}`).click();
  assert.equal(await me.getByTestId('revision-content').innerText(), kept.content);
  await me.getByTestId('revision-restore').click();
  await me.getByTestId('confirm-ok').click();
  await me.getByTestId('revision-preview').waitFor({ state: 'hidden' });
  await waitAttr(me, 'save-state', 'data-state', 'saved', 10000);
  assert.notEqual(kept.content, body);
  assert.equal(await me.getByTestId('editor-content').inputValue(), kept.content);
  await me.getByTestId('editor-content').fill(body);
  await waitAttr(me, 'save-state', 'data-state', 'saved', 10000);

  // ---- submitting, then live progress until published
  await me.getByTestId('submit-manuscript').click();
  await me.getByTestId('confirm-dialog').waitFor();
  await me.getByTestId('confirm-ok').click();
  await me.getByTestId('progress').waitFor();
  await waitAttr(me, 'progress', 'data-status', 'published', 30000);
  const result = me.getByTestId('published-result');
  await result.waitFor();
  assert.equal((await me.getByTestId('published-title').innerText()).trim(), title);
  assert.ok((await me.getByTestId('published-summary').innerText()).trim().length > 0);
  assert.match(await me.getByTestId('published-price').innerText(), /P|무료/);
  await until(() => imagesLoaded(result.getByTestId('book-cover')), { what: 'generated cover' });
  await screenshots(me, 'editor-published');

  // ---- the book is on the home page, with its cover
  await me.getByTestId('brand').click();
  const card = me.getByTestId('new-list').getByTestId('book-card').filter({ hasText: title });
  await card.waitFor();
  await card.scrollIntoViewIfNeeded();
  await until(() => imagesLoaded(card.getByTestId('book-cover')), { what: 'cover on the home page' });
  const src = await card.getByTestId('book-cover').getAttribute('src');
  const cover = await me.request.get(src);
  assert.equal(cover.status(), 200);
  assert.match(cover.headers()['content-type'], /^image\/(svg\+xml|png|jpeg)/);
  // Searching finds it too (Korean substring).
  await me.getByTestId('search-input').fill('끝의 서');
  await me.getByTestId('search-list').getByTestId('book-card').filter({ hasText: title }).waitFor();
  await me.getByTestId('search-input').fill('');
  await me.getByTestId('shelf-new').waitFor();

  // ---- the admin sees the pipeline's work
  await adm.reload();
  await adm.getByTestId('admin-ai-jobs').waitFor();
  await adm.locator('[data-testid="ai-job-row"][data-status]').first().waitFor();
  await adm.locator('[data-testid="event-row"][data-type="book.published"]').first().waitFor();
  await adm.locator('[data-testid="event-row"][data-type="author.approved"]').first().waitFor();
  await screenshots(adm, 'admin');

  applicant.assertClean();
  boss.assertClean();
  await applicant.close();
  await boss.close();
});
