// Issue 10, connections: the per-client cap (further connections closed at once, before a
// worker sees them), the head and body timeouts with a minimum body rate, the short keep-alive
// idle, and a default worker count that leaves the server answering others while many
// connections sit idle. The attacker is 127.0.0.2 (and 127.0.1.x for many addresses), the
// bystander 127.0.0.3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { connect, connectMaybe, readResponse, closedWithin, rssMB, slowdown, ATTACKER, BYSTANDER } from './lib/raw.mjs';

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** One GET /healthz on a new connection from addr; resolves with the milliseconds it took. */
async function probe(base, addr) {
  const t0 = performance.now();
  const s = await connect(base, addr);
  s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const r = await readResponse(s, { timeoutMs: 5000 });
  s.destroy();
  assert.equal(r.status, 200);
  return performance.now() - t0;
}

/** Opens n idle connections from addr (each sends nothing); some may be refused at once. */
async function idle(base, addr, n) {
  const socks = [];
  for (let i = 0; i < n; i++) socks.push(await connectMaybe(base, addr));
  return socks;
}

test('a client holds at most --max-conns-per-client connections; more are closed at once', async () => {
  const srv = await startServer({ args: ['--max-conns-per-client', '8'] });
  try {
    const held = await idle(srv.base, ATTACKER, 8);
    await sleep(100);
    assert.ok(held.every((s) => !s.wlClosed), 'eight are held');
    for (let i = 0; i < 5; i++) {
      const extra = await connectMaybe(srv.base, ATTACKER);
      if (!extra.wlClosed) extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.ok(await closedWithin(extra, 1000), 'the connection over the cap is closed at once');
      extra.destroy();
    }
    // others are not affected, and the attacker's own count comes back as it closes
    assert.ok((await probe(srv.base, BYSTANDER)) < 1000);
    held.forEach((s) => s.destroy());
    await sleep(300);
    const again = await idle(srv.base, ATTACKER, 7);
    assert.ok((await probe(srv.base, ATTACKER)) < 1000, 'the eighth is let in again');
    again.forEach((s) => s.destroy());
    const metrics = await (await fetch(`${srv.base}/metrics`)).text();
    assert.match(metrics, /^wl_http_connections_refused_total [1-9]\d*$/m);
  } finally {
    await srv.stop();
  }
});

test('a trusted proxy is not capped: every client behind it shares its address', async () => {
  const srv = await startServer({ args: ['--max-conns-per-client', '4', '--trusted-proxy', `${ATTACKER}/32`] });
  try {
    const held = await idle(srv.base, ATTACKER, 10);
    assert.ok((await probe(srv.base, ATTACKER)) < 1000);
    held.forEach((s) => s.destroy());
  } finally {
    await srv.stop();
  }
});

test('heads within 10 s, bodies at 1 KiB/s after their first 10 s, keep-alive idle 5 s', async () => {
  const srv = await startServer();
  try {
    const t0 = performance.now();
    const elapsed = () => (performance.now() - t0) / 1000;
    // a head dribbled a header line a second
    const head = (async () => {
      const s = await connect(srv.base, ATTACKER);
      s.on('error', () => {});
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      const timer = setInterval(() => s.writable && s.write('X-Slow: y\r\n'), 1000);
      await closedWithin(s, 16000);
      clearInterval(timer);
      return elapsed();
    })();
    // a body dribbled a byte every 400 ms
    const body = (async () => {
      const s = await connect(srv.base, ATTACKER);
      s.on('error', () => {});
      s.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{');
      const timer = setInterval(() => s.writable && s.write(' '), 400);
      await closedWithin(s, 30000);
      clearInterval(timer);
      return elapsed();
    })();
    // a slow but legal body: 3 KiB a second for 12 s
    const legal = (async () => {
      const pad = 'p'.repeat(36 * 1024);
      const text = JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password', pad });
      const s = await connect(srv.base, BYSTANDER);
      s.write(`POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\n\r\n`);
      const answer = readResponse(s, { timeoutMs: 30000 });
      for (let at = 0; at < text.length; at += 768) {
        s.write(text.slice(at, at + 768));
        await sleep(250);
      }
      const r = await answer;
      s.destroy();
      return r.status;
    })();
    // idle after one request on a kept-alive connection
    const keep = (async () => {
      const s = await connect(srv.base, BYSTANDER);
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal((await readResponse(s)).status, 200);
      const idleFrom = elapsed();
      await closedWithin(s, 10000);
      return elapsed() - idleFrom;
    })();
    const [headClosed, bodyClosed, legalStatus, keepIdle] = await Promise.all([head, body, legal, keep]);
    assert.ok(headClosed > 9 && headClosed < 13, `a dribbled head was closed after ${headClosed} s`);
    assert.ok(bodyClosed > 10 && bodyClosed < 22, `a dribbled body was closed after ${bodyClosed} s`);
    assert.equal(legalStatus, 401, 'a slow but legal body is read to the end');
    assert.ok(keepIdle > 4 && keepIdle < 7.5, `an idle keep-alive connection was closed after ${keepIdle} s`);
  } finally {
    await srv.stop();
  }
});

test('with the default flags, 400 idle connections from 10 addresses leave /healthz answering others', async () => {
  // the default cap (64), which the test environment otherwise turns off
  const srv = await startServer({ threads: null, args: ['--max-conns-per-client', '64'] });
  try {
    const scale = await slowdown(srv.child.pid);
    const before = await rssMB(srv.child.pid);
    const held = (await Promise.all(Array.from({ length: 10 }, (_, i) => idle(srv.base, `127.0.1.${i + 1}`, 40)))).flat();
    const slow = await idle(srv.base, ATTACKER, 80); // 64 held, the rest closed at once
    await sleep(200);
    assert.equal(slow.filter((s) => s.wlClosed).length, 16);
    assert.ok(held.every((s) => !s.wlClosed));
    const times = [];
    for (let i = 0; i < 10; i++) times.push(await probe(srv.base, BYSTANDER));
    assert.ok(Math.max(...times) < 1000 * scale, `probes took ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    const during = await rssMB(srv.child.pid);
    assert.ok(during.hwm - before.rss < 64, `RSS grew from ${before.rss} MB to a peak of ${during.hwm} MB`);
    if (scale === 1) assert.ok(during.hwm < 128, `peak RSS ${during.hwm} MB`);
    [...held, ...slow].forEach((s) => s.destroy());
  } finally {
    await srv.stop();
  }
});
