// Authors over real HTTP: applications, the admin's decision, the role grant, profiles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, signup, createAdmin, login, problem } from './lib/server.mjs';

let srv;
let admin; // token
before(async () => {
  srv = await startServer();
  const a = createAdmin(srv.dbPath);
  admin = await login(srv.base, a.email, a.password);
});
after(async () => { await srv.stop(); });

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const application = { penName: '김작가', bio: '서울에 사는 작가입니다.', portfolio: 'https://example.com/works' };

async function apply(token, body = application) {
  const r = await api(srv.base, 'POST', '/api/author-applications', { token, body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.application;
}

async function roles(token) {
  const r = await api(srv.base, 'GET', '/api/me', { token });
  assert.equal(r.status, 200);
  return r.body.member.roles;
}

test('anonymous callers get 401 on every member and admin route', async () => {
  problem(await api(srv.base, 'POST', '/api/author-applications', { body: application }), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/me/author-application'), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/admin/author-applications'), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/admin/author-applications/1/approve'), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/admin/author-applications/1/reject', { body: { reason: 'x' } }),
    401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/me/author-application', { token: 'not-a-session' }), 401, 'unauthenticated');
});

test('a reader applies, sees the application, and cannot apply twice', async () => {
  const reader = await signup(srv.base);
  problem(await api(srv.base, 'GET', '/api/me/author-application', { token: reader.token }), 404, 'not_found');
  const app = await apply(reader.token, { penName: '  김작가  ', bio: ' 소개 ', portfolio: 'https://x.io' });
  assert.deepEqual(Object.keys(app).sort(),
    ['bio', 'createdAt', 'decidedAt', 'id', 'memberId', 'penName', 'portfolio', 'reason', 'status']);
  assert.equal(app.memberId, reader.member.id);
  assert.equal(app.penName, '김작가');
  assert.equal(app.bio, '소개');
  assert.equal(app.portfolio, 'https://x.io');
  assert.equal(app.status, 'pending');
  assert.equal(app.reason, null);
  assert.equal(app.decidedAt, null);
  assert.match(app.createdAt, TIME);

  const mine = await api(srv.base, 'GET', '/api/me/author-application', { token: reader.token });
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.body.application, app);

  problem(await api(srv.base, 'POST', '/api/author-applications', { token: reader.token, body: application }),
    409, 'application_exists');
  assert.deepEqual(await roles(reader.token), ['reader']);
});

