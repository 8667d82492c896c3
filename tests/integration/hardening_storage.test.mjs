// Issue 10, a full disk: the database lives on a small filesystem (an 8 MB tmpfs mounted in the
// server's own mount namespace), which the test fills from outside through /proc/PID/root.
// Writes answer 503 storage_unavailable, reads go on, /readyz says 503, and once space returns
// everything works again without a restart; nothing that was acknowledged is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, signup, charge, ledgerAll, tmpDir } from './lib/server.mjs';

/** Runs the server with its database directory on a fresh tmpfs of sizeMB. */
async function serverOnSmallDisk(sizeMB) {
  const dir = join(tmpDir('full'), 'disk');
  mkdirSync(dir, { recursive: true });
  // root mounts in a mount namespace of its own; anyone else in a user namespace as well
  const ns = process.getuid() === 0 ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
  const wrap = ['unshare', ...ns, '--propagation', 'private', 'sh', '-c',
    `mount -t tmpfs -o size=${sizeMB}m tmpfs "$0" && exec "$@"`, dir];
  const srv = await startServer({ dbPath: join(dir, 'wl.db'), wrap });
  srv.disk = `/proc/${srv.child.pid}/root${dir}`; // the same files, seen from out here
  return srv;
}

/** Writes filler files on the server's disk until it is full; returns their paths. */
function fill(disk) {
  const files = [];
  for (const chunk of [1 << 20, 64 << 10, 4 << 10, 512]) {
    const path = join(disk, `filler-${files.length}`);
    const fd = openSync(path, 'w');
    files.push(path);
    const buf = Buffer.alloc(chunk, 0x5a);
    try {
      for (;;) writeSync(fd, buf);
    } catch (e) {
      if (e.code !== 'ENOSPC') throw e;
    } finally {
      closeSync(fd);
    }
  }
  return files;
}

test('a full disk: 503 storage_unavailable and /readyz 503, reads go on, recovery without restart, nothing acknowledged lost', async () => {
  const srv = await serverOnSmallDisk(8);
  try {
    const m = await signup(srv.base);
    const acked = [];
    const chargeOnce = async (amount) => {
      const r = await charge(srv.base, m.token, amount);
      if (r.status === 201) acked.push(r.body.entry);
      return r;
    };
    for (let i = 0; i < 5; i++) assert.equal((await chargeOnce(100)).status, 201);
    assert.equal((await api(srv.base, 'GET', '/readyz')).status, 200);

    const filler = fill(srv.disk);
    const ready = await api(srv.base, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.code, 'not_ready');
    // writes fail as the database's log cannot grow; some may still fit into space it has
    let refused;
    for (let i = 0; i < 400 && !refused; i++) {
      const r = await chargeOnce(1000);
      if (r.status === 503) refused = r;
      else assert.equal(r.status, 201);
    }
    assert.ok(refused, 'no write was refused on a full disk');
    assert.equal(refused.body.code, 'storage_unavailable');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    // reads go on
    const me = await api(srv.base, 'GET', '/api/me', { token: m.token });
    assert.equal(me.status, 200);
    assert.equal((await api(srv.base, 'GET', '/api/books')).status, 200);
    assert.equal((await api(srv.base, 'GET', '/healthz')).status, 200);
    assert.equal((await api(srv.base, 'GET', '/readyz')).status, 503);

    // space returns: ready again, and writing works, without a restart
    for (const f of filler) rmSync(f);
    assert.equal((await api(srv.base, 'GET', '/readyz')).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await chargeOnce(500)).status, 201);

    // every acknowledged charge is in the ledger, and the balance is their sum
    const ledger = await ledgerAll(srv.base, m.token);
    const ids = new Set(ledger.map((e) => e.id));
    for (const e of acked) assert.ok(ids.has(e.id), `acknowledged entry ${e.id} was lost`);
    const sum = acked.reduce((s, e) => s + e.amount, 0);
    assert.equal(ledger.length, acked.length);
    const after = await api(srv.base, 'GET', '/api/me', { token: m.token });
    assert.equal(after.body.member.points, sum);
  } finally {
    await srv.stop();
  }
});
