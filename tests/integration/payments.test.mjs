// Points bought through Toss Payments, against the fake Toss on loopback: the
// real binary, the real adapter, the provider's documented protocol. The
// attacker plays from 127.0.0.2, the victim from 127.0.0.3. One server runs
// its reconciliation pass at start-up only, so that no pass races a test's own
// confirm; another (with its own fake Toss) every second, for the tests of
// what the pass settles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer, api, signup, adminToken, cli, ledgerAll, problem, waitFor, tmpDir,
} from './lib/server.mjs';
import { startFakeToss } from './lib/fake_toss.mjs';

let toss;
let srv;
let admin;
let tossPass;
let srvPass;

before(async () => {
  toss = await startFakeToss();
  srv = await startServer({ args: ['--scheduler-interval', '86400'], env: toss.env });
  await toss.setWebhook(`${srv.base}/api/payments/webhook`);
  admin = await adminToken(srv);
  tossPass = await startFakeToss();
  srvPass = await startServer({ args: ['--scheduler-interval', '1'], env: tossPass.env });
  await tossPass.setWebhook(`${srvPass.base}/api/payments/webhook`);
});
after(async () => {
  await srv.stop();
  await toss.stop();
  await srvPass.stop();
  await tossPass.stop();
});

/** The same helpers on the server whose pass runs every second. */
function onPass(fn) {
  return async () => {
    const saved = [srv, toss];
    [srv, toss] = [srvPass, tossPass];
    try {
      await fn();
    } finally {
      [srv, toss] = saved;
    }
  };
}

