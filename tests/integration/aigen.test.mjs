// AI generation over real HTTP: submit -> job -> book, with the offline generator and with a
// fake OpenAI-compatible server that fails, recovers, or hangs while the process is killed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { startServer, api, signup, createAdmin, login, makeAuthor } from './lib/server.mjs';

const servers = [];
after(async () => {
  for (const s of servers) {
    if (s.child && s.child.exitCode === null && s.child.signalCode === null) await s.stop();
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TEXT = '옛날 옛적 어느 마을에 책을 좋아하는 아이가 살았습니다. 아이는 매일 아침 도서관에 갔습니다. '
  .repeat(4) + 'The library kept its lights on for her. She read every book on the lowest shelf.';
// A real cover (300 x 450, within the cover bounds): the server decodes what it stores.
const PNG = readFileSync(new URL('./fixtures/cover-300x450.png', import.meta.url));
const PNG_B64 = PNG.toString('base64');

/**
 * A tiny OpenAI-compatible server; mode: 'fail' | 'ok' | 'slow'. Counts calls.
 * f.image is data[0] of the images answer ({b64_json} by default, or {url}); GET /img.png
 * serves the PNG and GET /redirect?to=URL answers 302 to URL. In mode 'ok', f.chatErrors
 * and f.imageErrors are answered first, one per call ({status, headers}); f.chatAt holds
 * when each chat call came.
 */
async function fakeOpenAI(mode = 'fail', host = '127.0.0.1') {
  const f = { mode, calls: 0, chat: 0, images: 0, gets: 0, image: { b64_json: PNG_B64 },
    chatErrors: [], imageErrors: [], chatAt: [] };
  f.server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      f.gets++;
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/redirect') {
        res.writeHead(302, { location: u.searchParams.get('to') });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(PNG);
    }
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      f.calls++;
      const send = (status, obj, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(obj));
      };
      const scripted = (list) => {
        const e = list.shift();
        return e && send(e.status, { error: { message: `scripted ${e.status}`, type: 'fake' } }, e.headers);
      };
      if (f.mode === 'fail') return send(500, { error: { message: 'the fake model is down' } });
      if (f.mode === 'slow') return; // never answers: the process is killed meanwhile
      if (req.url.endsWith('/chat/completions')) {
        f.chat++;
        f.chatAt.push(Date.now());
        if (f.chatErrors.length) return scripted(f.chatErrors);
        const content = JSON.stringify({
          summary: '책을 사랑한 아이와 불이 꺼지지 않는 도서관의 이야기. 조용하고 따뜻한 성장담입니다.',
          tagline: '모든 책은 독자를 기다린다',
          price: 123456789, // far out of bounds: clamped by the core
          priceReason: '중편 분량의 성장 소설',
          coverPrompt: 'a small library at dusk with warm lights',
        });
        return send(200, {
          id: 'chatcmpl-fake', object: 'chat.completion', model: 'fake-model',
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }],
        });
      }
      if (req.url.endsWith('/images/generations')) {
        f.images++;
        if (f.imageErrors.length) return scripted(f.imageErrors);
        return send(200, { created: 1, data: [f.image] });
      }
      return send(404, { error: { message: 'no such route' } });
    });
  });
  await new Promise((r) => f.server.listen(0, host, r));
  f.origin = `http://${host}:${f.server.address().port}`;
  f.base = `${f.origin}/v1`;
  f.close = () => new Promise((r) => { f.server.closeAllConnections?.(); f.server.close(() => r()); });
  return f;
}

function openaiEnv(f, extra = {}) {
  return { WL_LLM_BASE_URL: f.base, WL_LLM_MODEL: 'fake-model', WL_IMAGE_MODEL: 'fake-image',
    WL_LLM_API_KEY: 'sk-test-secret-key', ...extra };
}

async function start(opts) {
  const srv = await startServer(opts);
  servers.push(srv);
  const a = createAdmin(srv.dbPath);
  srv.admin = await login(srv.base, a.email, a.password);
  srv.author = await makeAuthor(srv, srv.admin, '김작가');
  return srv;
}

