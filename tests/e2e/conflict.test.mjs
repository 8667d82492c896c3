// A stale editor tab shows the conflict instead of overwriting the newer save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminToken, makeAuthor } from '../integration/lib/server.mjs';
import { withBrowser, newUser, waitAttr, until, screenshots } from './lib/browser.mjs';

test('two tabs on one manuscript: the stale one gets the conflict banner', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '두창작가');
  const created = await api(srv.base, 'POST', '/api/manuscripts', {
    token: author.token, body: { title: '두 개의 창', content: '처음 문장.' },
  });
  assert.equal(created.status, 201);
  const id = created.body.manuscript.id;

  const user = await newUser(browser, srv.base);
  user.allow(409); // the stale tab's PUT answers 409 revision_conflict: that is the point
  const a = await user.newPage();
  await a.goto('/login');
  await a.getByTestId('login-email').fill(author.email);
  await a.getByTestId('login-password').fill(author.password);
  await a.getByTestId('login-submit').click();
  await a.getByTestId('nav-studio').waitFor();

  // Both tabs open the same revision.
  await a.goto(`/studio/${id}`);
  const b = await user.newPage();
  await b.goto(`/studio/${id}`);
  for (const p of [a, b]) {
    await waitAttr(p, 'save-state', 'data-state', 'saved');
    assert.equal(await p.getByTestId('editor-content').inputValue(), '처음 문장.');
  }

  // Tab A saves a newer revision.
  const fromA = '처음 문장.\n탭 A에서 이어 쓴 두 번째 문장.';
  await a.getByTestId('editor-content').fill(fromA);
  await waitAttr(a, 'save-state', 'data-state', 'dirty');
  await waitAttr(a, 'save-state', 'data-state', 'saved', 10000);
  const afterA = await api(srv.base, 'GET', `/api/manuscripts/${id}`, { token: author.token });
  assert.equal(afterA.body.manuscript.content, fromA);
  assert.equal(afterA.body.manuscript.revision, 2);

  // Tab B, still on revision 1, types: its autosave must not overwrite A's text.
  await b.getByTestId('editor-content').click();
  await b.keyboard.press('End');
  await b.keyboard.type(' 탭 B의 낡은 글.');
  await waitAttr(b, 'save-state', 'data-state', 'conflict', 10000);
  const banner = b.getByTestId('conflict-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /r2/); // names the server's revision
  await b.getByTestId('conflict-server').locator('summary').click();
  await until(async () => (await b.getByTestId('conflict-server').getAttribute('open')) !== null &&
    (await b.getByTestId('conflict-server').innerText()).includes('탭 A에서 이어 쓴'), { what: 'server text in the banner' });
  // Typing more while in conflict does not resume autosave.
  await b.getByTestId('editor-content').press('End');
  await b.keyboard.type(' 더.');
  await new Promise((r) => setTimeout(r, 2000));
  await waitAttr(b, 'save-state', 'data-state', 'conflict');
  const still = await api(srv.base, 'GET', `/api/manuscripts/${id}`, { token: author.token });
  assert.equal(still.body.manuscript.content, fromA, 'the server content was overwritten');
  assert.equal(still.body.manuscript.revision, 2);
  assert.match(await b.getByTestId('editor-content').inputValue(), /탭 B의 낡은 글\. 더\.$/); // local text kept

  await screenshots(b, 'editor-conflict');

  // Loading the server version ends the conflict with A's text.
  await b.getByTestId('conflict-reload').click();
  await waitAttr(b, 'save-state', 'data-state', 'saved');
  assert.equal(await b.getByTestId('conflict-banner').isVisible(), false);
  assert.equal(await b.getByTestId('editor-content').inputValue(), fromA);

  // And B can go on from there without a conflict.
  await b.getByTestId('editor-content').fill(`${fromA}\n탭 B가 최신본에서 이어 씀.`);
  await waitAttr(b, 'save-state', 'data-state', 'saved', 10000);
  const last = await api(srv.base, 'GET', `/api/manuscripts/${id}`, { token: author.token });
  assert.equal(last.body.manuscript.revision, 3);
  assert.match(last.body.manuscript.content, /최신본에서 이어 씀/);

  user.assertClean();
  await user.close();
});
