/**
 * The playground keeps the learner's work (issue 14, item 4): a CNI / kube-proxy switch
 * rebuilds the same objects (asked first, what cannot move is named, Undo goes back), a
 * share link reopens the same cluster in a fresh browser context, and a broken scenario
 * imported shows its error at its line and changes nothing; starting another lesson's cluster
 * asks first too.
 *
 *   npm run build && E2E_PORT=3172 NETLAB_SKIP_BUILD=1 npx playwright test tests/e2e/playground-keeps.spec.ts
 * With NETLAB_SCREENSHOTS=1 it also writes docs/screenshots/playground-*.png (1280×800 and 390×844).
 */
import type { Page } from '@playwright/test';
import { test, expect, attachGuard, runAndWait, terminalReady, type Guard } from './fixtures';

const CNP = `echo '{"apiVersion":"cilium.io/v2","kind":"CiliumNetworkPolicy","metadata":{"name":"l7"},"spec":{"endpointSelector":{"matchLabels":{"app":"web"}},"ingress":[{}]}}' | kubectl apply -f -`;
const shots = !!process.env.NETLAB_SCREENSHOTS;

/** The lines of a table without its AGE column (the last), which moves with the clock. */
const noAge = (lines: string[]) => lines.map((l) => l.replace(/\s+\S+$/, ''));

async function choose(page: Page, cni: string, mode: string) {
  await page.getByLabel('CNI plugin').selectOption({ label: cni });
  await page.getByText(mode, { exact: true }).click();
  await page.getByRole('button', { name: 'Start this cluster' }).click();
}

/** Waits for the cluster the running line names to be up. */
async function runningOn(page: Page, text: RegExp) {
  await expect(page.getByTestId('running')).toHaveText(text);
  await terminalReady(page);
  await expect.poll(async () => (await runAndWait(page, 'kubectl get nodes --no-headers')).length).toBe(3);
}

test('a CNI and proxy-mode switch keeps the objects, names what it drops, and Undo goes back', async ({ page }) => {
  await page.goto('/playground/');
  await terminalReady(page);
  // Cilium first (a blank cluster: nothing to keep, so no question)
  await choose(page, 'Cilium', 'iptables');
  await runningOn(page, /Cilium · kube-proxy iptables/);
  await runAndWait(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80');
  await runAndWait(page, 'kubectl expose deployment web --port=80');
  expect(await runAndWait(page, CNP)).toEqual(['ciliumnetworkpolicy.cilium.io/l7 created']);
  await runAndWait(page, 'echo hello > notes.txt');
  const svc = await runAndWait(page, 'kubectl get svc web');

  await choose(page, 'Flannel', 'nftables');
  const dialog = page.getByRole('dialog', { name: 'Rebuild on Flannel · kube-proxy nftables?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('region', { name: 'Kept (3)' })).toHaveText(/Deployment default\/web.*Service default\/web.*~\/notes\.txt/);
  await expect(dialog.getByRole('region', { name: 'Dropped (1)' })).toContainText(
    'CiliumNetworkPolicy default/l7: no matches for kind "CiliumNetworkPolicy" in version "cilium.io/v2": its CRD ciliumnetworkpolicies.cilium.io comes with Cilium, and Flannel does not install it',
  );
  if (shots) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: 'docs/screenshots/playground-switch-ask.png' });
  }
  await dialog.getByRole('button', { name: 'Rebuild' }).click();
  await runningOn(page, /Flannel · kube-proxy nftables/);

  // the same Service at the same address, now on nftables; the policy is gone, and the bar says so
  const bar = page.getByTestId('undo-bar');
  await expect(bar).toContainText('Rebuilt on Flannel · kube-proxy nftables: 2 objects kept, 1 dropped.');
  await expect(bar).toContainText('CiliumNetworkPolicy default/l7');
  expect(noAge(await runAndWait(page, 'kubectl get svc web'))).toEqual(noAge(svc));
  await expect.poll(async () => (await runAndWait(page, 'kubectl get pods -l app=web --no-headers')).filter((l) => / Running /.test(l)).length).toBe(2);
  expect(await runAndWait(page, 'kubectl get cnp')).toEqual(['error: the server doesn\'t have a resource type "cnp"']);
  expect(await runAndWait(page, 'cat notes.txt')).toEqual(['hello']);
  const ip = (await runAndWait(page, 'kubectl get svc web --no-headers'))[0].split(/\s+/)[2];
  await runAndWait(page, 'ssh node-1');
  expect((await runAndWait(page, 'nft list map ip kube-proxy service-ips')).join('\n')).toContain(`${ip} . tcp . 80 : goto service-`);
  await runAndWait(page, 'exit');
  if (shots) await page.screenshot({ path: 'docs/screenshots/playground-switched.png' });

  // Undo: the Cilium cluster exactly as it was, its policy with it
  await bar.getByRole('button', { name: 'Undo' }).click();
  await runningOn(page, /Cilium · kube-proxy iptables/);
  const cnp = await runAndWait(page, 'kubectl get cnp');
  expect(cnp[0]).toBe('NAME   AGE   VALID');
  expect(cnp[1]).toMatch(/^l7 +\S+ +True$/);
  expect(noAge(await runAndWait(page, 'kubectl get svc web'))).toEqual(noAge(svc));
  await expect(page.getByTestId('undo-bar')).toHaveCount(0);
});

