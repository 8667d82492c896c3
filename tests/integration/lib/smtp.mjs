// The fake SMTP relay (wl-fake-smtp) for node tests: real SMTP on loopback with
// STARTTLS and AUTH, taken down and brought back through its control server.
import { spawn } from 'node:child_process';

export const FAKE_SMTP = process.env.WL_FAKE_SMTP ?? new URL('../../../build/wl-fake-smtp', import.meta.url).pathname;
export const SMTP_USER = 'relay-user';
export const SMTP_PASSWORD = 'relay-Secr3t-pw';

/**
 * Starts the relay; returns {smtp, control, caFile, messages(), down(), up(),
 * script(stage, code, times), stats(), waitFor(n), stop(), serverArgs, serverEnv}.
 * serverArgs/serverEnv point a walking-library server at it (STARTTLS + AUTH).
 */
export async function startRelay({ auth = true } = {}) {
  const args = ['--require-tls', ...(auth ? ['--user', SMTP_USER, '--password', SMTP_PASSWORD] : [])];
  const child = spawn(FAKE_SMTP, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('wl-fake-smtp did not start')), 10000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)));
      }
    });
    child.on('exit', (code) => reject(new Error(`wl-fake-smtp exited with ${code}`)));
  });
  const call = async (method, path) => {
    const r = await fetch(info.control + path, { method });
    if (!r.ok) throw new Error(`fake smtp ${path}: ${r.status}`);
    return r.json();
  };
  const relay = {
    ...info,
    messages: () => call('GET', '/messages'),
    stats: () => call('GET', '/stats'),
    down: () => call('POST', '/down'),
    up: () => call('POST', '/up'),
    clear: () => call('POST', '/clear'),
    script: (stage, code, times = 1) => call('POST', `/script?stage=${stage}&code=${code}&times=${times}`),
    async waitFor(n, { timeoutMs = 15000, to } = {}) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const all = await relay.messages();
        const got = to ? all.filter((m) => m.rcpt.includes(to)) : all;
        if (got.length >= n) return got;
        if (Date.now() > end) throw new Error(`timed out waiting for ${n} mails${to ? ` to ${to}` : ''} (have ${got.length})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () => new Promise((res) => { child.on('exit', res); child.kill('SIGTERM'); }),
    serverArgs: ['--smtp-url', info.smtp, '--smtp-from', '걷다가서재 <noreply@library.test>',
      '--smtp-ca-file', info.caFile, '--public-url', 'https://library.test'],
    serverEnv: auth ? { WL_SMTP_USER: SMTP_USER, WL_SMTP_PASSWORD: SMTP_PASSWORD } : {},
  };
  return relay;
}

/** The first link to the platform in a mail's text. */
export function linkIn(mail, path) {
  const m = new RegExp(`https://library\\.test${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
  return m[1];
}
