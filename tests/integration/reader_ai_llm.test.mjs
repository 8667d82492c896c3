// The reader's AI with a language model, through the real OpenAI-compatible adapter against a
// fake chat service on loopback: the model's recap and answer are shown only when every sentence
// cites an episode the reader read (an answer: one its passages came from) and names no one met
// later; otherwise the offline result is, and the response says why. Nothing the reader has not
// read ever reaches the model: asserted on every request the fake received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, adminToken, makeAuthor, publishSerial, addEpisode } from './lib/server.mjs';
import { fakeOpenAI } from './lib/fake_openai.mjs';
import { NAMES, episodeText } from './lib/twelve.mjs';


let f, srv, work;
const readers = [];

before(async () => {
  f = await fakeOpenAI();
  // the blurbs fail at the fake: one attempt, then the offline generator publishes
  srv = await startServer({ args: ['--ai', 'openai', '--ai-attempts', '1', '--ai-backoff-ms', '20'], env: f.env({ WL_LLM_TIMEOUT: '3' }) });
  const author = await makeAuthor(srv, await adminToken(srv), '달빛작가');
  work = await publishSerial(srv, author, '달빛 우체국의 밤', episodeText(0));
  for (let i = 1; i < 12; i++) await addEpisode(srv, author, work.id, `${i + 1}화`, episodeText(i));
  const p = await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { freeEpisodes: 12 } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  for (let k = 0; k < 12; k++) {
    const who = await signup(srv.base);
    const r = await api(srv.base, 'PUT', `/api/me/progress/${work.id}`, { token: who.token, body: { episode: k + 1, anchor: 0, percent: 100 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    readers.push(who);
  }
  assert.ok(f.blurbs >= 12); // every episode asked the model first
});
after(async () => {
  await srv?.stop();
  await f?.close();
});

const recap = (who) => api(srv.base, 'GET', `/api/books/${work.id}/recap`, { token: who.token });
const ask = (who, question) => api(srv.base, 'POST', `/api/books/${work.id}/ask`, { token: who.token, body: { question } });

// Neither the prompt nor anything shown names a character the reader at progress has not met.
function assertNothingLater(text, progress, what) {
  for (const name of NAMES.slice(progress)) assert.ok(!text.includes(name), `${what} at ${progress} names ${name}: ${text}`);
}
function lastStoryRequest(progress) {
  const r = f.storyRequests.at(-1);
  assertNothingLater(r.system + r.user, progress, 'the prompt');
  return r;
}
function assertOfflineRecap(r, why, progress = 5) {
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.generatedBy, 'offline', `${why}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.fallback, why);
  assert.ok(r.body.sentences.length > 0);
  for (const s of r.body.sentences) {
    assert.ok(s.episode >= 1 && s.episode <= progress, JSON.stringify(s));
    assertNothingLater(s.text, progress, 'the recap');
  }
}

test('a recap citing what was read is the model\'s, written from the read summaries alone', async () => {
  const sentences = [{ text: '해진이 달빛 우체국의 문을 열고 들어왔다.', episode: 1 }, { text: '지우도 편지를 받았다.', episode: 5 }];
  f.story.push({ sentences });
  const r = await recap(readers[4]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.generatedBy, 'fake-model');
  assert.equal(r.body.fallback, null);
  assert.deepEqual(r.body.sentences, sentences);
  assert.equal(r.body.upTo, 5);
  const req = lastStoryRequest(5);
  assert.match(req.user, /Episode 5: /);
  assert.doesNotMatch(req.user, /Episode 6: /);
  assert.equal(req.body.model, 'fake-model');
  assert.equal(req.body.response_format.json_schema.strict, true);
});

test('a recap that cites nothing, cites ahead or names someone met later gives the offline one', async () => {
  const cases = [
    [{ sentences: [{ text: '해진이 편지를 받았다.', episode: 0 }] }, 'no_citation'],
    [{ raw: JSON.stringify({ sentences: [{ text: '해진이 편지를 받았다.' }] }) }, 'no_citation'],
    [{ sentences: [{ text: '해진이 편지를 받았다.', episode: 2 }, { text: '서연이 떠났다.', episode: 9 }] }, 'unread_citation'],
    [{ sentences: [{ text: '우체국 문을 열고 들어온 사람은 태오였다.', episode: 3 }] }, 'spoiler'],
    [{ sentences: [] }, 'malformed'],
    [{ raw: 'Here is your recap: 해진 …' }, 'model_failed'],
    [{ status: 500 }, 'model_failed'],
  ];
  for (const [answer, why] of cases) {
    f.story.push(answer);
    assertOfflineRecap(await recap(readers[4]), why);
    lastStoryRequest(5);
  }
});

test('a model that does not answer in time gives the offline recap', async () => {
  f.story.push({ hang: true });
  const t0 = Date.now();
  assertOfflineRecap(await recap(readers[4]), 'model_timeout');
  assert.ok(Date.now() - t0 >= 2500); // the configured three seconds, not less
});

test('a grounded answer cites the passages; one that cites beyond them gives the passages', async () => {
  const who = readers[4];
  f.story.push({ sentences: [{ text: '해진은 1화에서 우체국 문을 열고 들어온 사람이다.', episode: 1 }] });
  const a = await ask(who, '해진이 누구였지?');
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.equal(a.body.generatedBy, 'fake-model');
  assert.equal(a.body.fallback, null);
  assert.equal(a.body.answer, '해진은 1화에서 우체국 문을 열고 들어온 사람이다.');
  assert.deepEqual(a.body.answerSentences, [{ text: a.body.answer, episode: 1 }]);
  assert.equal(a.body.passages[0].episode, 1);
  const req = lastStoryRequest(5);
  assert.match(req.user, /Question: 해진이 누구였지\?/);
  assert.match(req.user, /\[Episode 1\] /);
  for (const [answer, why] of [
    [{ sentences: [{ text: '해진은 우체국에 온 사람이다.', episode: 0 }] }, 'no_citation'],
    [{ sentences: [{ text: '해진은 우체국에 온 사람이다.', episode: 8 }] }, 'unread_citation'],
    [{ sentences: [{ text: '해진은 우체국에 온 사람이다.', episode: 3 }] }, 'ungrounded'],
    [{ sentences: [{ text: '해진은 나중에 무진과 만난다.', episode: 1 }] }, 'spoiler'],
    [{ status: 500 }, 'model_failed'],
  ]) {
    f.story.push(answer);
    const b = await ask(who, '해진이 누구였지?');
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(b.body.fallback, why);
    assert.equal(b.body.generatedBy, 'offline');
    assert.equal(b.body.answer, null);
    assert.deepEqual(b.body.answerSentences, []);
    assert.equal(b.body.passages[0].episode, 1);
    lastStoryRequest(5);
  }
});

test('a question about what lies ahead is refused without asking the model', async () => {
  const before = f.storyRequests.length;
  const a = await ask(readers[4], '태오는 누구야?');
  assert.equal(a.body.refused, true);
  assert.equal(a.body.fallback, null);
  assert.equal(f.storyRequests.length, before);
});

test('200 recaps and answers, the model citing anywhere: what is shown cites only what was read', async () => {
  let seed = 7, models = 0, offline = 0;
  const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  // the model cites any episode 0..12 and names anyone
  f.storyDefault = () => ({ sentences: [0, 1].map(() => ({ text: `${NAMES[rnd(12)]}이 편지를 받았다.`, episode: rnd(13) })) });
  for (let k = 0; k < 100; k++) {
    const progress = (k % 12) + 1, who = readers[progress - 1];
    const r = await recap(who);
    assert.equal(r.status, 200);
    lastStoryRequest(progress);
    const a = await ask(who, `${NAMES[(k * 7) % progress]}이 누구였지?`);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    if (!a.body.refused) lastStoryRequest(progress);
    for (const b of [r.body, a.body]) b.fallback ? offline++ : models++;
    for (const item of [...r.body.sentences, ...a.body.answerSentences, ...a.body.passages]) {
      assert.ok(item.episode >= 1 && item.episode <= progress, `${progress}: ${JSON.stringify(item)}`);
      assertNothingLater(item.text, progress, 'what is shown');
    }
  }
  assert.ok(models > 10 && offline > 10, `${models} shown, ${offline} refused`);
  f.storyDefault = () => ({ status: 500 });
});
