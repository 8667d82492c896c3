// The must-show of issue 13 in the browser: at the author's desk an author changes the price and
// the blurb, uploads a cover, regenerates the tagline and sees the history, with the AI's
// suggestion beside their price; a reader sees the new values, and the English interface shows
// an English price reason. In review mode the proof is accepted from the desk. axe-core in
// Korean and English, screenshots at 1280 and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, api, signup, adminToken, makeAuthor, publishBook, submitManuscript, waitPublished, LOREM_KO } from '../integration/lib/server.mjs';
import { withBrowser, newUser, until, screenshots } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

const COVER = fileURLToPath(new URL('../integration/fixtures/cover-400x600.jpg', import.meta.url));

async function logIn(user, email, password) {
  const p = await user.newPage();
  await p.goto('/login');
  await p.getByTestId('login-email').fill(email);
  await p.getByTestId('login-password').fill(password);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-balance').waitFor();
  return p;
}

test('the author edits at the desk and the reader sees it, in Korean and English', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '책상작가');
  const book = await publishBook(srv, author, '서랍 속 편지', LOREM_KO.repeat(12));
  const aiPrice = book.price;
  const firstTagline = book.tagline;

  const user = await newUser(browser, srv.base);
  user.allow(422);
  const p = await logIn(user, author.email, author.password);
  await p.getByTestId('nav-studio').click();
  await p.getByTestId('desk-link').first().click();
  await p.getByTestId('desk-form').waitFor();
  assert.equal(await p.getByTestId('desk-summary').inputValue(), book.summary);

  // price and blurb, saved from the keyboard
  const mine = aiPrice + 2000;
  await p.getByTestId('desk-price').fill(String(mine));
  await p.getByTestId('desk-summary').fill('할머니의 서랍에서 아직 오지 않은 날의 편지가 나온다. 작가가 직접 고친 소개입니다.');
  await p.getByTestId('desk-save').focus();
  await p.keyboard.press('Enter');
  await until(async () => (await p.getByTestId('ai-price').innerText()).includes('작가 설정'), { what: 'the AI\'s price beside the author\'s' });
  const both = await p.getByTestId('ai-price').innerText();
  assert.match(both, new RegExp(`AI 제안 ${aiPrice.toLocaleString('ko-KR')} P · 작가 설정 ${mine.toLocaleString('ko-KR')} P`));

  // a cover of the author's own
  await p.getByTestId('desk-cover-file').setInputFiles(COVER);
  await p.getByTestId('desk-cover-upload').click();
  await until(async () => (await p.getByTestId('desk-cover-by').innerText()) === '직접 올린 표지', { what: 'the own cover' });

  // the tagline again: a new one arrives in the form and the history says the AI made it
  await p.getByTestId('regen-tagline').click();
  await until(async () => (await p.getByTestId('desk-tagline').inputValue()) !== firstTagline, { timeout: 20000, what: 'the new tagline' });
  const newTagline = await p.getByTestId('desk-tagline').inputValue();
  const items = p.locator('[data-testid="history-item"]');
  // the history is fetched again after the regeneration: wait for it, newest first
  await until(async () => (await items.count()) >= 4 && /한 줄 소개 · AI \(offline\)/.test(await items.first().innerText()),
    { what: 'the regenerated tagline at the top of the history' });
  const fields = await items.evaluateAll((els) => els.map((e) => [e.dataset.field, e.dataset.generated]));
  for (const f of [['tagline', 'true'], ['cover', 'false'], ['summary', 'false'], ['price', 'false']])
    assert.ok(fields.some(([a, b]) => a === f[0] && b === f[1]), `history has ${f}`);
  assert.match(await items.first().innerText(), /한 줄 소개 · AI \(offline\)/);
  await assertAccessible(p, 'desk (ko)');
  await screenshots(p, 'desk-ko');

  await p.getByTestId('lang-switch').selectOption('en');
  await p.locator('html[lang="en"]').waitFor();
  await p.getByTestId('desk-form').waitFor();
  assert.match(await p.getByTestId('ai-price').innerText(), /AI suggests .* · you set /);
  await assertAccessible(p, 'desk (en)');
  await screenshots(p, 'desk-en');
  user.assertClean();

  // the reader: new values, and the reason for the price in the reader's language
  const reader = await signup(srv.base);
  for (const [lang, reason] of [['ko', /분량/], ['en', /read/]]) {
    const ru = await newUser(browser, srv.base, { lang });
    const rp = await logIn(ru, reader.email, reader.password);
    await rp.goto(`/books/${book.id}`);
    await rp.getByTestId('book-title').waitFor();
    assert.equal(await rp.getByTestId('book-tagline').innerText(), newTagline);
    assert.match(await rp.getByTestId('book-summary').innerText(), /작가가 직접 고친 소개/);
    assert.match(await rp.getByTestId('book-price').innerText(), new RegExp(mine.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US')));
    const why = await rp.getByTestId('price-reason').innerText();
    assert.match(why, reason);
    if (lang === 'en') assert.doesNotMatch(why, /[가-힣]/, 'an English price reason');
    ru.assertClean();
  }
});

test('in review mode the author accepts the proof at the desk', async (t) => {
  const srv = await startServer({ args: ['--publish-mode', 'review'] });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '교정작가');
  const m = await submitManuscript(srv, author, '교정쇄');
  const done = await waitPublished(srv, author, m.id);
  assert.equal((await api(srv.base, 'GET', `/api/books/${done.bookId}`)).status, 404);

  const user = await newUser(browser, srv.base);
  user.allow(404);
  const p = await logIn(user, author.email, author.password);
  await p.goto(`/studio/books/${done.bookId}`);
  await p.getByTestId('desk-proof').waitFor();
  await assertAccessible(p, 'desk proof (ko)');
  await screenshots(p, 'desk-proof-ko');
  await p.getByTestId('desk-accept').focus();
  await p.keyboard.press('Enter');
  await p.getByTestId('desk-reader-link').waitFor();
  assert.equal(await p.getByTestId('desk-proof').count(), 0);
  assert.equal((await api(srv.base, 'GET', `/api/books/${done.bookId}`)).status, 200);
  user.assertClean();
});
