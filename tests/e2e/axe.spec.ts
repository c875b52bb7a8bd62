/**
 * axe-core (the engine behind Lighthouse's accessibility audit) on every kind of page:
 * the course map, a lesson, the playground, the authoring page and the authoring studio, in both themes, with
 * no serious or critical violation of WCAG 2.x A/AA (issue 14, item 7).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, terminalReady, test } from './fixtures';

const PAGES = [
  { name: 'home', path: '/', lab: false },
  { name: 'a lesson', path: '/lessons/40-network-policies/', lab: true },
  { name: 'the playground', path: '/playground/', lab: true },
  { name: 'the authoring page', path: '/authoring/', lab: false },
  { name: 'the authoring studio', path: '/authoring/studio/', lab: false, ready: 'studio-summary' },
];

/** Serious and critical violations, one line each: rule, impact, and the elements it names. */
async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s): ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });
    for (const p of PAGES) {
      test(`axe finds nothing serious on ${p.name}`, async ({ page }) => {
        await page.goto(p.path);
        if (p.lab) await terminalReady(page);
        else await page.waitForLoadState('networkidle');
        // the studio: its editor loaded and the checker's first answer in (not "Checking…")
        if ('ready' in p && p.ready) await expect(page.getByTestId(p.ready)).toHaveText(/^No problems/, { timeout: 60_000 });
        expect(await violations(page)).toEqual([]);
      });
    }
  });
}

test('a phone’s lesson and lab pass axe too', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/lessons/10-welcome/');
  await terminalReady(page);
  await page.getByTestId('lab-jump').click();
  expect(await violations(page)).toEqual([]);
});
