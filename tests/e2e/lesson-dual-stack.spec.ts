/**
 * A learner completes "Dual-stack Services and DNS" (lesson 52) in the browser: the client's
 * IPv6 address read off its podIPs, web patched to PreferDualStack, its EndpointSlices
 * predicted then listed, the AAAA answer from CoreDNS, an IPv6-only Service written as YAML,
 * echo replies from a web Pod over IPv6 (and curl -6 through the IPv6 ClusterIP),
 * web's IPv4 chain read off iptables-save on node-1, and the challenge (web6 reached over
 * IPv4 by name). Every value comes from the terminal, none from the test.
 */
import { expect, test, runAndWait, terminalReady } from './fixtures';
import { answerInPanel, expectDone, pick, task, writeFile } from './lesson-steps';

const LESSON = '/lessons/52-dual-stack/';

test('complete "Dual-stack Services and DNS" in the browser', async ({ page }) => {
  await page.goto(LESSON);
  await terminalReady(page);
  const total = Number((await page.getByTestId('task-count').textContent())!.split('/')[1]);
  await expect(page.getByTestId('task-count')).toHaveText(`0/${total}`);

  // 1. client-ipv6: the second of the client's podIPs; its IPv4 address is refused first.
  const ips = await runAndWait(page, `kubectl get pod client -o jsonpath='{.status.podIPs}{"\\n"}'`);
  const v4 = pick(ips, /\{"ip":"(10\.244\.\d+\.\d+)"\}/, "the client's IPv4 address");
  const v6 = pick(ips, /\{"ip":"(fd00:10:244:[0-9a-f:]+)"\}/, "the client's IPv6 address");
  await answerInPanel(page, 'client-ipv6', v4);
  await expect(task(page, 'client-ipv6').getByTestId('answer-feedback')).toHaveText(/^Not quite/);
  await answerInPanel(page, 'client-ipv6', v6);
  await expectDone(page, 'client-ipv6');

  // 2. web-dual: PreferDualStack keeps 10.96.0.20 and adds an IPv6 ClusterIP.
  expect(await runAndWait(page, `kubectl patch svc web -p '{"spec":{"ipFamilyPolicy":"PreferDualStack"}}'`)).toEqual(['service/web patched']);
  await expectDone(page, 'web-dual');
  const svc = await runAndWait(page, `kubectl get svc web -o jsonpath='{.spec.clusterIPs}{"\\n"}'`);
  const web6ip = pick(svc, /\["10\.96\.0\.20","(fd00:10:96::[0-9a-f:]+)"\]/, "web's IPv6 ClusterIP");

  // 3. web-slices: predict (through the terminal's answer command), then list.
  expect(await runAndWait(page, 'answer web-slices 2')).toEqual([expect.stringMatching(/^web-slices: /)]);
  const slices = await runAndWait(page, 'kubectl get endpointslices -l kubernetes.io/service-name=web');
  expect(slices.slice(1).map((l) => l.split(/\s+/)[1]).sort()).toEqual(['IPv4', 'IPv6']);
  await expectDone(page, 'web-slices');

  // 4. web-aaaa: CoreDNS answers web's IPv6 ClusterIP.
  const aaaa = await runAndWait(page, 'kubectl exec client -- nslookup -type=AAAA web');
  expect(aaaa).toContain(`Address: ${web6ip}`);
  await answerInPanel(page, 'web-aaaa', web6ip);
  await expectDone(page, 'web-aaaa');

  // 5. web6: an IPv6-only Service written as YAML.
  await writeFile(page, 'web6.yaml', `apiVersion: v1
kind: Service
metadata:
  name: web6
spec:
  ipFamilies: [IPv6]
  selector:
    app: web
  ports:
    - port: 80
`);
  expect(await runAndWait(page, 'kubectl apply -f web6.yaml')).toEqual(['service/web6 created']);
  await expectDone(page, 'web6');

  // 6. ping6-pod: the ClusterIP answers no echo; a web Pod's IPv6 address does, over IPv6.
  const webIps = await runAndWait(page, `kubectl get pods -l app=web -o jsonpath='{.items[*].status.podIPs}{"\\n"}'`);
  const pod6 = pick(webIps, /\{"ip":"(fd00:10:244:[0-9a-f:]+)"\}/, "a web Pod's IPv6 address");
  const ping = await runAndWait(page, `kubectl exec client -- ping -6 -c 2 ${pod6}`);
  expect(ping[0]).toBe(`PING ${pod6} (${pod6}) 56 data bytes`);
  expect(ping[1]).toMatch(new RegExp(`^64 bytes from ${pod6}: icmp_seq=1 ttl=6\\d time=\\d+\\.\\d+ ms$`));
  expect(ping.join('\n')).toMatch(/^2 packets transmitted, 2 received, 0% packet loss, time \d+ms$/m);
  await expectDone(page, 'ping6-pod');
  // curl -6 takes the IPv6 ClusterIP, DNATed by the node's ip6tables rules to a web Pod
  const curl6 = await runAndWait(page, 'kubectl exec client -- curl -6 -sv -o /dev/null http://web');
  expect(curl6).toContain(`*   Trying [${web6ip}]:80...`);

  // 7. web-ipv4-chain: the KUBE-SVC chain KUBE-SERVICES jumps to for 10.96.0.20:80.
  await runAndWait(page, 'ssh node-1');
  const nat = await runAndWait(page, 'iptables-save -t nat | grep default/web');
  const chain = pick(nat, /-A KUBE-SERVICES -d 10\.96\.0\.20\/32 -p tcp .* -j (KUBE-SVC-[A-Z0-9]{16})$/m, "web's service chain");
  await runAndWait(page, 'exit');
  await answerInPanel(page, 'web-ipv4-chain', chain);
  await expectDone(page, 'web-ipv4-chain');

  // 8. web6-for-ipv4 (the challenge): add IPv4 as web6's second family, then curl it by name.
  expect(await runAndWait(page, `kubectl patch svc web6 -p '{"spec":{"ipFamilyPolicy":"RequireDualStack"}}'`)).toEqual(['service/web6 patched']);
  expect(await runAndWait(page, 'kubectl exec client -- curl -s -o /dev/null -w "%{http_code}\\n" http://web6')).toEqual(['200']);
  await expectDone(page, 'web6-for-ipv4');

  await expect(page.getByTestId('task-count')).toHaveText(`${total}/${total}`);
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
});
