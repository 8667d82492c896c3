// The web client's field limits are the server's: each form field's maxlength is the maxLength
// docs/openapi.yaml declares for the field it is sent as, and the server holds to that limit
// (the limit passes, one character more answers 422 naming the field).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startServer, api, signup, createAdmin, login, problem, uniqueEmail } from './lib/server.mjs';

const root = new URL('../../', import.meta.url);
const spec = parse(readFileSync(new URL('docs/openapi.yaml', root), 'utf8'));

// [web file, the field's testid, the operation, the body property]
const FIELDS = [
  ['web/pages/signup.js', 'signup-name', 'post', '/api/auth/signup', 'name'],
  ['web/pages/apply.js', 'apply-penname', 'post', '/api/author-applications', 'penName'],
  ['web/pages/apply.js', 'apply-bio', 'post', '/api/author-applications', 'bio'],
  ['web/pages/apply.js', 'apply-portfolio', 'post', '/api/author-applications', 'portfolio'],
  ['web/pages/admin.js', 'reject-reason-', 'post', '/api/admin/author-applications/{id}/reject', 'reason'],
  ['web/pages/admin-members.js', 'ban-reason-', 'post', '/api/admin/members/{id}/ban', 'reason'],
  ['web/pages/reader-ai.js', 'ask-question', 'post', '/api/books/{id}/ask', 'question'],
  ['web/pages/desk.js', 'desk-summary', 'patch', '/api/books/{id}', 'summary'],
  ['web/pages/desk.js', 'desk-tagline', 'patch', '/api/books/{id}', 'tagline'],
];

/** The maxlength of the element whose testid starts with testid, in file. */
function webLimit(file, testid) {
  const src = readFileSync(new URL(file, root), 'utf8');
  const line = src.split('\n').find((l) => l.includes(`testid: '${testid}`) || l.includes(`testid: \`${testid}`));
  assert.ok(line, `${file}: no field ${testid}`);
  const m = /maxlength: (\d+)/.exec(line);
  assert.ok(m, `${file}: ${testid} has no maxlength`);
  return Number(m[1]);
}

function docLimit(method, path, prop) {
  const op = spec.paths[path]?.[method];
  assert.ok(op, `${method} ${path} is not in openapi.yaml`);
  const p = op.requestBody.content['application/json'].schema.properties[prop];
  assert.ok(p?.maxLength, `${method} ${path}: ${prop} declares no maxLength`);
  return p.maxLength;
}

test('every form field is limited as the server declares', () => {
  const wrong = [];
  for (const [file, testid, method, path, prop] of FIELDS) {
    const web = webLimit(file, testid);
    const doc = docLimit(method, path, prop);
    if (web !== doc) wrong.push(`${file} ${testid}: ${web}, ${method} ${path} ${prop}: ${doc}`);
  }
  assert.deepEqual(wrong, []);
});

let srv;
let admin;
before(async () => {
  srv = await startServer();
  const a = createAdmin(srv.dbPath);
  admin = await login(srv.base, a.email, a.password);
});
after(async () => { await srv.stop(); });

const text = (n) => '가'.repeat(n);

test('the server holds to the declared limits (sign-up name, application, rejection reason)', async () => {
  const name = docLimit('post', '/api/auth/signup', 'name');
  problem(await api(srv.base, 'POST', '/api/auth/signup', { body: { email: uniqueEmail(), password: 'password1', name: text(name + 1) } }), 422, 'validation_failed', 'name');
  const { token } = await signup(srv.base, uniqueEmail(), 'password1', text(name));

  const lim = {};
  for (const f of ['penName', 'bio', 'portfolio']) lim[f] = docLimit('post', '/api/author-applications', f);
  const body = { penName: text(lim.penName), bio: text(lim.bio), portfolio: text(lim.portfolio) };
  for (const f of Object.keys(lim)) {
    const r = await api(srv.base, 'POST', '/api/author-applications', { token, body: { ...body, [f]: text(lim[f] + 1) } });
    problem(r, 422, 'validation_failed', f);
  }
  const applied = await api(srv.base, 'POST', '/api/author-applications', { token, body });
  assert.equal(applied.status, 201, JSON.stringify(applied.body));

  const reason = docLimit('post', '/api/admin/author-applications/{id}/reject', 'reason');
  const path = `/api/admin/author-applications/${applied.body.application.id}/reject`;
  problem(await api(srv.base, 'POST', path, { token: admin, body: { reason: text(reason + 1) } }), 422, 'validation_failed', 'reason');
  const rejected = await api(srv.base, 'POST', path, { token: admin, body: { reason: text(reason) } });
  assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
});
