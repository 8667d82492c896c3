// HTTP spoken by hand over TCP, for what fetch will not send or cannot show: duplicated
// headers, a client address of our choosing (127.0.0.2 the attacker, 127.0.0.3 the
// bystander), bodies that trickle, and whether the server closed the connection.
import net from 'node:net';

export const ATTACKER = '127.0.0.2';
export const BYSTANDER = '127.0.0.3';

/** host and port of a base URL. */
export function hostPort(base) {
  const u = new URL(base);
  return { host: u.hostname, port: Number(u.port) };
}

/** Opens a connection from localAddress; resolves with the socket once connected. */
export function connect(base, localAddress) {
  const { host, port } = hostPort(base);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, localAddress });
    s.once('connect', () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}

/**
 * Opens a connection that the server may refuse by closing (or resetting) it at once;
 * resolves with the socket either way, wlClosed set when it was closed.
 */
export function connectMaybe(base, localAddress) {
  const { host, port } = hostPort(base);
  return new Promise((resolve) => {
    const s = net.connect({ host, port, localAddress });
    s.on('error', () => { s.wlClosed = true; });
    s.once('connect', () => resolve(s));
    s.once('close', () => { s.wlClosed = true; resolve(s); });
  });
}

/**
 * Reads one HTTP response from socket s. Resolves with {status, headers, body, json, text}
 * where headers maps lower-case names to arrays of values, or rejects on timeout.
 * Also sets s.wlClosed once the server ends the connection.
 */
export function readResponse(s, { timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (fn, v) => { clearTimeout(timer); s.off('data', onData); s.off('end', onEnd); s.off('close', onEnd); fn(v); };
    const timer = setTimeout(() => done(reject, new Error(`no response in ${timeoutMs} ms`)), timeoutMs);
    const onEnd = () => { s.wlClosed = true; if (!tryParse(true)) done(reject, new Error(`connection closed: ${buf.toString('latin1').slice(0, 200)}`)); };
    const tryParse = (ended) => {
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return false;
        const head = buf.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(head[0].split(' ')[1]);
        const headers = {};
        for (const line of head.slice(1)) {
          const i = line.indexOf(':');
          const k = line.slice(0, i).trim().toLowerCase();
          (headers[k] ??= []).push(line.slice(i + 1).trim());
        }
        if (status === 100) { buf = buf.subarray(end + 4); continue; } // interim answer
        const len = Number(headers['content-length']?.[0] ?? (ended ? buf.length - end - 4 : NaN));
        if (Number.isNaN(len) || buf.length < end + 4 + len) return false;
        const body = buf.subarray(end + 4, end + 4 + len);
        const text = body.toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        done(resolve, { status, headers, body, text, json, head: head[0] });
        return true;
      }
    };
    const onData = (chunk) => { buf = Buffer.concat([buf, chunk]); tryParse(false); };
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('close', onEnd);
    if (s.wlClosed) onEnd();
  });
}

/** Resolves true when the server closes s within ms, false otherwise. */
export function closedWithin(s, ms) {
  if (s.wlClosed || s.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => { s.off('close', onClose); resolve(false); }, ms);
    const onClose = () => { clearTimeout(t); s.wlClosed = true; resolve(true); };
    s.once('close', onClose);
    s.resume();
  });
}

/**
 * One request on a new connection: head lines (without the request line's CRLF
 * handling: give them as an array) and an optional body. Returns the response and
 * the socket (closed by the caller, or by the server).
 */
export async function rawRequest(base, { method = 'GET', path = '/', headers = [], body, localAddress, timeoutMs } = {}) {
  const s = await connect(base, localAddress);
  s.on('error', () => {}); // a reset after the answer is part of some tests
  const { host, port } = hostPort(base);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}:${port}`, ...headers];
  if (body !== undefined && !headers.some((h) => /^(content-length|transfer-encoding):/i.test(h)))
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  s.write(lines.join('\r\n') + '\r\n\r\n');
  if (body !== undefined) s.write(body);
  const res = await readResponse(s, { timeoutMs });
  return { ...res, socket: s };
}

/**
 * 1 for a plain build of the server with pid, 3 under a sanitizer (several times slower, and
 * its shadow memory is resident): what timing bounds are multiplied by. RSS bounds that are
 * absolute hold only for a plain build.
 */
export async function slowdown(pid) {
  const { readFile } = await import('node:fs/promises');
  const maps = await readFile(`/proc/${pid}/maps`, 'utf8');
  return /lib(asan|tsan|ubsan)/.test(maps) ? 3 : 1;
}

/** Resident set size of a process in MB (VmRSS), and its peak (VmHWM). */
export async function rssMB(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}