/** One request from a chosen loopback address (127.0.0.2 the attacker, ...). */
function apiFrom(localAddress, method, path, { token, body } = {}) {
  const url = new URL(srv.base + path);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function order(who, amount) {
  const r = await api(srv.base, 'POST', '/api/me/points/orders', { token: who.token, body: { amount } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.order;
}

const confirm = (who, o, paymentKey, amount = o.amount) =>
  api(srv.base, 'POST', `/api/me/points/orders/${o.id}/confirm`, { token: who.token, body: { paymentKey, amount } });

async function balance(who) {
  return (await api(srv.base, 'GET', '/api/me', { token: who.token })).body.member.points;
}

async function orderNow(who, o) {
  return (await api(srv.base, 'GET', `/api/me/points/orders/${o.id}`, { token: who.token })).body.order;
}

async function charges(who, o) {
  return (await ledgerAll(srv.base, who.token)).filter((e) => e.kind === 'charge' && e.orderId === o.id).length;
}

test('an order opens the provider checkout; the confirm credits the points once', async () => {
  const who = await signup(srv.base);
  const o = await order(who, 15000);
  assert.equal(o.status, 'pending');
  assert.equal(o.provider, 'toss');
  assert.match(o.orderId, /^wl-[A-Za-z0-9_-]{24}$/);
  assert.deepEqual(o.checkout, {
    provider: 'toss', orderId: o.orderId, amount: 15000, clientKey: toss.clientKey, scriptUrl: `${toss.base}/v2/standard`,
  });
  const key = await toss.authorize(o.orderId, 15000);
  const before = await toss.calls();
  const r = await confirm(who, o, key);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.order.status, 'paid');
  assert.equal(r.body.order.method, '카드');
  assert.equal(r.body.balance, 15000);
  const calls = await toss.calls();
  assert.equal(calls.confirm, before.confirm + 1);
  // HTTP Basic with the secret key and an empty password; the order id is the idempotency key
  assert.equal(calls.lastAuthorization, `Basic ${Buffer.from(`${toss.secretKey}:`).toString('base64')}`);
  assert.equal(calls.lastConfirmIdempotencyKey, o.orderId);
  const entries = await ledgerAll(srv.base, who.token);
  assert.deepEqual(entries.map((e) => [e.kind, e.amount, e.orderId]), [['charge', 15000, o.id]]);
  const receipts = await api(srv.base, 'GET', '/api/me/points/orders', { token: who.token });
  assert.equal(receipts.status, 200);
  assert.equal(receipts.body.items[0].id, o.id);
  assert.equal(receipts.body.items[0].status, 'paid');
  assert.equal(receipts.body.items[0].checkout, undefined);
  assert.match(receipts.body.items[0].paidAt, /Z$/);
});

test('a replayed confirm answers the first result and credits nothing more', async () => {
  const who = await signup(srv.base);
  const o = await order(who, 5000);
  const key = await toss.authorize(o.orderId, 5000);
  assert.equal((await confirm(who, o, key)).status, 200);
  const calls = (await toss.calls()).confirm;
  const again = await Promise.all([1, 2, 3, 4, 5].map(() => confirm(who, o, key)));
  for (const r of again) {
    assert.equal(r.status, 200);
    assert.equal(r.body.balance, 5000);
  }
  assert.equal((await toss.calls()).confirm, calls);
  assert.equal(await balance(who), 5000);
  assert.equal(await charges(who, o), 1);
});

test('a tampered amount is refused before the provider is asked', async () => {
  const who = await signup(srv.base);
  const o = await order(who, 50000);
  const calls = (await toss.calls()).confirm;
  problem(await confirm(who, o, 'tfake-not-asked', 100), 422, 'amount_mismatch', 'amount');
  assert.equal((await toss.calls()).confirm, calls);
  assert.equal((await orderNow(who, o)).status, 'pending');
  assert.equal(await balance(who), 0);
  // the honest amount still goes through
  const key = await toss.authorize(o.orderId, 50000);
  assert.equal((await confirm(who, o, key)).status, 200);
  assert.equal(await balance(who), 50000);
});

test('a cheap payment cannot pay for a dear order', async () => {
  const who = await signup(srv.base);
  const cheap = await order(who, 100);
  const dear = await order(who, 1000000);
  const key = await toss.authorize(cheap.orderId, 100);
  const r = await confirm(who, dear, key, 1000000);
  problem(r, 402, 'payment_declined');
  assert.equal((await orderNow(who, dear)).status, 'failed');
  assert.equal(await balance(who), 0);
});

test("another member's order is not found and stays as it was", async () => {
  const victim = await signup(srv.base);
  const attacker = await signup(srv.base);
  const o = await order(victim, 20000);
  const key = await toss.authorize(o.orderId, 20000);
  const seen = await apiFrom('127.0.0.2', 'GET', `/api/me/points/orders/${o.id}`, { token: attacker.token });
  assert.equal(seen.status, 404);
  const r = await apiFrom('127.0.0.2', 'POST', `/api/me/points/orders/${o.id}/confirm`, {
    token: attacker.token, body: { paymentKey: key, amount: 20000 },
  });
  assert.equal(r.status, 404);
  assert.equal(r.body.code, 'not_found');
  assert.equal(await balance(attacker), 0);
  const mine = await apiFrom('127.0.0.3', 'POST', `/api/me/points/orders/${o.id}/confirm`, {
    token: victim.token, body: { paymentKey: key, amount: 20000 },
  });
  assert.equal(mine.status, 200);
  assert.equal(await balance(victim), 20000);
  const list = await apiFrom('127.0.0.2', 'GET', '/api/me/points/orders', { token: attacker.token });
  assert.deepEqual(list.body.items, []);
});

test('a forged webhook changes nothing: the server asks the provider itself', async () => {
  const who = await signup(srv.base);
  const cheap = await order(who, 1000);
  const dear = await order(who, 300000);
  const key = await toss.authorize(cheap.orderId, 1000);
  const forged = {
    eventType: 'PAYMENT_STATUS_CHANGED',
    createdAt: '2026-12-01T10:00:00.000000',
    data: { paymentKey: key, orderId: dear.orderId, status: 'DONE', totalAmount: 300000, balanceAmount: 300000 },
  };
  const calls = (await toss.calls()).lookup;
  const r = await apiFrom('127.0.0.2', 'POST', '/api/payments/webhook', { body: forged });
  assert.equal(r.status, 200);
  assert.ok((await toss.calls()).lookup > calls, 'the payment was read back from the provider');
  assert.equal((await orderNow(who, dear)).status, 'pending');
  // made-up keys, unknown orders, other events, junk
  for (const body of [
    { ...forged, data: { ...forged.data, paymentKey: 'made-up' } },
    { ...forged, data: { paymentKey: key, orderId: 'wl-nobody-at-all-here', status: 'DONE' } },
    { eventType: 'DEPOSIT_CALLBACK', data: forged.data },
    { eventType: 'PAYMENT_STATUS_CHANGED', data: 'DONE' },
  ]) {
    const x = await apiFrom('127.0.0.2', 'POST', '/api/payments/webhook', { body });
    assert.equal(x.status, 200);
  }
  assert.equal((await apiFrom('127.0.0.2', 'POST', '/api/payments/webhook', { body: [] })).status, 400);
  assert.equal((await orderNow(who, dear)).status, 'pending');
  assert.equal(await balance(who), 0);
  // the provider's own webhook for the cheap one (the browser never came back) settles it
  assert.equal(await toss.webhook({ paymentKey: key }), 200);
  assert.equal((await orderNow(who, cheap)).status, 'paid');
  assert.equal(await balance(who), 1000);
});

test('a declined card fails the order and credits nothing', async () => {
  const who = await signup(srv.base);
  const o = await order(who, 7000);
  const key = await toss.authorize(o.orderId, 7000, { reject: true });
  const r = await confirm(who, o, key);
  problem(r, 402, 'payment_declined');
  assert.match(r.body.detail, /한도초과|잔액부족/);
  const now = await orderNow(who, o);
  assert.equal(now.status, 'failed');
  assert.deepEqual(now.failure, { code: 'REJECT_CARD_PAYMENT' });
  problem(await confirm(who, o, key), 409, 'order_closed');
  assert.equal(await balance(who), 0);
});

test('provider down during confirm: the order waits, then the pass settles it once', onPass(async () => {
  const who = await signup(srv.base);
  const o = await order(who, 12000);
  const key = await toss.authorize(o.orderId, 12000);
  await toss.down(true);
  const r = await confirm(who, o, key);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.order.status, 'pending');
  assert.equal(r.body.balance, 0);
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal((await orderNow(who, o)).status, 'pending');
  await toss.down(false);
  await waitFor(async () => (await orderNow(who, o)).status === 'paid', { timeoutMs: 20000, stepMs: 200 });
  assert.equal(await balance(who), 12000);
  assert.equal(await charges(who, o), 1);
}));

test('a confirm whose answer is lost after the provider took the money is credited once', onPass(async () => {
  const who = await signup(srv.base);
  const o = await order(who, 9000);
  const key = await toss.authorize(o.orderId, 9000);
  await toss.script({ op: 'confirm', after: true, drop: true });
  const r = await confirm(who, o, key);
  assert.equal(r.status, 202);
  await waitFor(async () => (await orderNow(who, o)).status === 'paid', { timeoutMs: 20000, stepMs: 200 });
  // the browser retries meanwhile: the first result
  const again = await confirm(who, o, key);
  assert.equal(again.status, 200);
  assert.equal(again.body.balance, 9000);
  assert.equal(await charges(who, o), 1);
  const payment = (await toss.payments()).find((p) => p.orderId === o.orderId);
  assert.equal(payment.status, 'DONE');
}));

test('the browser closed after paying: the pass confirms the authorised payment', onPass(async () => {
  const who = await signup(srv.base);
  const o = await order(who, 4000);
  await toss.authorize(o.orderId, 4000);
  await waitFor(async () => (await orderNow(who, o)).status === 'paid', { timeoutMs: 20000, stepMs: 200 });
  assert.equal(await balance(who), 4000);
}));

test('fifty simultaneous confirms of one order credit it once', onPass(async () => {
  const who = await signup(srv.base);
  const o = await order(who, 30000);
  const key = await toss.authorize(o.orderId, 30000);
  const all = await Promise.all(Array.from({ length: 50 }, () => confirm(who, o, key)));
  for (const r of all) assert.ok([200, 202].includes(r.status), JSON.stringify(r.body));
  await waitFor(async () => (await orderNow(who, o)).status === 'paid', { timeoutMs: 20000, stepMs: 200 });
  assert.equal(await balance(who), 30000);
  assert.equal(await charges(who, o), 1);
}));

test('refund after spending: the unspent part goes back, never below zero, never twice', async () => {
  const who = await signup(srv.base);
  const o = await order(who, 20000);
  const key = await toss.authorize(o.orderId, 20000);
  assert.equal((await confirm(who, o, key)).status, 200);
  assert.equal((await api(srv.base, 'POST', '/api/me/subscription', { token: who.token, body: { autoRenew: false } })).status, 201);
  assert.equal(await balance(who), 10100);
  const refund = (mode, token = admin) =>
    api(srv.base, 'POST', `/api/admin/points/orders/${o.id}/refund`, { token, body: { mode, reason: '고객 요청' } });
  problem(await refund('full', who.token), 403, 'forbidden');
  const full = await refund('full');
  problem(full, 402, 'insufficient_points');
  assert.equal(full.body.balance, 10100);
  assert.equal(await balance(who), 10100);
  const part = await refund('unspent');
  assert.equal(part.status, 201, JSON.stringify(part.body));
  assert.equal(part.body.refund.amount, 10100);
  assert.equal(part.body.refund.status, 'done');
  assert.equal(part.body.order.status, 'partially_refunded');
  assert.equal(part.body.order.refunded, 10100);
  assert.equal(await balance(who), 0);
  const entries = await ledgerAll(srv.base, who.token);
  assert.deepEqual(entries[0], { ...entries[0], kind: 'refund', amount: -10100, orderId: o.id, balanceAfter: 0 });
  problem(await refund('unspent'), 402, 'insufficient_points');
  problem(await refund('full'), 402, 'insufficient_points');
  const payment = (await toss.payments()).find((p) => p.orderId === o.orderId);
  assert.equal(payment.status, 'PARTIAL_CANCELED');
  assert.equal(payment.balanceAmount, 9900);
  assert.equal(payment.cancels.length, 1);
  assert.equal(payment.cancels[0].cancelAmount, 10100);
  assert.equal(payment.cancels[0].cancelReason, '고객 요청');
});

test('a full refund, then a second one is refused; a refund of an unpaid order too', async () => {
  const who = await signup(srv.base);
  const o = await order(who, 8000);
  const key = await toss.authorize(o.orderId, 8000);
  assert.equal((await confirm(who, o, key)).status, 200);
  const refund = (id, mode = 'full') =>
    api(srv.base, 'POST', `/api/admin/points/orders/${id}/refund`, { token: admin, body: { mode, reason: '중복 결제' } });
  const two = await Promise.all([refund(o.id), refund(o.id)]);
  const codes = two.map((r) => r.status).sort();
  assert.deepEqual(codes.slice(0, 1), [201], JSON.stringify(two.map((r) => r.body)));
  assert.ok([402, 409].includes(codes[1]));
  assert.equal(await balance(who), 0);
  problem(await refund(o.id), 409, 'already_refunded');
  const unpaid = await order(who, 5000);
  problem(await refund(unpaid.id), 409, 'not_refundable');
  problem(await refund(o.id, 'half'), 422, 'validation_failed', 'mode');
  const payment = (await toss.payments()).find((p) => p.orderId === o.orderId);
  assert.equal(payment.status, 'CANCELED');
  assert.equal(payment.cancels.length, 1);
  const list = await api(srv.base, 'GET', '/api/admin/points/orders?status=refunded', { token: admin });
  assert.ok(list.body.items.some((x) => x.id === o.id));
});

test('the checkout page alone may load the provider script; the secret never leaves the server', async () => {
  const page = await fetch(`${srv.base}/points/checkout`);
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, new RegExp(`script-src 'self' ${toss.base.replace(/[.]/g, '\\.')}`));
  for (const path of ['/', '/me', '/points/checkout/success', '/books/1']) {
    const other = (await fetch(srv.base + path)).headers.get('content-security-policy');
    assert.doesNotMatch(other, /127\.0\.0\.1/, path);
  }
  const who = await signup(srv.base);
  const o = await order(who, 1000);
  assert.doesNotMatch(JSON.stringify(o), new RegExp(toss.secretKey));
  assert.doesNotMatch(srv.log.join('\n'), new RegExp(toss.secretKey));
  problem(await api(srv.base, 'POST', '/api/me/points/charge', { token: who.token, body: { amount: 1000 } }), 409, 'checkout_required');
});

test('--payments toss without its keys stops the start with one clear line', () => {
  const dir = tmpDir('toss-keys');
  const r = cli(['serve', '--listen', '127.0.0.1:0', '--db', `${dir}/wl.db`, '--payments', 'toss'], {
    env: { WL_TOSS_SECRET_KEY: '', WL_TOSS_CLIENT_KEY: 'test_ck_x' },
  });
  assert.notEqual(r.status, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /WL_TOSS_SECRET_KEY/);
  const bad = cli(['serve', '--listen', '127.0.0.1:0', '--db', `${dir}/wl.db`, '--payments', 'paypal']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--payments: expected dev or toss/);
});
