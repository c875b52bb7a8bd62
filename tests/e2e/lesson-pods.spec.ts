/**
 * The Pod-networking lessons in the browser, lightly: lessons 12 (containers in a Pod),
 * 15 (Pods on one node, Flannel) and 16 (the same on Calico). Each test opens the lesson,
 * solves two graded tasks through the terminal and the task panel — every answer read off
 * what the terminal printed — and checks the panel marks them done, and only them.
 */
import type { Page } from '@playwright/test';
import { expect, test, runAndWait, terminalReady } from './fixtures';

function task(page: Page, id: string) {
  return page.locator(`[data-testid="task-panel"] [data-task="${id}"]`);
}

async function expectDone(page: Page, id: string, done = true) {
  await expect(task(page, id)).toHaveAttribute('data-done', done ? 'true' : 'false');
}

/** Opens a question in the task panel, types the answer and presses Check. */
async function answer(page: Page, id: string, value: string) {
  const toggle = task(page, id).getByRole('button').first();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator(`#answer-${id}`).fill(value);
  await task(page, id).getByRole('button', { name: 'Check', exact: true }).click();
}

function pick(out: string[], re: RegExp, what: string): string {
  const m = out.join('\n').match(re);
  expect(m, `${what} in:\n${out.join('\n')}`).not.toBeNull();
  return m![1];
}

async function open(page: Page, slug: string, tasks: number) {
  await page.goto(`/lessons/${slug}/`);
  await terminalReady(page);
  await expect(page.getByTestId('task-count')).toHaveText(`0/${tasks}`);
}

/** The IP and node columns of `kubectl get pods -o wide`, by Pod name. */
async function podsWide(page: Page): Promise<Map<string, { ip: string; node: string }>> {
  const out = await runAndWait(page, 'kubectl get pods -o wide');
  expect(out[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\b/);
  return new Map(out.slice(1).map((l) => l.split(/\s+/)).map((c) => [c[0], { ip: c[5], node: c[6] }]));
}

test('lesson 12: the tools container shares the Pod’s address and its localhost', async ({ page }) => {
  await open(page, '12-containers-in-a-pod', 5);

  // The prediction is checked against the cluster: a made-up address is refused.
  await answer(page, 'sidecar-address', '10.244.9.9');
  await expect(task(page, 'sidecar-address').getByTestId('answer-feedback')).toHaveText(/^Not quite/);
  await expectDone(page, 'sidecar-address', false);

  const addr = await runAndWait(page, 'kubectl exec duo -c tools -- ip -br addr');
  const ip = pick(addr, /^eth0@\S+\s+UP\s+(\d+\.\d+\.\d+\.\d+)\/\d+/m, 'eth0’s IPv4 address');
  // The same address the Pod reports: one network namespace for both containers.
  expect((await podsWide(page)).get('duo')?.ip).toBe(ip);
  await answer(page, 'sidecar-address', ip);
  await expectDone(page, 'sidecar-address');

  const page80 = await runAndWait(page, 'kubectl exec duo -c tools -- curl -s localhost');
  expect(page80.join('\n')).toContain('<title>Welcome to nginx!</title>');
  await expectDone(page, 'over-localhost');

  await expect(page.getByTestId('task-count')).toHaveText('2/5');
  await expectDone(page, 'shop-ready', false);
});

test('lesson 15: the client’s veth peer on cni0, and no NAT between Pods on one node', async ({ page }) => {
  await open(page, '15-pods-on-one-node', 5);

  const eth0 = await runAndWait(page, 'kubectl exec client -- ip link show eth0');
  const peerIndex = pick(eth0, /^\d+: eth0@if(\d+):/m, 'the peer’s index');
  const links = await runAndWait(page, 'ssh node-1 ip link');
  const peer = pick(links, new RegExp(`^${peerIndex}: (veth[0-9a-f]+)@if\\d+: .* master cni0 `, 'm'), `interface ${peerIndex} on node-1`);
  await answer(page, 'client-peer', peer);
  await expectDone(page, 'client-peer');

  const pods = await podsWide(page);
  const server = pods.get('server')!;
  const client = pods.get('client')!;
  expect(server.node).toBe('node-1');
  expect(client.node).toBe('node-1');
  // /clientip prints no newline of its own: -w '\n' gives the prompt a line of its own.
  const seen = await runAndWait(page, `kubectl exec client -- curl -s -w '\\n' http://${server.ip}:8080/clientip`);
  const source = pick(seen, /^(\d+\.\d+\.\d+\.\d+):\d+$/m, 'the address the server saw');
  expect(source).toBe(client.ip);
  await answer(page, 'no-nat', source);
  await expectDone(page, 'no-nat');

  await expect(page.getByTestId('task-count')).toHaveText('2/5');
});

test('lesson 16: on Calico the gateway is 169.254.1.1 and node-1 routes each Pod to its cali device', async ({ page }) => {
  await open(page, '16-pods-on-one-node-calico', 4);

  // pod-gateway is a prediction: the first answer counts, and the look that follows settles it.
  await answer(page, 'pod-gateway', '10.244.1.1');
  await expectDone(page, 'pod-gateway', false);
  const routes = await runAndWait(page, 'kubectl exec client -- ip route');
  const gateway = pick(routes, /^default via (\S+) dev eth0/m, 'the default route');
  expect(gateway).toBe('169.254.1.1');
  await expectDone(page, 'pod-gateway');

  const server = (await podsWide(page)).get('server')!;
  const got = await runAndWait(page, `ssh node-1 ip route get ${server.ip}`);
  const dev = pick(got, new RegExp(`^${server.ip.replace(/\./g, '\\.')} dev (cali[0-9a-f]+) `, 'm'), 'the device of the route');
  await answer(page, 'node-route', dev);
  await expectDone(page, 'node-route');

  await expect(page.getByTestId('task-count')).toHaveText('2/4');
  await expectDone(page, 'gateway-mac', false);
});
