/**
 * The lesson platform end to end, in Chromium against the production build: the terminal
 * runs real engine commands, tasks check live, progress survives a reload, reset works,
 * the phone layout has no horizontal scroll, storage damage is reported, two tabs do not
 * corrupt each other, the editor and the playground work — and nothing leaves localhost
 * and nothing logs a console error (fixtures.ts checks both after every test).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { listLessons } from '../../lib/lessons';
import { test, expect, attachGuard, runAndWait, terminalReady, terminalText, PROMPT } from './fixtures';

interface TaskDoc {
  id: string;
  kind: 'do' | 'question';
  solution: { commands: string[]; files?: Record<string, string> };
}

const lessons = listLessons();
const lesson = lessons[0];
const tasks = (parse(readFileSync(`lessons/${lesson.slug}/tasks.yaml`, 'utf8')) as { tasks: TaskDoc[] }).tasks;
/** The first hands-on task, and every command of the tasks before it (they may build on each other). */
const firstDo = tasks.findIndex((t) => t.kind === 'do' && !t.solution.files);
const setupCommands = tasks.slice(0, firstDo + 1).flatMap((t) => (t.kind === 'do' ? t.solution.commands : []));
const url = `/lessons/${lesson.slug}/`;
const DEPLOY = 'kubectl create deployment e2e-web --image=nginx:1.27 --replicas=2';

