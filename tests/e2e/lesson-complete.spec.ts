/**
 * A learner completes the pilot lesson "Services and endpoints" in the browser, end to
 * end: every task is done by typing real commands into the terminal (and one answer in
 * the task panel), the panel ticks each task live, and the lesson reports completion.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

declare global {
  interface Window {
    __netlabTerminal?: { ready: boolean; lines(): string[]; text(): string };
  }
}

const PROMPT = 'learner@workstation:~$';

async function lines(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__netlabTerminal?.lines() ?? []);
}

/** Types a command into the terminal and waits for the prompt to come back; returns the output lines. */
async function run(page: Page, command: string): Promise<string[]> {
  const before = (await lines(page)).length;
  await page.getByTestId('terminal').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => {
      const l = await lines(page);
      return l.length > before && l[l.length - 1].trimEnd() === PROMPT;
    }, { timeout: 15_000 })
    .toBe(true);
  const l = await lines(page);
  const start = l.findLastIndex((x, i) => i < l.length - 1 && x.includes(command.slice(0, 30)));
  return l.slice(start + 1, l.length - 1);
}

/**
 * Pods take a few seconds to become Ready, and the lab moves the cluster's clock when a
 * command runs — so, like a learner, look again until the task ticks.
 */
async function lookUntilDone(page: Page, command: string, id: string) {
  for (let i = 0; i < 10; i++) {
    await run(page, command);
    if ((await task(page, id).getAttribute('data-done')) === 'true') return;
    await page.waitForTimeout(1000);
  }
  await expectDone(page, id);
}

function task(page: Page, id: string) {
  return page.locator(`[data-testid="task-panel"] [data-task="${id}"]`);
}

async function expectDone(page: Page, id: string) {
  await expect(task(page, id)).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
}

test('complete "Services and endpoints" in the browser', async ({ page }) => {
  await page.goto('/lessons/20-services-and-endpoints/');
  await expect.poll(() => page.evaluate(() => window.__netlabTerminal?.ready === true), { timeout: 20_000 }).toBe(true);
  await expect(page.getByTestId('task-count')).toHaveText('0/7');
  for (const id of ['create-deployment', 'expose-web', 'web-cluster-ip', 'break-selector', 'keep-cluster-ip', 'repair-selector', 'port-vs-targetport']) {
    await expect(task(page, id)).toHaveAttribute('data-done', 'false');
  }

  await run(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80');
  await expectDone(page, 'create-deployment');

  // The lesson seeds web-service.yaml into the home directory (and the editor).
  const applied = await run(page, 'kubectl apply -f web-service.yaml');
  expect(applied).toEqual(['service/web created']);
  await lookUntilDone(page, 'kubectl get endpoints web', 'expose-web');

  // The question: read the ClusterIP off the cluster, answer in the task panel.
  const out = await run(page, 'kubectl get service web');
  expect(out[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
  const clusterIP = out[1].split(/\s+/)[2];
  expect(clusterIP).toMatch(/^10\.\d+\.\d+\.\d+$/);
  const toggle = task(page, 'web-cluster-ip').getByRole('button').first();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator('#answer-web-cluster-ip').fill('10.0.0.1');
  await page.locator('#answer-web-cluster-ip').press('Enter');
  await expect(task(page, 'web-cluster-ip')).toHaveAttribute('data-done', 'false');
  await page.locator('#answer-web-cluster-ip').fill(clusterIP);
  await page.locator('#answer-web-cluster-ip').press('Enter');
  await expectDone(page, 'web-cluster-ip');

  // Break the selector by editing the file (any correct way counts: the check reads the cluster).
  await run(page, `sed -i 's/app: web$/app: webapp/' web-service.yaml`);
  expect(await run(page, 'kubectl apply -f web-service.yaml')).toEqual(['service/web configured']);
  // a v1.34 cluster answers with the v1 Endpoints deprecation warning first
  const eps = await run(page, 'kubectl get endpoints web');
  expect(eps[0]).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
  expect(eps[2]).toMatch(/^web\s+<none>\s+/);
  await expectDone(page, 'break-selector');

  // A prediction: the first answer counts, and the Service's own listing settles it.
  const keep = task(page, 'keep-cluster-ip').getByRole('button').first();
  if ((await keep.getAttribute('aria-expanded')) !== 'true') await keep.click();
  await page.locator('#answer-keep-cluster-ip').fill(clusterIP);
  await page.locator('#answer-keep-cluster-ip').press('Enter');
  await expect(task(page, 'keep-cluster-ip')).toHaveAttribute('data-done', 'false');
  expect((await run(page, 'kubectl get service web'))[1].split(/\s+/)[2]).toBe(clusterIP);
  await expectDone(page, 'keep-cluster-ip');

  await expect(task(page, 'repair-selector')).toHaveAttribute('data-done', 'false');
  await run(page, `sed -i 's/app: webapp$/app: web/' web-service.yaml`);
  await run(page, 'kubectl apply -f web-service.yaml');
  await lookUntilDone(page, 'kubectl get endpoints web', 'repair-selector');
  // Finished tasks stay finished when a later step changes the cluster.
  await expect(task(page, 'break-selector')).toHaveAttribute('data-done', 'true');

  await run(page, 'kubectl expose deployment api --port=80 --target-port=8080');
  await lookUntilDone(page, 'kubectl describe service api', 'port-vs-targetport');

  await expect(page.getByTestId('task-count')).toHaveText('7/7');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();

  // Progress survives a reload.
  await page.reload();
  await expect(page.getByTestId('task-count')).toHaveText('7/7', { timeout: 20_000 });
});
