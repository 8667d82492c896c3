// Starts the real binary on an ephemeral loopback port and talks HTTP to it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after } from 'node:test';

export const BIN = process.env.WL_BIN ?? new URL('../../../build/walking-library', import.meta.url).pathname;
const TMP = process.env.WL_TEST_TMP ?? '/tmp/wl-test';

// Fast password hashing for tests: the hash string records its own cost. The test runner is one
// address playing many members at once: no per-client connection cap and no sign-up limit
// unless a test asks for them with flags (the hardening tests do; a flag wins).
export const TEST_ENV = {
  WL_PWHASH_MEM_KIB: '64', WL_PWHASH_OPS: '1', WL_MAX_CONNS_PER_CLIENT: '0', WL_SIGNUP_LIMIT: '0',
  // the tests' short texts are sold unless a test asks for the minimum sale length
  WL_MIN_SALE_CHARS: '0',
};

// Every line a server writes to stderr is one JSON object (the one log writer, log.h): each
// line of every server of the file is parsed, and the file fails at its end naming any other.
const notJson = [];
function checkLogLine(line) {
  try {
    const o = JSON.parse(line);
    if (o === null || typeof o !== 'object' || Array.isArray(o) || typeof o.level !== 'string' || typeof o.msg !== 'string') throw new Error('not a log object');
  } catch {
    notJson.push(line);
  }
}
after(() => assert.deepEqual(notJson, [], 'server stderr lines that are not JSON log objects'));

export function tmpDir(name = 'it') {
  mkdirSync(TMP, { recursive: true });
  return mkdtempSync(join(TMP, `${name}-`));
}

// threads: the --threads flag (null: the server's default); wrap: a command line that runs the
// server (given as its last arguments) in another setting, e.g. a mount namespace.
function launch(dbPath, args, env, threads = '64', wrap = []) {
  const argv = [BIN, 'serve', '--listen', '127.0.0.1:0', '--db', dbPath, ...(threads ? ['--threads', threads] : []), ...args];
  const child = spawn(wrap.length ? wrap[0] : BIN, [...wrap.slice(1), ...(wrap.length ? argv : argv.slice(1))], {
    env: { ...process.env, ...TEST_ENV, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = [];
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('\n')}`)), 15000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        log.push(line);
        checkLogLine(line);
        if (log.length > 2000) log.shift();
        if (line.includes('"msg":"listening"')) {
          const m = /"address":"([^"]+)"/.exec(line);
          clearTimeout(timer);
          resolve({ child, base: `http://${m[1]}`, log });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log.join('\n')}`));
    });
  });
}

/**
 * Starts a server on a fresh database (or dbPath); threads: null for the default worker count;
 * wrap: a command that runs the server (see launch).
 * Returns
 * {base, dbPath, log, stop(), kill(), restart()}.
 */
export async function startServer({ dbPath, args = [], env = {}, threads, wrap } = {}) {
  dbPath ??= join(tmpDir('db'), 'wl.db');
  const s = { dbPath, args, env };
  const up = async () => {
    const { child, base, log } = await launch(dbPath, args, env, threads, wrap);
    child.removeAllListeners('exit');
    s.child = child;
    s.base = base;
    s.log = log;
    // 'close': after the last of stderr (a sanitizer's report comes after the exit)
    s.exited = new Promise((res) => child.on('close', (code, sig) => res({ code, sig })));
  };
  s.stop = async () => {
    s.child.kill('SIGTERM');
    const r = await s.exited;
    // a stop that is not clean says why (a sanitizer report, an assertion) in the test's output
    if (r.code !== 0) process.stderr.write(`server stopped with ${JSON.stringify(r)}:\n${s.log.slice(-40).join('\n')}\n`);
    return r;
  };
  s.kill = async () => {
    s.child.kill('SIGKILL');
    return s.exited;
  };
  s.restart = async () => {
    if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
    await up();
    return s;
  };
  await up();
  return s;
}

