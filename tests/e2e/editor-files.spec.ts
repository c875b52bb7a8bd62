/**
 * Files that just work: the terminal sees what the editor shows (unsaved buffers are saved
 * before every command, and the editor says so), YAML typed or pasted into the editor keeps
 * its indentation, a YAML block in the prose opens in the editor as a file, and a reference
 * solution's Paste brings the file its command needs.
 */
import type { Page } from '@playwright/test';
import { expect, runAndWait, terminalReady, terminalText, test } from './fixtures';

const LESSON = '/lessons/40-network-policies/';

const EGRESS = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "frontend-egress", "namespace": "shop"}, "spec": {"podSelector": {"matchLabels": {"app": "frontend"}}, "policyTypes": ["Egress"], "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "backend"}}}], "ports": [{"protocol": "TCP", "port": 8080}]}, {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}], "ports": [{"protocol": "UDP", "port": 53}]}]}};

const POLICY = [
  'apiVersion: networking.k8s.io/v1',
  'kind: NetworkPolicy',
  'metadata:',
  '  name: allow-frontend-to-backend',
  '  namespace: shop',
  'spec:',
  '  podSelector:',
  '    matchLabels:',
  '      app: backend',
  '  policyTypes:',
  '    - Ingress',
  '  ingress:',
  '    - from:',
  '        - podSelector:',
  '            matchLabels:',
  '              app: frontend',
  '      ports:',
  '        - protocol: TCP',
  '          port: 8080',
];

const task = (page: Page, id: string) => page.locator(`[data-testid="task-panel"] [data-task="${id}"]`);

async function openLesson(page: Page) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(LESSON);
  await terminalReady(page);
}

/** Opens the Editor tab and makes a new, empty file there. */
async function newFile(page: Page, name: string) {
  await page.getByRole('tab', { name: 'Editor' }).click();
  await expect(page.locator('.monaco-editor').first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByLabel('New file name').fill(name);
  await page.getByLabel('New file name').press('Enter');
  await expect(page.getByTestId('open-file')).toHaveText(`~/${name}`);
  await page.locator('.monaco-editor textarea').first().focus();
}

async function toTerminal(page: Page) {
  await page.getByRole('tab', { name: 'Terminal' }).click();
}

test('lesson 40 completes with the policy pasted into the editor and never saved', async ({ page }) => {
  await openLesson(page);
  expect(await runAndWait(page, 'kubectl apply -f default-deny.yaml')).toEqual(['networkpolicy.networking.k8s.io/default-deny-ingress created']);
  await expect(task(page, 'default-deny')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
  // the prediction task: predict, then look at the slice
  await runAndWait(page, 'answer backend-endpoints 2');
  await runAndWait(page, 'kubectl -n shop get endpointslices');
  await expect(task(page, 'backend-endpoints')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });

  // Paste the policy (a real clipboard paste, Ctrl+V) into a new file; do not save.
  await newFile(page, 'allow-frontend.yaml');
  await page.evaluate((text) => navigator.clipboard.writeText(text), POLICY.join('\n') + '\n');
  await page.keyboard.press('Control+V');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'unsaved');
  await expect(page.getByTestId('save-state')).toHaveText('● Unsaved — running a command saves it');

  // The command sees the buffer: it is saved first, indentation as pasted.
  await toTerminal(page);
  expect(await runAndWait(page, 'kubectl apply -f allow-frontend.yaml')).toEqual(['networkpolicy.networking.k8s.io/allow-frontend-to-backend created']);
  expect(await runAndWait(page, 'cat allow-frontend.yaml')).toEqual(POLICY);
  await expect(task(page, 'allow-frontend')).toHaveAttribute('data-done', 'true', { timeout: 15_000 });

  // The editor shows the file as saved, and by what.
  await page.getByRole('tab', { name: 'Editor' }).click();
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
  await expect(page.getByTestId('save-state')).toHaveText('✓ Saved when you ran kubectl apply -f allow-frontend.yaml');

  await toTerminal(page);
  expect(await runAndWait(page, 'kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/')).toEqual(['backend ok']);
  await runAndWait(page, 'answer policies-on-backend 2');
  await expect(page.getByTestId('task-count')).toHaveText('5/6');
  // The challenge: an egress policy (the backend and CoreDNS only), piped as JSON.
  expect(await runAndWait(page, `echo '${JSON.stringify(EGRESS)}' | kubectl apply -f -`)).toEqual(['networkpolicy.networking.k8s.io/frontend-egress created']);
  await expect(page.getByTestId('task-count')).toHaveText('6/6');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
});

