// What the AI made, said where readers see it, and the reader's choice not to see AI-drawn
// covers: a generated work's page labels its blurb, tagline, price and cover ("AI가 쓴 소개",
// "AI가 그린 표지", …) and a work with the author's own cover and blurb does not; the catalog
// cards mark AI covers; "AI가 그린 표지의 작품 숨기기", toggled from the keyboard, takes such
// works out of the shelves and the search, survives a reload, and the library sets the title
// in type where the cover would be. Korean and English, axe-core, screenshots at 1280 and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api, signup, adminToken, makeAuthor, publishBook } from '../integration/lib/server.mjs';
import { withBrowser, newUser, until, screenshots, logIn } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

const JPEG = readFileSync(new URL('../integration/fixtures/cover-400x600.jpg', import.meta.url));

const WORDS = {
  ko: { summary: 'AI가 쓴 소개', tagline: 'AI가 쓴 한 줄 소개', price: 'AI가 정한 가격', cover: 'AI가 그린 표지', mark: 'AI 표지' },
  en: { summary: 'Summary written by AI', tagline: 'Tagline written by AI', price: 'Price set by AI', cover: 'Cover drawn by AI', mark: 'AI cover' },
};

const cardIds = (list) => list.getByTestId('book-card').evaluateAll((els) => els.map((e) => Number(e.dataset.bookId)));

async function labels(p, lang, drawn, own) {
  const w = WORDS[lang];
  await p.goto(`/books/${drawn.id}`);
  await p.getByTestId('book-summary').waitFor();
  for (const part of ['summary', 'tagline', 'price', 'cover'])
    assert.equal((await p.getByTestId(`ai-label-${part}`).innerText()).replace(/^AI\s*/, ''), w[part], part);
  await assertAccessible(p, `a generated work's page (${lang})`);
  await screenshots(p, `ai-labels-${lang}`);

  await p.goto(`/books/${own.id}`);
  await p.getByTestId('book-summary').waitFor();
  assert.equal(await p.getByTestId('ai-label-cover').count(), 0, 'the author\'s own cover is not labelled');
  assert.equal(await p.getByTestId('ai-label-summary').count(), 0, 'the author\'s own blurb is not labelled');
  assert.equal(await p.getByTestId('ai-label-price').count(), 1, 'the price is still the AI\'s');
}

// The home page's choice from the keyboard; the shelves and the search follow it.
async function hideAiCovers(p, lang, drawn, own) {
  await p.goto('/');
  const list = p.getByTestId('new-list');
  await until(async () => (await cardIds(list)).length === 2, { what: 'both works on the new shelf' });
  const drawnCard = list.locator(`[data-book-id="${drawn.id}"]`);
  assert.equal(await drawnCard.getByTestId('cover-ai-mark').innerText(), WORDS[lang].mark);
  assert.equal(await list.locator(`[data-book-id="${own.id}"]`).getByTestId('cover-ai-mark').count(), 0);
  await screenshots(p, `ai-cover-marks-${lang}`);

  const box = p.getByTestId('hide-ai-covers');
  assert.equal(await box.isChecked(), false);
  await box.focus();
  await p.keyboard.press('Space');
  assert.equal(await box.isChecked(), true);
  await until(async () => JSON.stringify(await cardIds(p.getByTestId('new-list'))) === JSON.stringify([own.id]), { what: 'the AI-cover work gone from the shelf' });
  await assertAccessible(p, `home with AI covers hidden (${lang})`);
  await screenshots(p, `hide-ai-covers-${lang}`);

  await p.getByTestId('search-input').fill('서랍');
  await until(async () => JSON.stringify(await cardIds(p.getByTestId('search-list'))) === JSON.stringify([own.id]), { what: 'search without the AI-cover work' });
  await p.reload();
  await until(async () => JSON.stringify(await cardIds(p.getByTestId('search-list'))) === JSON.stringify([own.id]), { what: 'the choice kept after a reload' });
  assert.equal(await p.getByTestId('hide-ai-covers').isChecked(), true);
}

test('AI-made parts are labelled; readers can hide works with AI-drawn covers', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const author = await makeAuthor(srv, await adminToken(srv), '표지작가');
  const drawn = await publishBook(srv, author, '그려진 서랍의 밤');
  const own = await publishBook(srv, author, '작가가 그린 서랍');
  const put = await api(srv.base, 'PUT', `/api/books/${own.id}/cover`, { token: author.token, raw: JPEG, headers: { 'content-type': 'image/jpeg' } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal((await api(srv.base, 'PATCH', `/api/books/${own.id}`, { token: author.token, body: { summary: '작가가 직접 쓴 소개입니다. 서랍 이야기.' } })).status, 200);
  const reader = await signup(srv.base);
  assert.equal((await api(srv.base, 'POST', '/api/me/points/charge', { token: reader.token, body: { amount: 100000 } })).status, 201);
  assert.equal((await api(srv.base, 'POST', `/api/books/${drawn.id}/purchase`, { token: reader.token })).status, 201);

  for (const lang of ['ko', 'en']) {
    const guest = await newUser(browser, srv.base, { lang: lang === 'en' ? 'en' : undefined });
    const p = await guest.newPage();
    await labels(p, lang, drawn, own);
    await hideAiCovers(p, lang, drawn, own);
    guest.assertClean();
  }

  // a signed-in reader's library still holds the AI-cover work: its title set in type instead
  const user = await newUser(browser, srv.base);
  const p = await logIn(user, reader);
  await p.goto('/');
  await p.getByTestId('hide-ai-covers').check();
  await p.goto('/me');
  const card = p.getByTestId('library').locator(`[data-book-id="${drawn.id}"]`);
  await card.getByTestId('cover-typed').waitFor();
  assert.equal(await card.getByTestId('book-cover').count(), 0);
  assert.match(await card.getByTestId('cover-typed').innerText(), /그려진 서랍의 밤[\s\S]*표지작가/);
  await assertAccessible(p, 'the library with the title in type');
  await screenshots(p, 'library-typed-cover-ko');
  user.assertClean();
});
