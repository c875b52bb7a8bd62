/**
 * Screenshots of the lab's second terminal, the phone's extra keys, the completion card
 * with its recap and the course map's module progress, at 1280×800 and 390×844
 * (skipped unless NETLAB_SCREENSHOTS=1):
 *   NETLAB_SCREENSHOTS=1 npx playwright test screenshots-lab
 */
import type { Page } from '@playwright/test';
import { test, expect, runAndWait, terminalReady } from './fixtures';

test.skip(!process.env.NETLAB_SCREENSHOTS, 'set NETLAB_SCREENSHOTS=1 to regenerate the screenshots');
test.use({ colorScheme: 'dark' });

const LESSON = '/lessons/10-welcome/';

async function typeIn(page: Page, n: number, line: string) {
  await page.locator(`[data-terminal-session="${n}"] .xterm-helper-textarea`).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Completes lesson 10 from its terminal: the list, then both answers read off the cluster. */
async function completeWelcome(page: Page) {
  await runAndWait(page, 'kubectl get pods -o wide');
  await runAndWait(page, "answer hello-ip $(kubectl get pod hello -o jsonpath='{.status.podIP}')");
  await runAndWait(page, "answer node-pod-cidr $(kubectl get node node-1 -o jsonpath='{.spec.podCIDR}')");
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
}

test('two terminals, desktop 1280×800', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(LESSON);
  await terminalReady(page);
  await typeIn(page, 0, 'kubectl get pods -w');
  await page.getByRole('button', { name: 'New terminal on the same cluster' }).click();
  await expect.poll(() => page.evaluate(() => window.__netlabTerminals?.[1]?.ready === true)).toBe(true);
  await typeIn(page, 1, 'kubectl run web --image=nginx');
  await typeIn(page, 1, 'kubectl get pods -o wide');
  await page.waitForTimeout(800);
  await page.screenshot({ path: 'docs/screenshots/lab-two-terminals-desktop.png' });
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await page.waitForTimeout(2500);
  await page.screenshot({ path: 'docs/screenshots/lab-two-terminals-watch-desktop.png' });
});

test('completion card with the recap, desktop 1280×800', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(LESSON);
  await terminalReady(page);
  await completeWelcome(page);
  await page.waitForTimeout(700);
  await page.screenshot({ path: 'docs/screenshots/lesson-complete-recap-desktop.png' });
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await page.getByTestId('module-progress').first().scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -120));
  await page.screenshot({ path: 'docs/screenshots/course-map-module-progress-desktop.png' });
});

test('phone 390×844: extra keys, the lab jump, the folded task panel, the completion card', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto(LESSON);
  await terminalReady(page);
  await page.screenshot({ path: 'docs/screenshots/lesson-phone-lab-button.png' });
  await page.getByTestId('lab-jump').tap();
  await expect(page.getByTestId('lab-jump')).toHaveAttribute('data-in-lab', 'true');
  await page.locator('#panel-terminal .xterm-screen').tap();
  await page.keyboard.type('kubectl get pods -o wide');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ping 10.244.1.');
  await page.waitForTimeout(600);
  await page.screenshot({ path: 'docs/screenshots/lab-phone-extra-keys.png' });
  await page.getByRole('button', { name: 'Ctrl-C' }).tap();
  await page.getByTestId('tasks-toggle').tap();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshots/lab-phone-tasks-folded.png' });
  await page.getByTestId('tasks-toggle').tap();
  await completeWelcome(page);
  await page.getByTestId('lesson-complete').scrollIntoViewIfNeeded();
  await page.waitForTimeout(700);
  await page.screenshot({ path: 'docs/screenshots/lesson-complete-recap-phone.png' });
  await ctx.close();
});