/** One request; returns {status, body (parsed JSON or text), headers}. */
// The server ends an idle keep-alive connection after 5 s. A client that keeps its own idle
// connections almost as long races that close whenever its event loop lags (a loaded CI
// machine): the request goes out on a socket the server is closing. Keep them 1 s here, and,
// as a browser does, retry a GET or HEAD once when a reused connection closes under it.
try {
  const key = Symbol.for('undici.globalDispatcher.1');
  await fetch('http://127.0.0.1:1/').catch(() => {}); // creates the default agent
  const Agent = globalThis[key]?.constructor;
  if (Agent) globalThis[key] = new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 });
} catch { /* an older fetch: its defaults */ }


async function fetchOnce(url, init) {
  try {
    return await fetch(url, init);
  } catch (e) {
    if ((init.method === 'GET' || init.method === 'HEAD') && e.cause?.code === 'UND_ERR_SOCKET') return fetch(url, init);
    throw e;
  }
}

export async function api(base, method, path, { token, body, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
    if (!('content-type' in h)) h['content-type'] = 'application/json'; // another type (or null) tests 415
    if (h['content-type'] === null) delete h['content-type'];
  } else if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
    payload = JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetchOnce(base + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let parsed = text;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed, headers: res.headers };
}

export function uniqueEmail(prefix = 'u') {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * A sign-up or login, waiting out 503 busy as Retry-After says (many at once can fill the
 * password-hashing queue; a real client does the same).
 */
async function authRequest(base, path, body) {
  for (let i = 0; ; i++) {
    const r = await api(base, 'POST', path, { body });
    if (r.status !== 503 || r.body?.code !== 'busy' || i === 30) return r;
    await new Promise((res) => setTimeout(res, 1000 * Number(r.headers.get('retry-after') ?? 1)));
  }
}

/** Signs up a new reader; returns {token, member, email, password}. */
export async function signup(base, email = uniqueEmail(), password = 'password1', name = '독자') {
  const r = await authRequest(base, '/api/auth/signup', { email, password, name });
  if (r.status !== 201) throw new Error(`signup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, member: r.body.member, email, password };
}

/** Runs the CLI; returns {status, stdout, stderr}. */
export function cli(args, { input, env = {} } = {}) {
  const r = spawnSync(BIN, args, { input, env: { ...process.env, ...TEST_ENV, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `walking-library admin create` with the password on stdin. */
export function createAdmin(dbPath, email = uniqueEmail('admin'), password = 'admin-password', name = '관리자') {
  const r = cli(['admin', 'create', '--db', dbPath, '--email', email, '--name', name], { input: password + '\n' });
  if (r.status !== 0) throw new Error(`admin create failed: ${r.stderr}`);
  return { email, password };
}

/** Logs in; returns the token. */
export async function login(base, email, password) {
  const r = await authRequest(base, '/api/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

export async function charge(base, token, amount, key) {
  return api(base, 'POST', '/api/me/points/charge', {
    token,
    body: { amount },
    headers: key ? { 'idempotency-key': key } : {},
  });
}

/** All ledger entries of the member, following cursors. */
export async function ledgerAll(base, token) {
  const items = [];
  let cursor = '';
  for (;;) {
    const r = await api(base, 'GET', `/api/me/points/ledger?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
    if (r.status !== 200) throw new Error(`ledger: ${r.status}`);
    items.push(...r.body.items);
    if (!r.body.nextCursor) return items;
    cursor = r.body.nextCursor;
  }
}

/** An admin's token on a running server (created with the CLI). */
export async function adminToken(srv) {
  const a = createAdmin(srv.dbPath);
  return login(srv.base, a.email, a.password);
}

/** A new member who applied and was approved as an author; returns {token, member}. */
export async function makeAuthor(srv, admin, penName = '윤서재') {
  const who = await signup(srv.base);
  const app = await api(srv.base, 'POST', '/api/author-applications', {
    token: who.token, body: { penName, bio: '소개', portfolio: '' },
  });
  if (app.status !== 201) throw new Error(`apply: ${app.status} ${JSON.stringify(app.body)}`);
  const ok = await api(srv.base, 'POST', `/api/admin/author-applications/${app.body.application.id}/approve`, { token: admin });
  if (ok.status !== 200) throw new Error(`approve: ${ok.status} ${JSON.stringify(ok.body)}`);
  return who;
}

export const LOREM_KO = '할머니의 책상에는 열리지 않는 서랍이 하나 있었다. 그해 겨울, 서랍이 저절로 열렸다. ' +
  '안에는 아직 오지 않은 날짜가 적힌 편지 수십 통이 들어 있었다. 나는 첫 번째 편지를 읽었다. ' +
  '편지는 하루에 한 통씩만 읽을 수 있었다. 서랍은 나에게 기다리는 법을 가르치고 있었다.';

/** Writes, submits and waits until the AI pipeline publishes; returns the manuscript. */
export async function submitManuscript(srv, author, title, content = LOREM_KO) {
  const m = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: { title, content } });
  if (m.status !== 201) throw new Error(`create: ${m.status} ${JSON.stringify(m.body)}`);
  const s = await api(srv.base, 'POST', `/api/manuscripts/${m.body.manuscript.id}/submit`, { token: author.token });
  if (s.status !== 202) throw new Error(`submit: ${s.status} ${JSON.stringify(s.body)}`);
  return m.body.manuscript;
}

