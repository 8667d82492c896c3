// The fake Toss Payments (tests/support/fake_toss.h) as a child process, and
// its /__fake/ control routes: what a member does on the checkout page,
// scripted provider misbehaviour, webhooks, and the provider's own records.
import { spawn } from 'node:child_process';

export const FAKE_TOSS_BIN = process.env.WL_FAKE_TOSS ??
  new URL('../../../build/wl-fake-toss', import.meta.url).pathname;

/** Starts a fake Toss; returns its handle (see the methods below). */
export async function startFakeToss({ clientKey = 'test_ck_walkinglibrary', secretKey = 'test_sk_walkinglibrary', webhook } = {}) {
  const args = ['--client-key', clientKey, '--secret-key', secretKey];
  if (webhook) args.push('--webhook', webhook);
  const child = spawn(FAKE_TOSS_BIN, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('wl-fake-toss did not start')), 10000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)).listening);
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`wl-fake-toss exited with ${code}`)); });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((res) => child.on('exit', res));
  const ctl = async (path, body) => {
    const r = await fetch(`${base}/__fake/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    const text = await r.text();
    return text ? JSON.parse(text) : {};
  };
  return {
    base,
    clientKey,
    secretKey,
    /** What the server needs to use this fake as its provider. */
    env: {
      WL_PAYMENTS: 'toss',
      WL_TOSS_CLIENT_KEY: clientKey,
      WL_TOSS_SECRET_KEY: secretKey,
      WL_TOSS_API_BASE: base,
      WL_TOSS_SDK_URL: `${base}/v2/standard`,
    },
    /** The member pays on the checkout page for orderId; returns the payment key. */
    async authorize(orderId, amount, { reject = false, orderName = '포인트' } = {}) {
      const r = await ctl('authorize', { orderId, amount, orderName, reject });
      if (!r.paymentKey) throw new Error(`authorize ${orderId} ${amount} refused`);
      return r.paymentKey;
    },
    /** {op, times, delayMs, status, code, message, hang, drop, after} */
    script: (s) => ctl('script', s),
    clearScripts: () => ctl('clear-scripts', {}),
    latency: (ms) => ctl('latency', { ms }),
    down: (down) => ctl('down', { down }),
    expire: (paymentKey) => ctl('expire', { paymentKey }),
    setWebhook: (url) => ctl('webhook-url', { url }),
    /** Sends the webhook for paymentKey now, or a forged body as it is; returns our status. */
    async webhook({ paymentKey, body } = {}) {
      return (await ctl('webhook', body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : { paymentKey })).status;
    },
    calls: () => ctl('calls'),
    payments: () => ctl('payments'),
    async stop() {
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
