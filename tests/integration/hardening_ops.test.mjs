// Issue 10, operations: /metrics only for loopback clients or the bearer of --metrics-token,
// the development payment provider refused as a default away from loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, TEST_ENV, tmpDir } from './lib/server.mjs';
import { rawRequest, ATTACKER } from './lib/raw.mjs';

async function metricsFrom(srv, headers) {
  const r = await rawRequest(srv.base, { path: '/metrics', localAddress: '127.0.0.1', headers: ['Connection: close', ...headers] });
  r.socket.destroy();
  return r;
}

test('/metrics answers loopback clients and the bearer of the metrics token, no one else', async () => {
  const srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1/32', '--metrics-token', 'scrape-8f3a1c'] });
  try {
    // straight from this host (127.0.0.x is loopback)
    const local = await rawRequest(srv.base, { path: '/metrics', localAddress: ATTACKER, headers: ['Connection: close'] });
    local.socket.destroy();
    assert.equal(local.status, 200);
    assert.match(local.text, /wl_http_requests_total/);
    // a remote client, as the trusted proxy in front reports it
    const remote = ['X-Forwarded-For: 203.0.113.5'];
    const denied = await metricsFrom(srv, remote);
    assert.equal(denied.status, 403);
    assert.equal(denied.json.code, 'forbidden');
    assert.doesNotMatch(denied.text, /wl_/);
    for (const auth of ['Bearer scrape-8f3a1', 'Bearer scrape-8f3a1cX', 'Basic scrape-8f3a1c', 'Bearer '])
      assert.equal((await metricsFrom(srv, [...remote, `Authorization: ${auth}`])).status, 403, auth);
    const allowed = await metricsFrom(srv, [...remote, 'Authorization: Bearer scrape-8f3a1c']);
    assert.equal(allowed.status, 200);
    assert.match(allowed.text, /wl_http_connections_refused_total/);
  } finally {
    await srv.stop();
  }
  // without a token configured, a remote client has no way in
  const plain = await startServer({ args: ['--trusted-proxy', '127.0.0.1/32'] });
  try {
    assert.equal((await metricsFrom(plain, ['X-Forwarded-For: 203.0.113.5', 'Authorization: Bearer '])).status, 403);
  } finally {
    await plain.stop();
  }
});

test('away from loopback the development payment provider must be asked for by name', () => {
  const db = `${tmpDir('pay')}/wl.db`;
  const run = (args) => spawnSync(BIN, ['serve', '--db', db, ...args], {
    env: { ...process.env, ...TEST_ENV }, encoding: 'utf8', timeout: 10000,
  });
  // refused before it listens: nothing is bound on 0.0.0.0
  const r = run(['--listen', '0.0.0.0:0']);
  assert.notEqual(r.status, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /--payments dev/);
  assert.match(r.stderr, /free/);
  const bad = run(['--listen', '127.0.0.1:0', '--payments', 'stripe']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--payments: expected dev/);
});
