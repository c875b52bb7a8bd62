/**
 * The lab as a place to work (issue 14, items 5 and 6): a second terminal on the same
 * cluster, each with its own shell, both saved; a phone that works a task with the
 * extra-keys row, reaches the lab and leaves it in one tap, and reads whole IP addresses.
 */
import type { Page } from '@playwright/test';
import { attachGuard, expect, terminalReady, test, PROMPT } from './fixtures';

const LESSON = '/lessons/10-welcome/';

/** Terminal `n`'s logical lines (wrapped rows joined). */
function lines(page: Page, n: number): Promise<string[]> {
  return page.evaluate((n) => (window.__netlabTerminals?.[n]?.lines() ?? []).map((l) => l.trimEnd()), n);
}

async function typeIn(page: Page, n: number, line: string) {
  await page.locator(`[data-terminal-session="${n}"] .xterm-helper-textarea`).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Waits until terminal `n` shows `text` on some line, and returns its lines. */
async function until(page: Page, n: number, test: (l: string) => boolean): Promise<string[]> {
  try {
    await expect.poll(async () => (await lines(page, n)).some(test), { timeout: 15_000 }).toBe(true);
  } catch (e) {
    throw new Error(`terminal ${n + 1} shows:\n${(await lines(page, n)).slice(-20).join('\n')}\n${(e as Error).message}`);
  }
  return lines(page, n);
}

/** Terminal `n` is at a prompt (nothing running). */
async function atPrompt(page: Page, n: number): Promise<boolean> {
  const l = await lines(page, n);
  const last = l[l.length - 1] ?? '';
  return PROMPT.test(last) && last.replace(PROMPT, '').trim() === '';
}

test('two terminals on one cluster: a watch in one, commands in the other, Ctrl+C apart, both back after a reload', async ({ page }) => {
  await page.goto(LESSON);
  await terminalReady(page);

  // the first terminal watches the Pods
  await typeIn(page, 0, 'kubectl get pods -w');
  await until(page, 0, (l) => /^hello\s+1\/1\s+Running/.test(l));
  expect(await atPrompt(page, 0)).toBe(false);

  // a second terminal: a fresh login on the same cluster
  await page.getByRole('button', { name: 'New terminal on the same cluster' }).click();
  await expect(page.getByRole('tab', { name: 'Terminal 2' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => page.evaluate(() => window.__netlabTerminals?.[1]?.ready === true)).toBe(true);
  await typeIn(page, 1, 'cd /tmp');
  await until(page, 1, (l) => l === 'learner@workstation:/tmp$');
  await typeIn(page, 1, 'kubectl run web --image=nginx');
  await until(page, 1, (l) => l === 'pod/web created');

  // the watch in the first terminal saw it; it still runs
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await until(page, 0, (l) => /^web\s+0\/1\s+(Pending|ContainerCreating)/.test(l));
  expect(await atPrompt(page, 0)).toBe(false);

  // Ctrl+C in the second terminal stops its ping, not the watch
  await page.getByRole('tab', { name: 'Terminal 2' }).click();
  await typeIn(page, 1, "kubectl get pod hello -o jsonpath='{.status.podIP}'; echo");
  const helloIp = (await until(page, 1, (l) => /^10\.244\.\d+\.\d+$/.test(l))).find((l) => /^10\.244\.\d+\.\d+$/.test(l))!;
  // (the workstation is outside the Pod network: a node reaches the Pod)
  await typeIn(page, 1, 'ssh node-1');
  await until(page, 1, (l) => l === 'root@node-1:~#');
  await typeIn(page, 1, `ping ${helloIp}`);
  await until(page, 1, (l) => l.startsWith(`64 bytes from ${helloIp}: icmp_seq=2 `));
  await page.locator('[data-terminal-session="1"] .xterm-helper-textarea').press('Control+C');
  await until(page, 1, (l) => l === `--- ${helloIp} ping statistics ---`);
  await expect.poll(() => atPrompt(page, 1)).toBe(true);
  expect(await atPrompt(page, 0)).toBe(false);
  await typeIn(page, 1, 'exit');
  await until(page, 1, (l) => l === 'Connection to node-1 closed.');
  // the second terminal's history is its own
  await typeIn(page, 1, 'history');
  await until(page, 1, (l) => /^\s+1\s+cd \/tmp$/.test(l));
  expect((await lines(page, 1)).some((l) => /kubectl get pods -w/.test(l))).toBe(false);

  // a reload brings both terminals back, each in its place; the watch ended with the page
  await page.waitForTimeout(400);
  await page.reload();
  await terminalReady(page);
  await expect(page.getByRole('tab', { name: 'Terminal 2' })).toBeVisible();
  await page.getByRole('tab', { name: 'Terminal 2' }).click();
  await expect.poll(() => page.evaluate(() => window.__netlabTerminals?.[1]?.ready === true)).toBe(true);
  const back = await lines(page, 1);
  expect(back).toContain('pod/web created');
  expect(back[back.length - 1]).toBe('learner@workstation:/tmp$');
  await typeIn(page, 1, 'kubectl get pod web -o name');
  await until(page, 1, (l) => l === 'pod/web');
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await expect.poll(() => atPrompt(page, 0)).toBe(true);
  expect((await lines(page, 0)).some((l) => /^web\s+0\/1/.test(l))).toBe(true);

  // closing the second terminal leaves the first
  await page.getByRole('tab', { name: 'Terminal 2' }).click();
  await page.getByRole('button', { name: 'Close Terminal 2' }).click();
  await expect(page.getByRole('tab', { name: 'Terminal 2' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Terminal', exact: true })).toHaveAttribute('aria-selected', 'true');
});

test('a phone completes a task with the extra keys, reaches the lab and leaves it in one tap, and reads whole IPs', async ({ browser, guard }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await attachGuard(context, guard);
  const page = await context.newPage();
  await page.goto(LESSON);
  await terminalReady(page);

  // one tap to the lab
  const jump = page.getByTestId('lab-jump');
  await expect(jump).toHaveText('Lab ↓');
  await expect(jump).toHaveAccessibleName('Go to the lab');
  await jump.tap();
  await expect(jump).toHaveAttribute('data-in-lab', 'true');
  await expect(jump).toHaveText('Text ↑');
  await expect(jump).toHaveAccessibleName('Back to the text');
  const keys = page.getByRole('toolbar', { name: 'Extra keys for the terminal' });
  await expect(keys).toBeVisible();
  await expect(keys.getByRole('button')).toHaveText(['Tab', 'Ctrl-C', 'Esc', '↑', '↓', '←', '→', '|', '-', '/']);

  // the terminal keeps 80 columns and scrolls sideways
  expect(await page.evaluate(() => window.__netlabTerminals?.[0]?.cols())).toBeGreaterThanOrEqual(80);
  await page.locator('#panel-terminal .xterm-screen').tap();
  await page.keyboard.type('kubectl get pods');
  await page.keyboard.press('Enter');
  await until(page, 0, (l) => /^hello\s+1\/1\s+Running/.test(l));

  // ↑ brings the line back; | and Tab (completion) come from the row
  await keys.getByRole('button', { name: 'Up arrow' }).tap();
  await page.keyboard.type(' -o wide ');
  await keys.getByRole('button', { name: 'Pipe |' }).tap();
  await page.keyboard.type(' gre');
  await keys.getByRole('button', { name: 'Tab' }).tap();
  await page.keyboard.type('hello');
  await expect.poll(async () => (await lines(page, 0)).at(-1)).toBe('learner@workstation:~$ kubectl get pods -o wide | grep hello');
  await page.keyboard.press('Enter');
  const out = await until(page, 0, (l) => /^hello\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+node-/.test(l));
  const ip = /\s(10\.244\.\d+\.\d+)\s/.exec(out.find((l) => /^hello\s+1\/1/.test(l) && /10\.244\./.test(l))!)![1];
  await expect(page.locator('#task-panel [data-task="pods-wide"]')).toHaveAttribute('data-done', 'true');
  // the row as drawn holds the whole IP (it is not broken across two screen rows)
  const rows = await page.evaluate(() => window.__netlabTerminals?.[0]?.rows() ?? []);
  expect(rows.some((r) => r.startsWith('hello') && r.includes(` ${ip} `))).toBe(true);

  // Ctrl-C from the row stops a ping
  // (the workstation is outside the Pod network: no echo comes back, ping waits)
  await page.keyboard.type(`ping ${ip}`);
  await page.keyboard.press('Enter');
  await until(page, 0, (l) => l.startsWith(`PING ${ip} (${ip}) 56(84) bytes of data.`));
  await page.waitForTimeout(1500);
  await keys.getByRole('button', { name: 'Ctrl-C' }).tap();
  await until(page, 0, (l) => l === `--- ${ip} ping statistics ---`);
  await expect.poll(() => atPrompt(page, 0)).toBe(true);

  // the task panel folds away, and opens again
  const toggle = page.getByTestId('tasks-toggle');
  await toggle.tap();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#task-list')).toBeHidden();
  await toggle.tap();
  await expect(page.locator('#task-list')).toBeVisible();

  // one tap back to the text, where the reader was
  await jump.tap();
  await expect(jump).toHaveAttribute('data-in-lab', 'false');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeLessThan(50);
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
  await context.close();
});