test('the terminal takes input quickly and kubectl get pods -A prints the cluster', async ({ page }, info) => {
  await page.goto(url);
  await terminalReady(page);
  const marks = await page.evaluate(() => {
    const t = (n: string) => Math.round(performance.getEntriesByName(n)[0]?.startTime ?? -1);
    return { keys: t('netlab:terminal-ready'), prompt: t('netlab:prompt-ready'), lab: t('netlab:lab-ready') };
  });
  info.annotations.push({ type: 'terminal-ready-ms', description: JSON.stringify(marks) });
  console.log(`terminal takes keys ${marks.keys} ms, shows its prompt ${marks.prompt} ms after navigation start (cluster built at ${marks.lab} ms)`);
  expect(marks.keys).toBeGreaterThan(0);
  expect(marks.keys).toBeLessThan(2000);
  expect(marks.prompt).toBeGreaterThanOrEqual(marks.keys);

  // Keys typed while the cluster is still being built are not lost.
  await page.reload();
  await page.waitForFunction(() => window.__netlabTerminal !== undefined);
  await page.locator('#panel-terminal .xterm-helper-textarea').focus();
  await page.keyboard.type('echo typed-early');
  await page.keyboard.press('Enter');
  await terminalReady(page);
  await expect.poll(async () => (await terminalText(page)).split('\n').some((l) => PROMPT.test(l) && l.endsWith('echo typed-early'))).toBe(true);

  const out = await runAndWait(page, 'kubectl get pods -A');
  // kubectl's table: the header, then one row per Pod — kube-system's CoreDNS and kube-proxy among them.
  expect(out[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  const rows = out.slice(1);
  expect(rows.some((r) => /^kube-system\s+coredns-\S+\s+\d+\/\d+\s+Running\s+\d+\s+\S+$/.test(r))).toBe(true);
  expect(rows.some((r) => /^kube-system\s+kube-proxy-\S+\s/.test(r))).toBe(true);
  // Every row has the six columns, aligned under the header.
  const statusCol = out[0].indexOf('STATUS');
  for (const r of rows) expect(r.slice(statusCol).split(/\s+/)[0]).toMatch(/^[A-Z][A-Za-z]+$/);
});

test('a task checks live; a reload restores history, task state and cluster; Reset lab restores the scenario', async ({ page }) => {
  // Each test has its own browser profile, so the whole round trip happens here.
  await page.goto(url);
  await terminalReady(page);
  const task = page.locator(`#task-panel [data-task="${tasks[firstDo].id}"]`);
  await expect(task).toHaveAttribute('data-done', 'false');
  for (const c of setupCommands) await runAndWait(page, c);
  // Checked live after the command — there is no Check button.
  await expect(task).toHaveAttribute('data-done', 'true');
  await expect(page.locator(`[data-inline-task="${tasks[firstDo].id}"]`).first()).toHaveAttribute('data-done', 'true');
  expect(await runAndWait(page, DEPLOY)).toEqual(['deployment.apps/e2e-web created']);

  await page.reload();
  await terminalReady(page);
  await expect(task).toHaveAttribute('data-done', 'true');
  // The transcript is back…
  expect(await terminalText(page)).toContain(DEPLOY);
  // …Up recalls the last command…
  await page.locator('#panel-terminal .xterm-helper-textarea').focus();
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await terminalText(page)).split('\n').pop()).toMatch(new RegExp(`[$#] ${DEPLOY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await page.keyboard.press('Control+U');
  // …and the cluster still has the Deployment.
  let out = await runAndWait(page, 'kubectl get deployment e2e-web');
  expect(out[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
  expect(out[1]).toMatch(/^e2e-web\s+\d\/2\s+\d\s+\d\s+\S+$/);

  await page.getByRole('button', { name: 'Reset lab' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Reset this lab?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Reset lab' }).click();
  await expect(dialog).toBeHidden();
  await terminalReady(page);
  await expect(task).toHaveAttribute('data-done', 'false');
  out = await runAndWait(page, 'kubectl get deployment e2e-web');
  expect(out).toEqual(['Error from server (NotFound): deployments.apps "e2e-web" not found']);
  await page.reload();
  await terminalReady(page);
  await expect(task).toHaveAttribute('data-done', 'false');
});

test('a phone (390 px) has no horizontal scroll and a usable terminal', async ({ browser, guard }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await attachGuard(context, guard);
  const page = await context.newPage();
  for (const path of ['/', url, '/playground/', '/authoring/']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll, `horizontal overflow on ${path}`).toBeLessThanOrEqual(client);
  }
  await page.goto(url);
  await terminalReady(page);
  const box = await page.locator('#panel-terminal').boundingBox();
  expect(box!.width).toBeGreaterThan(340);
  expect(box!.height).toBeGreaterThan(300);
  await page.locator('#panel-terminal').scrollIntoViewIfNeeded();
  await page.locator('#panel-terminal .xterm-screen').tap();
  await page.keyboard.type('kubectl get nodes');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await terminalText(page)).split('\n').some((l) => /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/.test(l))).toBe(true);
  await context.close();
});

test('damaged saved progress is reset with a visible notice, never a crash', async ({ page }) => {
  await page.goto(url);
  await terminalReady(page);
  await page.evaluate((slug) => localStorage.setItem(`netlab:v1:lesson:${slug}`, '{"v":1,"id":'), lesson.slug);
  await page.reload();
  await terminalReady(page);
  await expect(page.getByTestId('storage-notice')).toContainText('could not be restored');
  await page.evaluate((slug) => {
    localStorage.setItem(`netlab:v1:lesson:${slug}`, JSON.stringify({ v: 1, id: slug, writer: 'x', seq: 1, savedAt: 1, snapshot: { version: 999 }, history: [], transcript: '', tasks: {}, hints: {}, solutions: [] }));
    localStorage.setItem('netlab:v0:lesson:old', '{}');
  }, lesson.slug);
  await page.reload();
  await terminalReady(page);
  await expect(page.getByTestId('storage-notice').first()).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('netlab:v0:lesson:old'))).toBeNull();
  const out = await runAndWait(page, 'kubectl get ns default');
  expect(out[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
});

test('two tabs of one lesson do not overwrite each other', async ({ context }) => {
  const a = await context.newPage();
  await a.goto(url);
  await terminalReady(a);
  const b = await context.newPage();
  await b.goto(url);
  await terminalReady(b);
  await runAndWait(a, 'kubectl create namespace from-tab-a');
  // Tab B hears about it and stops saving until the learner chooses.
  await expect(b.getByTestId('conflict-notice')).toBeVisible();
  await runAndWait(b, 'kubectl create namespace from-tab-b');
  const stored = await a.evaluate((slug) => JSON.parse(localStorage.getItem(`netlab:v1:lesson:${slug}`)!).history as string[], lesson.slug);
  expect(stored).toContain('kubectl create namespace from-tab-a');
  expect(stored).not.toContain('kubectl create namespace from-tab-b');
  // B loads A's state: A's namespace is there, B's unsaved one is not.
  await b.getByRole('button', { name: 'Load the other tab’s state' }).click();
  await terminalReady(b);
  const out = await runAndWait(b, 'kubectl get ns from-tab-a from-tab-b');
  expect(out).toContain('Error from server (NotFound): namespaces "from-tab-b" not found');
  expect(out.some((l) => /^from-tab-a\s+Active\s+\S+$/.test(l))).toBe(true);
  await a.close();
  await b.close();
});

test('the editor loads Monaco locally and shares files with the terminal', async ({ page }) => {
  await page.goto(url);
  await terminalReady(page);
  await runAndWait(page, 'kubectl get ns default -o yaml > ns.yaml');
  await page.getByRole('tab', { name: 'Editor' }).click();
  await expect(page.locator('.monaco-editor').first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'ns.yaml' }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('kind: Namespace');
  // Write a manifest in the editor, save, and apply it from the terminal.
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByLabel('New file name').fill('cm.yaml');
  await page.getByLabel('New file name').press('Enter');
  await page.locator('.monaco-editor textarea').first().focus();
  for (const line of ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: from-editor']) {
    await page.keyboard.press('Home');
    await page.keyboard.insertText(line);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Delete');
  }
  await page.keyboard.press('Control+S');
  await expect(page.getByText('Saved cm.yaml')).toBeVisible();
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const out = await runAndWait(page, 'kubectl apply -f cm.yaml');
  expect(out).toEqual(['configmap/from-editor created']);
});

test('the playground switches kube-proxy mode, records a solution and exports the scenario', async ({ page }) => {
  await page.goto('/playground/');
  await terminalReady(page);
  await page.getByText('ipvs', { exact: true }).click();
  await page.getByRole('button', { name: 'Start this cluster' }).click();
  await expect(page.getByText(/kube-proxy ipvs/).first()).toBeVisible();
  await terminalReady(page);
  await page.getByRole('button', { name: 'Record a solution' }).click();
  await runAndWait(page, 'kubectl create namespace recorded');
  await runAndWait(page, 'kubectl get nope');
  await page.getByRole('button', { name: /Stop recording/ }).click();
  await expect(page.getByTestId('export')).toHaveText('solution:\n  commands:\n    - kubectl create namespace recorded\n');
  await page.getByRole('button', { name: 'Export scenario' }).click();
  await expect(page.getByTestId('export')).toContainText('proxyMode: ipvs');
  await expect(page.getByTestId('export')).toContainText('name: recorded');
  await page.getByRole('tab', { name: 'Cluster map' }).click();
  await expect(page.getByTestId('cluster-map')).toContainText('node-1');
});

test('the course map shows progress and continues where the learner left off', async ({ page }) => {
  await page.goto(url);
  await terminalReady(page);
  for (const c of setupCommands) await runAndWait(page, c);
  await page.goto('/');
  await expect(page.getByTestId('continue')).toContainText(lesson.title);
  await expect(page.locator(`[data-lesson="${lesson.slug}"] [data-progress]`)).toHaveAttribute('data-progress', new RegExp(`^[1-9]\\d*/${lesson.taskCount}$`));
  expect(PROMPT.test('learner@workstation:~$ ')).toBe(true);
});

test('first-load JavaScript per route', async ({ page }, info) => {
  const { gzipSync } = await import('node:zlib');
  const report: Record<string, { files: number; raw: number; gzip: number }> = {};
  for (const path of ['/', url, '/playground/', '/authoring/']) {
    const bodies: Buffer[] = [];
    const seen = new Set<string>();
    const onResponse = async (r: import('@playwright/test').Response) => {
      if (r.request().resourceType() !== 'script' || seen.has(r.url())) return;
      seen.add(r.url());
      try {
        bodies.push(await r.body());
      } catch {
        /* navigated away */
      }
    };
    page.on('response', onResponse);
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    report[path] = {
      files: bodies.length,
      raw: bodies.reduce((a, b) => a + b.length, 0),
      gzip: bodies.reduce((a, b) => a + gzipSync(b).length, 0),
    };
  }
  const text = Object.entries(report)
    .map(([p, r]) => `${p.padEnd(40)} ${String(r.files).padStart(3)} files  ${(r.raw / 1024).toFixed(0).padStart(5)} kB raw  ${(r.gzip / 1024).toFixed(0).padStart(4)} kB gzip`)
    .join('\n');
  console.log(`first-load JS (everything fetched before the page is idle, Monaco excluded until the editor opens):\n${text}`);
  info.annotations.push({ type: 'first-load-js', description: text });
  // The lesson page must not pull Monaco until the editor tab opens.
  expect(report[url].raw).toBeLessThan(2_500_000);
});
