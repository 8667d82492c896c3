// The reader's AI in the browser, on the demo serial 《달빛 우체국》 (the demo reader stopped at
// episode 4 of 11): "지난 이야기" at the top of the next episode with each sentence linked to its
// episode and labelled as AI, a question asked from the keyboard, and the account page's OPDS
// address made and revoked. Korean and English, axe-core, screenshots at 1280 and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../integration/lib/server.mjs';
import { withBrowser, newUser, until, screenshots } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

const READER = { email: 'reader@demo.local', password: 'demo-reader-pass' };

async function logIn(user) {
  const p = await user.newPage();
  await p.goto('/login');
  await p.getByTestId('login-email').fill(READER.email);
  await p.getByTestId('login-password').fill(READER.password);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-balance').waitFor();
  return p;
}

async function recapAndAsk(p, work, n, lang) {
  await p.goto(`/books/${work}/episodes/${n}`);
  await p.getByTestId('reader-content').waitFor();
  await p.getByTestId('recap').waitFor();
  const links = await p.getByTestId('recap-sentence').evaluateAll((els) => els.map((e) => e.querySelector('a').getAttribute('href')));
  assert.ok(links.length >= 1 && links.length <= 6);
  for (const href of links) assert.ok(Number(href.split('/').pop()) < n, href);
  assert.match(await p.getByTestId('recap-ai-label').innerText(), lang === 'en' ? /AI/ : /AI가/);
  // the question from the keyboard: focus the field, type, Enter
  await p.getByTestId('ask-question').focus();
  await p.keyboard.type(lang === 'en' ? 'Who is 해진?' : '우체국에는 누가 있었지?');
  await p.keyboard.press('Enter');
  await until(async () => (await p.getByTestId('ask-passage').count()) > 0 || (await p.getByTestId('ask-none').count()) > 0, { what: 'an answer' });
  // by now this episode is read too: answers may quote it, never a later one
  for (const href of await p.getByTestId('ask-passage').evaluateAll((els) => els.map((e) => e.querySelector('a').getAttribute('href'))))
    assert.ok(Number(href.split('/').pop()) <= n, href);
  await assertAccessible(p, `episode ${n} with its recap (${lang})`);
  await screenshots(p, `recap-${lang}`);
}

test('a returning reader gets the recap and asks the story; the OPDS address on the account page', async (t) => {
  const srv = await startServer({ args: ['--demo'] });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const token = await login(srv.base, READER.email, READER.password);
  const work = (await api(srv.base, 'GET', '/api/me/progress', { token })).body.items[0].book.id;
  for (const n of [5, 6])
    assert.equal((await api(srv.base, 'POST', `/api/books/${work}/episodes/${n}/purchase`, { token })).status, 201);

  const ko = await newUser(browser, srv.base);
  const p = await logIn(ko);
  await recapAndAsk(p, work, 5, 'ko');
  await p.goto('/me/account');
  await p.getByTestId('opds-section').waitFor();
  await until(async () => /아직 만든 주소가 없어요/.test(await p.getByTestId('opds-status').innerText()), { what: 'opds status' });
  await p.getByTestId('opds-new').click();
  const url = await p.getByTestId('opds-url').inputValue();
  assert.match(url, /\/opds\/[A-Za-z0-9_-]{43}\/$/);
  assert.equal((await fetch(url.replace(/^https?:\/\/[^/]+/, srv.base))).status, 200);
  await assertAccessible(p, 'account page with an OPDS address');
  await screenshots(p, 'account-opds-ko');
  await p.getByTestId('opds-revoke').click();
  await until(async () => (await p.getByTestId('opds-revoke').isHidden()), { what: 'revoked' });
  assert.equal((await fetch(url.replace(/^https?:\/\/[^/]+/, srv.base))).status, 404);
  ko.assertClean();

  const en = await newUser(browser, srv.base, { lang: 'en' });
  const q = await logIn(en);
  await recapAndAsk(q, work, 6, 'en');
  await q.goto('/me/account');
  await q.getByTestId('opds-new').click();
  await q.getByTestId('opds-url').waitFor();
  await screenshots(q, 'account-opds-en');
  en.assertClean();
});
