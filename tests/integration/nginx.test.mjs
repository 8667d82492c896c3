// The shipped nginx config (deploy/nginx.conf, Debian's nginx) in front of the binary on
// loopback, TLS and all. Only its addresses, ports and file paths are rewritten for the test.
// X-Forwarded-For reaches the limiter only through the trusted proxy: what a client writes into
// the header is not believed, and the address nginx saw is the one that is counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import https from 'node:https';
import net from 'node:net';
import { startServer, signup, tmpDir } from './lib/server.mjs';
import { rawRequest, ATTACKER, BYSTANDER } from './lib/raw.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const SHIPPED = new URL('../../deploy/nginx.conf', import.meta.url);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** deploy/nginx.conf with its addresses, ports and paths replaced; every replacement must apply. */
function shippedConfig(dir, backend, httpPort, tlsPort) {
  let conf = readFileSync(SHIPPED, 'utf8');
  const swap = (from, to) => {
    assert.ok(from.test(conf), `deploy/nginx.conf no longer has ${from}`);
    conf = conf.replace(from, to);
  };
  swap(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${backend};`);
  swap(/listen 80;/, `listen 127.0.0.1:${httpPort};`);
  swap(/listen \[::\]:80;\n/, '');
  swap(/listen 443 ssl http2;/, `listen 127.0.0.1:${tlsPort} ssl http2;`);
  swap(/listen \[::\]:443 ssl http2;\n/, '');
  swap(/ssl_certificate +\S+;/, `ssl_certificate ${dir}/cert.pem;`);
  swap(/ssl_certificate_key +\S+;/, `ssl_certificate_key ${dir}/key.pem;`);
  swap(/access_log \S+ walking_library;/, `access_log ${dir}/access.log walking_library;`);
  return conf;
}

async function startNginx(backendPort) {
  const dir = tmpDir('nginx');
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=library.example.com', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  assert.equal(cert.status, 0, String(cert.stderr));
  const [httpPort, tlsPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'walking-library.conf'), shippedConfig(dir, backendPort, httpPort, tlsPort));
  writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
worker_processes 1;
${process.getuid() === 0 ? 'user root root;' : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/walking-library.conf;
}
`);
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  for (let i = 0; ; i++) {
    const up = await new Promise((res) => {
      const s = net.connect(tlsPort, '127.0.0.1', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (up) break;
    if (child.exitCode !== null || i > 100) throw new Error(`nginx did not start: ${stderr}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  return { child, tlsPort, dir, stop: () => new Promise((res) => { child.once('exit', res); child.kill('SIGQUIT'); }) };
}

/** A request to nginx over TLS from localAddress; resolves with {status, headers, json}. */
function viaNginx(proxy, localAddress, method, path, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request({
      host: '127.0.0.1', port: proxy.tlsPort, localAddress, method, path, rejectUnauthorized: false,
      servername: 'library.example.com', agent: false,
      headers: { host: 'library.example.com', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

test('behind the shipped nginx, the limiter counts the address nginx saw, never a forged X-Forwarded-For', async (t) => {
  assert.ok(NGINX, 'nginx is not installed (make test installs it)');
  const srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1/32,::1/128'] });
  t.after(() => srv.stop());
  const proxy = await startNginx(Number(new URL(srv.base).port));
  t.after(() => proxy.stop());

  const victim = await signup(srv.base);
  const login = (addr, password, headers) => viaNginx(proxy, addr, 'POST', '/api/auth/login', { body: { email: victim.email, password }, headers });
  // the attacker claims to be the bystander: nginx appends the address it really saw
  for (let i = 0; i < 10; i++) {
    const r = await login(ATTACKER, 'wrong-password', { 'x-forwarded-for': BYSTANDER });
    assert.equal(r.status, 401, r.text);
    assert.ok(r.headers['x-request-id'], 'nginx sets the request id the server echoes');
  }
  const locked = await login(ATTACKER, victim.password, { 'x-forwarded-for': `${BYSTANDER}, 10.0.0.1` });
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  // the bystander, through the same proxy, signs in at once
  const own = await login(BYSTANDER, victim.password);
  assert.equal(own.status, 200, own.text);
  // the server logged the client nginx saw, not the proxy and not the forged one
  assert.ok(srv.log.some((l) => l.includes('"route":"/api/auth/login"') && l.includes(`"client":"${ATTACKER}"`)));
  // straight to the server, not through the proxy, the header is ignored: still the attacker
  const direct = await rawRequest(srv.base, {
    method: 'POST', path: '/api/auth/login', localAddress: ATTACKER,
    headers: ['Content-Type: application/json', `X-Forwarded-For: ${BYSTANDER}`, 'Connection: close'],
    body: JSON.stringify({ email: victim.email, password: victim.password }),
  });
  direct.socket.destroy();
  assert.equal(direct.status, 429);
  // a browser's same-origin request through the proxy, on a port of its own, is not cross-site
  const host = `library.example.com:${proxy.tlsPort}`;
  const browser = await viaNginx(proxy, BYSTANDER, 'POST', '/api/auth/login', {
    body: { email: victim.email, password: victim.password },
    headers: { host, origin: `https://${host}`, 'sec-fetch-site': 'same-origin' },
  });
  assert.equal(browser.status, 200, browser.text);
  const forged = await viaNginx(proxy, BYSTANDER, 'POST', '/api/auth/login', {
    body: { email: victim.email, password: victim.password }, headers: { host, origin: 'https://evil.example' },
  });
  assert.equal(forged.status, 403);
  // the operational endpoints are this host's only, at the proxy
  assert.equal((await viaNginx(proxy, ATTACKER, 'GET', '/metrics')).status, 403);
  assert.equal((await viaNginx(proxy, '127.0.0.1', 'GET', '/healthz')).status, 200);
});
