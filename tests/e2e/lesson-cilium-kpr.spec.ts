/**
 * A learner completes "Cilium without kube-proxy" (lesson 43) in the browser: no KUBE-
 * Service chains on the node, web's backends read off cilium-dbg service list, the backend
 * slots of bpf lb list after a scale, a NodePort answered from the agent's maps, an L7
 * CiliumNetworkPolicy (GET yes, DELETE 403 from Envoy, other Pods dropped) and the FQDN
 * egress challenge, each checked with curl. Values come from the terminal, not the test.
 */
import { expect, test, runAndWait, terminalReady } from './fixtures';
import { answerInPanel, expectDone, pick, task, writeFile } from './lesson-steps';

const LESSON = '/lessons/43-cilium-kube-proxy-replacement/';
const DBG = 'kubectl -n kube-system exec ds/cilium -- cilium-dbg';

/** The backends listed under one frontend of `cilium-dbg service list`, as IP:PORT/PROTO. */
function backendsOf(list: string[], frontend: string): string[] {
  const start = list.findIndex((l) => l.startsWith(`${frontend} `));
  expect(start, `${frontend} in:\n${list.join('\n')}`).toBeGreaterThan(0);
  const out: string[] = [];
  for (let i = start; i < list.length && (i === start || /^\s/.test(list[i])); i++) {
    const m = list[i].match(/\d+ => (\S+) \(active\)/);
    if (m) out.push(m[1]);
  }
  return out;
}

