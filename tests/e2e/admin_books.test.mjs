// The admin's books page: the works whose readers the reader rule excluded (a farm of sign-ups
// from one address), every book with hidden ones, hiding and restoring one from the keyboard.
// axe-core in both languages, screenshots at 1280 and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, adminToken, createAdmin, makeAuthor, publishSerial } from '../integration/lib/server.mjs';
import { withBrowser, newUser, until, screenshots } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

test('an admin sees the exclusions of every work and hides a book', async (t) => {
  const srv = await startServer({ args: ['--reader-min-age', '0', '--signup-limit', '0', '--trusted-proxy', '127.0.0.1/32'] });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재');
  const farmed = await publishSerial(srv, author, '서랍 농장');
  const quiet = await publishSerial(srv, author, '조용한 서랍');
  for (const b of [farmed, quiet])
    assert.equal((await api(srv.base, 'PATCH', `/api/books/${b.id}`, { token: author.token, body: { freeEpisodes: 1 } })).status, 200);
  const read = async (book, address, name) => {
    const who = await signup(srv.base, undefined, 'password1', name);
    const r = await api(srv.base, 'GET', `/api/books/${book.id}/episodes/1/content`, { token: who.token, headers: { 'X-Forwarded-For': address } });
    assert.equal(r.status, 200);
  };
  for (let i = 0; i < 8; i++) await read(farmed, '203.0.113.7', `농장${i}`);
  await read(quiet, '198.51.100.9', '조용한독자');
  await until(async () => {
    const r = await api(srv.base, 'GET', '/api/admin/exclusions?period=day', { token: admin });
    return r.body.items.length === 1 && r.body.items[0].excluded === 5;
  }, { what: 'the reads flushed' });

  const root = createAdmin(srv.dbPath);
  const user = await newUser(browser, srv.base);
  const p = await user.newPage();
  await p.goto('/login');
  await p.getByTestId('login-email').fill(root.email);
  await p.getByTestId('login-password').fill(root.password);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-admin').click();
  await p.getByTestId('books-link').click();
  const rows = p.locator('[data-testid="exclusion-row"]');
  await until(async () => (await rows.count()) === 1, { what: 'one work with exclusions' });
  assert.equal(await rows.first().getAttribute('data-book-id'), String(farmed.id));
  assert.match(await rows.first().innerText(), /서랍 농장\s+3\s+5\s+0\s+5/);
  const books = p.locator('[data-testid="admin-book"]');
  await until(async () => (await books.count()) === 2, { what: 'both books listed' });

  // hide the quiet one from the keyboard: it stays listed here, marked, and leaves the catalog
  const hide = p.getByTestId(`book-hide-${quiet.id}`);
  await hide.focus();
  await p.keyboard.press('Enter');
  await p.getByTestId(`book-hidden-${quiet.id}`).waitFor();
  const catalog = await api(srv.base, 'GET', '/api/books?limit=100');
  assert.deepEqual(catalog.body.items.map((b) => b.id), [farmed.id]);
  await p.getByTestId('admin-book-search').fill('조용한');
  await until(async () => (await books.count()) === 1, { what: 'the search narrows the list' });
  await p.getByTestId('admin-book-search').fill('');
  await until(async () => (await books.count()) === 2, { what: 'the full list again' });
  await assertAccessible(p, 'admin books (ko)');
  await screenshots(p, 'admin-books-ko');
  await p.getByTestId('lang-switch').selectOption('en');
  await p.locator('html[lang="en"]').waitFor();
  await until(async () => (await rows.count()) === 1, { what: 'the exclusions in English' });
  await assertAccessible(p, 'admin books (en)');
  await screenshots(p, 'admin-books-en');

  // and back: restore it
  await p.getByTestId(`book-restore-${quiet.id}`).click();
  await p.getByTestId(`book-hide-${quiet.id}`).waitFor();
  assert.equal((await api(srv.base, 'GET', '/api/books?limit=100')).body.items.length, 2);
  user.assertClean();
});
