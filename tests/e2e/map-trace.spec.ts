/**
 * The packet's path and the policies on the cluster map (issue 14, items 2 and 3), in lesson
 * 40 (Calico, which enforces NetworkPolicy):
 * - a curl blocked by the default-deny policy shows its path on the map, the verdict first
 *   with the deciding policy in view, the Pods and Service it touched lit, and the rule rows
 *   that only passed it folded behind a toggle a keyboard can reach;
 * - the reachability matrix changes when a policy is applied.
 * With NETLAB_SCREENSHOTS=1 it also writes docs/screenshots/map-*.png at 1280×800 and 390×844.
 */
import type { Page } from '@playwright/test';
import { expect, runAndWait, terminalReady, terminalText, test } from './fixtures';

const LESSON = '/lessons/40-network-policies/';
const BLOCKED_CURL = 'kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/';
const shots = !!process.env.NETLAB_SCREENSHOTS;

async function tab(page: Page, name: 'Terminal' | 'Cluster map') {
  await page.getByRole('tab', { name }).click();
}

async function open(page: Page) {
  await page.goto(LESSON);
  await terminalReady(page);
  await tab(page, 'Terminal');
}

/** The lesson's second policy, typed as a heredoc. */
const ALLOW_FRONTEND = [
  'kubectl -n shop create -f - <<EOF',
  'apiVersion: networking.k8s.io/v1',
  'kind: NetworkPolicy',
  'metadata:',
  '  name: allow-frontend-to-backend',
  'spec:',
  '  podSelector:',
  '    matchLabels:',
  '      app: backend',
  '  ingress:',
  '    - from:',
  '        - podSelector:',
  '            matchLabels:',
  '              app: frontend',
  '      ports:',
  '        - port: 8080',
  'EOF',
];

/** The matrix's rows and columns: the lesson's Pods sorted by name (backend ×2, debug, frontend). */
const DEBUG = 2;
const FRONTEND = 3;

test('a blocked curl shows its path on the map, the deciding policy in view', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  expect(await runAndWait(page, 'kubectl apply -f default-deny.yaml')).toEqual(['networkpolicy.networking.k8s.io/default-deny-ingress created']);
  expect(await runAndWait(page, BLOCKED_CURL)).toEqual(['command terminated with exit code 28']);
  await tab(page, 'Cluster map');

  const verdict = page.getByTestId('trace-verdict');
  await expect(verdict).toContainText('Blocked');
  await expect(verdict).toContainText('pod/shop/frontend-');
  const decidedBy = page.getByTestId('trace-decided-by');
  await expect(decidedBy).toContainText('Ingress denied by NetworkPolicy shop/default-deny-ingress');
  await expect(decidedBy).toBeInViewport();

  // the path, step by step: DNS, the source Pod, the Service's DNAT, the policy that dropped it
  const steps = page.getByRole('list', { name: 'The path, step by step' }).getByRole('listitem');
  await expect(steps.first()).toHaveAccessibleName(/^DNS: backend → 10\.96\.\d+\.\d+ \(backend\.shop\.svc\.cluster\.local\)$/);
  await expect(steps.last()).toHaveAccessibleName(/^NetworkPolicy on node-\d: default-deny-ingress \(ingress\) \(decided here\)$/);
  await expect(page.getByRole('list', { name: 'The path, step by step' })).toContainText('shop/backend');

  // the Pods and the Service it touched are lit on the map
  await expect(page.locator('[data-trace-role="source"]')).toHaveAttribute('data-pod', /^shop\/frontend-/);
  await expect(page.locator('[data-trace-role="destination"]')).toHaveAttribute('data-pod', /^shop\/backend-/);
  await expect(page.locator('[data-trace-role="destination"]')).toContainText('never got it');
  await expect(page.locator('[data-service="shop/backend"]')).toHaveAttribute('data-traced', 'true');

  // the hop list: the rule rows that only passed it are folded; the toggle opens them by keyboard
  const hops = page.getByRole('list', { name: /^Hops of the packet walk/ });
  const shown = await hops.getByRole('listitem').count();
  await expect(page.getByTestId('trace-deciding-hop')).toHaveAccessibleName(/, NetworkPolicy on node-\d: NetworkPolicy ingress: denied: pod shop\/backend-.* is selected by NetworkPolicy default-deny-ingress, and no ingress rule allows shop\/frontend-.* on TCP 8080, drop, decided here$/);
  const toggle = page.getByTestId('trace-toggle-pass');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const all = await hops.getByRole('listitem').count();
  expect(all).toBeGreaterThan(shown);
  await expect(hops).toHaveAccessibleName(`Hops of the packet walk: ${all} of ${all} shown`);
  await page.keyboard.press('Enter');
  await expect(hops.getByRole('listitem')).toHaveCount(shown);

  if (shots) {
    await page.getByTestId('packet-path').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/map-trace-desktop.png' });
  }
});