test('applications are validated field by field', async () => {
  const reader = await signup(srv.base);
  const cases = [
    [{ raw: '{"penName":', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    [{ body: { ...application, penName: 42 } }, 400, 'invalid_json'],
    [{ body: { bio: 'b', portfolio: 'p' } }, 422, 'validation_failed', 'penName'],
    [{ body: { ...application, penName: '   ' } }, 422, 'validation_failed', 'penName'],
    [{ body: { ...application, penName: '가'.repeat(51) } }, 422, 'validation_failed', 'penName'],
    [{ body: { ...application, penName: 'two\nlines' } }, 422, 'validation_failed', 'penName'],
    [{ body: { penName: 'p', portfolio: 'p' } }, 422, 'validation_failed', 'bio'],
    [{ body: { ...application, bio: 'b'.repeat(2001) } }, 422, 'validation_failed', 'bio'],
    [{ body: { penName: 'p', bio: 'b' } }, 422, 'validation_failed', 'portfolio'],
    [{ body: { ...application, portfolio: '나'.repeat(2001) } }, 422, 'validation_failed', 'portfolio'],
    [{ raw: Buffer.from('{"penName":"\xff\xfe","bio":"","portfolio":""}', 'latin1'),
      headers: { 'content-type': 'application/json' } }, 422, 'validation_failed', 'penName'],
    [{ raw: JSON.stringify({ ...application, bio: 'x'.repeat(70 * 1024) }),
      headers: { 'content-type': 'application/json' } }, 413, 'payload_too_large'],
  ];
  for (const [opts, status, code, field] of cases) {
    problem(await api(srv.base, 'POST', '/api/author-applications', { token: reader.token, ...opts }),
      status, code, field);
  }
  problem(await api(srv.base, 'GET', '/api/me/author-application', { token: reader.token }), 404, 'not_found');
  // the limits themselves are accepted
  const app = await apply(reader.token, { penName: '가'.repeat(50), bio: '나'.repeat(2000), portfolio: '' });
  assert.equal(app.penName, '가'.repeat(50));
});

test('only admins list and decide applications', async () => {
  const reader = await signup(srv.base);
  const author = await signup(srv.base);
  const app = await apply(author.token);
  for (const token of [reader.token, author.token]) {
    problem(await api(srv.base, 'GET', '/api/admin/author-applications', { token }), 403, 'forbidden');
    problem(await api(srv.base, 'POST', `/api/admin/author-applications/${app.id}/approve`, { token }),
      403, 'forbidden');
    problem(await api(srv.base, 'POST', `/api/admin/author-applications/${app.id}/reject`,
      { token, body: { reason: 'no' } }), 403, 'forbidden');
  }
  assert.deepEqual(await roles(author.token), ['reader']);
  const mine = await api(srv.base, 'GET', '/api/me/author-application', { token: author.token });
  assert.equal(mine.body.application.status, 'pending');
});

test('approval grants the author role and cannot be repeated', async () => {
  const writer = await signup(srv.base);
  const app = await apply(writer.token);
  const r = await api(srv.base, 'POST', `/api/admin/author-applications/${app.id}/approve`, { token: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.application.id, app.id);
  assert.equal(r.body.application.status, 'approved');
  assert.equal(r.body.application.reason, null);
  assert.match(r.body.application.decidedAt, TIME);
  // the role is there as soon as the approval answered
  assert.deepEqual(await roles(writer.token), ['reader', 'author']);

  problem(await api(srv.base, 'POST', `/api/admin/author-applications/${app.id}/approve`, { token: admin }),
    409, 'not_pending');
  problem(await api(srv.base, 'POST', `/api/admin/author-applications/${app.id}/reject`,
    { token: admin, body: { reason: 'late' } }), 409, 'not_pending');
  problem(await api(srv.base, 'POST', '/api/author-applications', { token: writer.token, body: application }),
    409, 'application_exists');
  problem(await api(srv.base, 'POST', '/api/admin/author-applications/999999/approve', { token: admin }),
    404, 'not_found');
  problem(await api(srv.base, 'POST', '/api/admin/author-applications/999999/reject',
    { token: admin, body: { reason: 'x' } }), 404, 'not_found');
  assert.deepEqual(await roles(writer.token), ['reader', 'author']);
});

test('rejection needs a reason; a rejected member may apply again', async () => {
  const writer = await signup(srv.base);
  const app = await apply(writer.token);
  const path = `/api/admin/author-applications/${app.id}/reject`;
  problem(await api(srv.base, 'POST', path, { token: admin, body: {} }), 422, 'validation_failed', 'reason');
  problem(await api(srv.base, 'POST', path, { token: admin, body: { reason: '  ' } }), 422, 'validation_failed', 'reason');
  problem(await api(srv.base, 'POST', path, { token: admin, body: { reason: 'r'.repeat(501) } }),
    422, 'validation_failed', 'reason');
  problem(await api(srv.base, 'POST', path, { token: admin, body: { reason: 5 } }), 400, 'invalid_json');
  const r = await api(srv.base, 'POST', path, { token: admin, body: { reason: '작품을 더 보여 주세요' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.application.status, 'rejected');
  assert.equal(r.body.application.reason, '작품을 더 보여 주세요');
  assert.match(r.body.application.decidedAt, TIME);
  assert.deepEqual(await roles(writer.token), ['reader']);
  problem(await api(srv.base, 'GET', `/api/authors/${writer.member.id}`), 404, 'not_found');

  const again = await apply(writer.token, { ...application, penName: '새 이름' });
  assert.ok(again.id > app.id);
  const mine = await api(srv.base, 'GET', '/api/me/author-application', { token: writer.token });
  assert.equal(mine.body.application.id, again.id);
  assert.equal(mine.body.application.status, 'pending');
  problem(await api(srv.base, 'POST', `/api/admin/author-applications/${app.id}/approve`, { token: admin }),
    409, 'not_pending');
});

test('the admin list filters by status and pages with a cursor', async () => {
  const a = await signup(srv.base); const b = await signup(srv.base); const c = await signup(srv.base);
  const appA = await apply(a.token); const appB = await apply(b.token); const appC = await apply(c.token);
  await api(srv.base, 'POST', `/api/admin/author-applications/${appB.id}/approve`, { token: admin });
  await api(srv.base, 'POST', `/api/admin/author-applications/${appC.id}/reject`,
    { token: admin, body: { reason: 'no' } });

  const all = await api(srv.base, 'GET', '/api/admin/author-applications?limit=100', { token: admin });
  assert.equal(all.status, 200);
  assert.equal(all.body.nextCursor, null);
  const ids = all.body.items.map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x)); // newest first
  for (const id of [appA.id, appB.id, appC.id]) assert.ok(ids.includes(id));

  for (const [status, want] of [['pending', appA], ['approved', appB], ['rejected', appC]]) {
    const r = await api(srv.base, 'GET', `/api/admin/author-applications?status=${status}&limit=100`, { token: admin });
    assert.equal(r.status, 200);
    assert.ok(r.body.items.every((x) => x.status === status));
    assert.ok(r.body.items.some((x) => x.id === want.id));
  }
  problem(await api(srv.base, 'GET', '/api/admin/author-applications?status=maybe', { token: admin }),
    422, 'validation_failed', 'status');
  problem(await api(srv.base, 'GET', '/api/admin/author-applications?limit=0', { token: admin }),
    422, 'validation_failed', 'limit');

  // page through one at a time: every application exactly once
  const seen = [];
  let cursor = '';
  for (;;) {
    const r = await api(srv.base, 'GET', `/api/admin/author-applications?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      { token: admin });
    assert.equal(r.status, 200);
    seen.push(...r.body.items.map((x) => x.id));
    if (!r.body.nextCursor) break;
    assert.equal(typeof r.body.nextCursor, 'string');
    cursor = r.body.nextCursor;
  }
  assert.deepEqual(seen, ids);
});

test('the public author profile shows approved authors only', async () => {
  const writer = await signup(srv.base);
  const app = await apply(writer.token, { penName: '박작가', bio: '단편을 씁니다.', portfolio: 'blog' });
  problem(await api(srv.base, 'GET', `/api/authors/${writer.member.id}`), 404, 'not_found'); // pending
  await api(srv.base, 'POST', `/api/admin/author-applications/${app.id}/approve`, { token: admin });
  for (const token of [undefined, writer.token, admin]) {
    const r = await api(srv.base, 'GET', `/api/authors/${writer.member.id}`, { token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { id: writer.member.id, penName: '박작가', bio: '단편을 씁니다.', books: [] });
  }
  const reader = await signup(srv.base);
  problem(await api(srv.base, 'GET', `/api/authors/${reader.member.id}`), 404, 'not_found');
  problem(await api(srv.base, 'GET', '/api/authors/999999'), 404, 'not_found');
  problem(await api(srv.base, 'GET', '/api/authors/abc'), 404, 'not_found');
});

test('author events are recorded with the decision', async () => {
  const writer = await signup(srv.base);
  const rejected = await apply(writer.token);
  await api(srv.base, 'POST', `/api/admin/author-applications/${rejected.id}/reject`,
    { token: admin, body: { reason: '다음에' } });
  const approved = await apply(writer.token);
  await api(srv.base, 'POST', `/api/admin/author-applications/${approved.id}/approve`, { token: admin });

  const events = [];
  let after = 0;
  for (;;) {
    const r = await api(srv.base, 'GET', `/api/admin/events?limit=100&after=${after}`, { token: admin });
    assert.equal(r.status, 200);
    events.push(...r.body.items);
    if (!r.body.nextCursor) break;
    after = r.body.nextCursor;
  }
  const mine = events.filter((e) => e.payload.memberId === writer.member.id && e.type.startsWith('author.'));
  assert.deepEqual(mine.map((e) => e.type), ['author.applied', 'author.rejected', 'author.applied', 'author.approved']);
  assert.equal(mine[1].payload.applicationId, rejected.id);
  assert.equal(mine[1].payload.reason, '다음에');
  assert.equal(mine[3].payload.applicationId, approved.id);
  assert.equal(mine[3].payload.penName, application.penName);
});

test('the role survives a hard kill right after approval and a restart', async () => {
  const own = await startServer();
  try {
    const a = createAdmin(own.dbPath);
    const adminToken = await login(own.base, a.email, a.password);
    const writer = await signup(own.base);
    const r = await api(own.base, 'POST', '/api/author-applications', { token: writer.token, body: application });
    const ok = await api(own.base, 'POST', `/api/admin/author-applications/${r.body.application.id}/approve`,
      { token: adminToken });
    assert.equal(ok.status, 200);
    await own.kill();
    await own.restart();
    const me = await api(own.base, 'GET', '/api/me', { token: writer.token });
    assert.deepEqual(me.body.member.roles, ['reader', 'author']);
    const mine = await api(own.base, 'GET', '/api/me/author-application', { token: writer.token });
    assert.equal(mine.body.application.status, 'approved');
    // a manuscript can be written right away
    const m = await api(own.base, 'POST', '/api/manuscripts',
      { token: writer.token, body: { title: '첫 원고', content: '' } });
    assert.equal(m.status, 201);
  } finally {
    await own.stop();
  }
});