test('YAML typed into the editor keeps its indentation', async ({ page }) => {
  await openLesson(page);
  await newFile(page, 'typed.yaml');
  // Key by key, as a learner types it: Enter adds no indentation of its own, brackets and
  // quotes are not doubled, and Enter never takes a completion.
  const typed = [...POLICY.slice(0, 9), '  policyTypes: ["Ingress"]', ...POLICY.slice(11)];
  await page.keyboard.type(typed.join('\n') + '\n');
  await page.keyboard.press('Escape');
  await toTerminal(page);
  expect(await runAndWait(page, 'cat typed.yaml')).toEqual(typed);
  expect(await runAndWait(page, 'kubectl apply -f typed.yaml')).toEqual(['networkpolicy.networking.k8s.io/allow-frontend-to-backend created']);
});

test('a YAML block in the prose opens in the editor, and kubectl apply -f reads it', async ({ page }) => {
  await openLesson(page);
  const block = page.locator('[data-code-block="yaml"]').filter({ hasText: 'allow-frontend-to-backend' });
  await expect(block.getByText('allow-frontend.yaml', { exact: true })).toBeVisible();

  await block.getByRole('button', { name: 'Copy allow-frontend.yaml' }).click();
  await expect(block.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(POLICY.join('\n'));

  await block.getByRole('button', { name: 'Open in editor: allow-frontend.yaml' }).click();
  await expect(page.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('open-file')).toHaveText('~/allow-frontend.yaml', { timeout: 20_000 });
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('allow-frontend-to-backend');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');

  await toTerminal(page);
  expect(await runAndWait(page, 'kubectl apply -f allow-frontend.yaml')).toEqual(['networkpolicy.networking.k8s.io/allow-frontend-to-backend created']);
  expect(await runAndWait(page, 'cat allow-frontend.yaml')).toEqual(POLICY);

  // The seeded default-deny.yaml is the prose's block (but for its comments): opened as it is, nothing unsaved.
  await page.locator('[data-code-block="yaml"]').filter({ hasText: 'default-deny-ingress' }).getByRole('button', { name: 'Open in editor: default-deny.yaml' }).click();
  await expect(page.getByTestId('open-file')).toHaveText('~/default-deny.yaml');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
});

test('the reference solution’s Paste brings the file its command needs', async ({ page }) => {
  await openLesson(page);
  await task(page, 'allow-frontend').getByRole('button').first().click();
  await page.getByRole('button', { name: /Show a hint/ }).click();
  await page.getByRole('button', { name: 'Show solution' }).click();
  const solution = page.getByTestId('solution');
  await solution.getByRole('button', { name: 'Paste into the terminal, writing allow-frontend.yaml: kubectl apply -f allow-frontend.yaml' }).click();
  await expect(page.getByTestId('solution-status')).toHaveText('Wrote ~/allow-frontend.yaml for this command.');
  // The command is typed into the focused terminal; then the learner presses Enter.
  const input = page.locator('#panel-terminal .xterm-helper-textarea');
  await expect(input).toBeFocused();
  await expect.poll(async () => (await terminalText(page)).trimEnd().split('\n').pop() ?? '').toMatch(/\$ kubectl apply -f allow-frontend\.yaml$/);
  await input.press('Enter');
  await expect.poll(async () => (await runAndWait(page, 'kubectl get networkpolicy -n shop -o name')).join(' ')).toContain('networkpolicy.networking.k8s.io/allow-frontend-to-backend');
  expect(await runAndWait(page, 'cat allow-frontend.yaml')).toEqual(POLICY);
});
