// Browser helpers for the end-to-end tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), console watching and screenshots.
import { chromium } from 'playwright-core';
import { mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const CHROMIUM = process.env.WL_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS =
  process.env.WL_SCREENSHOTS ?? fileURLToPath(new URL('../../../build/screenshots/', import.meta.url));

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 780 };

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A fresh browser profile (cookies, localStorage) on the server. Every page it
 * opens is watched: console errors and uncaught exceptions are failures, except
 * Chromium's own "Failed to load resource" line for a status passed to allow().
 */
export async function newUser(browser, base, { viewport = DESKTOP, lang } = {}) {
  const context = await browser.newContext({ baseURL: base, viewport, locale: 'ko-KR', serviceWorkers: 'block' });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(15000);
  // Init scripts also run in about:blank, whose localStorage throws.
  if (lang) await context.addInitScript((l) => { try { localStorage.setItem('wl.lang', l); } catch { /* about:blank */ } }, lang);
  const problems = [];
  const allowed = new Set();
  const expectedCsp = { on: false, seen: [] };
  const watch = (page, label) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      const net = /^Failed to load resource: the server responded with a status of (\d{3})\b/.exec(text);
      if (net && allowed.has(Number(net[1]))) return;
      if (expectedCsp.on && /^Executing inline (script|event handler) violates the following Content Security Policy directive|^Refused to execute inline/.test(text)) {
        expectedCsp.seen.push(text);
        return;
      }
      problems.push(`[${label}] console error: ${text} (${msg.location()?.url ?? ''})`);
    });
    page.on('pageerror', (err) => problems.push(`[${label}] page error: ${err.message}`));
  };
  let n = 0;
  context.on('page', (p) => watch(p, `page${++n}`));
  return {
    context,
    problems,
    expectedCsp,
    /** Expected non-2xx statuses whose network log lines are not failures. */
    allow: (...statuses) => statuses.forEach((s) => allowed.add(s)),
    newPage: () => context.newPage(),
    assertClean() {
      assert.deepEqual(problems, [], `console errors:\n${problems.join('\n')}`);
    },
    close: () => context.close(),
  };
}

/** Signs who ({email, password}) in on a new page of user; resolves once the header shows it. */
export async function logIn(user, who) {
  const p = await user.newPage();
  await p.goto('/login');
  await p.getByTestId('login-email').fill(who.email);
  await p.getByTestId('login-password').fill(who.password);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-balance').waitFor();
  return p;
}

/** Waits until the element with the testid has attribute name=value. */
export async function waitAttr(page, testid, name, value, timeout = 15000) {
  await page.locator(`[data-testid="${testid}"][${name}="${value}"]`).first().waitFor({ timeout });
}

/** Polls fn() until it returns a truthy value. */
export async function until(fn, { timeout = 15000, step = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, step));
  }
}

/** True once every <img> in the locator has loaded with a real size. */
export async function imagesLoaded(locator) {
  return locator.evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0));
}

/**
 * Full-page screenshots at 1280 px and 375 px wide: build/screenshots/<name>-<w>.png.
 * At each width the page must not scroll sideways (a broken layout usually does).
 */
export async function screenshots(page, name, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  const files = [];
  // A toast is fixed to the viewport: in a full-page shot it floats over the middle.
  await page.evaluate(() => { const el = document.getElementById('toast'); if (el) el.hidden = true; });
  for (const vp of [DESKTOP, PHONE]) {
    await page.setViewportSize(vp);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // Lazy covers below the fold: load them before the full-page shot.
    await page.evaluate(async () => {
      const imgs = [...document.images].filter((i) => i.loading === 'lazy');
      imgs.forEach((i) => { i.loading = 'eager'; });
      await Promise.all(imgs.map((i) => (i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }))));
    });
    const overflow = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= w + 1) return null;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          if (r.right <= w + 1 || r.width === 0) return false;
          // Inside a horizontal scroller (shelves, tables) is fine.
          for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const s = getComputedStyle(p);
            if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') && p.getBoundingClientRect().right <= w + 1) return false;
          }
          return true;
        })
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}[${el.dataset.testid ?? ''}] right=${Math.round(el.getBoundingClientRect().right)}`);
      return `scrollWidth ${document.documentElement.scrollWidth} > ${w}: ${wide.join(', ')}`;
    });
    assert.equal(overflow, null, `${name} at ${vp.width}px scrolls sideways`);
    const path = join(SCREENSHOTS, `${name}-${vp.width}.png`);
    await page.screenshot({ path, fullPage, animations: 'disabled' });
    files.push(path);
  }
  await page.setViewportSize(before ?? DESKTOP);
  return files;
}

/** Chromium's handle for a test file: one browser, closed after the tests. */
export async function withBrowser(t) {
  const browser = await launch();
  t.after(() => browser.close());
  return browser;
}

/** Long Korean text of many paragraphs, so the reader has something to scroll. */
export function longText(seed, paragraphs = 40) {
  const lines = [];
  for (let i = 1; i <= paragraphs; i++) {
    lines.push(`${i}. ${seed} 창밖으로 오래된 골목이 보였고, 나는 천천히 걸어 서재로 돌아왔다. ` +
      '책장 사이로 스며든 저녁 빛이 먼지를 금빛으로 물들였다. 그날 밤 나는 한 문장도 쓰지 못했지만, 이상하게 마음은 가벼웠다.');
  }
  return lines.join('\n');
}
