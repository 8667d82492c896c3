// Issue 10, the request side: strict JSON bodies (depth, one object, duplicate keys, U+0000),
// 415 for bodies that are not JSON, the cross-site refusal for every unsafe request, request
// framing (Content-Length), bodies not read before the caller is allowed, strict query strings
// and the covers' cache headers. Attacks come from 127.0.0.2, the bystander is 127.0.0.3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, signup, uniqueEmail, adminToken, makeAuthor, publishBook, problem, cli,
} from './lib/server.mjs';
import { rawRequest, connect, readResponse, closedWithin, rssMB, ATTACKER, BYSTANDER } from './lib/raw.mjs';

let srv, admin, author, reader;
before(async () => {
  srv = await startServer();
  admin = await adminToken(srv);
  author = await makeAuthor(srv, admin);
  reader = await signup(srv.base);
});
after(async () => { await srv.stop(); });

const json = 'Content-Type: application/json';
const deep = (levels) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;

async function assertAlive() {
  const h = await api(srv.base, 'GET', '/healthz');
  assert.equal(h.status, 200);
  assert.equal(srv.child.exitCode, null);
}

test('a body nested 100,000 levels deep answers 400 on every route, and the server lives', async () => {
  const m = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: { title: '깊이', content: '본문' } });
  assert.equal(m.status, 201);
  const own = await publishBook(srv, author, '깊은 작품');
  const body = deep(100000);
  const routes = cli(['routes']).stdout.trim().split('\n').map((l) => l.split(' '));
  assert.ok(routes.length > 20);
  const imageRoutes = new Set(['PUT /api/books/{id}/cover']); // not JSON: 415 before any body
  for (const [method, pattern] of routes) {
    if (method === 'HEAD') continue; // no body and no answer body to read
    // an edit of a work (a regeneration, an accept too) is refused before its body unless it is the
    // caller's own work
    const edit = (method === 'PATCH' && pattern.startsWith('/api/books/{id}')) ||
      pattern === '/api/books/{id}/regenerate' || pattern === '/api/books/{id}/accept';
    const path = pattern.replace('{revision}', '1').replace('{token}', 'A'.repeat(32)).replace('{n}', '1')
      .replace(/\{[^}]+\}/g, String(edit ? own.id : m.body.manuscript.id));
    const authorOnly = edit || /^\/api\/(manuscripts|me\/earnings|me\/payouts)/.test(pattern);
    const token = pattern.startsWith('/api/admin') ? admin : authorOnly ? author.token : reader.token;
    const r = await rawRequest(srv.base, {
      method, path, body, localAddress: ATTACKER, headers: [json, `Authorization: Bearer ${token}`],
    });
    if (imageRoutes.has(`${method} ${pattern}`)) {
      assert.equal(r.status, 415, `${method} ${pattern}: ${r.text}`);
      r.socket.destroy();
      continue;
    }
    assert.equal(r.status, 400, `${method} ${pattern}: ${r.text}`);
    assert.equal(r.json.code, 'invalid_json');
    assert.match(r.json.detail, /deeper than 32/);
    r.socket.destroy();
  }
  await assertAlive();
});

