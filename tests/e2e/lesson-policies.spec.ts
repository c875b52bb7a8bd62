/**
 * The NetworkPolicies pilot lesson in the browser: default-deny from the seeded file, an
 * allow policy written in the terminal with a heredoc, and the reachability checks
 * ticking as the packet walk's verdicts change.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const PROMPT = 'learner@workstation:~$';

async function lines(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __netlabTerminal?: { lines(): string[] } }).__netlabTerminal?.lines() ?? []);
}

/** Types lines into the terminal (Enter after each) and waits for the prompt to come back. */
async function type(page: Page, ...input: string[]): Promise<void> {
  const before = (await lines(page)).length;
  await page.getByTestId('terminal').click();
  for (const l of input) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
  await expect
    .poll(async () => {
      const l = await lines(page);
      return l.length > before && l[l.length - 1].trimEnd() === PROMPT;
    }, { timeout: 20_000 })
    .toBe(true);
}

/** The challenge's egress policy as a heredoc: only the backend, and (with `dns`) CoreDNS on port 53. */
const EGRESS_POLICY = (dns: boolean) => [
  "cat > frontend-egress.yaml <<'EOF'",
  'apiVersion: networking.k8s.io/v1',
  'kind: NetworkPolicy',
  'metadata:',
  '  name: frontend-egress',
  '  namespace: shop',
  'spec:',
  '  podSelector:',
  '    matchLabels:',
  '      app: frontend',
  '  policyTypes: [Egress]',
  '  egress:',
  '    - to:',
  '        - podSelector:',
  '            matchLabels:',
  '              app: backend',
  '      ports:',
  '        - protocol: TCP',
  '          port: 8080',
  ...(dns
    ? [
        '    - to:',
        '        - namespaceSelector:',
        '            matchLabels:',
        '              kubernetes.io/metadata.name: kube-system',
        '          podSelector:',
        '            matchLabels:',
        '              k8s-app: kube-dns',
        '      ports:',
        '        - protocol: UDP',
        '          port: 53',
      ]
    : []),
  'EOF',
];

const task = (page: Page, id: string) => page.locator(`[data-testid="task-panel"] [data-task="${id}"]`);

test('complete "NetworkPolicies" in the browser', async ({ page }) => {
  await page.goto('/lessons/40-network-policies/');
  await expect.poll(() => page.evaluate(() => (window as unknown as { __netlabTerminal?: { ready: boolean } }).__netlabTerminal?.ready === true), { timeout: 20_000 }).toBe(true);
  await expect(page.getByTestId('task-count')).toHaveText('0/6');

  // Before any policy, the debug Pod reaches the backend.
  await type(page, 'kubectl -n shop exec debug -- wget -qO- -T 3 http://backend:8080/');
  expect((await lines(page)).at(-2)).toBe('backend ok');

  await type(page, 'kubectl apply -f default-deny.yaml');
  await type(page, 'kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/');
  expect((await lines(page)).at(-2)).toBe('command terminated with exit code 28');
  await expect(task(page, 'default-deny')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
  await expect(task(page, 'allow-frontend')).toHaveAttribute('data-done', 'false');

  // A prediction, answered in the terminal first, then settled by the slice.
  await type(page, 'answer backend-endpoints 2');
  await expect(task(page, 'backend-endpoints')).toHaveAttribute('data-done', 'false');
  await type(page, 'kubectl -n shop get endpointslices');
  await expect(task(page, 'backend-endpoints')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });

  await type(
    page,
    "cat > allow-frontend.yaml <<'EOF'",
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: allow-frontend-to-backend',
    '  namespace: shop',
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    '      app: backend',
    '  policyTypes: [Ingress]',
    '  ingress:',
    '    - from:',
    '        - podSelector:',
    '            matchLabels:',
    '              app: frontend',
    '      ports:',
    '        - protocol: TCP',
    '          port: 8080',
    'EOF',
  );
  await type(page, 'kubectl apply -f allow-frontend.yaml');
  expect((await lines(page)).at(-2)).toBe('networkpolicy.networking.k8s.io/allow-frontend-to-backend created');
  await expect(task(page, 'allow-frontend')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });

  await type(page, 'kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/');
  expect((await lines(page)).at(-2)).toBe('backend ok');
  await expect(task(page, 'verify-with-curl')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });

  await type(page, 'answer policies-on-backend 2');
  await expect(task(page, 'policies-on-backend')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
  await expect(page.getByTestId('task-count')).toHaveText('5/6');

  // The challenge: egress isolation without DNS breaks the name; adding DNS mends it.
  await type(page, ...EGRESS_POLICY(false));
  await type(page, 'kubectl apply -f frontend-egress.yaml');
  await type(page, 'kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/');
  expect((await lines(page)).at(-2)).toBe('command terminated with exit code 28');
  await expect(task(page, 'lock-frontend-egress')).toHaveAttribute('data-done', 'false');
  await type(page, ...EGRESS_POLICY(true));
  await type(page, 'kubectl apply -f frontend-egress.yaml');
  await type(page, 'kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/');
  expect((await lines(page)).at(-2)).toBe('backend ok');
  await expect(task(page, 'lock-frontend-egress')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
  await expect(page.getByTestId('task-count')).toHaveText('6/6');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
});
