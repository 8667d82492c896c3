// Money in the browser, through the fake Toss Payments: a reader charges points on the
// site, pays on the provider's checkout page, comes back and sees the balance; a refused
// card and a cancelled checkout leave the wallet alone; the receipts list all three. An
// author's earnings page requests a payout that an admin marks paid on the money desk.
// axe-core on every page, screenshots at 1280 and 375 px in Korean and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminToken, createAdmin, makeAuthor, publishBook, signup, uniqueEmail } from '../integration/lib/server.mjs';
import { startFakeToss } from '../integration/lib/fake_toss.mjs';
import { withBrowser, newUser, until, screenshots } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

/** Checks and photographs the page in Korean, then English, and goes back to Korean. */
async function bothLanguages(page, name, ready) {
  await assertAccessible(page, `${name} (ko)`);
  await screenshots(page, `${name}-ko`);
  await page.getByTestId('lang-switch').selectOption('en');
  await page.locator('html[lang="en"]').waitFor();
  await ready();
  await assertAccessible(page, `${name} (en)`);
  await screenshots(page, `${name}-en`);
  await page.getByTestId('lang-switch').selectOption('ko');
  await page.locator('html[lang="ko"]').waitFor();
  await ready();
}

/** From the wallet on /me to the site's checkout page for amount (a preset). */
async function toCheckout(p, amount) {
  await p.goto('/me');
  await p.getByTestId('charge-section').waitFor();
  await p.getByTestId(`charge-preset-${amount}`).click();
  await p.getByTestId('charge-submit').click();
  await p.waitForURL(/\/points\/checkout\?order=\d+/);
  await p.getByTestId('checkout-pay').waitFor();
  return Number(new URL(p.url()).searchParams.get('order'));
}

/** Pays on the provider's page with the button chosen (toss-pay, toss-reject, toss-cancel). */
async function atProvider(p, toss, choice) {
  await p.getByTestId('checkout-pay').click();
  await p.waitForURL((u) => u.origin === new URL(toss.base).origin);
  await p.getByTestId(choice).click();
  await p.waitForURL(/\/points\/checkout\/(success|fail)\?/);
}

/** A paid sale of the book by a new reader who charges through the provider (API). */
async function sale(srv, toss, bookId) {
  const buyer = await signup(srv.base);
  const o = (await api(srv.base, 'POST', '/api/me/points/orders', { token: buyer.token, body: { amount: 5000 } })).body.order;
  const key = await toss.authorize(o.checkout.orderId, o.amount);
  const c = await api(srv.base, 'POST', `/api/me/points/orders/${o.id}/confirm`, { token: buyer.token, body: { paymentKey: key, amount: o.amount } });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal((await api(srv.base, 'POST', `/api/books/${bookId}/purchase`, { token: buyer.token })).status, 201);
}

async function signIn(browser, base, email, password) {
  const who = await newUser(browser, base);
  const p = await who.newPage();
  await p.goto('/login');
  await p.getByTestId('login-email').fill(email);
  await p.getByTestId('login-password').fill(password);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-balance').waitFor();
  return { who, p };
}

