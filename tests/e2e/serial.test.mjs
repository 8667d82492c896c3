// Serial works in the browser: a reader reads the free episodes, unlocks one by waiting,
// buys one, buys all remaining (each confirmed with the balance after), and continues on a
// second browser where the first one stopped. Keyboard, axe-core and screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, charge, adminToken, makeAuthor, publishSerial, addEpisode } from '../integration/lib/server.mjs';
import { withBrowser, newUser, waitAttr, until, screenshots, longText, logIn } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

const points = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function confirm(p, expect) {
  const dlg = p.getByTestId('confirm-dialog');
  await dlg.waitFor();
  if (expect) assert.match(await dlg.innerText(), expect);
  await p.getByTestId('confirm-ok').click();
}

const reading = (p, n) => until(async () => /^(\d+)화|^Episode (\d+)/.exec(await p.getByTestId('reader-title').innerText())?.slice(1).includes(String(n)), { what: `episode ${n} open` });

test('a reader reads free episodes, waits, buys one, buys the rest and continues elsewhere', async (t) => {
  const srv = await startServer({ args: ['--wait-free-exclude-latest', '1', '--reader-min-age', '0'] });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '달빛작가');
  const work = await publishSerial(srv, author, '달빛 우체국', longText('달빛이 골목 끝 우체국 창문을 두드렸다.', 30));
  for (let n = 2; n <= 6; n++)
    await addEpisode(srv, author, work.id, `${n}화 편지`, longText(`${n}화. 우체부는 오늘도 편지를 들고 언덕을 올랐다.`, 40));
  const patch = await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { freeEpisodes: 2, waitFreeHours: 24, episodePrice: 200 } });
  assert.equal(patch.status, 200);
  const who = await signup(srv.base, undefined, 'password1', '연재독자');
  assert.equal((await charge(srv.base, who.token, 700)).status, 201);

  const one = await newUser(browser, srv.base);
  one.allow(403); // the content of a locked episode
  const p = await logIn(one, who);

  // ---- the work page: every episode with what it costs this reader; the first one
  await p.goto(`/books/${work.id}`);
  await p.getByTestId('episode-list').waitFor();
  const rows = p.getByTestId('episode-row');
  assert.equal(await rows.count(), 6);
  const reasons = await p.getByTestId('episode-cost').evaluateAll((els) => els.map((e) => e.dataset.reason));
  assert.deepEqual(reasons, ['free', 'free', 'purchase_required', 'purchase_required', 'purchase_required', 'purchase_required']);
  assert.equal(await p.getByTestId('continue-button').count(), 0, 'nothing read yet');
  await assertAccessible(p, 'work page');
  await screenshots(p, 'work');
  await p.getByTestId('first-episode').click();
  await reading(p, 1);
  await assertAccessible(p, 'episode reader');
  await screenshots(p, 'episode', { fullPage: false });

  // ---- the keyboard: the next episode's link is reachable and opens it
  await p.getByTestId('episode-next').focus();
  await p.keyboard.press('Enter');
  await reading(p, 2);
  await p.getByTestId('episode-next').click();

  // ---- a locked episode: buy this one, wait-free now; the rest (800 P) is beyond 700 P
  await p.getByTestId('episode-offers').waitFor();
  assert.match(await p.getByTestId('offer-buy').innerText(), /700 P.*500 P/s);
  assert.equal(await p.getByTestId('offer-buy-all').count(), 0, 'never an offer the balance cannot pay');
  await p.getByTestId('offer-subscription').getByTestId('offer-charge').waitFor();
  await p.getByTestId('wait-free').waitFor();
  await assertAccessible(p, 'episode offers');
  await screenshots(p, 'episode-offers');
  await p.getByTestId('wait-free').click();
  await confirm(p, /700 P/);
  await reading(p, 3);
  assert.equal(points(await p.getByTestId('nav-balance').innerText()), 700, 'waiting costs nothing');

  // ---- episode 4: the timer runs (a countdown, no button); buy this one
  await p.getByTestId('episode-next').click();
  await p.getByTestId('episode-offers').waitFor();
  assert.match(await p.getByTestId('wait-free-countdown').innerText(), /\d+:\d\d:\d\d/);
  assert.equal(await p.getByTestId('wait-free').isVisible(), false);
  await p.getByTestId('buy-episode').click();
  await confirm(p, /700 P.*500 P/s);
  await reading(p, 4);
  await until(async () => points(await p.getByTestId('nav-balance').innerText()) === 500, { what: 'balance 500 P' });

  // ---- episode 5: both remaining (5 and 6) for 400 P in one purchase
  await p.getByTestId('episode-next').click();
  await p.getByTestId('offer-buy-all').waitFor();
  assert.match(await p.getByTestId('offer-buy-all').innerText(), /2.*400 P/s);
  await p.getByTestId('buy-all').click();
  await confirm(p, /500 P.*100 P/s);
  await reading(p, 5);
  await until(async () => points(await p.getByTestId('nav-balance').innerText()) === 100, { what: 'balance 100 P' });
  const ledger = (await api(srv.base, 'GET', '/api/me/points/ledger?limit=50', { token: who.token })).body.items;
  assert.equal(ledger.filter((e) => e.kind === 'purchase').length, 3, 'one ledger row per episode bought');

  // ---- read partway; the position reaches the server
  await p.evaluate(() => document.querySelectorAll('p[data-anchor]')[12].scrollIntoView({ block: 'start' }));
  await until(async () => {
    const pr = (await api(srv.base, 'GET', `/api/me/progress/${work.id}`, { token: who.token })).body.progress;
    return pr && pr.episode === 5 && pr.anchor >= 10;
  }, { what: 'progress saved at episode 5' });
  one.assertClean();

  // ---- another browser: "continue" opens episode 5 where it stopped
  const two = await newUser(browser, srv.base);
  const q = await logIn(two, who);
  await q.goto(`/books/${work.id}`);
  await q.getByTestId('continue-button').waitFor();
  assert.match(await q.getByTestId('continue-button').innerText(), /5화/);
  await waitAttr(q, 'episode-cost', 'data-reason', 'owned');
  await q.getByTestId('continue-button').click();
  await reading(q, 5);
  await until(() => q.evaluate(() => window.scrollY > 200), { what: 'scrolled to the saved paragraph' });

  // ---- home: 이어 읽기, the day's most read, 최신 연재 with its filters
  await q.goto('/');
  await q.getByTestId('continue-list').locator(`[data-testid="book-card"][data-book-id="${work.id}"]`).getByTestId('continue-episode').waitFor();
  await q.getByTestId('ranking-list').locator(`[data-testid="book-card"][data-book-id="${work.id}"]`).waitFor();
  await q.getByTestId('ranking-week').click();
  await waitAttr(q, 'ranking-week', 'aria-pressed', 'true');
  await q.getByTestId('updated-list').locator(`[data-testid="book-card"][data-book-id="${work.id}"]`).waitFor();
  await q.getByTestId('filter-completed').selectOption('true');
  await q.getByTestId('updated-empty').waitFor();
  await q.getByTestId('filter-completed').selectOption('false');
  await q.getByTestId('updated-list').locator(`[data-testid="book-card"][data-book-id="${work.id}"]`).waitFor();
  await assertAccessible(q, 'home');
  await screenshots(q, 'home-serial');

  // ---- 내 서재: the work first, with "continue"; wallet and subscription after
  await q.goto('/me');
  const shelf = q.getByTestId('library').locator(`[data-testid="book-card"][data-book-id="${work.id}"]`);
  await shelf.getByTestId('library-continue').waitFor();
  // the ledger names the work and each episode bought
  const bought = q.locator('[data-testid="ledger-row"][data-kind="purchase"]');
  await until(async () => (await bought.allInnerTexts()).filter((x) => x.includes('달빛 우체국')).length === 3, { what: 'ledger rows name the work' });
  assert.deepEqual((await bought.getByTestId('ledger-episode').allInnerTexts()).map((x) => x.trim()).sort(), ['4화', '5화', '6화']);
  assert.match(await shelf.getByTestId('library-continue').innerText(), /5화/);
  await assertAccessible(q, 'library');
  await screenshots(q, 'library');
  two.assertClean();

  // ---- English
  const en = await newUser(browser, srv.base, { lang: 'en' });
  en.allow(403);
  const e = await logIn(en, await (async () => {
    const x = await signup(srv.base, undefined, 'password1', 'Reader');
    await charge(srv.base, x.token, 1000);
    return x;
  })());
  await e.goto(`/books/${work.id}`);
  await e.getByTestId('episode-list').waitFor();
  await screenshots(e, 'work-en');
  await e.goto(`/books/${work.id}/episodes/3`);
  await e.getByTestId('episode-offers').waitFor();
  assert.match(await e.getByTestId('offer-buy-all').innerText(), /All 4 remaining episodes/);
  await screenshots(e, 'episode-offers-en');
  await e.goto(`/books/${work.id}/episodes/1`);
  await reading(e, 1);
  await e.goto('/me');
  await e.getByTestId('library').locator(`[data-testid="book-card"][data-book-id="${work.id}"]`).getByTestId('library-continue').waitFor();
  await screenshots(e, 'library-en');
  en.assertClean();
});

