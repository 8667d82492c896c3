// Issue 10, open redirects: /login?next= and /me?return= go only to paths of this origin. A tab,
// a newline or a backslash (which browsers drop or read as a slash, making "/\t/evil" into
// "//evil"), a protocol-relative or an absolute URL all fall back to a page of this site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup } from '../integration/lib/server.mjs';
import { withBrowser, newUser } from './lib/browser.mjs';

const TRICKS = [
  '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/\\evil.example', '\\/evil.example',
  '//evil.example', '///evil.example', 'https://evil.example/', '/%09/evil.example'.replace('%09', '\t'),
  ' /evil', 'javascript:alert(1)', '/\u0000/evil.example',
];

test('after login, ?next= tricks stay on this site; a real path is followed', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const who = await signup(srv.base);
  const origin = new URL(srv.base).origin;
  const user = await newUser(browser, srv.base);
  user.allow(401); // the app asks who is signed in after each sign-out
  const page = await user.newPage();
  for (const next of [...TRICKS, '/me?tab=library#top']) {
    await user.context.clearCookies(); // signed out again
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByTestId('login-email').fill(who.email);
    await page.getByTestId('login-password').fill(who.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 10000 });
    const at = new URL(page.url());
    assert.equal(at.origin, origin, `next=${JSON.stringify(next)} left the site for ${page.url()}`);
    if (next.startsWith('/me'))
      assert.equal(`${at.pathname}${at.search}${at.hash}`, next);
    else
      assert.equal(at.pathname, '/', `next=${JSON.stringify(next)} went to ${page.url()}`);
  }
  user.assertClean();
});

test('the charge page links ?return= only to a path of this site', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const who = await signup(srv.base);
  const user = await newUser(browser, srv.base);
  const page = await user.newPage();
  await page.goto('/login');
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
  for (const back of TRICKS) {
    await page.goto(`/me?return=${encodeURIComponent(back)}`);
    await page.getByTestId('charge-form').waitFor();
    assert.equal(await page.getByTestId('charge-return').count(), 0, `return=${JSON.stringify(back)} made a link`);
  }
  await page.goto(`/me?return=${encodeURIComponent('/books/1')}`);
  const link = page.getByTestId('charge-return');
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), '/books/1');
  user.assertClean();
});
