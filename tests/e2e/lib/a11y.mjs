// axe-core in the page under test. page.evaluate goes through the DevTools protocol,
// so the page's Content-Security-Policy (no inline scripts) stays as it is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe (WCAG 2.x A and AA) on the page; fails on any violation, naming each. */
export async function assertAccessible(page, what) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  );
  const problems = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`
  );
  assert.deepEqual(problems, [], `${what}: axe found\n${problems.join('\n')}`);
}
