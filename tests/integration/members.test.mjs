// Members over real HTTP: accounts, sessions, points, subscription, CLI, headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, api, signup, uniqueEmail, createAdmin, login, charge, ledgerAll, cli, tmpDir,
  problem,
} from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('signup returns the member, a token and the session cookie', async () => {
  const email = uniqueEmail();
  const r = await api(srv.base, 'POST', '/api/auth/signup', { body: { email, password: 'password1', name: '김독자' } });
  assert.equal(r.status, 201);
  assert.equal(r.body.member.email, email);
  assert.deepEqual(r.body.member.roles, ['reader']);
  assert.equal(r.body.member.points, 0);
  assert.deepEqual(r.body.member.subscription, { active: false, expiresAt: null, autoRenew: false, price: 9900 });
  assert.match(r.body.member.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(r.body.token, /^[A-Za-z0-9_-]{43}$/);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^wl_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
  const me = await api(srv.base, 'GET', '/api/me', { token: r.body.token });
  assert.equal(me.status, 200);
  assert.equal(me.body.member.id, r.body.member.id);
});

test('signup refuses bad input and changes nothing', async () => {
  const email = uniqueEmail();
  const cases = [
    [{ raw: '{"email":', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    [{ raw: '[1,2]' }, 400, 'invalid_json'],
    [{ body: { email, password: 12345678, name: 'a' } }, 400, 'invalid_json'],
    [{ body: { email: ['x'], password: 'password1', name: 'a' } }, 400, 'invalid_json'],
    [{ body: { password: 'password1', name: 'a' } }, 422, 'validation_failed', 'email'],
    [{ body: { email, name: 'a' } }, 422, 'validation_failed', 'password'],
    [{ body: { email, password: 'password1' } }, 422, 'validation_failed', 'name'],
    [{ body: { email: 'nope', password: 'password1', name: 'a' } }, 422, 'validation_failed', 'email'],
    [{ body: { email, password: 'short', name: 'a' } }, 422, 'validation_failed', 'password'],
    [{ body: { email, password: 'password1', name: '' } }, 422, 'validation_failed', 'name'],
    [{ raw: JSON.stringify({ email, password: 'password1', name: 'x'.repeat(100 * 1024) }) }, 413, 'payload_too_large'],
  ];
  for (const [opts, status, code, field] of cases) {
    const r = await api(srv.base, 'POST', '/api/auth/signup', opts);
    problem(r, status, code);
    if (field) assert.equal(r.body.field, field);
  }
  const l = await api(srv.base, 'POST', '/api/auth/login', { body: { email, password: 'password1' } });
  problem(l, 401, 'invalid_credentials'); // no account was created by any of them
});

test('duplicate e-mail is email_taken, case-insensitively', async () => {
  const { email } = await signup(srv.base);
  const r = await api(srv.base, 'POST', '/api/auth/signup', { body: { email: email.toUpperCase(), password: 'password2', name: 'b' } });
  problem(r, 409, 'email_taken');
});

test('login, cookie auth, logout revokes the session', async () => {
  const { email, password } = await signup(srv.base);
  const r = await api(srv.base, 'POST', '/api/auth/login', { body: { email, password } });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const me = await api(srv.base, 'GET', '/api/me', { headers: { cookie } });
  assert.equal(me.status, 200);
  assert.equal(me.body.member.email, email);
  const out = await api(srv.base, 'POST', '/api/auth/logout', { headers: { cookie } });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /wl_session=;.*Max-Age=0/);
  problem(await api(srv.base, 'GET', '/api/me', { headers: { cookie } }), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/me', { token: r.body.token }), 401, 'unauthenticated');
});

test('unauthenticated and bad tokens get 401', async () => {
  problem(await api(srv.base, 'GET', '/api/me'), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/me', { token: 'x'.repeat(43) }), 401, 'unauthenticated');
  problem(await api(srv.base, 'POST', '/api/auth/logout'), 401, 'unauthenticated');
  for (const [m, p] of [['POST', '/api/me/points/charge'], ['GET', '/api/me/points/ledger'], ['GET', '/api/me/subscription'], ['POST', '/api/me/subscription'], ['DELETE', '/api/me/subscription']])
    problem(await api(srv.base, m, p, { body: {} }), 401, 'unauthenticated');
});

test('cross-site unsafe requests are refused, with the cookie, a token or neither', async () => {
  const { token } = await signup(srv.base);
  const cookie = `wl_session=${token}`;
  const host = new URL(srv.base).host;
  problem(await api(srv.base, 'POST', '/api/me/points/charge', { headers: { cookie, origin: 'https://evil.example' }, body: { amount: 1000 } }), 403, 'forbidden');
  problem(await api(srv.base, 'POST', '/api/me/points/charge', { headers: { cookie, 'sec-fetch-site': 'cross-site' }, body: { amount: 1000 } }), 403, 'forbidden');
  const me = await api(srv.base, 'GET', '/api/me', { headers: { cookie } });
  assert.equal(me.body.member.points, 0);
  const ok = await api(srv.base, 'POST', '/api/me/points/charge', { headers: { cookie, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' }, body: { amount: 1000 } });
  assert.equal(ok.status, 201);
  // signed in by a bearer token or not at all, a foreign Origin is refused all the same
  problem(await api(srv.base, 'POST', '/api/me/points/charge', { token, headers: { origin: 'https://other.example' }, body: { amount: 1000 } }), 403, 'forbidden');
  // an API client sends neither header and is unaffected
  const bearer = await api(srv.base, 'POST', '/api/me/points/charge', { token, body: { amount: 1000 } });
  assert.equal(bearer.status, 201);
});

test('login attempts are rate-limited with 429', async () => {
  const { email, password } = await signup(srv.base);
  for (let i = 0; i < 10; i++)
    problem(await api(srv.base, 'POST', '/api/auth/login', { body: { email, password: 'wrong-password' } }), 401, 'invalid_credentials');
  const r = await api(srv.base, 'POST', '/api/auth/login', { body: { email, password } });
  problem(r, 429, 'too_many_attempts');
  assert.ok(r.headers.get('retry-after'));
});

test('charge: credits, ledger, and refuses bad amounts changing nothing', async () => {
  const { token } = await signup(srv.base);
  const r = await charge(srv.base, token, 5000);
  assert.equal(r.status, 201);
  assert.equal(r.body.balance, 5000);
  assert.equal(r.body.entry.kind, 'charge');
  assert.equal(r.body.entry.amount, 5000);
  assert.equal(r.body.entry.balanceAfter, 5000);
  assert.equal(r.body.entry.bookId, null);
  for (const amount of [0, -100, 99, 1000001, 100.5])
    problem(await charge(srv.base, token, amount), amount === 100.5 ? 400 : 422, amount === 100.5 ? 'invalid_json' : 'validation_failed');
  problem(await charge(srv.base, token, '5000'), 400, 'invalid_json');
  problem(await api(srv.base, 'POST', '/api/me/points/charge', { token, body: {} }), 422, 'validation_failed');
  problem(await api(srv.base, 'POST', '/api/me/points/charge', { token, raw: 'amount=5' }), 400, 'invalid_json');
  problem(await api(srv.base, 'POST', '/api/me/points/charge', { token, raw: `{"amount":100,"pad":"${'x'.repeat(70000)}"}` }), 413, 'payload_too_large');
  const me = await api(srv.base, 'GET', '/api/me', { token });
  assert.equal(me.body.member.points, 5000);
  assert.equal((await ledgerAll(srv.base, token)).length, 1);
});

test('ledger pages newest first with cursors', async () => {
  const { token } = await signup(srv.base);
  for (const a of [100, 200, 300, 400, 500]) assert.equal((await charge(srv.base, token, a)).status, 201);
  const p1 = await api(srv.base, 'GET', '/api/me/points/ledger?limit=2', { token });
  assert.deepEqual(p1.body.items.map((e) => e.amount), [500, 400]);
  assert.equal(typeof p1.body.nextCursor, 'string');
  const p2 = await api(srv.base, 'GET', `/api/me/points/ledger?limit=2&cursor=${p1.body.nextCursor}`, { token });
  assert.deepEqual(p2.body.items.map((e) => e.amount), [300, 200]);
  const p3 = await api(srv.base, 'GET', `/api/me/points/ledger?limit=2&cursor=${p2.body.nextCursor}`, { token });
  assert.deepEqual(p3.body.items.map((e) => e.amount), [100]);
  assert.equal(p3.body.nextCursor, null);
  problem(await api(srv.base, 'GET', '/api/me/points/ledger?limit=0', { token }), 422, 'validation_failed');
  problem(await api(srv.base, 'GET', '/api/me/points/ledger?limit=101', { token }), 422, 'validation_failed');
  problem(await api(srv.base, 'GET', '/api/me/points/ledger?cursor=abc', { token }), 422, 'validation_failed');
});

test('the same Idempotency-Key sent 20 times at once credits once', async () => {
  const { token } = await signup(srv.base);
  const rs = await Promise.all(Array.from({ length: 20 }, () => charge(srv.base, token, 7000, 'same-key-1')));
  for (const r of rs) assert.equal(r.status, 201);
  const ids = new Set(rs.map((r) => r.body.entry.id));
  assert.equal(ids.size, 1);
  const me = await api(srv.base, 'GET', '/api/me', { token });
  assert.equal(me.body.member.points, 7000);
  assert.equal((await ledgerAll(srv.base, token)).length, 1);
  const other = await charge(srv.base, token, 7000, 'same-key-2');
  assert.notEqual(other.body.entry.id, rs[0].body.entry.id);
});

test('one idempotency rule: a key reused for another request answers 422 and changes nothing', async () => {
  const { token } = await signup(srv.base);
  assert.equal((await charge(srv.base, token, 20000, 'rule-1')).status, 201);
  problem(await charge(srv.base, token, 30000, 'rule-1'), 422, 'idempotency_key_reused');
  const sub = (key, autoRenew) => api(srv.base, 'POST', '/api/me/subscription', { token, body: { autoRenew }, headers: { 'idempotency-key': key } });
  const rs = await Promise.all(Array.from({ length: 5 }, () => sub('sub-1', true)));
  for (const r of rs) assert.equal(r.status, 201);
  assert.equal(new Set(rs.map((r) => r.body.subscription.expiresAt)).size, 1);
  problem(await sub('sub-1', false), 422, 'idempotency_key_reused');
  const me = await api(srv.base, 'GET', '/api/me', { token });
  assert.equal(me.body.member.points, 20000 - 9900);
  assert.equal(me.body.member.subscription.autoRenew, true);
  assert.deepEqual((await ledgerAll(srv.base, token)).map((e) => e.kind).sort(), ['charge', 'subscription']);
});

test('subscription: subscribe, extend, cancel auto-renew, 402 when short', async () => {
  const { token } = await signup(srv.base);
  const empty = await api(srv.base, 'GET', '/api/me/subscription', { token });
  assert.deepEqual(empty.body, { subscription: { active: false, expiresAt: null, autoRenew: false, price: 9900 } });
  const short = await api(srv.base, 'POST', '/api/me/subscription', { token, body: { autoRenew: true } });
  problem(short, 402, 'insufficient_points');
  assert.equal(short.body.subscriptionPrice, 9900);
  assert.equal(short.body.balance, 0);
  problem(await api(srv.base, 'POST', '/api/me/subscription', { token, body: { autoRenew: 'yes' } }), 400, 'invalid_json');
  problem(await api(srv.base, 'DELETE', '/api/me/subscription', { token }), 404, 'not_found');
  await charge(srv.base, token, 20000);
  const s1 = await api(srv.base, 'POST', '/api/me/subscription', { token, body: { autoRenew: true } });
  assert.equal(s1.status, 201);
  assert.equal(s1.body.subscription.active, true);
  assert.equal(s1.body.subscription.autoRenew, true);
  const days = (Date.parse(s1.body.subscription.expiresAt) - Date.now()) / 86400000;
  assert.ok(days > 29.9 && days <= 30.01, `expires in ${days} days`);
  const s2 = await api(srv.base, 'POST', '/api/me/subscription', { token, body: {} });
  const ext = (Date.parse(s2.body.subscription.expiresAt) - Date.parse(s1.body.subscription.expiresAt)) / 86400000;
  assert.equal(Math.round(ext), 30);
  const c = await api(srv.base, 'DELETE', '/api/me/subscription', { token });
  assert.equal(c.status, 200);
  assert.equal(c.body.subscription.active, true);
  assert.equal(c.body.subscription.autoRenew, false);
  const me = await api(srv.base, 'GET', '/api/me', { token });
  assert.equal(me.body.member.points, 20000 - 2 * 9900);
  assert.equal(me.body.member.subscription.active, true);
  const kinds = (await ledgerAll(srv.base, token)).map((e) => [e.kind, e.amount]);
  assert.deepEqual(kinds, [['subscription', -9900], ['subscription', -9900], ['charge', 20000]]);
});

test('50 concurrent spends from one wallet never overdraw it; the ledger sums to the balance', async () => {
  const { token } = await signup(srv.base);
  await charge(srv.base, token, 9900 * 3 + 500);
  const rs = await Promise.all(Array.from({ length: 50 }, () => api(srv.base, 'POST', '/api/me/subscription', { token, body: { autoRenew: false } })));
  const ok = rs.filter((r) => r.status === 201).length;
  const refused = rs.filter((r) => r.status === 402).length;
  assert.equal(ok, 3);
  assert.equal(refused, 47);
  const me = await api(srv.base, 'GET', '/api/me', { token });
  assert.equal(me.body.member.points, 500);
  const ledger = await ledgerAll(srv.base, token);
  assert.equal(ledger.reduce((s, e) => s + e.amount, 0), me.body.member.points);
  assert.equal(ledger[0].balanceAfter, 500);
});

test('50 members charging at once: no lost credit', async () => {
  const members = await Promise.all(Array.from({ length: 50 }, () => signup(srv.base)));
  const rs = await Promise.all(members.map((m, i) => charge(srv.base, m.token, 1000 + i * 100)));
  rs.forEach((r) => assert.equal(r.status, 201));
  const mes = await Promise.all(members.map((m) => api(srv.base, 'GET', '/api/me', { token: m.token })));
  mes.forEach((r, i) => assert.equal(r.body.member.points, 1000 + i * 100));
});

test('responses carry a request id and security headers; unknown API paths are 404, wrong methods 405', async () => {
  const r = await api(srv.base, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-abc_1' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-request-id'), 'trace-abc_1');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const gen = await api(srv.base, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
  assert.notEqual(gen.headers.get('x-request-id'), 'bad id with spaces');
  assert.ok(gen.headers.get('x-request-id'));
  problem(await api(srv.base, 'GET', '/api/nothing-here'), 404, 'not_found');
  problem(await api(srv.base, 'PUT', '/api/me'), 405, 'method_not_allowed');
  assert.equal((await api(srv.base, 'GET', '/readyz')).status, 200);
  const m = await api(srv.base, 'GET', '/metrics');
  assert.match(m.body, /wl_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  assert.match(m.body, /wl_members_total \d+/);
});

test('admin create on a new database and while the server runs; admins see the event log', async () => {
  const fresh = join(tmpDir('admin'), 'new.db');
  const a1 = createAdmin(fresh);
  assert.ok(existsSync(fresh));
  const s2 = await startServer({ dbPath: fresh });
  try {
    const t1 = await login(s2.base, a1.email, a1.password);
    const me = await api(s2.base, 'GET', '/api/me', { token: t1 });
    assert.deepEqual(me.body.member.roles, ['reader', 'admin']);
    const a2 = createAdmin(fresh); // while it runs
    const t2 = await login(s2.base, a2.email, a2.password);
    const ev = await api(s2.base, 'GET', '/api/admin/events?type=member.signed_up', { token: t2 });
    assert.equal(ev.status, 200);
    assert.equal(ev.body.items.length, 2);
    assert.equal(ev.body.items[0].type, 'member.signed_up');
    assert.equal(typeof ev.body.items[0].payload.memberId, 'number');
    const reader = await signup(s2.base);
    problem(await api(s2.base, 'GET', '/api/admin/events', { token: reader.token }), 403, 'forbidden');
    const dup = cli(['admin', 'create', '--db', fresh, '--email', a1.email, '--name', 'x'], { input: 'password123\n' });
    assert.notEqual(dup.status, 0);
    assert.equal(dup.stderr.trim().split('\n').length, 1);
    const serverOnly = cli(['admin', 'create', '--db', fresh, '--email', uniqueEmail(), '--name', 'x'],
      { input: 'password123\n', env: { WL_AI: 'openai' } }); // a server setting without its model
    assert.equal(serverOnly.status, 0, serverOnly.stderr);
    const weak = cli(['admin', 'create', '--db', fresh, '--email', uniqueEmail(), '--name', 'x'], { input: 'short\n' });
    assert.notEqual(weak.status, 0);
    assert.match(weak.stderr, /password/);
  } finally {
    await s2.stop();
  }
});

test('backup writes a consistent copy of a live database', async () => {
  const { token, email, password } = await signup(srv.base);
  await charge(srv.base, token, 4200);
  const out = join(tmpDir('backup'), 'copy.db');
  const r = cli(['backup', '--db', srv.dbPath, out]);
  assert.equal(r.status, 0, r.stderr);
  const s2 = await startServer({ dbPath: out });
  try {
    const t = await login(s2.base, email, password);
    const me = await api(s2.base, 'GET', '/api/me', { token: t });
    assert.equal(me.body.member.points, 4200);
  } finally {
    await s2.stop();
  }
});

test('CLI: --version, --help, bad flags and unusable databases fail with one clear line', () => {
  assert.match(cli(['--version']).stdout, /^walking-library \d+\.\d+\.\d+/);
  const help = cli(['--help']);
  assert.equal(help.status, 0);
  for (const s of ['serve', 'admin create', 'backup', '--listen', 'WL_LISTEN', '--db', 'WL_DB', '--threads']) assert.ok(help.stdout.includes(s), s);
  for (const args of [['serve', '--bogus'], ['serve', '--threads', 'many'], ['serve', '--threads'], ['serve', '--ai', 'magic'], ['frobnicate'], ['serve', '--db', '/nonexistent-dir/x/y.db'], ['backup', '--db', '/nonexistent/x.db', '/tmp/y.db']]) {
    const r = cli(args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^walking-library: /);
  }
  const env = cli(['serve'], { env: { WL_THREADS: 'lots' } });
  assert.notEqual(env.status, 0);
  assert.match(env.stderr, /WL_THREADS/);
});

test('SIGKILL during a burst of charges loses no acknowledged charge', async () => {
  const s2 = await startServer();
  const { token, email, password } = await signup(s2.base);
  const acked = [];
  let stop = false;
  const workers = Array.from({ length: 8 }, async () => {
    while (!stop) {
      try {
        const r = await charge(s2.base, token, 100);
        if (r.status === 201) acked.push(r.body.entry.id);
      } catch { return; } // the connection died with the server
    }
  });
  // a burst: at least a dozen acknowledged (bounded, whatever the machine's load)
  for (let waited = 0; acked.length <= 12 && waited < 10000; waited += 50) await new Promise((res) => setTimeout(res, 50));
  await s2.kill();
  stop = true;
  await Promise.all(workers);
  assert.ok(acked.length > 10, `only ${acked.length} charges acknowledged`);
  await s2.restart();
  try {
    const t = await login(s2.base, email, password);
    const ledger = await ledgerAll(s2.base, t);
    const ids = new Set(ledger.map((e) => e.id));
    for (const id of acked) assert.ok(ids.has(id), `acknowledged entry ${id} was lost`);
    const me = await api(s2.base, 'GET', '/api/me', { token: t });
    assert.equal(me.body.member.points, ledger.length * 100);
  } finally {
    await s2.stop();
  }
});

test('SIGTERM shuts down gracefully', async () => {
  const s2 = await startServer();
  const r = await s2.stop();
  assert.equal(r.code, 0);
  assert.ok(s2.log.some((l) => l.includes('"msg":"stopped"')));
});

test('chunked bodies are read, and refused past the limit', async () => {
  const { token } = await signup(srv.base);
  const send = (text) => fetch(`${srv.base}/api/me/points/charge`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    duplex: 'half',
    body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(text)); c.close(); } }),
  });
  const ok = await send('{"amount": 1200}');
  assert.equal(ok.status, 201);
  const big = await send(`{"amount": 100, "pad": "${'x'.repeat(200 * 1024)}"}`);
  assert.equal(big.status, 413);
  assert.equal((await big.json()).code, 'payload_too_large');
  const me = await api(srv.base, 'GET', '/api/me', { token });
  assert.equal(me.body.member.points, 1200);
});
