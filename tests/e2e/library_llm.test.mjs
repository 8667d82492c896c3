// The library that leaves the site and the model's answers, in the browser, with a language
// model behind a fake chat service: a reader who bought an episode downloads the work's EPUB
// from its page and from the library (application/epub+zip, an attachment); on the episode
// they read next, the recap the model could not write is the offline one with a quiet note
// saying so and why, a question the model fails on shows the passages with that note, and an
// answer the model wrote is shown sentence by sentence, each linked to the episode it cites.
// Korean and English, axe-core, screenshots at 1280 and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api, signup, adminToken, makeAuthor, publishSerial, addEpisode } from '../integration/lib/server.mjs';
import { fakeOpenAI } from '../integration/lib/fake_openai.mjs';
import { NAMES, episodeText } from '../integration/lib/twelve.mjs';
import { withBrowser, newUser, until, screenshots, logIn } from './lib/browser.mjs';
import { assertAccessible } from './lib/a11y.mjs';

const NOTE = {
  ko: { recap: /AI 모델이 쓴 요약 대신[\s\S]*AI 모델이 답하지 못했어요/, ask: /AI 모델의 답 대신[\s\S]*AI 모델이 답하지 못했어요/ },
  en: { recap: /not from the AI model[\s\S]*The model did not answer/, ask: /instead of the AI model.s answer[\s\S]*The model did not answer/ },
};

// The EPUB link downloads a file; the same address, with this browser's session, answers an
// attachment of type application/epub+zip: a zip whose first entry is the stored mimetype.
async function downloads(p, link, lang) {
  // the interface's language rides in the address: a download link sends no Accept-Language of ours
  assert.match(await link.getAttribute('href'), new RegExp(`/epub\\?lang=${lang}$`));
  const [dl] = await Promise.all([p.waitForEvent('download'), link.click()]);
  assert.match(dl.suggestedFilename(), /^walking-library-\d+\.epub$/);
  assert.equal(await dl.failure(), null);
  const bytes = readFileSync(await dl.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.equal(bytes.subarray(30, 58).toString('latin1'), 'mimetypeapplication/epub+zip');
  const res = await p.context().request.get(await link.getAttribute('href'));
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/epub+zip');
  assert.match(res.headers()['content-disposition'], /^attachment; filename="walking-library-\d+\.epub"$/);
}

async function ask(p, question) {
  const before = await p.getByTestId('ask-result').innerText();
  await p.getByTestId('ask-question').fill(question);
  await p.getByTestId('ask-question').press('Enter');
  await until(async () => (await p.getByTestId('ask-result').innerText()) !== before && (await p.getByTestId('ask-passage').count()) > 0, { what: `an answer to ${question}` });
}

async function episodeWithModel(p, f, work, lang) {
  await p.goto(`/books/${work.id}/episodes/2`);
  await p.getByTestId('reader-content').waitFor();
  await p.getByTestId('recap').waitFor();
  assert.match(await p.getByTestId('recap-fallback').innerText(), NOTE[lang].recap);

  // the model fails: the passages are the answer, and the note says why
  await ask(p, lang === 'en' ? 'Who was 해진?' : '해진이 누구였지?');
  assert.match(await p.getByTestId('ask-fallback').innerText(), NOTE[lang].ask);
  assert.equal(await p.getByTestId('ask-sentence').count(), 0);
  await screenshots(p, `ask-fallback-${lang}`);

  // the model answers citing the passage's episode: its sentences, each linked
  f.answers.push({ sentences: [{ text: `${NAMES[0]}은 우체국 문을 열고 들어온 사람이었다.`, episode: 1 }, { text: `${NAMES[0]}은 봉투를 주머니에 넣었다.`, episode: 1 }] });
  await ask(p, lang === 'en' ? 'What did 해진 do?' : '해진은 무엇을 했지?');
  await until(async () => (await p.getByTestId('ask-sentence').count()) === 2, { what: 'the model\'s sentences' });
  assert.equal(await p.getByTestId('ask-fallback').count(), 0);
  const cites = await p.getByTestId('ask-sentence').evaluateAll((els) => els.map((e) => e.querySelector('a').getAttribute('href')));
  assert.deepEqual(cites, [`/books/${work.id}/episodes/1`, `/books/${work.id}/episodes/1`]);
  assert.match(await p.getByTestId('ask-sentence').first().innerText(), /해진은 우체국 문을 열고 들어온 사람이었다/);
  await assertAccessible(p, `the episode with the recap's note and the model's answer (${lang})`);
  await screenshots(p, `ask-model-${lang}`);
}

test('the EPUB button downloads what the reader owns; the model\'s fallback and cited sentences are shown', async (t) => {
  const f = await fakeOpenAI();
  t.after(() => f.close());
  // recaps fail at the model (model_failed); answers take the next scripted one, else fail
  f.answers = [];
  f.storyDefault = (req) => (req.system.startsWith('You answer') && f.answers.length ? f.answers.shift() : { status: 500 });
  const srv = await startServer({ args: ['--ai', 'openai', '--ai-attempts', '1', '--ai-backoff-ms', '20'], env: f.env({ WL_LLM_TIMEOUT: '3' }) });
  t.after(() => srv.stop());
  const browser = await withBrowser(t);
  const author = await makeAuthor(srv, await adminToken(srv), '달빛작가');
  const work = await publishSerial(srv, author, '달빛 우체국의 밤', episodeText(0));
  for (let i = 1; i < 5; i++) await addEpisode(srv, author, work.id, `${i + 1}화`, episodeText(i));
  assert.equal((await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { freeEpisodes: 1 } })).status, 200);

  for (const lang of ['ko', 'en']) {
    const who = await signup(srv.base);
    assert.equal((await api(srv.base, 'POST', '/api/me/points/charge', { token: who.token, body: { amount: 10000 } })).status, 201);
    assert.equal((await api(srv.base, 'POST', `/api/books/${work.id}/episodes/2/purchase`, { token: who.token })).status, 201);
    assert.equal((await api(srv.base, 'PUT', `/api/me/progress/${work.id}`, { token: who.token, body: { episode: 1, anchor: 0, percent: 100 } })).status, 200);
    const user = await newUser(browser, srv.base, { lang: lang === 'en' ? 'en' : undefined });
    const p = await logIn(user, who);

    await p.goto(`/books/${work.id}`);
    const onPage = p.getByTestId('work-actions').getByTestId('epub-download');
    await onPage.waitFor();
    await downloads(p, onPage, lang);
    await assertAccessible(p, `the work page with the EPUB button (${lang})`);
    await screenshots(p, `epub-button-${lang}`);

    await p.goto('/me');
    const shelf = p.getByTestId('library').locator(`[data-book-id="${work.id}"]`).getByTestId('epub-download');
    await shelf.waitFor();
    await downloads(p, shelf, lang);
    await assertAccessible(p, `the library with the EPUB button (${lang})`);
    await screenshots(p, `library-epub-${lang}`);

    await episodeWithModel(p, f, work, lang);
    user.assertClean();
  }

  // a reader who owns nothing of it is offered no EPUB
  const stranger = await signup(srv.base);
  const user = await newUser(browser, srv.base);
  const p = await logIn(user, stranger);
  await p.goto(`/books/${work.id}`);
  await p.getByTestId('work-actions').waitFor();
  await p.getByTestId('episode-list').waitFor();
  assert.equal(await p.getByTestId('epub-download').count(), 0);
  user.assertClean();
});
