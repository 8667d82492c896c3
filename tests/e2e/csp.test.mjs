// The Content-Security-Policy blocks inline scripts, and the app works under it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from '../integration/lib/server.mjs';
import { withBrowser, newUser, until } from './lib/browser.mjs';

test('CSP: script-src self only; an injected inline script does not run; the app still works', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);

  // The shell and client routes carry the policy.
  for (const path of ['/', '/books/1', '/studio/3']) {
    const r = await api(srv.base, 'GET', path);
    assert.equal(r.status, 200, path);
    const csp = r.headers.get('content-security-policy') ?? '';
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? /(?:^|;)\s*default-src ([^;]*)/.exec(csp)?.[1];
    assert.ok(scriptSrc, `${path}: no script-src in ${csp}`);
    assert.match(scriptSrc, /'self'/);
    assert.doesNotMatch(scriptSrc, /'unsafe-inline'|'unsafe-eval'|\*/);
    assert.doesNotMatch(csp, /style-src[^;]*'unsafe-inline'/);
  }

  const user = await newUser(browser, srv.base);
  const page = await user.newPage();
  const res = await page.goto('/');
  assert.match(res.headers()['content-security-policy'], /script-src 'self'/);
  await page.getByTestId('shelf-new').waitFor();

  // Inline script, inline handler and javascript: URL: none of them may run.
  user.expectedCsp.on = true;
  const result = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    window.__inlineRan = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.head.append(s);
    const b = document.createElement('button');
    b.setAttribute('onclick', 'window.__inlineRan = true;');
    document.body.append(b);
    b.click();
    b.remove();
    await new Promise((r) => setTimeout(r, 200));
    return { ran: window.__inlineRan, violations };
  });
  assert.equal(result.ran, false, 'an inline script ran');
  assert.ok(result.violations.includes('script-src-elem'), `violations: ${result.violations}`);
  assert.ok(result.violations.includes('script-src-attr'), `violations: ${result.violations}`);
  // Chromium logs both refusals; only those two console errors are expected here.
  await until(() => user.expectedCsp.seen.length >= 2, { what: 'the CSP refusals in the console', timeout: 5000 });
  user.expectedCsp.on = false;

  // The app keeps working: router, language switch, sign-up, theme.
  await page.getByTestId('nav-signup').click();
  await page.getByTestId('page-signup').waitFor();
  await page.getByTestId('lang-switch').selectOption('en');
  await until(async () => (await page.getByTestId('signup-submit').innerText()).trim() === 'Create account', { what: 'English labels' });
  await page.getByTestId('signup-name').fill('CSP Reader');
  await page.getByTestId('signup-email').fill(`csp-${Date.now()}@example.com`);
  await page.getByTestId('signup-password').fill('password1');
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('nav-balance').waitFor();
  assert.equal((await page.getByTestId('nav-balance').innerText()).trim(), '0 P');
  const theme = page.getByTestId('theme-toggle');
  await theme.click();
  assert.equal(await theme.getAttribute('data-mode'), 'light');
  await theme.click();
  assert.equal(await theme.getAttribute('data-mode'), 'dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.getByTestId('nav-me').click();
  await page.getByTestId('charge-section').waitFor();
  await page.getByTestId('lang-switch').selectOption('ko');
  await until(async () => (await page.getByTestId('charge-submit').innerText()).includes('충전'), { what: 'Korean labels' });

  user.assertClean();
  await user.close();
});
