// Manuscripts over real HTTP: drafts, optimistic concurrency, revisions, submission, every role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, createAdmin, login, adminToken, makeAuthor, waitFor, problem } from './lib/server.mjs';

let srv;
let admin; // token
let author; // {token, member}
let other; // another author
let reader;
before(async () => {
  srv = await startServer();
  const a = createAdmin(srv.dbPath);
  admin = await login(srv.base, a.email, a.password);
  author = await makeAuthor(srv, admin, '김작가');
  other = await makeAuthor(srv, admin, '이작가');
  reader = await signup(srv.base);
});
after(async () => { await srv.stop(); });

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const LONG = '옛날 옛적 어느 마을에 책을 좋아하는 아이가 살았습니다. '.repeat(5); // > 100 characters

async function create(token = author.token, title = '첫 소설', content = '첫 문장.') {
  const r = await api(srv.base, 'POST', '/api/manuscripts', { token, body: { title, content } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.manuscript;
}

const put = (token, id, body) => api(srv.base, 'PUT', `/api/manuscripts/${id}`, { token, body });

/** Every verb on one manuscript, as token. */
function everyVerb(id, token) {
  return [
    api(srv.base, 'GET', `/api/manuscripts/${id}`, { token }),
    put(token, id, { title: 't', content: 'c', revision: 1 }),
    api(srv.base, 'DELETE', `/api/manuscripts/${id}`, { token }),
    api(srv.base, 'POST', `/api/manuscripts/${id}/submit`, { token }),
    api(srv.base, 'POST', `/api/manuscripts/${id}/retry`, { token }),
    api(srv.base, 'GET', `/api/manuscripts/${id}/revisions`, { token }),
    api(srv.base, 'GET', `/api/manuscripts/${id}/revisions/1`, { token }),
  ];
}

test('anonymous callers get 401 everywhere', async () => {
  const m = await create();
  problem(await api(srv.base, 'POST', '/api/manuscripts', { body: { title: 't', content: 'c' } }), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/manuscripts'), 401, 'unauthenticated');
  for (const r of await Promise.all(everyVerb(m.id))) problem(r, 401, 'unauthenticated');
});

test('only authors create and list manuscripts', async () => {
  for (const token of [reader.token, admin]) {
    problem(await api(srv.base, 'POST', '/api/manuscripts', { token, body: { title: 't', content: 'c' } }),
      403, 'not_author');
    problem(await api(srv.base, 'GET', '/api/manuscripts', { token }), 403, 'not_author');
  }
});

test('someone else\'s manuscript is not found, on every verb, for every role', async () => {
  const m = await create(author.token, '비밀 원고', 'secret');
  for (const who of [reader.token, other.token, admin]) {
    for (const r of await Promise.all(everyVerb(m.id, who))) problem(r, 404, 'not_found');
  }
  // exactly like a manuscript that does not exist
  for (const r of await Promise.all(everyVerb(999999, author.token))) problem(r, 404, 'not_found');
  // nothing changed, and it is not in the other author's list
  const g = await api(srv.base, 'GET', `/api/manuscripts/${m.id}`, { token: author.token });
  assert.equal(g.status, 200);
  assert.equal(g.body.manuscript.content, 'secret');
  assert.equal(g.body.manuscript.revision, 1);
  assert.equal(g.body.manuscript.status, 'draft');
  const list = await api(srv.base, 'GET', '/api/manuscripts?limit=100', { token: other.token });
  assert.ok(!list.body.items.some((x) => x.id === m.id));
});

test('an author creates a draft at revision 1', async () => {
  const r = await api(srv.base, 'POST', '/api/manuscripts',
    { token: author.token, body: { title: '  바다의 노래  ', content: '파도가 친다.\n둘째 줄.' } });
  assert.equal(r.status, 201);
  const m = r.body.manuscript;
  assert.deepEqual(Object.keys(m).sort(),
    ['authorId', 'bookId', 'content', 'createdAt', 'episode', 'error', 'id', 'publishAt', 'revision', 'serial', 'status', 'title', 'updatedAt']);
  assert.equal(m.authorId, author.member.id);
  assert.equal(m.title, '바다의 노래');
  assert.equal(m.content, '파도가 친다.\n둘째 줄.');
  assert.equal(m.revision, 1);
  assert.equal(m.status, 'draft');
  assert.equal(m.bookId, null);
  assert.equal(m.error, null);
  assert.match(m.createdAt, TIME);
  assert.match(m.updatedAt, TIME);
  const g = await api(srv.base, 'GET', `/api/manuscripts/${m.id}`, { token: author.token });
  assert.deepEqual(g.body.manuscript, m);
});

test('titles and contents are validated', async () => {
  const json = { 'content-type': 'application/json' };
  const cases = [
    [{ raw: '{"title":', headers: json }, 400, 'invalid_json'],
    [{ body: { title: 5, content: 'c' } }, 400, 'invalid_json'],
    [{ body: { content: 'c' } }, 422, 'validation_failed', 'title'],
    [{ body: { title: ' \t ', content: 'c' } }, 422, 'validation_failed', 'title'],
    [{ body: { title: '가'.repeat(201), content: 'c' } }, 422, 'validation_failed', 'title'],
    [{ body: { title: 'a\nb', content: 'c' } }, 422, 'validation_failed', 'title'],
    [{ body: { title: 't' } }, 422, 'validation_failed', 'content'],
    [{ body: { title: 't', content: 'a'.repeat(2 * 1024 * 1024 + 1) } }, 422, 'validation_failed', 'content'],
    [{ raw: Buffer.concat([Buffer.from('{"title":"t","content":"ok '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      headers: json }, 422, 'validation_failed', 'content'],
    [{ raw: Buffer.concat([Buffer.from('{"title":"t","content":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
      headers: json }, 422, 'validation_failed', 'content'],
    [{ raw: JSON.stringify({ title: 't', content: 'a'.repeat(9 * 1024 * 1024) }), headers: json }, 413, 'payload_too_large'],
  ];
  const before = await api(srv.base, 'GET', '/api/manuscripts?limit=100', { token: author.token });
  for (const [opts, status, code, field] of cases) {
    problem(await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, ...opts }), status, code, field);
  }
  const afterList = await api(srv.base, 'GET', '/api/manuscripts?limit=100', { token: author.token });
  assert.equal(afterList.body.items.length, before.body.items.length);

  // the limits themselves: 200 characters, exactly 2 MiB of UTF-8
  const big = '가'.repeat(699050) + 'ab'; // 3 * 699050 + 2 = 2 MiB
  assert.equal(Buffer.byteLength(big), 2 * 1024 * 1024);
  const m = await create(author.token, '제'.repeat(200), big);
  assert.equal(m.content.length, big.length);
  assert.equal(m.content, big);
  // a save validates too
  problem(await put(author.token, m.id, { title: 't', content: big + 'x', revision: 1 }),
    422, 'validation_failed', 'content');
  problem(await put(author.token, m.id, { title: '', content: 'c', revision: 1 }), 422, 'validation_failed', 'title');
  problem(await put(author.token, m.id, { title: 't', content: 'c', revision: '1' }), 400, 'invalid_json');
  problem(await put(author.token, m.id, { title: 't', content: 'c' }), 422, 'validation_failed', 'revision');
});

test('saves move the revision on; a stale revision is a conflict', async () => {
  const m = await create(author.token, '초고', 'v1');
  const s = await put(author.token, m.id, { title: '이고', content: 'v2', revision: 1 });
  assert.equal(s.status, 200);
  assert.equal(s.body.manuscript.revision, 2);
  assert.equal(s.body.manuscript.title, '이고');
  assert.equal(s.body.manuscript.content, 'v2');
  assert.equal(s.body.manuscript.createdAt, m.createdAt);

  const stale = await put(author.token, m.id, { title: '삼고', content: 'tab two', revision: 1 });
  problem(stale, 409, 'revision_conflict');
  assert.equal(stale.body.currentRevision, 2);
  problem(await put(author.token, m.id, { title: 't', content: 'c', revision: 7 }), 409, 'revision_conflict');
  const g = await api(srv.base, 'GET', `/api/manuscripts/${m.id}`, { token: author.token });
  assert.equal(g.body.manuscript.content, 'v2');
  assert.equal(g.body.manuscript.revision, 2);
});

test('two clients save the same draft at once: one wins, the other gets 409, no revision is lost', async () => {
  const m = await create(author.token, '동시 편집', 'original');
  const [a, b] = await Promise.all([
    put(author.token, m.id, { title: '동시 편집', content: 'from tab A', revision: 1 }),
    put(author.token, m.id, { title: '동시 편집', content: 'from tab B', revision: 1 }),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [200, 409]);
  const [win, lose] = a.status === 200 ? [a, b] : [b, a];
  const [winText, loseText] = a.status === 200 ? ['from tab A', 'from tab B'] : ['from tab B', 'from tab A'];
  assert.equal(win.body.manuscript.revision, 2);
  assert.equal(win.body.manuscript.content, winText);
  problem(lose, 409, 'revision_conflict');
  assert.equal(lose.body.currentRevision, 2);

  // the losing tab reloads and saves on top of the winner
  const again = await put(author.token, m.id, { title: '동시 편집', content: loseText, revision: lose.body.currentRevision });
  assert.equal(again.status, 200);
  assert.equal(again.body.manuscript.revision, 3);

  // every revision is there, in order, with its own content
  const revs = await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions`, { token: author.token });
  assert.equal(revs.status, 200);
  assert.deepEqual(revs.body.items.map((x) => x.revision), [3, 2, 1]);
  assert.equal(revs.body.nextCursor, null);
  const contents = [];
  for (const n of [1, 2, 3]) {
    const r = await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions/${n}`, { token: author.token });
    assert.equal(r.status, 200);
    contents.push(r.body.content);
  }
  assert.deepEqual(contents, ['original', winText, loseText]);
});

test('many clients racing on one revision: exactly one wins each round', async () => {
  const m = await create(author.token, '경주', 'start');
  let revision = 1;
  for (let round = 0; round < 3; round++) {
    const rs = await Promise.all([...Array(6)].map((_, i) =>
      put(author.token, m.id, { title: '경주', content: `round ${round} client ${i}`, revision })));
    const ok = rs.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, rs.map((r) => r.status).join(','));
    for (const r of rs.filter((x) => x.status !== 200)) {
      problem(r, 409, 'revision_conflict');
      assert.equal(r.body.currentRevision, revision + 1);
    }
    revision = ok[0].body.manuscript.revision;
  }
  assert.equal(revision, 4);
  const revs = await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions`, { token: author.token });
  assert.deepEqual(revs.body.items.map((x) => x.revision), [4, 3, 2, 1]);
});

test('revisions: newest first, with character counts, the last 21 kept, paged', async () => {
  const m = await create(author.token, '퇴고', '가나다');
  for (let rev = 1; rev < 25; rev++) {
    const r = await put(author.token, m.id, { title: `퇴고 ${rev + 1}`, content: `${'가'.repeat(rev)}!`, revision: rev });
    assert.equal(r.status, 200);
  }
  const all = await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions?limit=100`, { token: author.token });
  assert.equal(all.status, 200);
  assert.equal(all.body.items.length, 21); // 25 .. 5: the current and 20 before it
  assert.deepEqual(all.body.items.map((x) => x.revision), [...Array(21)].map((_, i) => 25 - i));
  const top = all.body.items[0];
  assert.deepEqual(Object.keys(top).sort(), ['chars', 'revision', 'savedAt', 'title']);
  assert.equal(top.title, '퇴고 25');
  assert.equal(top.chars, 25); // 24 Hangul + '!': characters, not bytes
  assert.match(top.savedAt, TIME);

  const r5 = await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions/5`, { token: author.token });
  assert.equal(r5.status, 200);
  assert.deepEqual(Object.keys(r5.body).sort(), ['content', 'revision', 'savedAt', 'title']);
  assert.equal(r5.body.content, `${'가'.repeat(4)}!`);
  problem(await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions/4`, { token: author.token }), 404, 'not_found');
  problem(await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions/26`, { token: author.token }), 404, 'not_found');

  const seen = [];
  let cursor = '';
  for (;;) {
    const r = await api(srv.base, 'GET',
      `/api/manuscripts/${m.id}/revisions?limit=8${cursor ? `&cursor=${cursor}` : ''}`, { token: author.token });
    assert.equal(r.status, 200);
    seen.push(...r.body.items.map((x) => x.revision));
    if (!r.body.nextCursor) break;
    cursor = r.body.nextCursor;
  }
  assert.deepEqual(seen, all.body.items.map((x) => x.revision));
});

test('the author lists own manuscripts without content, paged', async () => {
  const fresh = await makeAuthor(srv, admin, '목록작가');
  const made = [];
  for (let i = 0; i < 5; i++) made.push(await create(fresh.token, `원고 ${i}`, `본문 ${i}`));
  const r = await api(srv.base, 'GET', '/api/manuscripts', { token: fresh.token });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((x) => x.id), made.map((x) => x.id).reverse());
  assert.equal(r.body.nextCursor, null);
  for (const x of r.body.items) {
    assert.ok(!('content' in x));
    assert.deepEqual(Object.keys(x).sort(),
      ['authorId', 'bookId', 'createdAt', 'episode', 'error', 'id', 'publishAt', 'revision', 'serial', 'status', 'title', 'updatedAt']);
  }
  const p1 = await api(srv.base, 'GET', '/api/manuscripts?limit=2', { token: fresh.token });
  assert.equal(p1.body.items.length, 2);
  assert.equal(typeof p1.body.nextCursor, 'string');
  const p2 = await api(srv.base, 'GET', `/api/manuscripts?limit=2&cursor=${p1.body.nextCursor}`, { token: fresh.token });
  assert.deepEqual(p2.body.items.map((x) => x.id), [made[2].id, made[1].id]);
  problem(await api(srv.base, 'GET', '/api/manuscripts?limit=101', { token: fresh.token }), 422, 'validation_failed', 'limit');
  problem(await api(srv.base, 'GET', '/api/manuscripts?cursor=x', { token: fresh.token }), 422, 'validation_failed', 'cursor');
});

test('a draft is deleted with its revisions', async () => {
  const m = await create(author.token, '버릴 원고', 'x');
  await put(author.token, m.id, { title: '버릴 원고', content: 'y', revision: 1 });
  const d = await api(srv.base, 'DELETE', `/api/manuscripts/${m.id}`, { token: author.token });
  assert.equal(d.status, 204);
  problem(await api(srv.base, 'GET', `/api/manuscripts/${m.id}`, { token: author.token }), 404, 'not_found');
  problem(await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions`, { token: author.token }), 404, 'not_found');
  problem(await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions/1`, { token: author.token }), 404, 'not_found');
  problem(await api(srv.base, 'DELETE', `/api/manuscripts/${m.id}`, { token: author.token }), 404, 'not_found');
});

test('submission needs 100 characters, locks the draft and records manuscript.submitted', async () => {
  const short = '가'.repeat(99);
  const m = await create(author.token, '제출할 원고', short);
  problem(await api(srv.base, 'POST', `/api/manuscripts/${m.id}/submit`, { token: author.token }),
    422, 'validation_failed', 'content');
  problem(await api(srv.base, 'POST', `/api/manuscripts/${m.id}/retry`, { token: author.token }), 409, 'not_failed');
  await put(author.token, m.id, { title: '제출할 원고', content: LONG, revision: 1 });

  const s = await api(srv.base, 'POST', `/api/manuscripts/${m.id}/submit`, { token: author.token });
  assert.equal(s.status, 202, JSON.stringify(s.body));
  assert.equal(s.body.manuscript.status, 'submitted');
  assert.equal(s.body.manuscript.content, LONG);
  assert.equal(s.body.manuscript.revision, 2);

  problem(await put(author.token, m.id, { title: 't', content: 'late edit', revision: 2 }), 409, 'not_draft');
  problem(await api(srv.base, 'DELETE', `/api/manuscripts/${m.id}`, { token: author.token }), 409, 'not_draft');
  problem(await api(srv.base, 'POST', `/api/manuscripts/${m.id}/submit`, { token: author.token }), 409, 'not_draft');
  // still readable by its author, with its revisions
  const g = await api(srv.base, 'GET', `/api/manuscripts/${m.id}`, { token: author.token });
  assert.equal(g.status, 200);
  assert.equal(g.body.manuscript.content, LONG);
  const revs = await api(srv.base, 'GET', `/api/manuscripts/${m.id}/revisions`, { token: author.token });
  assert.deepEqual(revs.body.items.map((x) => x.revision), [2, 1]);

  const events = await api(srv.base, 'GET', '/api/admin/events?type=manuscript.submitted&limit=100', { token: admin });
  const ev = events.body.items.filter((e) => e.payload.manuscriptId === m.id);
  assert.equal(ev.length, 1);
  assert.deepEqual(ev[0].payload, { manuscriptId: m.id, authorId: author.member.id, title: '제출할 원고' });
});

test('retry: a failed manuscript goes back to submitted, anything else is 409 not_failed', async () => {
  // a model that cannot be reached, no fallback and one attempt: generation really fails
  const s2 = await startServer({
    args: ['--ai', 'openai', '--ai-fallback', 'none', '--ai-attempts', '1'],
    env: { WL_LLM_BASE_URL: 'http://127.0.0.1:1/v1', WL_LLM_MODEL: 'unreachable' },
  });
  try {
    const adm = await adminToken(s2);
    const writer = await makeAuthor(s2, adm, '실패작가');
    const stranger = await signup(s2.base);
    const c = await api(s2.base, 'POST', '/api/manuscripts', { token: writer.token, body: { title: '실패한 원고', content: LONG } });
    assert.equal(c.status, 201);
    const id = c.body.manuscript.id;
    const s = await api(s2.base, 'POST', `/api/manuscripts/${id}/submit`, { token: writer.token });
    assert.equal(s.status, 202);
    const failed = await waitFor(async () => {
      const r = await api(s2.base, 'GET', `/api/manuscripts/${id}`, { token: writer.token });
      return r.body.manuscript.status === 'failed' ? r.body.manuscript : null;
    });
    assert.ok(failed.error && failed.error.length > 0);
    for (const token of [stranger.token, adm]) {
      problem(await api(s2.base, 'POST', `/api/manuscripts/${id}/retry`, { token }), 404, 'not_found');
    }
    const again = await api(s2.base, 'POST', `/api/manuscripts/${id}/retry`, { token: writer.token });
    assert.equal(again.status, 202, JSON.stringify(again.body));
    assert.equal(again.body.manuscript.status, 'submitted');
    assert.equal(again.body.manuscript.error, null);
    const events = await api(s2.base, 'GET', '/api/admin/events?type=manuscript.submitted&limit=100', { token: adm });
    const ev = events.body.items.filter((e) => e.payload.manuscriptId === id);
    assert.equal(ev.length, 2);
    assert.equal(ev[1].payload.retry, true);
    // a draft, or a manuscript that is not failed, cannot be retried
    const d = await api(s2.base, 'POST', '/api/manuscripts', { token: writer.token, body: { title: '초고', content: 'x' } });
    problem(await api(s2.base, 'POST', `/api/manuscripts/${d.body.manuscript.id}/retry`, { token: writer.token }), 409, 'not_failed');
  } finally {
    await s2.stop();
  }
});

test('drafts survive a restart', async () => {
  const m = await create(author.token, '재시작', 'before');
  await put(author.token, m.id, { title: '재시작', content: 'after', revision: 1 });
  await srv.restart();
  const g = await api(srv.base, 'GET', `/api/manuscripts/${m.id}`, { token: author.token });
  assert.equal(g.status, 200);
  assert.equal(g.body.manuscript.content, 'after');
  assert.equal(g.body.manuscript.revision, 2);
});