test('the reachability matrix changes when a policy is applied', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  await tab(page, 'Cluster map');
  // no policy yet: the section starts folded; opened, every Pod reaches nginx on 80
  const toggle = page.getByTestId('policies-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  const matrix = page.getByTestId('reachability-matrix');
  await expect(matrix).toHaveAttribute('data-port', '80/tcp');
  await expect(matrix.locator(`[data-cell="${DEBUG}-${FRONTEND}"]`)).toHaveAttribute('data-allowed', 'true');
  await expect(page.getByTestId('policies-section')).toContainText('None: no Pod is isolated');

  await tab(page, 'Terminal');
  await runAndWait(page, 'kubectl apply -f default-deny.yaml');
  await tab(page, 'Cluster map');
  const cell = matrix.locator(`[data-cell="${DEBUG}-${FRONTEND}"]`);
  await expect(cell).toHaveAttribute('data-allowed', 'false');
  await expect(cell).toHaveAttribute('data-denied-by', 'default-deny-ingress');
  await expect(cell.getByRole('button')).toHaveAccessibleName(/^debug to frontend-.* on 80\/tcp: denied by NetworkPolicy shop\/default-deny-ingress \(ingress\)$/);
  await expect(page.getByTestId('policy-list')).toContainText('default-deny-ingress');
  await expect(page.getByTestId('policy-list').getByRole('button')).toHaveAccessibleName(/^NetworkPolicy shop\/default-deny-ingress: isolates Ingress of 4 Pods \(backend-.*, backend-.*, debug, frontend-.*\); 0 ingress and 0 egress rules$/);
  // on the map, every Pod of shop now carries its isolation
  await expect(page.locator('[data-pod^="shop/"]').filter({ hasText: 'ingress isolated' })).toHaveCount(4);

  // the allow policy opens frontend → backend on 8080, and only that
  await page.getByTestId('reachability-port').selectOption('8080/tcp');
  await expect(matrix).toHaveAttribute('data-port', '8080/tcp');
  await expect(matrix.locator(`[data-cell="${FRONTEND}-0"]`)).toHaveAttribute('data-denied-by', 'default-deny-ingress');
  await tab(page, 'Terminal');
  await page.locator('#panel-terminal .xterm-helper-textarea').focus();
  for (const l of ALLOW_FRONTEND) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
  await expect.poll(() => terminalText(page)).toContain('networkpolicy.networking.k8s.io/allow-frontend-to-backend created');
  await tab(page, 'Cluster map');
  await expect(matrix.locator(`[data-cell="${FRONTEND}-0"]`)).toHaveAttribute('data-allowed', 'true');
  await expect(matrix.locator(`[data-cell="${FRONTEND}-1"]`)).toHaveAttribute('data-allowed', 'true');
  await expect(matrix.locator(`[data-cell="${DEBUG}-0"]`)).toHaveAttribute('data-denied-by', 'default-deny-ingress');
  await matrix.locator(`[data-cell="${DEBUG}-0"]`).getByRole('button').click();
  await expect(page.getByTestId('reachability-detail')).toContainText('is selected by NetworkPolicies allow-frontend-to-backend, default-deny-ingress, and no ingress rule allows shop/debug on TCP 8080');

  if (shots) {
    await page.getByTestId('policies-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/map-policies-desktop.png' });
  }
});

test('on Flannel the matrix stays open and says why', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/lessons/41-network-policies-flannel/');
  await terminalReady(page);
  await tab(page, 'Terminal');
  await runAndWait(page, 'kubectl apply -f default-deny.yaml');
  await tab(page, 'Cluster map');
  await expect(page.getByTestId('policies-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('reachability-note')).toHaveText(
    'Everything is open. Flannel does not implement NetworkPolicy: the API server stores the policies, but nothing on the nodes enforces them, so every Pod reaches every other.',
  );
  const cell = page.getByTestId('reachability-matrix').locator(`[data-cell="${DEBUG}-${FRONTEND}"]`);
  await expect(cell).toHaveAttribute('data-allowed', 'true');
  await expect(cell.getByRole('button')).toHaveAccessibleName(/^debug to frontend-.* on 80\/tcp: open — default-deny-ingress is not enforced$/);
  if (shots) {
    await page.getByTestId('policies-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/map-policies-flannel-desktop.png' });
  }
});

test('in the playground, walks from a node and from the workstation appear beside the terminal', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/playground/');
  await terminalReady(page);
  const map = page.getByRole('complementary', { name: 'Live cluster map' });
  await runAndWait(page, 'ssh node-1 curl -sk -m 2 https://10.96.0.1/version');
  await expect(map.getByTestId('trace-verdict')).toContainText('Delivered — node/node-1 → https://10.96.0.1:443/version');
  await expect(map.locator('[data-service="default/kubernetes"]')).toHaveAttribute('data-traced', 'true');
  await expect(map.getByRole('list', { name: 'The path, step by step' }).getByRole('listitem').first()).toHaveAccessibleName('source on node-1: node node-1');
  await runAndWait(page, 'curl -s -m 2 http://10.96.0.1/');
  await expect(map.getByTestId('trace-verdict')).toContainText('Blocked — workstation → http://10.96.0.1:80/');
  await expect(map.getByTestId('trace-decided-by')).toHaveText('no route to the service network 10.96.0.0/12: those addresses exist only inside the cluster');
  if (shots) await page.screenshot({ path: 'docs/screenshots/map-playground-desktop.png' });
});

test('phone 390×844: the blocked path and the matrix', async ({ browser }) => {
  test.skip(!shots, 'set NETLAB_SCREENSHOTS=1 to regenerate the screenshots');
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto(LESSON);
  await terminalReady(page);
  await page.locator('#lab').scrollIntoViewIfNeeded();
  await tab(page, 'Terminal');
  await runAndWait(page, 'kubectl apply -f default-deny.yaml');
  await runAndWait(page, BLOCKED_CURL);
  await tab(page, 'Cluster map');
  await expect(page.getByTestId('trace-decided-by')).toContainText('default-deny-ingress');
  await page.getByTestId('packet-path').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/map-trace-phone.png' });
  await page.getByTestId('policies-section').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('reachability-matrix')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/map-policies-phone.png' });
  await ctx.close();
});