test('complete "Cilium without kube-proxy" in the browser', async ({ page }) => {
  await page.goto(LESSON);
  await terminalReady(page);
  await expect(page.getByTestId('task-count')).toHaveText('0/6');

  // The Service answers, yet node-1 has no kube-proxy chains: only kubelet's own.
  expect(await runAndWait(page, 'kubectl exec client -- curl -s -o /dev/null -w "%{http_code}\\n" http://web')).toEqual(['200']);
  expect((await runAndWait(page, 'kubectl -n kube-system get daemonsets')).map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'cilium']);
  await runAndWait(page, 'ssh node-1');
  const kube = await runAndWait(page, 'iptables-save | grep KUBE');
  expect(kube).toContain(':KUBE-FIREWALL - [0:0]');
  expect(kube.filter((l) => /KUBE-(SERVICES|SVC-|SEP-|NODEPORTS)/.test(l))).toEqual([]);
  await runAndWait(page, 'exit');

  // 1. web-backend: one of web's backends from the agent's service table.
  const list = await runAndWait(page, `${DBG} service list`);
  expect(list[0]).toMatch(/^Frontend\s+Service Type\s+Backend\s*$/);
  const web = backendsOf(list, '10.96.0.20:80/TCP');
  expect(web).toHaveLength(2);
  for (const b of web) expect(b).toMatch(/^10\.244\.\d+\.\d+:80\/TCP$/);
  // kube-dns's backend is not web's
  const dns = backendsOf(list, '10.96.0.10:53/UDP');
  await answerInPanel(page, 'web-backend', dns[0].replace(/\/UDP$/, ''));
  await expect(task(page, 'web-backend').getByTestId('answer-feedback')).toHaveText(/^Not quite/);
  await expectDone(page, 'web-backend', false);
  await answerInPanel(page, 'web-backend', web[1].replace(/\/TCP$/, ''));
  await expectDone(page, 'web-backend');

  // 2. predict-slots: scale to 4, predict, then count the slots after slot 0.
  expect(await runAndWait(page, 'kubectl scale deployment web --replicas=4')).toEqual(['deployment.apps/web scaled']);
  await expect
    .poll(async () => (await runAndWait(page, 'kubectl get deployment web')).find((l) => l.startsWith('web '))?.split(/\s+/)[1])
    .toBe('4/4');
  expect(await runAndWait(page, 'answer predict-slots 4')).toEqual(['predict-slots: correct — "4" matches what the live cluster shows']);
  const lb = await runAndWait(page, `${DBG} bpf lb list`);
  expect(lb[0]).toMatch(/^SERVICE ADDRESS\s+BACKEND ADDRESS \(REVNAT_ID\) \(SLOT\)\s*$/);
  const webSlots = lb.filter((l) => l.startsWith('10.96.0.20:80/TCP ('));
  expect(webSlots[0]).toMatch(/^10\.96\.0\.20:80\/TCP \(0\)\s+0\.0\.0\.0:0 \(\d+\) \(0\) \[ClusterIP, non-routable\]\s*$/);
  const slots = webSlots.slice(1).map((l) => pick([l], /^10\.96\.0\.20:80\/TCP \((\d+)\)\s+10\.244\.\d+\.\d+:80\/TCP \(\d+\) \(\d+\)\s*$/, 'a backend slot'));
  expect(slots).toEqual(['1', '2', '3', '4']);
  await expectDone(page, 'predict-slots');

  // 3. expose-nodeport: the agent answers the NodePort on every address of the node.
  expect(await runAndWait(page, 'kubectl expose deployment web --name=web-np --type=NodePort --port=80')).toEqual(['service/web-np exposed']);
  await expectDone(page, 'expose-nodeport');
  const np = await runAndWait(page, 'kubectl get service web-np');
  const nodePort = pick(np, /\b80:(\d+)\/TCP\b/, 'the NodePort');
  // nodeport-backends: predict first, then the agent's service list settles it
  await runAndWait(page, 'answer nodeport-backends 4');
  await expectDone(page, 'nodeport-backends', false);
  const withNp = await runAndWait(page, `${DBG} service list`);
  expect(backendsOf(withNp, `0.0.0.0:${nodePort}/TCP`)).toHaveLength(4);
  await expectDone(page, 'nodeport-backends');
  expect(withNp.find((l) => l.startsWith(`0.0.0.0:${nodePort}/TCP `))).toMatch(/^\S+\s+NodePort\s+1 => /);

  // 4. l7-policy: client may GET, DELETE is refused by the agent's Envoy, other is dropped.
  await writeFile(page, 'web-read-only.yaml', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: web-read-only
spec:
  endpointSelector:
    matchLabels:
      app: web
  ingress:
  - fromEndpoints:
    - matchLabels:
        app: client
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
      rules:
        http:
        - method: GET
`);
  expect(await runAndWait(page, 'kubectl apply -f web-read-only.yaml')).toEqual(['ciliumnetworkpolicy.cilium.io/web-read-only created']);
  expect(await runAndWait(page, 'kubectl exec client -- curl -s -o /dev/null -w "%{http_code}\\n" http://web/')).toEqual(['200']);
  const del = await runAndWait(page, 'kubectl exec client -- curl -si -X DELETE http://web/');
  expect(del[0]).toBe('HTTP/1.1 403 Forbidden');
  expect(del).toContain('server: envoy');
  expect(del.at(-1)).toBe('Access denied');
  expect(await runAndWait(page, 'kubectl exec other -- curl -s -m 3 http://web/')).toEqual(['command terminated with exit code 28']);
  await expectDone(page, 'l7-policy');

  // 5. fqdn-egress (the challenge): github.com only, DNS allowed so the agent learns its address.
  expect(await runAndWait(page, 'kubectl exec client -- curl -sk -m 3 -o /dev/null -w "%{http_code}\\n" https://example.com')).toEqual(['200']);
  await writeFile(page, 'client-egress.yaml', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: client-egress
spec:
  endpointSelector:
    matchLabels:
      app: client
  egress:
  - toEndpoints:
    - matchLabels:
        k8s:io.kubernetes.pod.namespace: kube-system
        k8s:k8s-app: kube-dns
    toPorts:
    - ports:
      - port: "53"
        protocol: ANY
      rules:
        dns:
        - matchPattern: "*"
  - toFQDNs:
    - matchName: github.com
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
`);
  expect(await runAndWait(page, 'kubectl apply -f client-egress.yaml')).toEqual(['ciliumnetworkpolicy.cilium.io/client-egress created']);
  expect(await runAndWait(page, 'kubectl exec client -- curl -sk -o /dev/null -w "%{http_code}\\n" https://github.com')).toEqual(['200']);
  expect(await runAndWait(page, 'kubectl exec client -- curl -sk -m 3 -o /dev/null -w "%{http_code}\\n" https://example.com')).toEqual(['000', 'command terminated with exit code 28']);
  const cnps = await runAndWait(page, 'kubectl get ciliumnetworkpolicies');
  expect(cnps.map((l) => l.split(/\s+/).filter((_, i) => i !== 1).join(' '))).toEqual(['NAME VALID', 'client-egress True', 'web-read-only True']);
  await expectDone(page, 'fqdn-egress');

  await expect(page.getByTestId('task-count')).toHaveText('6/6');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
});
