/**
 * A learner completes "Service mesh" (lesson 90, Istio) in the browser: istioctl install,
 * sidecar injection by namespace label, the restarted Pods' 2/2, the REDIRECT port read
 * off iptables-save in client's network namespace, STRICT mTLS that shuts the outsider
 * out, a fault, a 90/10 split and a header route, each seen through curl; the questions
 * are answered with values read off the terminal (the `answer` command and the panel).
 */
import type { Page } from '@playwright/test';
import { expect, test, runAndWait, terminalReady } from './fixtures';
import { answerInPanel, expectDone, pick, task, writeFile } from './lesson-steps';

const LESSON = '/lessons/90-service-mesh/';

/** Rows of `kubectl get pods` as {name, ready, status}. */
function podRows(out: string[]) {
  expect(out[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  return out.slice(1).map((l) => {
    const [name, ready, status] = l.split(/\s+/);
    return { name, ready, status };
  });
}

/** How many times each line occurs in `out`. */
function tally(out: string[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const l of out) t[l] = (t[l] ?? 0) + 1;
  return t;
}

async function webPodsAllInjected(page: Page) {
  const rows = podRows(await runAndWait(page, 'kubectl get pods -n shop -l app=web'));
  return rows.length === 3 && rows.every((r) => r.ready === '2/2' && r.status === 'Running');
}

test('complete "Service mesh" in the browser', async ({ page }) => {
  await page.goto(LESSON);
  await terminalReady(page);
  await expect(page.getByTestId('task-count')).toHaveText('0/11');

  // Before the mesh: client talks to web directly (http-echo's own headers, no Envoy).
  const direct = await runAndWait(page, 'kubectl exec -n shop client -- curl -si http://web');
  expect(direct[0]).toBe('HTTP/1.1 200 OK');
  expect(direct).toContain('X-App-Name: http-echo');
  expect(direct.join('\n')).not.toMatch(/envoy/i);
  expect(['web v1', 'web v2']).toContain(direct.at(-1));

  // 1. install-istio
  const install = await runAndWait(page, 'istioctl install --set profile=demo -y');
  expect(install).toEqual(expect.arrayContaining(['✔ Istio core installed ⛵️', '✔ Istiod installed 🧠', '✔ Egress gateways installed 🛫', '✔ Installation complete']));
  const deploys = await runAndWait(page, 'kubectl get deployments -n istio-system');
  expect(deploys.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['istio-egressgateway 1/1', 'istio-ingressgateway 1/1', 'istiod 1/1']);
  await expectDone(page, 'install-istio');

  // 2. label-shop
  expect(await runAndWait(page, 'kubectl label namespace shop istio-injection=enabled')).toEqual(['namespace/shop labeled']);
  await expectDone(page, 'label-shop');
  // sidecars-after-label: predict (wrongly, here) before looking; the look settles it.
  expect((await runAndWait(page, 'answer sidecars-after-label 4'))[0]).toMatch(/^sidecars-after-label: you predicted "4": now run /);
  await expectDone(page, 'sidecars-after-label', false);
  // The label alone changes no running Pod.
  expect(podRows(await runAndWait(page, 'kubectl get pods -n shop')).map((r) => r.ready)).toEqual(['1/1', '1/1', '1/1', '1/1']);
  await expectDone(page, 'restart-web', false);
  await expectDone(page, 'sidecars-after-label');

  // 3. restart-web: new Pods come through the webhook with istio-proxy.
  expect(await runAndWait(page, 'kubectl rollout restart deployment web-v1 web-v2 -n shop')).toEqual(['deployment.apps/web-v1 restarted', 'deployment.apps/web-v2 restarted']);
  expect((await runAndWait(page, 'kubectl rollout status deployment web-v1 -n shop')).at(-1)).toBe('deployment "web-v1" successfully rolled out');
  expect((await runAndWait(page, 'kubectl rollout status deployment web-v2 -n shop')).at(-1)).toBe('deployment "web-v2" successfully rolled out');
  // the old Pods may still be terminating: look again, as a learner would
  await expect.poll(() => webPodsAllInjected(page)).toBe(true);
  await expectDone(page, 'restart-web');

  // 4. recreate-client: predict READY, then check.
  const client = podRows(await runAndWait(page, 'kubectl get pod client -n shop'));
  expect(client).toEqual([{ name: 'client', ready: '1/1', status: 'Running' }]);
  expect(await runAndWait(page, 'kubectl delete pod client -n shop')).toEqual(['pod "client" deleted from shop namespace']);
  expect(await runAndWait(page, 'kubectl apply -f client.yaml')).toEqual(['pod/client created']);
  await runAndWait(page, 'sleep 10');
  // a wrong prediction first: the terminal says so, and the task stays open
  expect((await runAndWait(page, 'answer recreate-client 1/1'))[0]).toMatch(/^recreate-client: not quite — /);
  await expectDone(page, 'recreate-client', false);
  expect(await runAndWait(page, 'answer recreate-client 2/2')).toEqual(['recreate-client: correct — "2/2" matches what the live cluster shows']);
  expect(podRows(await runAndWait(page, 'kubectl get pod client -n shop'))).toEqual([{ name: 'client', ready: '2/2', status: 'Running' }]);
  await expectDone(page, 'recreate-client');

  // 5. outbound-listener: the REDIRECT port, then who listens on it.
  await runAndWait(page, 'ssh node-1');
  const redirect = await runAndWait(page, "for n in $(ip netns list | cut -d' ' -f1); do ip netns exec $n iptables-save -t nat | grep -e '-A ISTIO_REDIRECT'; done | sort -u");
  expect(redirect).toEqual(['-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001']);
  await runAndWait(page, 'exit');
  const describe = await runAndWait(page, 'kubectl describe pod client -n shop');
  // istio-init sets the port up: `-p 15001` among its Args
  const initArgs = describe.slice(describe.indexOf('  istio-init:'), describe.indexOf('Containers:'));
  expect(initArgs[initArgs.findIndex((l) => l.trim() === '-p') + 1].trim()).toBe('15001');
  await answerInPanel(page, 'outbound-listener', 'curl');
  await expect(task(page, 'outbound-listener').getByTestId('answer-feedback')).toHaveText(/^Not quite/);
  await expectDone(page, 'outbound-listener', false);
  await answerInPanel(page, 'outbound-listener', 'istio-proxy');
  await expectDone(page, 'outbound-listener');

  // 6. strict-shop: the outsider has no certificate and is reset; client's sidecar does mTLS.
  const viaSidecar = await runAndWait(page, 'kubectl exec -n shop client -- curl -si http://web');
  expect(viaSidecar).toContain('server: envoy');
  expect(['web v1', 'web v2']).toContain(viaSidecar.at(-1));
  await writeFile(page, 'strict.yaml', `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
    mode: STRICT
`);
  expect(await runAndWait(page, 'kubectl apply -f strict.yaml')).toEqual(['peerauthentication.security.istio.io/default created']);
  expect(await runAndWait(page, 'kubectl exec outsider -- curl -si http://web.shop')).toEqual(['command terminated with exit code 56']);
  expect(['web v1', 'web v2']).toContain((await runAndWait(page, 'kubectl exec -n shop client -- curl -s http://web'))[0]);
  await expectDone(page, 'strict-shop');

  // 7. fault-web: half of client's requests come back 503 from its own sidecar.
  await writeFile(page, 'web-fault.yaml', `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts: [web]
  http:
  - fault:
      abort:
        httpStatus: 503
        percentage: { value: 50 }
    route:
    - destination: { host: web }
`);
  expect(await runAndWait(page, 'kubectl apply -f web-fault.yaml')).toEqual(['virtualservice.networking.istio.io/web created']);
  await expectDone(page, 'fault-web');
  const codes = await runAndWait(page, `kubectl exec -n shop client -- sh -c 'for i in $(seq 20); do curl -s -o /dev/null -w "%{http_code}\\n" http://web; done'`);
  expect(codes).toHaveLength(20);
  expect(Object.keys(tally(codes)).sort()).toEqual(['200', '503']);

  // 8. canary-web: subsets by version, 90/10; the new VirtualService replaces the fault.
  await writeFile(page, 'web-canary.yaml', `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: web
  namespace: shop
spec:
  host: web
  subsets:
  - name: v1
    labels: { version: v1 }
  - name: v2
    labels: { version: v2 }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts: [web]
  http:
  - route:
    - destination: { host: web, subset: v1 }
      weight: 90
    - destination: { host: web, subset: v2 }
      weight: 10
`);
  expect(await runAndWait(page, 'kubectl apply -f web-canary.yaml')).toEqual(['destinationrule.networking.istio.io/web created', 'virtualservice.networking.istio.io/web configured']);
  await expectDone(page, 'canary-web');
  const hundred = await runAndWait(page, "kubectl exec -n shop client -- sh -c 'for i in $(seq 100); do curl -s http://web; done'");
  const split = tally(hundred);
  expect(Object.keys(split).sort()).toEqual(['web v1', 'web v2']);
  expect(split['web v1'] + split['web v2']).toBe(100);
  expect(split['web v1']).toBeGreaterThan(split['web v2']);

  // 9. proxy-memory: istio-proxy's memory request, from describe.
  const described = await runAndWait(page, 'kubectl describe pod client -n shop');
  const proxy = described.slice(described.indexOf('  istio-proxy:'));
  const memory = pick(proxy.slice(proxy.findIndex((l) => l.trim() === 'Requests:')), /^\s+memory:\s+(\S+)$/m, 'istio-proxy’s memory request');
  expect(memory).toMatch(/^\d+(Mi|Gi)$/);
  await answerInPanel(page, 'proxy-memory', memory);
  await expectDone(page, 'proxy-memory');

  // 10. canary-header (the challenge): x-canary: yes always goes to v2.
  await writeFile(page, 'web-header.yaml', `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts: [web]
  http:
  - match:
    - headers:
        x-canary: { exact: "yes" }
    route:
    - destination: { host: web, subset: v2 }
  - route:
    - destination: { host: web, subset: v1 }
      weight: 90
    - destination: { host: web, subset: v2 }
      weight: 10
`);
  expect(await runAndWait(page, 'kubectl apply -f web-header.yaml')).toEqual(['virtualservice.networking.istio.io/web configured']);
  expect(await runAndWait(page, `kubectl exec -n shop client -- sh -c 'for i in $(seq 10); do curl -s -H "x-canary: yes" http://web; done'`)).toEqual(Array(10).fill('web v2'));
  await expectDone(page, 'canary-header');

  await expect(page.getByTestId('task-count')).toHaveText('11/11');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
});
