#!/usr/bin/env node
// The attack scenarios of the benchmark (issue 10), against a server started with its default
// flags on a copy of the benchmark database. Each scenario prints one RESULT line:
//
//   connections  1,000 idle connections from 20 loopback addresses, another address dribbling
//                100 request heads and 50 bodies, and 20 GET /healthz probes from a fourth
//                address: each probe's time (all within 1 s is the bar).
//   storm        64 clients from 64 addresses signing up and logging in as fast as they can for
//                WL_BENCH_STORM_S seconds (default 20), while another address reads the catalog
//                (GET /api/books?limit=20) one request after another: the catalog's p50/p99
//                (p99 under 200 ms is the bar).
//
// Both report the server's peak RSS (VmHWM; under 128 MB is the bar). Probes run in a child
// process of their own, so that the load generator's event loop does not time them.
//
// usage: node bench/attack.mjs connections|storm BIN DB
import net from 'node:net';
import { spawn, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const PROBE = '127.0.0.3';

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
}

function hwmMB(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+)/m.exec(st)[1]) / 1024;
}

/** Starts BIN serve with its defaults (quiet logs) on db; resolves {child, port}. */
function serve(bin, db) {
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d;
      const m = /"msg":"listening","address":"[^"]*:(\d+)"/.exec(buf);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${buf}`)));
  });
}

function connect(port, localAddress) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress });
    s.on('error', () => {});
    s.once('connect', () => resolve(s));
    s.once('close', () => resolve(s));
  });
}

/** One request on its own connection; resolves with {status, ms}. */
function timed(port, localAddress, head, body = '') {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = net.connect({ host: '127.0.0.1', port, localAddress });
    let got = '';
    const done = (status) => { s.destroy(); resolve({ status, ms: performance.now() - t0 }); };
    s.on('error', () => done(0));
    s.on('connect', () => s.write(head + body));
    s.on('data', (d) => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      const len = /content-length: *(\d+)/i.exec(got);
      if (end >= 0 && len && got.length >= end + 4 + Number(len[1])) done(Number(got.split(' ')[1]));
    });
    s.on('close', () => done(Number(got.split(' ')[1]) || 0));
  });
}

/** The probe child: n requests to path from PROBE, one after another; sends the times. */
async function probeChild() {
  const [port, path, n, gapMs, untilMs] = process.argv.slice(4).map((x, i) => (i === 1 ? x : Number(x)));
  const times = [], statuses = {};
  const end = untilMs ? Date.now() + untilMs : Infinity;
  for (let i = 0; (n ? i < n : Date.now() < end); i++) {
    const r = await timed(port, PROBE, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    times.push(r.ms);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (gapMs) await sleep(gapMs);
  }
  process.send({ times, statuses });
}

function probe(port, path, { n = 0, gapMs = 0, untilMs = 0 }) {
  const child = fork(new URL(import.meta.url).pathname, ['probe', '-', port, path, n, gapMs, untilMs]);
  return new Promise((resolve) => child.once('message', (m) => { child.kill(); resolve(m); }));
}

async function connections(bin, db) {
  const { child, port } = await serve(bin, db);
  const held = [];
  for (let a = 1; a <= 20; a++)
    for (let i = 0; i < 50; i++) held.push(connect(port, `127.0.10.${a}`));
  const idle = await Promise.all(held);
  // the dribbler: 100 heads a byte a second, 50 bodies a byte a second (past the per-client cap,
  // further connections are closed at once)
  const dribble = [];
  for (let i = 0; i < 150; i++) dribble.push(await connect(port, '127.0.0.2'));
  const head = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ';
  const body = 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{';
  let at = 0;
  const tick = () => {
    dribble.forEach((s, i) => {
      if (s.destroyed) return;
      if (i < 100) s.write(at < head.length ? head[at] : 'y'); // a head that never ends
      else s.write(at === 0 ? body : ' '); // a whole head, then a body a byte a second
    });
    at++;
  };
  tick();
  const timer = setInterval(tick, 1000);
  await sleep(1000);
  const open = idle.filter((s) => !s.destroyed).length + dribble.filter((s) => !s.destroyed).length;
  const r = await probe(port, '/healthz', { n: 20, gapMs: 100 });
  const hwm = hwmMB(child.pid);
  clearInterval(timer);
  [...idle, ...dribble].forEach((s) => s.destroy());
  child.kill('SIGTERM');
  const ok = r.statuses[200] ?? 0;
  console.log(`RESULT scenario=connections open=${open} probes=${r.times.length} ok=${ok} p50_ms=${pct(r.times, 50).toFixed(1)} p99_ms=${pct(r.times, 99).toFixed(1)} max_ms=${Math.max(...r.times).toFixed(1)} hwm_mb=${hwm.toFixed(1)}`);
}

async function storm(bin, db) {
  const seconds = Number(process.env.WL_BENCH_STORM_S ?? 20);
  const { child, port } = await serve(bin, db);
  let stop = false, hwm = 0;
  const counts = {};
  const post = (addr, path, obj) => {
    const text = JSON.stringify(obj);
    return timed(port, addr, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n`, text);
  };
  const clients = Array.from({ length: 64 }, async (_, c) => {
    const addr = `127.0.20.${c + 1}`;
    const mine = [];
    for (let i = 0; !stop; i++) {
      const email = `storm-${c}-${i}-${process.pid}@bench.local`;
      const s = await post(addr, '/api/auth/signup', { email, password: 'storm-password-1', name: '폭주' });
      counts[`signup ${s.status}`] = (counts[`signup ${s.status}`] ?? 0) + 1;
      if (s.status === 201) mine.push(email);
      const who = mine.length ? mine[i % mine.length] : email;
      const l = await post(addr, '/api/auth/login', { email: who, password: 'storm-password-1' });
      counts[`login ${l.status}`] = (counts[`login ${l.status}`] ?? 0) + 1;
    }
  });
  const sampler = setInterval(() => { hwm = Math.max(hwm, hwmMB(child.pid)); }, 200);
  await sleep(1000); // the storm is on
  const r = await probe(port, '/api/books?limit=20', { untilMs: (seconds - 2) * 1000 });
  stop = true;
  await Promise.all(clients);
  clearInterval(sampler);
  hwm = Math.max(hwm, hwmMB(child.pid));
  child.kill('SIGTERM');
  const storms = Object.entries(counts).map(([k, v]) => `${k.replace(' ', '_')}=${v}`).join(' ');
  console.log(`RESULT scenario=storm catalog=${r.times.length} ok=${r.statuses[200] ?? 0} p50_ms=${pct(r.times, 50).toFixed(1)} p99_ms=${pct(r.times, 99).toFixed(1)} max_ms=${Math.max(...r.times).toFixed(1)} hwm_mb=${hwm.toFixed(1)} ${storms}`);
}

const [what, bin, db] = process.argv.slice(2);
if (what === 'probe') await probeChild();
else if (what === 'connections') await connections(bin, db);
else if (what === 'storm') await storm(bin, db);
else {
  console.error('usage: node bench/attack.mjs connections|storm BIN DB');
  process.exit(2);
}