/** Creates and submits a manuscript; returns its id. */
async function submit(srv, title, content = TEXT) {
  const c = await api(srv.base, 'POST', '/api/manuscripts', { token: srv.author.token, body: { title, content } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const s = await api(srv.base, 'POST', `/api/manuscripts/${c.body.manuscript.id}/submit`, { token: srv.author.token });
  assert.equal(s.status, 202, JSON.stringify(s.body));
  return c.body.manuscript.id;
}

const manuscript = async (srv, id) =>
  (await api(srv.base, 'GET', `/api/manuscripts/${id}`, { token: srv.author.token })).body.manuscript;

/** Polls the manuscript until its status is one of want; returns it. */
async function until(srv, id, want, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await manuscript(srv, id);
    if (want.includes(m.status)) return m;
    if (Date.now() > deadline) throw new Error(`manuscript ${id} still ${m.status}`);
    await sleep(20);
  }
}

async function jobs(srv, query = '') {
  const r = await api(srv.base, 'GET', `/api/admin/ai-jobs${query}`, { token: srv.admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

const jobOf = async (srv, manuscriptId) =>
  (await jobs(srv, '?limit=100')).items.find((j) => j.manuscriptId === manuscriptId);

// The cover is drawn with cairo: some 20 ms in a release build, but hundreds under the
// sanitizers on a loaded machine; a second is the bar, twice that the allowance.
test('offline: a submitted manuscript is published within a second or two, with an SVG cover', async () => {
  const srv = await start();
  const t0 = Date.now();
  const id = await submit(srv, '걷다가 서재');
  const m = await until(srv, id, ['published', 'failed'], 2000);
  const elapsed = Date.now() - t0;
  assert.equal(m.status, 'published', JSON.stringify(m));
  assert.ok(elapsed < 2000, `published after ${elapsed} ms`);
  assert.ok(m.bookId > 0);

  const b = await api(srv.base, 'GET', `/api/books/${m.bookId}`, { token: srv.author.token });
  assert.equal(b.status, 200, JSON.stringify(b.body));
  assert.equal(b.body.book.title, '걷다가 서재');
  assert.deepEqual(b.body.book.generatedBy, { summary: 'offline', price: 'offline', cover: 'offline' });
  assert.ok(b.body.book.price >= 1000 && b.body.book.price <= 50000 && b.body.book.price % 100 === 0);
  assert.ok(b.body.book.summary.length > 0);

  const cover = await api(srv.base, 'GET', `/api/books/${m.bookId}/cover`);
  assert.equal(cover.status, 200);
  assert.match(cover.headers.get('content-type'), /^image\/svg\+xml/);
  assert.match(cover.body, /<svg[\s>]/);

  const j = await jobOf(srv, id);
  assert.equal(j.status, 'succeeded');
  assert.equal(j.attempts, 1);
  assert.equal(j.lastError, null);
  assert.equal(j.generator, 'offline');
  assert.match(j.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // the event log tells the story in order
  const ev = await api(srv.base, 'GET', '/api/admin/events?limit=100', { token: srv.admin });
  const mine = ev.body.items.filter((e) => e.payload.manuscriptId === id).map((e) => e.type);
  assert.deepEqual(mine, ['manuscript.submitted', 'ai.generation_completed', 'book.published']);

  // metrics show the jobs and their durations
  const metrics = await api(srv.base, 'GET', '/metrics');
  assert.match(metrics.body, /wl_ai_jobs\{state="succeeded"\} 1/);
  assert.match(metrics.body, /wl_ai_job_duration_seconds_count 1/);
  assert.deepEqual(await srv.stop(), { code: 0, sig: null });
});

test('a hostile title cannot reach the SVG cover: glyphs are outlines, never text', async () => {
  const srv = await start();
  const title = '</text><script>alert(1)</script>';
  const id = await submit(srv, title);
  const m = await until(srv, id, ['published', 'failed']);
  assert.equal(m.status, 'published');
  const cover = await api(srv.base, 'GET', `/api/books/${m.bookId}/cover`);
  assert.equal(cover.status, 200);
  assert.ok(!cover.body.includes('<script'), 'no script element in the SVG');
  assert.ok(!cover.body.includes('<text'), 'no text element: the title is drawn as glyph outlines');
  assert.ok(!cover.body.includes('alert'), 'nothing of the title is in the document as text');
  assert.match(cover.body, /<symbol overflow="visible" id="glyph/);
  await srv.stop();
});

test('the admin job list: admin only, status filter, paging', async () => {
  const srv = await start();
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await submit(srv, `목록 ${i}`));
  for (const id of ids) await until(srv, id, ['published']);
  assert.equal((await api(srv.base, 'GET', '/api/admin/ai-jobs')).status, 401);
  assert.equal((await api(srv.base, 'GET', '/api/admin/ai-jobs', { token: srv.author.token })).status, 403);
  const bad = await api(srv.base, 'GET', '/api/admin/ai-jobs?status=nope', { token: srv.admin });
  assert.equal(bad.status, 422);
  const page1 = await jobs(srv, '?limit=2');
  assert.equal(page1.items.length, 2);
  assert.deepEqual(page1.items.map((j) => j.manuscriptId), [ids[2], ids[1]]);
  assert.ok(page1.nextCursor);
  const page2 = await jobs(srv, `?limit=2&cursor=${page1.nextCursor}`);
  assert.deepEqual(page2.items.map((j) => j.manuscriptId), [ids[0]]);
  assert.equal(page2.nextCursor, null);
  assert.equal((await jobs(srv, '?status=succeeded')).items.length, 3);
  assert.equal((await jobs(srv, '?status=failed')).items.length, 0);
  await srv.stop();
});

test('the model failing every call: the offline fallback publishes, the job shows attempts and errors', async () => {
  const f = await fakeOpenAI('fail');
  try {
    const srv = await start({
      args: ['--ai', 'openai', '--ai-attempts', '3', '--ai-backoff-ms', '20'],
      env: openaiEnv(f),
    });
    const id = await submit(srv, '실패하는 모델');
    const m = await until(srv, id, ['published', 'failed'], 20000);
    assert.equal(m.status, 'published', JSON.stringify(m));
    const b = await api(srv.base, 'GET', `/api/books/${m.bookId}`, { token: srv.author.token });
    assert.deepEqual(b.body.book.generatedBy, { summary: 'offline', price: 'offline', cover: 'offline' });
    const j = await jobOf(srv, id);
    assert.equal(j.status, 'succeeded');
    assert.equal(j.attempts, 3);
    assert.match(j.lastError, /text \(fake-model\)/);
    assert.match(j.lastError, /image \(fake-image\)/);
    assert.equal(j.generator, 'offline');
    assert.ok(f.calls >= 3, `the model was asked ${f.calls} times`);
    assert.deepEqual(await srv.stop(), { code: 0, sig: null }); // clean exit, no leak report
    // the key never reaches the log
    assert.ok(!srv.log.join('\n').includes('sk-test-secret-key'));
  } finally {
    await f.close();
  }
});

test('--ai-fallback none: the manuscript fails; retry publishes once the model answers', async () => {
  const f = await fakeOpenAI('fail');
  try {
    const srv = await start({
      args: ['--ai', 'openai', '--ai-fallback', 'none', '--ai-attempts', '2', '--ai-backoff-ms', '20'],
      env: openaiEnv(f),
    });
    const id = await submit(srv, '엄격한 출판');
    const failed = await until(srv, id, ['failed', 'published'], 20000);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error, /text \(fake-model\)/);
    assert.equal(failed.bookId, null);
    let j = await jobOf(srv, id);
    assert.equal(j.status, 'failed');
    assert.equal(j.attempts, 2);
    const ev = await api(srv.base, 'GET', '/api/admin/events?type=ai.generation_failed', { token: srv.admin });
    assert.equal(ev.body.items.filter((e) => e.payload.manuscriptId === id).length, 1);

    f.mode = 'ok';
    const r = await api(srv.base, 'POST', `/api/manuscripts/${id}/retry`, { token: srv.author.token });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const m = await until(srv, id, ['published', 'failed'], 20000);
    assert.equal(m.status, 'published', JSON.stringify(m));
    assert.equal(m.error, null);
    const b = await api(srv.base, 'GET', `/api/books/${m.bookId}`, { token: srv.author.token });
    assert.deepEqual(b.body.book.generatedBy, { summary: 'fake-model', price: 'fake-model', cover: 'fake-image' });
    assert.equal(b.body.book.price, 50000); // 123,456,789 clamped to --price-max
    const cover = await api(srv.base, 'GET', `/api/books/${m.bookId}/cover`);
    assert.equal(cover.headers.get('content-type'), 'image/png');
    j = await jobOf(srv, id);
    assert.equal(j.status, 'succeeded');
    assert.equal(j.attempts, 1);
    assert.equal(j.generator, 'summary=fake-model, price=fake-model, cover=fake-image');
    assert.deepEqual(await srv.stop(), { code: 0, sig: null });
  } finally {
    await f.close();
  }
});

test('SIGKILL during generation, then a restart: every manuscript is published exactly once', async () => {
  const f = await fakeOpenAI('slow');
  try {
    const srv = await start({
      args: ['--ai', 'openai', '--ai-workers', '2', '--ai-backoff-ms', '20'],
      env: openaiEnv(f),
    });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await submit(srv, `중단된 원고 ${i}`));
    // wait until the workers are inside the model call
    const deadline = Date.now() + 10000;
    while (f.calls < 2 && Date.now() < deadline) await sleep(20);
    assert.ok(f.calls >= 2, 'the workers reached the model');
    const running = await jobs(srv, '?status=running');
    assert.ok(running.items.length >= 1);
    await srv.kill();

    // the model is back; the restarted process takes the jobs up again
    f.mode = 'ok';
    f.server.closeAllConnections?.();
    await srv.restart();
    for (const id of ids) {
      const m = await until(srv, id, ['published', 'failed'], 20000);
      assert.equal(m.status, 'published', JSON.stringify(m));
    }
    const books = await api(srv.base, 'GET', '/api/books?limit=100');
    assert.equal(books.status, 200);
    const titles = books.body.items.map((b) => b.title).filter((t) => t.startsWith('중단된 원고'));
    assert.equal(titles.length, ids.length);
    assert.equal(new Set(titles).size, ids.length);
    const ev = await api(srv.base, 'GET', '/api/admin/events?type=book.published&limit=100', { token: srv.admin });
    for (const id of ids) {
      assert.equal(ev.body.items.filter((e) => e.payload.manuscriptId === id).length, 1);
    }

    // and once more: a restart after everything is done publishes nothing new
    await srv.restart();
    await sleep(300);
    const again = await api(srv.base, 'GET', '/api/admin/events?type=book.published&limit=100', { token: srv.admin });
    assert.equal(again.body.items.length, ev.body.items.length);
    await srv.stop();
  } finally {
    await f.close();
  }
});

test('SIGTERM while the model hangs: a prompt, clean stop, and the parked job publishes after restart', async () => {
  const f = await fakeOpenAI('slow');
  try {
    const srv = await start({
      args: ['--ai', 'openai', '--ai-workers', '1', '--ai-backoff-ms', '20'],
      env: openaiEnv(f),
    });
    const id = await submit(srv, '멈춘 모델');
    const deadline = Date.now() + 10000;
    while (f.calls < 1 && Date.now() < deadline) await sleep(20);
    assert.ok(f.calls >= 1, 'the worker reached the model');
    const t0 = Date.now();
    const exit = await srv.stop();
    assert.equal(exit.code, 0);
    assert.ok(Date.now() - t0 < 5000, `stopping took ${Date.now() - t0} ms`);
    assert.ok(srv.log.some((l) => l.includes('"outcome":"parked"')), 'the job was parked');
    f.mode = 'ok';
    f.server.closeAllConnections?.();
    await srv.restart();
    const m = await until(srv, id, ['published', 'failed'], 20000);
    assert.equal(m.status, 'published', JSON.stringify(m));
    const job = await jobOf(srv, id);
    assert.equal(job.attempts, 1, 'the interrupted call did not count as an attempt');
    await srv.stop();
  } finally {
    await f.close();
  }
});

/** Publishes one manuscript against f and returns {srv, id, m, book, job}. */
async function publishWith(f, title, args = []) {
  const srv = await start({ args: ['--ai', 'openai', '--ai-attempts', '2', '--ai-backoff-ms', '20', ...args], env: openaiEnv(f) });
  const id = await submit(srv, title);
  const m = await until(srv, id, ['published', 'failed'], 20000);
  assert.equal(m.status, 'published', JSON.stringify(m));
  const book = (await api(srv.base, 'GET', `/api/books/${m.bookId}`, { token: srv.author.token })).body.book;
  return { srv, id, m, book, job: await jobOf(srv, id) };
}

test('an image that merely starts like a PNG is not stored: the offline cover is', async () => {
  const f = await fakeOpenAI('ok');
  f.image = { b64_json: Buffer.from('\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>', 'latin1').toString('base64') };
  try {
    const { srv, m, book, job } = await publishWith(f, '가짜 그림');
    assert.deepEqual(book.generatedBy, { summary: 'fake-model', price: 'fake-model', cover: 'offline' });
    const cover = await api(srv.base, 'GET', `/api/books/${m.bookId}/cover`);
    assert.match(cover.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(job.lastError, /image \(fake-image\): the image does not decode \(PNG/);
    assert.equal(f.images, 2, 'retried once, then the fallback');
    await srv.stop();
  } finally {
    await f.close();
  }
});

test('an image URL is fetched from the provider itself, never from another internal host', async () => {
  const f = await fakeOpenAI('ok');
  const inside = await fakeOpenAI('ok', '127.0.0.2'); // another internal host
  try {
    // from the provider's own origin: fetched and stored
    f.image = { url: `${f.origin}/img.png` };
    let r = await publishWith(f, '제공자의 그림');
    assert.equal(r.book.generatedBy.cover, 'fake-image');
    const cover = await api(r.srv.base, 'GET', `/api/books/${r.m.bookId}/cover`);
    assert.equal(cover.headers.get('content-type'), 'image/png');
    await r.srv.stop();

    // another internal host, directly and through a redirect from the provider
    const cases = [
      [`${inside.origin}/img.png`, /only https outside the provider/],
      [`https://127.0.0.2:${inside.server.address().port}/img.png`, /127\.0\.0\.2 is not a public address/],
      [`${f.origin}/redirect?to=${encodeURIComponent(`https://127.0.0.2:${inside.server.address().port}/img.png`)}`,
        /127\.0\.0\.2 is not a public address/],
      ['https://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is not a public address/],
    ];
    for (const [url, why] of cases) {
      f.image = { url };
      r = await publishWith(f, '내부 주소');
      assert.equal(r.book.generatedBy.cover, 'offline', url);
      assert.match(r.job.lastError, why);
      await r.srv.stop();
    }
    assert.equal(inside.calls + inside.gets, 0, 'nothing reached the internal host');
  } finally {
    await f.close();
    await inside.close();
  }
});

test('Retry-After is honoured between job attempts, not only within one', async () => {
  const f = await fakeOpenAI('ok');
  // two 429s with retry-after: 1 use up the first attempt (the adapter's own retry included)
  f.chatErrors = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 429, headers: { 'retry-after': '1' } }];
  try {
    const { srv, book, job } = await publishWith(f, '속도 제한', ['--ai-attempts', '3']);
    assert.equal(f.chat, 3);
    assert.equal(job.attempts, 2);
    assert.equal(book.generatedBy.summary, 'fake-model');
    // each pause lasted as long as the provider asked (--ai-backoff-ms is 20)
    assert.ok(f.chatAt[1] - f.chatAt[0] >= 950, `within the attempt: ${f.chatAt[1] - f.chatAt[0]} ms`);
    assert.ok(f.chatAt[2] - f.chatAt[1] >= 950, `between attempts: ${f.chatAt[2] - f.chatAt[1]} ms`);
    await srv.stop();
  } finally {
    await f.close();
  }
});

test('a refused API key is asked once: the fallback at once, or with --ai-fallback none the failure', async () => {
  const f = await fakeOpenAI('ok');
  try {
    f.chatErrors = [{ status: 401 }];
    const r = await publishWith(f, '틀린 열쇠', ['--ai-attempts', '4']);
    assert.equal(f.chat, 1);
    assert.equal(r.job.attempts, 1);
    assert.equal(r.book.generatedBy.summary, 'offline');
    assert.equal(r.book.generatedBy.cover, 'fake-image');
    assert.match(r.job.lastError, /HTTP 401/);
    await r.srv.stop();

    f.chatErrors = [{ status: 403 }];
    const srv = await start({ args: ['--ai', 'openai', '--ai-attempts', '4', '--ai-fallback', 'none', '--ai-backoff-ms', '20'], env: openaiEnv(f) });
    const id = await submit(srv, '금지된 열쇠');
    const m = await until(srv, id, ['published', 'failed'], 20000);
    assert.equal(m.status, 'failed');
    assert.match(m.error, /HTTP 403/);
    assert.equal((await jobOf(srv, id)).attempts, 1);
    assert.equal(f.chat, 2);
    await srv.stop();
  } finally {
    await f.close();
  }
});

test('when only the cover fails, the next attempt does not pay for the text again', async () => {
  const f = await fakeOpenAI('ok');
  f.imageErrors = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
  try {
    const { srv, book, job } = await publishWith(f, '느린 화가', ['--ai-attempts', '3']);
    assert.equal(f.chat, 1, 'the text was asked for once');
    assert.equal(f.images, 5, 'two failed attempts at the cover (two calls each), then one that draws');
    assert.equal(job.attempts, 3);
    assert.equal(book.generatedBy.summary, 'fake-model');
    assert.equal(book.generatedBy.cover, 'fake-image');
    await srv.stop();
  } finally {
    await f.close();
  }
});

test('--llm-timeout bounds one request to the model', async () => {
  const f = await fakeOpenAI('slow');
  try {
    const t0 = Date.now();
    const { srv, book, job } = await publishWith(f, '느린 모델', ['--ai-attempts', '1', '--llm-timeout', '1']);
    assert.ok(Date.now() - t0 < 10000, `took ${Date.now() - t0} ms`);
    assert.equal(book.generatedBy.summary, 'offline');
    assert.match(job.lastError, /text \(fake-model\): chat\/completions: .*(timed out|in time)/i);
    await srv.stop();
  } finally {
    f.server.closeAllConnections?.();
    await f.close();
  }
});

test('--ai openai without a base URL or model exits non-zero with one clear line', async () => {
  const { cli } = await import('./lib/server.mjs');
  const env = { WL_LLM_BASE_URL: '', WL_LLM_MODEL: '' };
  let r = cli(['serve', '--listen', '127.0.0.1:0', '--db', '/nonexistent/x.db', '--ai', 'openai'], { env });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /WL_LLM_BASE_URL/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  r = cli(['serve', '--ai', 'openai'], { env: { WL_LLM_BASE_URL: 'http://127.0.0.1:9/v1', WL_LLM_MODEL: '' } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /WL_LLM_MODEL/);
  r = cli(['serve', '--ai-fallback', 'maybe']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--ai-fallback/);
  r = cli(['serve', '--llm-timeout', '0']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--llm-timeout/);
  r = cli(['serve', '--price-min', '5000', '--price-max', '4000']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--price-min/);
});