test('an author schedules the next episode from the studio and sets the work up', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '예약작가');
  const work = await publishSerial(srv, author, '내일의 편지', longText('편지는 언제나 하루 늦게 도착했다.', 20));
  await addEpisode(srv, author, work.id, '2화 답장', longText('답장은 쓰지 않기로 했다.', 20));

  const u = await newUser(browser, srv.base);
  const p = await logIn(u, author);
  await p.goto('/studio');
  const card = p.locator(`[data-testid="work-card"][data-book-id="${work.id}"]`);
  await card.waitFor();
  assert.equal(await card.getByTestId('work-episode').count(), 2);
  await card.getByTestId('write-next').click();
  await p.getByTestId('editor-content').waitFor();
  await p.getByTestId('editor-title').fill('3화 내일');
  await p.getByTestId('editor-content').fill(longText('내일 도착할 편지를 오늘 미리 읽었다.', 12));
  const tomorrow = await p.evaluate(() => {
    const d = new Date(Date.now() + 26 * 3600e3);
    const pad = (x) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  });
  await p.getByTestId('publish-at').fill(tomorrow);
  await p.getByTestId('submit-manuscript').click();
  await confirm(p);
  await p.getByTestId('progress').waitFor();

  // scheduled: the author sees it with its time; nobody else sees it anywhere
  await until(async () => {
    const mine = (await api(srv.base, 'GET', `/api/books/${work.id}/episodes`, { token: author.token })).body.items;
    return mine.length === 3 && mine[2].scheduledAt && !mine[2].publishedAt;
  }, { what: 'the scheduled episode in the author\'s list' });
  const anon = (await api(srv.base, 'GET', `/api/books/${work.id}/episodes`)).body.items;
  assert.deepEqual(anon.map((e) => e.number), [1, 2]);
  assert.equal((await api(srv.base, 'GET', `/api/books/${work.id}/episodes/3`)).status, 404);
  assert.equal((await api(srv.base, 'GET', `/api/books/${work.id}`)).body.book.episodeCount, 2);

  await p.goto('/studio');
  await card.locator('[data-testid="work-episode"][data-state="scheduled"]').getByTestId('work-episode-scheduled').waitFor();

  // the work's settings through the keyboard: free episodes, wait-free, completed
  await card.getByTestId('work-settings-toggle').focus();
  await p.keyboard.press('Enter');
  await card.getByTestId('work-freeEpisodes').fill('1');
  await card.getByTestId('work-waitFreeHours').selectOption('24');
  await card.getByTestId('work-completed').check();
  await card.getByTestId('work-save').focus();
  await p.keyboard.press('Enter');
  await until(async () => {
    const b = (await api(srv.base, 'GET', `/api/books/${work.id}`)).body.book;
    return b.freeEpisodes === 1 && b.waitFreeHours === 24 && b.completed === true;
  }, { what: 'the settings saved' });
  await assertAccessible(p, 'studio');
  await screenshots(p, 'studio');
  u.assertClean();

  const en = await newUser(browser, srv.base, { lang: 'en' });
  const e = await logIn(en, author);
  await e.goto('/studio');
  await e.locator(`[data-testid="work-card"][data-book-id="${work.id}"]`).getByTestId('work-episode-scheduled').waitFor();
  await screenshots(e, 'studio-en');
  en.assertClean();
});
