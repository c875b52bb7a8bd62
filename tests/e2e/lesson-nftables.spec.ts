/**
 * A learner completes "kube-proxy in nftables mode" (lesson 32) in the browser: every
 * command is typed into the terminal, every question is answered in the task panel with
 * a value read off what the terminal printed (chain names, Pod IPs, the NodePort, rule
 * handles — none hard-coded), and the lesson ends on the completion card.
 */
import type { Page } from '@playwright/test';
import { expect, test, runAndWait, terminalReady } from './fixtures';

const LESSON = '/lessons/32-kube-proxy-nftables/';

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
  const input = page.locator(`#answer-${id}`);
  await input.fill(value);
  await task(page, id).getByRole('button', { name: 'Check', exact: true }).click();
}

/** The one capture of `re` in a command's output (joined), or a failure that shows the output. */
function pick(out: string[], re: RegExp, what: string): string {
  const m = out.join('\n').match(re);
  expect(m, `${what} in:\n${out.join('\n')}`).not.toBeNull();
  return m![1];
}

test('complete "kube-proxy in nftables mode" in the browser', async ({ page }) => {
  await page.goto(LESSON);
  await terminalReady(page);
  await expect(page.getByTestId('task-count')).toHaveText('0/9');

  // 1. service-ips: which chain does the map send 10.96.0.20 . tcp . 80 to?
  await runAndWait(page, 'ssh node-1');
  const map = await runAndWait(page, 'nft list map ip kube-proxy service-ips');
  expect(map.join('\n')).toContain('map service-ips {');
  const svcChain = pick(map, /10\.96\.0\.20 \. tcp \. 80 : goto (service-[^\s,}]+)/, 'web’s element in service-ips');
  expect(svcChain).toMatch(/^service-[A-Z0-9]{8}-default\/web\/tcp\/$/);
  // A wrong chain (kube-dns's, from the same map) is refused first.
  const dnsChain = pick(map, /10\.96\.0\.10 \. udp \. 53 : goto (service-[^\s,}]+)/, 'kube-dns’s element in service-ips');
  await answer(page, 'service-ips-lookup', dnsChain);
  await expect(task(page, 'service-ips-lookup').getByTestId('answer-feedback')).toHaveText(/^Not quite/);
  await expectDone(page, 'service-ips-lookup', false);
  await answer(page, 'service-ips-lookup', svcChain);
  await expectDone(page, 'service-ips-lookup');

  // 2. The endpoint chain of the web Pod that runs on node-1.
  await runAndWait(page, 'exit');
  const pods = await runAndWait(page, 'kubectl get pods -o wide -l app=web');
  expect(pods[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\b/);
  const onNode1 = pods.slice(1).map((l) => l.split(/\s+/)).filter((c) => c[6] === 'node-1');
  expect(onNode1, pods.join('\n')).toHaveLength(1);
  const podIP = onNode1[0][5];
  expect(podIP).toMatch(/^10\.244\.\d+\.\d+$/);
  await runAndWait(page, 'ssh node-1');
  const chain3 = await runAndWait(page, `nft list chain ip kube-proxy ${svcChain}`);
  expect(chain3.join('\n')).toContain('numgen random mod 3 vmap');
  const escaped = podIP.replace(/\./g, '\\.');
  const epChain = pick(chain3, new RegExp(`goto (endpoint-[A-Z0-9]{8}-default/web/tcp/__${escaped}/80)\\b`), `the endpoint chain of ${podIP}`);
  await answer(page, 'endpoint-chain', epChain);
  await expectDone(page, 'endpoint-chain');

  // 3. Scale to 5, commit to the modulus before looking, then check it on node-1.
  await runAndWait(page, 'exit');
  expect(await runAndWait(page, 'kubectl scale deployment web --replicas=5')).toEqual(['deployment.apps/web scaled']);
  await answer(page, 'scale-mod', '5');
  // The new Pods take a moment to become Ready; look again, as a learner would.
  await expect
    .poll(async () => (await runAndWait(page, 'kubectl get deployment web')).find((l) => l.startsWith('web '))?.split(/\s+/)[1])
    .toBe('5/5');
  await runAndWait(page, 'ssh node-1');
  const chain5 = await runAndWait(page, `nft -a list chain ip kube-proxy ${svcChain}`);
  expect(pick(chain5, /numgen random mod (\d+) vmap/, 'the numgen modulus')).toBe('5');
  expect(chain5.join('\n').match(/goto endpoint-/g)).toHaveLength(5);
  await expectDone(page, 'scale-mod');

  // 4. Count the rules of web's service chain: the lines that end in a handle, but not the chain's own.
  const rules = chain5.filter((l) => /# handle \d+$/.test(l) && !/^\s*chain /.test(l));
  expect(rules.length).toBeGreaterThan(0);
  await answer(page, 'rule-count', String(rules.length));
  await expectDone(page, 'rule-count');

  // 5. A NodePort Service for web.
  await runAndWait(page, 'exit');
  expect(await runAndWait(page, 'kubectl expose deployment web --name=web-nodeport --type=NodePort --port=80')).toEqual(['service/web-nodeport exposed']);
  await expectDone(page, 'expose-nodeport');

  // 6. Follow its NodePort through service-nodeports.
  const svc = await runAndWait(page, 'kubectl get service web-nodeport');
  const nodePort = pick(svc, /\b80:(\d+)\/TCP\b/, 'the NodePort');
  await runAndWait(page, 'ssh node-1');
  const nodeports = await runAndWait(page, 'nft list map ip kube-proxy service-nodeports');
  const extChain = pick(nodeports, new RegExp(`tcp \\. ${nodePort} : goto (external-[^\\s,}]+)`), `port ${nodePort} in service-nodeports`);
  expect(extChain).toMatch(/^external-[A-Z0-9]{8}-default\/web-nodeport\/tcp\/$/);
  await answer(page, 'nodeport-chain', extChain);
  await expectDone(page, 'nodeport-chain');

  // 6b. Predict the size of the services chain with a NodePort in the cluster, then list it.
  await answer(page, 'services-rules', '3');
  await expectDone(page, 'services-rules', false);
  const services = await runAndWait(page, 'nft -a list chain ip kube-proxy services');
  expect(services.filter((l) => / # handle \d+$/.test(l) && !l.includes('chain services'))).toHaveLength(2);
  await expectDone(page, 'services-rules');

  // 7. Break web on node-1: delete the numgen rule by its handle. A handle goes stale when
  //    kube-proxy's full sync rewrites the chain in between: then list again, as the lesson says.
  //    (`&& nft list` in the same line shows the chain as the deletion left it, before any sync;
  //    `&& curl` would not do: the line's exit code is curl's failure, and the task's history
  //    check wants a delete that succeeded.)
  let oldHandle = '';
  for (let attempt = 0; ; attempt++) {
    const listed = await runAndWait(page, `nft -a list chain ip kube-proxy ${svcChain}`);
    oldHandle = pick(listed, /numgen random mod \d+ vmap \{[^}]*\} # handle (\d+)$/m, 'the numgen rule’s handle');
    const out = await runAndWait(page, `nft delete rule ip kube-proxy ${svcChain} handle ${oldHandle} && nft -a list chain ip kube-proxy ${svcChain}`);
    if (out.some((l) => l.includes('No such file or directory')) && attempt < 2) continue;
    expect(out.join('\n')).toContain(`chain ${svcChain} {`);
    expect(out.join('\n')).not.toContain('numgen');
    expect(out.join('\n')).toContain('jump mark-for-masquerade');
    break;
  }
  await expectDone(page, 'break-node-1');
  // node-2 keeps its own copy of the table: web still answers there.
  await runAndWait(page, 'exit');
  const fromNode2 = await runAndWait(page, 'ssh node-2 curl -sS -m 3 http://10.96.0.20');
  expect(fromNode2.join('\n')).toContain('<title>Welcome to nginx!</title>');

  // 8. kube-proxy's full sync (every 30 s of the cluster's clock) puts the rule back, under a new handle.
  await runAndWait(page, 'ssh node-1');
  await runAndWait(page, 'sleep 30');
  const repaired = await runAndWait(page, `nft -a list chain ip kube-proxy ${svcChain}`);
  const newHandle = pick(repaired, /numgen random mod 5 vmap \{[^}]*\} # handle (\d+)$/m, 'the restored numgen rule');
  expect(newHandle).not.toBe(oldHandle);
  await runAndWait(page, 'exit');
  expect(await runAndWait(page, 'kubectl exec client -- curl -sS -m 3 -o /dev/null -w "%{http_code}\\n" http://web')).toEqual(['200']);
  await expectDone(page, 'kube-proxy-repairs');

  await expect(page.getByTestId('task-count')).toHaveText('9/9');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
});
