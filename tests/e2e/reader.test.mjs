// Readers: one signs up, charges points, buys a book and reads it; another
// subscribes and reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminToken, makeAuthor, publishBook, uniqueEmail } from '../integration/lib/server.mjs';
import { withBrowser, newUser, waitAttr, until, imagesLoaded, screenshots, longText, PHONE } from './lib/browser.mjs';

const points = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function signUp(page, name) {
  await page.getByTestId('signup-name').fill(name);
  await page.getByTestId('signup-email').fill(uniqueEmail('reader'));
  await page.getByTestId('signup-password').fill('password1');
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('nav-balance').waitFor();
}

test('readers buy or subscribe, then read', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const drawer = await publishBook(srv, author, '시간의 서랍', longText('할머니의 책상에는 열리지 않는 서랍이 하나 있었다.', 40));
  const moon = await publishBook(srv, author, '달 아래의 기억들', longText('달이 뜨면 마을 사람들은 잊었던 것을 하나씩 기억해 냈다.', 30));
  assert.ok(drawer.price > 0, `price ${drawer.price}`);

  // ---- an anonymous visitor: home, a book, and the reader asking to log in
  const anon = await newUser(browser, srv.base);
  anon.allow(401); // GET /content without a session
  const ap = await anon.newPage();
  await ap.goto('/');
  const card = ap.getByTestId('new-list').locator(`[data-testid="book-card"][data-book-id="${drawer.id}"]`);
  await card.waitFor();
  await until(() => imagesLoaded(card.getByTestId('book-cover')), { what: 'cover on the home page' });
  await screenshots(ap, 'home');
  await ap.goto(`/read/${drawer.id}`);
  await ap.getByTestId('reader-login').waitFor();
  await anon.close();

  // ---- reader one: sign up from the book page, charge, buy, read
  const one = await newUser(browser, srv.base);
  one.allow(403); // GET /content before buying
  const p = await one.newPage();
  await p.goto('/');
  await p.getByTestId('new-list').locator(`[data-testid="book-card"][data-book-id="${drawer.id}"] a`).click();
  await waitAttr(p, 'book-action', 'data-reason', 'login_required');
  assert.equal((await p.getByTestId('book-title').innerText()).trim(), '시간의 서랍');
  await p.getByTestId('signup-link').click();
  await p.getByTestId('page-signup').waitFor();
  await signUp(p, '서랍독자');
  await p.waitForURL(`**/books/${drawer.id}`);
  await waitAttr(p, 'book-action', 'data-reason', 'purchase_required');
  await p.getByTestId('insufficient').waitFor();

  // The reader view explains what is missing.
  await p.goto(`/read/${drawer.id}`);
  const info = await p.getByTestId('reader-purchase-info').innerText();
  assert.match(info, new RegExp(drawer.price.toLocaleString('ko-KR')));
  await p.getByTestId('reader-buy-link').click();
  await waitAttr(p, 'book-action', 'data-reason', 'purchase_required');

  await p.getByTestId('charge-link').click();
  await p.getByTestId('charge-section').waitFor();
  assert.equal(points(await p.getByTestId('charge-amount').inputValue()), Math.ceil(drawer.price / 100) * 100);
  await p.getByTestId('charge-preset-50000').click();
  assert.equal(await p.getByTestId('charge-preset-50000').getAttribute('aria-pressed'), 'true');
  await p.getByTestId('charge-submit').click();
  await until(async () => points(await p.getByTestId('balance').innerText()) === 50000, { what: 'balance 50,000 P' });
  assert.equal(points(await p.getByTestId('nav-balance').innerText()), 50000);
  await p.locator('[data-testid="ledger-row"][data-kind="charge"]').waitFor();
  await p.getByTestId('charge-return').click();

  await waitAttr(p, 'book-action', 'data-reason', 'purchase_required');
  const buy = p.getByTestId('buy-button');
  await buy.waitFor();
  assert.match(await buy.innerText(), new RegExp(drawer.price.toLocaleString('ko-KR')));
  assert.match(await p.getByTestId('balance-after').innerText(), new RegExp((50000 - drawer.price).toLocaleString('ko-KR')));
  await screenshots(p, 'book');
  await buy.click();
  await waitAttr(p, 'book-action', 'data-reason', 'owned');
  await until(async () => points(await p.getByTestId('nav-balance').innerText()) === 50000 - drawer.price, { what: 'balance after buying' });

  await p.getByTestId('read-button').click();
  await p.getByTestId('reader-content').waitFor();
  assert.equal((await p.getByTestId('reader-title').innerText()).trim(), '시간의 서랍');
  assert.equal(await p.getByTestId('reader-content').locator('p').count(), 40);
  // Settings: larger type, sepia, and they stick.
  await p.getByTestId('reader-settings-toggle').click();
  await p.getByTestId('reader-settings').waitFor();
  const size = points(await p.getByTestId('reader-font-size').innerText());
  await p.getByTestId('reader-font-inc').click();
  assert.equal(points(await p.getByTestId('reader-font-size').innerText()), size + 1);
  await p.getByTestId('reader-theme').selectOption('sepia');
  assert.ok(await p.evaluate(() => document.body.classList.contains('reader-theme-sepia')));
  await p.getByTestId('reader-settings-toggle').click();
  await screenshots(p, 'reader', { fullPage: false });
  // The scroll position is remembered per book.
  await p.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2));
  await until(async () => Math.abs(points(await p.getByTestId('reader-progress').innerText()) - 50) <= 2, { what: 'progress 50%' });
  await p.waitForTimeout(400);
  await p.reload();
  await p.getByTestId('reader-content').waitFor();
  await until(async () => Math.abs(points(await p.getByTestId('reader-progress').innerText()) - 50) <= 3, { what: 'restored position' });
  assert.equal(points(await p.getByTestId('reader-font-size').innerText()), size + 1);
  // Leaving the reader drops its theme from the page.
  await p.getByTestId('reader-back').click();
  await p.getByTestId('book-detail').waitFor();
  assert.equal(await p.evaluate(() => document.body.classList.contains('reader-theme-sepia')), false);

  await p.getByTestId('nav-me').click();
  const bought = p.locator('[data-testid="ledger-row"][data-kind="purchase"]');
  await bought.waitFor();
  await until(async () => (await bought.innerText()).includes(drawer.title), { what: 'the ledger names the work' });
  await p.getByTestId('library').locator(`[data-testid="book-card"][data-book-id="${drawer.id}"]`).waitFor();
  await screenshots(p, 'me');
  one.assertClean();
  await one.close();

  // ---- reader two, on a phone: charge, subscribe, read any book
  const two = await newUser(browser, srv.base, { viewport: PHONE });
  const q = await two.newPage();
  await q.goto('/signup');
  await signUp(q, '구독독자');
  await q.getByTestId('nav-me').click();
  await q.getByTestId('charge-preset-10000').click();
  await q.getByTestId('charge-submit').click();
  await until(async () => points(await q.getByTestId('balance').innerText()) === 10000, { what: 'balance 10,000 P' });
  await waitAttr(q, 'subscription-state', 'data-active', 'false');
  assert.equal(await q.getByTestId('subscribe-autorenew').isChecked(), true);
  await q.getByTestId('subscribe-button').click();
  await q.getByTestId('confirm-dialog').waitFor();
  await q.getByTestId('confirm-ok').click();
  await waitAttr(q, 'subscription-state', 'data-active', 'true');
  await q.getByTestId('subscription-expiry').waitFor();
  await waitAttr(q, 'subscription-autorenew', 'data-auto-renew', 'true');
  await until(async () => points(await q.getByTestId('nav-balance').innerText()) === 100, { what: 'balance after subscribing' });
  await q.locator('[data-testid="ledger-row"][data-kind="subscription"]').waitFor();
  await q.getByTestId('cancel-autorenew').click();
  await waitAttr(q, 'subscription-autorenew', 'data-auto-renew', 'false');
  await waitAttr(q, 'subscription-state', 'data-active', 'true');
  await screenshots(q, 'me-subscribed');

  await q.getByTestId('nav-home').click();
  await q.getByTestId('new-list').locator(`[data-testid="book-card"][data-book-id="${moon.id}"] a`).click();
  await waitAttr(q, 'book-action', 'data-reason', 'subscription');
  await q.getByTestId('read-button').click();
  await q.getByTestId('reader-content').waitFor();
  assert.equal((await q.getByTestId('reader-title').innerText()).trim(), '달 아래의 기억들');
  assert.equal(await q.getByTestId('reader-content').locator('p').count(), 30);
  await q.goto(`/books/${drawer.id}`);
  await waitAttr(q, 'book-action', 'data-reason', 'subscription');
  two.assertClean();
  await two.close();
});