test('32 levels are accepted, 33 are not; an array or a scalar is not a body', async () => {
  const at = (levels) => `{"email":"${uniqueEmail()}","password":"password1","name":"n","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
  assert.equal((await api(srv.base, 'POST', '/api/auth/signup', { raw: at(32) })).status, 201);
  problem(await api(srv.base, 'POST', '/api/auth/signup', { raw: at(33) }), 400, 'invalid_json');
  for (const raw of ['[{}]', '"x"', '1', 'null', ' ', '{', '{"a":1,}', '{"a":01}', "{'a':1}", '{"a":tru}'])
    problem(await api(srv.base, 'POST', '/api/auth/login', { raw }), 400, 'invalid_json');
});

test('exactly one object: data after it and duplicate keys are 400, and change nothing', async () => {
  const email = uniqueEmail();
  const ok = JSON.stringify({ email, password: 'password1', name: '하나' });
  const cases = [
    `${ok} {}`, `${ok}x`, `${ok}\u0000`,
    `{"email":"${email}","email":"other-${email}","password":"password1","name":"a"}`,
    `{"email":"${email}","password":"password1","name":"a","\\u006eame":"b"}`,
    `{"email":"${email}","password":"password1","name":"a","x":{"k":1,"k":2}}`,
  ];
  for (const raw of cases)
    problem(await api(srv.base, 'POST', '/api/auth/signup', { raw }), 400, 'invalid_json');
  problem(await api(srv.base, 'POST', '/api/auth/login', { body: { email, password: 'password1' } }), 401, 'invalid_credentials');
  assert.equal((await api(srv.base, 'POST', '/api/auth/signup', { raw: `${ok} \r\n\t` })).status, 201);
});

test('U+0000 in any string is 422 naming the field; a password is never cut at it', async () => {
  const email = uniqueEmail();
  const raw = (o) => JSON.stringify(o).replaceAll('NUL', '\\u0000');
  problem(await api(srv.base, 'POST', '/api/auth/signup', { raw: raw({ email, password: 'passwordNUL123456', name: 'a' }) }), 422, 'validation_failed', 'password');
  problem(await api(srv.base, 'POST', '/api/auth/signup', { raw: raw({ email: `aNUL${email}`, password: 'password1', name: 'a' }) }), 422, 'validation_failed', 'email');
  problem(await api(srv.base, 'POST', '/api/auth/signup', { raw: raw({ email, password: 'password1', name: 'a', extra: ['x', { y: 'NUL' }] }) }), 422, 'validation_failed', 'extra');
  // nothing was created: neither the full password nor the cut one signs in
  for (const password of ['password', 'password1'])
    problem(await api(srv.base, 'POST', '/api/auth/login', { body: { email, password } }), 401, 'invalid_credentials');
  const who = await signup(srv.base);
  problem(await api(srv.base, 'POST', '/api/auth/login', { raw: raw({ email: who.email, password: `${who.password}NUL` }) }), 422, 'validation_failed', 'password');
  problem(await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, raw: raw({ title: '제목', content: '앞NUL뒤' }) }), 422, 'validation_failed', 'content');
});

test('JSON routes take application/json: a cross-site text/plain form logs nobody in', async () => {
  const who = await signup(srv.base);
  const creds = JSON.stringify({ email: who.email, password: who.password });
  // what <form enctype="text/plain"> sends: the same bytes, another type
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', null]) {
    const r = await api(srv.base, 'POST', '/api/auth/login', { raw: creds, headers: { 'content-type': type } });
    problem(r, 415, 'unsupported_media_type');
    assert.equal(r.headers.get('set-cookie'), null);
  }
  for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8'])
    assert.equal((await api(srv.base, 'POST', '/api/auth/login', { raw: creds, headers: { 'content-type': type } })).status, 200);
  // an empty body needs no type (a submit, a purchase, a logout)
  const token = (await api(srv.base, 'POST', '/api/auth/login', { raw: creds })).body.token;
  const out = await rawRequest(srv.base, { method: 'POST', path: '/api/auth/logout', headers: [`Authorization: Bearer ${token}`] });
  assert.equal(out.status, 204);
  out.socket.destroy();
});

test('unsafe requests from another site are refused, signed in or not, login and signup included', async () => {
  const who = await signup(srv.base);
  const host = new URL(srv.base).host;
  const email = uniqueEmail();
  for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' },
    { origin: `http://${host}.evil.example` }, { origin: `https://${host}`, 'sec-fetch-site': 'cross-site' }]) {
    const l = await api(srv.base, 'POST', '/api/auth/login', { headers, body: { email: who.email, password: who.password } });
    problem(l, 403, 'forbidden');
    assert.equal(l.headers.get('set-cookie'), null);
    problem(await api(srv.base, 'POST', '/api/auth/signup', { headers, body: { email, password: 'password1', name: 'x' } }), 403, 'forbidden');
    problem(await api(srv.base, 'DELETE', '/api/me/subscription', { token: who.token, headers }), 403, 'forbidden');
  }
  problem(await api(srv.base, 'POST', '/api/auth/login', { body: { email, password: 'password1' } }), 401, 'invalid_credentials');
  // same origin, or a same-origin fetch, goes through; reads are never refused
  const same = await api(srv.base, 'POST', '/api/auth/login', { headers: { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' }, body: { email: who.email, password: who.password } });
  assert.equal(same.status, 200);
  assert.equal((await api(srv.base, 'GET', '/api/books', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status, 200);
});

test('two Content-Length headers, or one beside Transfer-Encoding, are refused and the connection is closed', async () => {
  const login = JSON.stringify({ email: 'a@b.cd', password: 'password1' });
  const smuggled = `GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n`;
  const cases = [
    [`Content-Length: 0`, `Content-Length: ${smuggled.length}`],
    [`Content-Length: ${login.length}`, 'Transfer-Encoding: chunked'],
    [`Content-Length: +${login.length}`],
    [`Content-Length: ${login.length}abc`],
  ];
  for (const headers of cases) {
    const r = await rawRequest(srv.base, { method: 'POST', path: '/api/auth/login', localAddress: ATTACKER, headers: [json, ...headers], body: headers[0].endsWith(' 0') ? smuggled : login });
    assert.equal(r.status, 400, headers.join(', '));
    assert.equal(r.json.code, 'bad_request');
    assert.deepEqual(r.headers.connection, ['close']);
    assert.ok(await closedWithin(r.socket, 3000), 'the connection is closed');
  }
  await assertAlive();
});

test('an 8 MiB manuscript from a non-author is refused before its body is sent; 32 at once do not grow the server', async () => {
  const big = 8 * 1024 * 1024 - 1024;
  const head = (token, method = 'POST', path = '/api/manuscripts') => [`${method} ${path} HTTP/1.1`, `Host: x`, json, `Content-Length: ${big}`, `Authorization: Bearer ${token}`, '', ''].join('\r\n');
  // the answer comes while the body has not been sent at all
  let s = await connect(srv.base, ATTACKER);
  s.write(head(reader.token));
  let r = await readResponse(s, { timeoutMs: 3000 });
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'not_author');
  assert.deepEqual(r.headers.connection, ['close']);
  s.destroy();
  // someone else's manuscript is a 404 before its body, as it is to GET
  const other = await makeAuthor(srv, admin, '남의작가');
  const m = await api(srv.base, 'POST', '/api/manuscripts', { token: other.token, body: { title: '남의 원고', content: '본문' } });
  s = await connect(srv.base, ATTACKER);
  s.write(head(author.token, 'PUT', `/api/manuscripts/${m.body.manuscript.id}`));
  r = await readResponse(s, { timeoutMs: 3000 });
  assert.equal(r.status, 404);
  s.destroy();
  // so are someone else's work and its episodes (an admin may edit the work, not its text)
  const work = await publishBook(srv, other, '남의 작품');
  for (const [token, path, status] of [[author.token, `/api/books/${work.id}`, 404],
    [author.token, `/api/books/${work.id}/episodes/1`, 404], [admin, `/api/books/${work.id}/episodes/1`, 404],
    [reader.token, `/api/books/${work.id + 1000}`, 404]]) {
    s = await connect(srv.base, ATTACKER);
    s.write(head(token, 'PATCH', path));
    r = await readResponse(s, { timeoutMs: 3000 });
    assert.equal(r.status, status, path);
    s.destroy();
  }
  // 32 at once, each sending its 8 MiB body as fast as it can
  const before = await rssMB(srv.child.pid);
  const chunk = Buffer.alloc(256 * 1024, 'a');
  const answers = await Promise.all(Array.from({ length: 32 }, async () => {
    const c = await connect(srv.base, ATTACKER);
    c.on('error', () => {});
    c.write(head(reader.token));
    const pending = readResponse(c, { timeoutMs: 15000 });
    for (let sent = 0; sent < big && !c.destroyed && !c.wlClosed; sent += chunk.length)
      if (!c.write(chunk)) await new Promise((res) => { c.once('drain', res); c.once('close', res); });
    const res = await pending;
    c.destroy();
    return res.status;
  }));
  assert.deepEqual([...new Set(answers)], [403]);
  const afterAll = await rssMB(srv.child.pid);
  assert.ok(afterAll.hwm - before.hwm < 48, `peak RSS grew by ${afterAll.hwm - before.hwm} MB`);
  await assertAlive();
});

test('Expect: 100-continue: the server asks for the body only when it will read it', async () => {
  const body = JSON.stringify({ title: '계속', content: '본문입니다' });
  const ask = (token) => [`POST /api/manuscripts HTTP/1.1`, 'Host: x', json, `Content-Length: ${Buffer.byteLength(body)}`, 'Expect: 100-continue', `Authorization: Bearer ${token}`, '', ''].join('\r\n');
  let s = await connect(srv.base, BYSTANDER);
  const interim = new Promise((res) => s.once('data', (d) => res(d.toString('latin1'))));
  s.write(ask(author.token));
  assert.match(await interim, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
  s.write(body);
  let r = await readResponse(s);
  assert.equal(r.status, 201);
  s.destroy();
  s = await connect(srv.base, ATTACKER);
  s.write(ask(reader.token));
  r = await readResponse(s, { timeoutMs: 3000 });
  assert.equal(r.status, 403);
  assert.ok(await closedWithin(s, 3000));
});

test('query strings are read strictly', async () => {
  const cases = [
    ['/api/books?limit=5&limit=100', 'limit'], ['/api/books?q=a%00b', 'q'], ['/api/books?limit=+5', 'limit'],
    ['/api/books?limit=%205', 'limit'], [`/api/books?q=${'가'.repeat(200)}`, 'q'], ['/api/books?cursor=1e3', 'cursor'],
    ['/api/books?q=%FF%FE', 'q'], ['/api/books?sort=popular&cursor=5', 'cursor'], ['/api/books?sort=newest', 'sort'],
    [`/api/books?sort=${'x'.repeat(40)}`, 'sort'], ['/api/me/points/ledger?cursor=-1', 'cursor'],
  ];
  for (const [path, field] of cases)
    problem(await api(srv.base, 'GET', path, { token: reader.token }), 422, 'validation_failed', field);
  assert.equal((await api(srv.base, 'GET', '/api/books?limit=100&sort=popular&cursor=0.5&q=abc')).status, 200);
});

test('a refused query parameter is answered once, and the handler does nothing after it', async () => {
  // each parameter given twice: refused by the parameter reader, inside the handler
  const paths = ['genre', 'tag', 'completed', 'sort', 'q'].map((p) => `/api/books?${p}=a&${p}=b`).concat(
    ['/api/books/rankings?period', '/api/me/notifications?unread', '/api/admin/members?q', '/api/admin/members?role',
      '/api/admin/payouts?status', '/api/notifications/unsubscribe?token'].map((p) => `${p}=a&${p.split('?')[1]}=b`));
  for (const path of paths) {
    const method = path.includes('unsubscribe') ? 'POST' : 'GET';
    const s = await connect(srv.base, ATTACKER);
    const all = await new Promise((resolve) => {
      const chunks = [];
      s.on('data', (c) => chunks.push(c));
      s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      s.on('error', () => {});
      s.write(`${method} ${path} HTTP/1.1\r\nHost: ${new URL(srv.base).host}\r\n` +
        `Authorization: Bearer ${admin}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    assert.equal(all.match(/HTTP\/1\.1 \d{3} /g)?.length, 1, `${path}: ${all.slice(0, 600)}`);
    assert.match(all, /^HTTP\/1\.1 422 /, path);
  }
  await assertAlive();
});

test('a cover is cached as immutable and never also no-store', async () => {
  const book = await publishBook(srv, author, '표지의 머리말');
  const r = await fetch(srv.base + book.coverUrl);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const again = await fetch(srv.base + book.coverUrl, { headers: { 'if-none-match': r.headers.get('etag') } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  // other API answers are not stored
  assert.equal((await fetch(`${srv.base}/api/books/${book.id}`)).headers.get('cache-control'), 'no-store');
});