test('charge on the provider\'s page and back; a refused card; a cancel; receipts', async (t) => {
  const toss = await startFakeToss();
  t.after(() => toss.stop());
  const srv = await startServer({ args: ['--scheduler-interval', '86400'], env: toss.env });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);

  const reader = await newUser(browser, srv.base);
  reader.allow(402, 409); // the refused card's confirm, and that page again (order_closed)
  const p = await reader.newPage();
  await p.goto('/signup');
  await p.getByTestId('signup-name').fill('결제독자');
  await p.getByTestId('signup-email').fill(uniqueEmail('payer'));
  await p.getByTestId('signup-password').fill('password1');
  await p.getByTestId('signup-submit').click();
  await p.getByTestId('nav-balance').waitFor();

  // ---- the site's checkout page, then the provider's, then back with the points
  const paidOrder = await toCheckout(p, 10000);
  assert.equal(await p.getByTestId('checkout-amount').innerText(), '10,000원');
  await bothLanguages(p, 'checkout', () => p.getByTestId('checkout-pay').waitFor());
  await atProvider(p, toss, 'toss-pay');
  await p.getByTestId('checkout-paid').waitFor();
  assert.match(await p.getByTestId('checkout-paid').innerText(), /10,000 P 충전이 끝났습니다/);
  assert.match(await p.getByTestId('checkout-balance').innerText(), /10,000 P/);
  await until(async () => (await p.getByTestId('nav-balance').innerText()).trim() === '10,000 P', { what: 'the header balance' });
  await bothLanguages(p, 'checkout-paid', () => p.getByTestId('checkout-paid').waitFor());
  assert.equal((await toss.payments()).filter((x) => x.status === 'DONE').length, 1);

  // ---- a card the provider refuses: the order fails, nothing is credited
  const refusedOrder = await toCheckout(p, 5000);
  await atProvider(p, toss, 'toss-reject');
  await p.getByTestId('checkout-failed').waitFor();
  assert.match(await p.getByTestId('checkout-failed').innerText(), /결제가 승인되지 않았습니다/);
  await bothLanguages(p, 'checkout-declined', () => p.getByTestId('checkout-failed').waitFor());
  assert.match(await p.getByTestId('checkout-failed').innerText(), /결제가 승인되지 않아 포인트가 충전되지 않았습니다/);

  // ---- the member gives up on the provider's page: back on the fail page, still pending
  const cancelledOrder = await toCheckout(p, 1000);
  await atProvider(p, toss, 'toss-cancel');
  await p.getByTestId('checkout-failed').waitFor();
  assert.match(await p.getByTestId('checkout-failed').innerText(), /결제를 취소했습니다/);
  await bothLanguages(p, 'checkout-canceled', () => p.getByTestId('checkout-failed').waitFor());
  await p.getByTestId('checkout-retry').focus();
  await p.keyboard.press('Enter');
  await p.getByTestId('charge-section').waitFor();
  assert.equal((await p.getByTestId('nav-balance').innerText()).trim(), '10,000 P');

  // ---- the receipts: three orders, each as it ended
  await p.goto('/me/receipts');
  const rows = p.getByTestId('receipt-row');
  await until(async () => (await rows.count()) === 3, { what: 'three receipts' });
  const status = async (id) => p.locator(`[data-testid="receipt-row"][data-order-id="${id}"]`).getAttribute('data-status');
  assert.equal(await status(paidOrder), 'paid');
  assert.equal(await status(refusedOrder), 'failed');
  assert.equal(await status(cancelledOrder), 'pending');
  await bothLanguages(p, 'receipts', () => p.getByTestId('receipt-rows').waitFor());
  // the pending one can still be paid from its receipt, from the keyboard
  await p.locator(`[data-testid="receipt-row"][data-order-id="${cancelledOrder}"] [data-testid="receipt-pay"]`).focus();
  await p.keyboard.press('Enter');
  await p.getByTestId('checkout-pay').waitFor();
  await atProvider(p, toss, 'toss-pay');
  await p.getByTestId('checkout-paid').waitFor();
  assert.match(await p.getByTestId('checkout-balance').innerText(), /11,000 P/);
  reader.assertClean();
});

test('an author\'s earnings page asks for a payout; the money desk marks it paid', async (t) => {
  const toss = await startFakeToss();
  t.after(() => toss.stop());
  const srv = await startServer({ args: ['--scheduler-interval', '86400'], env: toss.env });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '정산작가');
  const book = await publishBook(srv, author, '수익의 서재');
  const share = Math.floor((book.price * 70) / 100);
  const sales = Math.ceil(1000 / share); // above the payout minimum
  for (let i = 0; i < sales; i++) await sale(srv, toss, book.id);

  const { who: writer, p } = await signIn(browser, srv.base, author.email, author.password);
  await p.goto('/studio/earnings');
  await p.getByTestId('earnings-chart').waitFor();
  const bar = p.locator('[data-testid="chart-bar"] rect.bar-sales');
  assert.ok(Number(await bar.getAttribute('height')) > 100, 'the month\'s sales bar is drawn');
  await until(async () => (await p.getByTestId('earnings-work').count()) === 1, { what: 'the work\'s line' });
  assert.match(await p.getByTestId('earnings-available').innerText(), new RegExp(`${(share * sales).toLocaleString('en-US')} P`));
  await bothLanguages(p, 'earnings', () => p.getByTestId('earnings-chart').waitFor());
  await p.getByTestId('payout-amount').fill('1000');
  await p.getByTestId('payout-submit').focus();
  await p.keyboard.press('Enter');
  await p.locator('[data-testid="payout"][data-status="requested"]').waitFor();
  writer.assertClean();

  const root = createAdmin(srv.dbPath);
  const { who: desk, p: ap } = await signIn(browser, srv.base, root.email, root.password);
  await ap.goto('/admin/payments');
  const item = ap.locator('[data-testid="desk-payout"][data-status="requested"]');
  await item.waitFor();
  await until(async () => (await ap.getByTestId('desk-order').count()) >= sales, { what: 'the orders on the desk' });
  await bothLanguages(ap, 'money-desk', () => item.waitFor());
  const id = await item.getAttribute('data-id');
  assert.match(await item.innerText(), /정산작가/, 'the desk names the author');
  await ap.getByTestId(`payout-ref-${id}`).fill('국민 123-456');
  await ap.getByTestId(`mark-paid-${id}`).click();
  await ap.locator(`[data-testid="desk-payout"][data-id="${id}"][data-status="paid"]`).waitFor();
  desk.assertClean();

  await p.reload();
  await p.locator('[data-testid="payout"][data-status="paid"]').waitFor();
  assert.match(await p.getByTestId('payouts').innerText(), /국민 123-456/);
  const page = (await api(srv.base, 'GET', '/api/me/earnings', { token: author.token })).body;
  assert.deepEqual(page.summary, { earned: share * sales, requested: 0, paidOut: 1000, available: share * sales - 1000 });
  writer.assertClean();
});