export async function waitFor(fn, { timeoutMs = 10000, stepMs = 50 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Submits a manuscript and returns its published book (as GET /api/books/{id} shows it). */
export async function publishBook(srv, author, title, content = LOREM_KO) {
  const m = await submitManuscript(srv, author, title, content);
  const done = await waitFor(async () => {
    const r = await api(srv.base, 'GET', `/api/manuscripts/${m.id}`, { token: author.token });
    if (r.body.manuscript.status === 'failed') throw new Error(`generation failed: ${r.body.manuscript.error}`);
    return r.body.manuscript.status === 'published' ? r.body.manuscript : null;
  });
  const b = await api(srv.base, 'GET', `/api/books/${done.bookId}`);
  return b.body.book;
}

/** Asserts r is a problem+json answer with status and code (and field, when given). */
export function problem(r, status, code, field) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(r.body.status, status);
  assert.equal(r.body.code, code);
  assert.ok(r.body.title && r.body.detail && r.body.type);
  if (field) assert.equal(r.body.field, field);
}

/** Waits until manuscript m is published; returns it (throws on a failed generation). */
export async function waitPublished(srv, author, id) {
  return waitFor(async () => {
    const r = await api(srv.base, 'GET', `/api/manuscripts/${id}`, { token: author.token });
    if (r.body.manuscript.status === 'failed') throw new Error(`generation failed: ${r.body.manuscript.error}`);
    return r.body.manuscript.status === 'published' ? r.body.manuscript : null;
  });
}

/** A serial work: its first episode from a manuscript with serial: true; returns the book. */
export async function publishSerial(srv, author, title, content = LOREM_KO) {
  const m = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: { title, content, serial: true } });
  if (m.status !== 201) throw new Error(`create: ${m.status} ${JSON.stringify(m.body)}`);
  const s = await api(srv.base, 'POST', `/api/manuscripts/${m.body.manuscript.id}/submit`, { token: author.token });
  if (s.status !== 202) throw new Error(`submit: ${s.status} ${JSON.stringify(s.body)}`);
  const done = await waitPublished(srv, author, m.body.manuscript.id);
  return (await api(srv.base, 'GET', `/api/books/${done.bookId}`)).body.book;
}

/**
 * The next episode of a work: writes and submits it (publishAt: RFC 3339 or undefined);
 * returns the submitted manuscript (its `episode` is the reserved number). Waits until it
 * is generated unless publishAt is given.
 */
export async function addEpisode(srv, author, bookId, title, content = LOREM_KO, publishAt) {
  const m = await api(srv.base, 'POST', '/api/manuscripts', { token: author.token, body: { title, content, bookId } });
  if (m.status !== 201) throw new Error(`create: ${m.status} ${JSON.stringify(m.body)}`);
  const s = await api(srv.base, 'POST', `/api/manuscripts/${m.body.manuscript.id}/submit`, {
    token: author.token, body: publishAt ? { publishAt } : undefined,
  });
  if (s.status !== 202) throw new Error(`submit: ${s.status} ${JSON.stringify(s.body)}`);
  return waitPublished(srv, author, m.body.manuscript.id);
}
