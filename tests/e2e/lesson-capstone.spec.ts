/**
 * The capstone in the browser: a learner's seed is drawn once and kept with the lesson
 * (netlab:v1:seed:<slug>), two seeds give two different broken clusters, and a learner
 * whose seed drew target-port, readiness-probe and ingress-class (seed 3, pinned in
 * tests/golden/faults/capstone-draws.txt) repairs them by typing and sees every task tick.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, outputOf, runAndWait, terminalReady, test } from './fixtures';
import { answerInPanel, expectDone, task } from './lesson-steps';

const SLUG = '85-capstone-break-and-fix';
const SEED_KEY = `netlab:v1:seed:${SLUG}`;

async function withSeed(context: BrowserContext, seed: number) {
  await context.addInitScript(([key, value]) => {
    if (!localStorage.getItem(key)) localStorage.setItem(key, value);
  }, [SEED_KEY, String(seed)]);
}

async function open(page: Page) {
  await page.goto(`/lessons/${SLUG}/`);
  await terminalReady(page);
}

async function ingressClass(page: Page): Promise<string> {
  const line = `kubectl get ingress shop -o jsonpath='{.spec.ingressClassName}{"\\n"}'`;
  await runAndWait(page, line);
  return (await outputOf(page, line)).join('');
}

test('a fresh learner gets a seed of their own, kept across a reload', async ({ page }) => {
  await open(page);
  const seed = await page.evaluate((k) => localStorage.getItem(k), SEED_KEY);
  expect(seed).toMatch(/^[1-9]\d*$/);
  await page.reload();
  await terminalReady(page);
  expect(await page.evaluate((k) => localStorage.getItem(k), SEED_KEY)).toBe(seed);
});

test('two seeds, two broken clusters', async ({ page, context }) => {
  await withSeed(context, 1);
  await open(page);
  // seed 1 draws ingress-backend-port: the class is right, the port is not
  expect(await ingressClass(page)).toBe('nginx');
  const other = await context.browser()!.newContext();
  await withSeed(other, 3);
  const page3 = await other.newPage();
  await open(page3);
  // seed 3 draws ingress-class
  expect(await ingressClass(page3)).toBe('traefik');
  await other.close();
});

test('seed 3: predict, repair the path from inside, then the public one', async ({ page, context }) => {
  test.setTimeout(120_000);
  await withSeed(context, 3);
  await open(page);
  // target-port and readiness-probe: the slice lists the Pods, none of them ready.
  // A prediction: the first answer counts, and the look after it settles it.
  await answerInPanel(page, 'predict-endpoints', '0');
  await expectDone(page, 'predict-endpoints', false);
  await runAndWait(page, 'kubectl describe endpointslice -l kubernetes.io/service-name=shop');
  await expectDone(page, 'predict-endpoints');

  await runAndWait(page, `kubectl patch service shop --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":"http"}]'`);
  await runAndWait(page, `kubectl patch deployment shop --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/readinessProbe","value":{"httpGet":{"path":"/","port":"http"},"periodSeconds":5}}]'`);
  // the new Pods become Ready as the lab's clock moves: look again, as a learner would
  for (let i = 0; i < 15 && (await task(page, 'client-reaches-shop').getAttribute('data-done')) !== 'true'; i++) {
    await runAndWait(page, 'kubectl get pods -l app=shop');
    await page.waitForTimeout(1000);
  }
  await runAndWait(page, 'kubectl exec client -- curl -s http://shop/');
  expect((await outputOf(page, 'kubectl exec client -- curl -s http://shop/')).join('\n')).toContain('<title>Welcome to nginx!</title>');
  await expectDone(page, 'client-reaches-shop');
  await expectDone(page, 'public-host-answers', false);

  await runAndWait(page, `kubectl patch ingress shop -p '{"spec":{"ingressClassName":"nginx"}}'`);
  await expectDone(page, 'public-host-answers');
});