test('a share link reopens the same cluster in a fresh browser context', async ({ page, browser }) => {
  await page.goto('/playground/');
  await terminalReady(page);
  await choose(page, 'Calico', 'ipvs');
  await runningOn(page, /Calico · kube-proxy ipvs/);
  await runAndWait(page, 'kubectl create namespace shop');
  await runAndWait(page, 'kubectl create deployment web -n shop --image=nginx:1.27 --replicas=3 --port=80');
  await runAndWait(page, 'kubectl expose deployment web -n shop --port=80 --type=NodePort');
  await runAndWait(page, 'kubectl run client --image=busybox:1.36 -- sleep 3600');
  await runAndWait(page, 'echo "shared with you" > notes.txt');
  await runAndWait(page, 'sleep 5');
  const svc = await runAndWait(page, 'kubectl get svc -n shop');
  const client = await runAndWait(page, 'kubectl get pod client -o wide');

  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = (await page.getByTestId('share-link').textContent())!;
  expect(link).toMatch(/^http:\/\/localhost:\d+\/playground\/#s=[A-Za-z0-9_-]+$/);
  if (shots) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: 'docs/screenshots/playground-share.png' });
  }

  // a browser that has never seen this playground
  const guard: Guard = { external: [], errors: [], csp: [] };
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await attachGuard(ctx, guard);
  const other = await ctx.newPage();
  await other.goto(link);
  await runningOn(other, /Running: a share link · Calico · kube-proxy ipvs/);
  await expect(other.getByTestId('undo-bar')).toContainText('Opened a share link: 4 objects on Calico · kube-proxy ipvs.');
  expect(other.url()).not.toContain('#s=');
  expect(noAge(await runAndWait(other, 'kubectl get svc -n shop'))).toEqual(noAge(svc));
  const again = await runAndWait(other, 'kubectl get pod client -o wide');
  // NAME READY STATUS RESTARTS AGE IP NODE …: the same Pod at the same address on the same node
  const cols = (l: string) => l.split(/\s+/).filter((_, i) => i !== 4);
  expect(cols(again[1])).toEqual(cols(client[1]));
  expect(await runAndWait(other, 'cat notes.txt')).toEqual(['shared with you']);
  await expect.poll(async () => (await runAndWait(other, 'kubectl get pods -n shop --no-headers')).filter((l) => / Running /.test(l)).length).toBe(3);
  expect(guard.errors).toEqual([]);
  expect(guard.external).toEqual([]);

  // a link cut short is refused with a sentence, and the cluster stays
  await other.goto(link.slice(0, link.length - 40));
  await terminalReady(other);
  await expect(other.getByTestId('open-error')).toContainText('Not opened — nothing was changed. the share link: the link is damaged');
  expect(noAge(await runAndWait(other, 'kubectl get svc -n shop'))).toEqual(noAge(svc));
  await ctx.close();
  expect(guard.csp).toEqual([]);
});

