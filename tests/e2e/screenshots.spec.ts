/**
 * Regenerates docs/screenshots/ (skipped unless NETLAB_SCREENSHOTS=1):
 *   NETLAB_SCREENSHOTS=1 npx playwright test screenshots
 */
import { test, runAndWait, terminalReady } from './fixtures';
import { listLessons } from '../../lib/lessons';

test.skip(!process.env.NETLAB_SCREENSHOTS, 'set NETLAB_SCREENSHOTS=1 to regenerate the screenshots');
test.use({ colorScheme: 'dark' });

const lesson = listLessons().find((l) => l.slug.includes('services')) ?? listLessons()[0];
const url = `/lessons/${lesson.slug}/`;

test('course map', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await terminalReady(page);
  await runAndWait(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80');
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: 'docs/screenshots/home.png' });
});

test('lesson, desktop', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await terminalReady(page);
  await runAndWait(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80');
  await runAndWait(page, 'kubectl expose deployment web --port=80');
  await runAndWait(page, 'kubectl get pods -l app=web -o wide');
  await runAndWait(page, 'kubectl get endpoints web');
  await page.getByRole('button', { name: /Show a hint/ }).click();
  await page.locator('#main').evaluate((el) => el.scrollTo(0, 560));
  await page.locator('#panel-terminal .xterm-helper-textarea').focus();
  await page.keyboard.type('kubectl get svc web');
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshots/lesson-desktop.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: 'docs/screenshots/lesson-desktop-light.png' });
});

test('lesson, phone', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto(url);
  await terminalReady(page);
  await page.screenshot({ path: 'docs/screenshots/lesson-phone.png' });
  await page.locator('#lab').scrollIntoViewIfNeeded();
  await runAndWait(page, 'kubectl get nodes');
  await runAndWait(page, 'kubectl get svc');
  await page.evaluate(() => document.querySelector('#lab')!.scrollIntoView());
  await page.screenshot({ path: 'docs/screenshots/lesson-phone-lab.png' });
  await ctx.close();
});

test('playground', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/playground/');
  await terminalReady(page);
  await runAndWait(page, 'kubectl create deployment api --image=nginx:1.27 --replicas=4');
  await runAndWait(page, 'kubectl expose deployment api --port=80');
  await page.waitForTimeout(4500);
  await runAndWait(page, 'kubectl get pods -o wide');
  await runAndWait(page, 'kubectl get endpoints api');
  await page.getByRole('complementary', { name: 'Live cluster map' }).getByRole('button', { name: /Service api/ }).hover();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshots/playground.png' });
});

test('a lesson whose save could not be restored, desktop and phone', async ({ browser }) => {
  for (const [name, opts] of [
    ['lab-save-notice-desktop', { viewport: { width: 1440, height: 900 } }],
    ['lab-save-notice-phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
  ] as const) {
    const ctx = await browser.newContext({ ...opts, colorScheme: 'dark' });
    const page = await ctx.newPage();
    await page.goto(url);
    await terminalReady(page);
    await page.evaluate((slug) => localStorage.setItem(`netlab:v1:lesson:${slug}`, '{"v":1,"id":"' + slug + '","snapshot":{'), lesson.slug);
    await page.reload();
    await terminalReady(page);
    await page.getByTestId('held-save-notice').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
    await ctx.close();
  }
});