test('importing a broken scenario shows its error at its line and changes nothing; a good one dropped on the page opens after asking; another lesson’s cluster asks too, and Undo returns', async ({ page }) => {
  await page.goto('/playground/');
  await terminalReady(page);
  await runAndWait(page, 'kubectl create configmap mine --from-literal=a=b');
  const broken = ['cluster:', '  cni: flannel', 'objects:', '  - apiVersion: v1', '    kind: Service', '    metadata:', '      name: Web', '    spec:', '      ports:', '        - port: 80', ''].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from(broken) });
  const error = page.getByTestId('open-error');
  await expect(error).toContainText('broken.yaml:7: objects[0] (Service Web): Service "Web" is invalid: metadata.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters');
  await expect(page.getByTestId('running')).toHaveText(/Running: blank cluster · Calico · kube-proxy iptables/);
  expect(await runAndWait(page, 'kubectl get cm mine -o name')).toEqual(['configmap/mine']);
  if (shots) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: 'docs/screenshots/playground-import-error.png' });
  }

  // not YAML at all
  await page.getByTestId('import-file').setInputFiles({ name: 'notes.yaml', mimeType: 'text/yaml', buffer: Buffer.from('objects: [\n') });
  await expect(error).toContainText('notes.yaml:2: invalid YAML:');

  // a good scenario, dropped on the page
  const good = ['cluster:', '  cni: flannel', '  proxyMode: nftables', 'objects:', '  - apiVersion: v1', '    kind: ConfigMap', '    metadata:', '      name: from-a-file', ''].join('\n');
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'lab.yaml', { type: 'text/yaml' }));
    return d;
  }, good);
  await page.locator('main').dispatchEvent('dragover', { dataTransfer: dt });
  await page.locator('main').dispatchEvent('drop', { dataTransfer: dt });
  const dialog = page.getByRole('dialog', { name: 'Open imported lab.yaml?' });
  await expect(dialog).toContainText('1 object on Flannel · kube-proxy nftables.');
  await dialog.getByRole('button', { name: 'Open it' }).click();
  await runningOn(page, /Running: imported lab\.yaml · Flannel · kube-proxy nftables/);
  expect(await runAndWait(page, 'kubectl get cm -o name')).toEqual(['configmap/from-a-file', 'configmap/kube-root-ca.crt']);
  await expect(error).toHaveCount(0);

  // another lesson's cluster is a new cluster: asked first, and Undo brings the imported one back
  const lesson = await page.getByLabel('Start from').locator('option').nth(1).textContent();
  const title = lesson!.replace(/^Lesson: /, '');
  await page.getByLabel('Start from').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Start this cluster' }).click();
  const start = page.getByRole('dialog', { name: `Start ${title}?` });
  await expect(start).toContainText('1 object you made and 0 files in ~');
  await start.getByRole('button', { name: 'Start this cluster' }).click();
  await expect(page.getByTestId('running')).toHaveText(new RegExp(`Running: ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · `));
  await terminalReady(page);
  await expect.poll(async () => (await runAndWait(page, 'kubectl get cm from-a-file -o name')).join('\n')).toContain('NotFound');
  await page.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click();
  await runningOn(page, /Running: imported lab\.yaml · Flannel · kube-proxy nftables/);
  expect(await runAndWait(page, 'kubectl get cm -o name')).toEqual(['configmap/from-a-file', 'configmap/kube-root-ca.crt']);
});

test('the phone: the question and an import error fit a 390 px screen', async ({ browser }) => {
  test.skip(!shots, 'set NETLAB_SCREENSHOTS=1 to take the phone screenshots');
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto('/playground/');
  await terminalReady(page);
  await runAndWait(page, 'kubectl create deployment web --image=nginx:1.27');
  await runAndWait(page, 'kubectl expose deployment web --port=80');
  await page.getByTestId('import-file').setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('cluster:\n  cni: bridge\n') });
  await expect(page.getByTestId('open-error')).toContainText('broken.yaml:2: cluster.cni "bridge" is not one of calico, flannel, cilium, weave, aws-vpc-cni');
  await page.screenshot({ path: 'docs/screenshots/playground-import-error-phone.png' });
  await page.getByLabel('CNI plugin').selectOption({ label: 'Flannel' });
  await page.getByRole('button', { name: 'Start this cluster' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/playground-switch-ask-phone.png' });
  await ctx.close();
});
