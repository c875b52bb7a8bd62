/**
 * A command that runs away (a loop the engine's per-line budget would only stop after many
 * seconds) runs in the engine's Web Worker, not on the page's thread: the page keeps
 * painting and answering while it runs; Ctrl+C — or, left alone, the watchdog — stops it
 * by replacing the worker, the cluster comes back as it was after the last command that
 * ended, and the terminal says so in one plain line (lib/engine-worker/client.ts).
 *
 * The loop: the engine's own per-line budget (engine/shell/budget.ts) would stop it after
 * ~3,300 rounds of kubectl, a second or two; the tests raise that budget a hundredfold
 * (`__netlabLineSteps`, read by the page's engine client) so the loop is a runaway on any
 * machine, and check it is still running before they stop it.
 */
import { test, expect, run, runAndWait, terminalReady, terminalText, PROMPT } from './fixtures';

const RUNAWAY = 'kubectl create namespace during-runaway; while true; do kubectl get pods >/dev/null 2>&1; done';
const STOPPED = 'netlab: the simulator stopped that command and put the cluster back as it was before it';
const WATCHDOG = 'netlab: that command did not answer for 2 s, so the simulator stopped it and put the cluster back as it was before it';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { __netlabLineSteps: number }).__netlabLineSteps = 100_000_000;
  });
});

/** How long the page takes to run a task and paint a frame (ms): the main thread is free if this is small. */
async function frameLatency(page: import('@playwright/test').Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      }),
  );
}

test('Ctrl+C stops a runaway command, the cluster is as it was before it, and the terminal keeps working', async ({ page }) => {
  await page.goto('/playground/');
  await terminalReady(page);
  expect(await runAndWait(page, 'kubectl create namespace before-runaway')).toEqual(['namespace/before-runaway created']);

  await run(page, RUNAWAY);
  // the namespace is created, then the loop starts: the worker is busy, the page is not
  await expect.poll(async () => (await terminalText(page)).includes('namespace/during-runaway created')).toBe(true);
  await page.waitForTimeout(1_500);
  const lines = (await terminalText(page)).split('\n');
  expect(lines[lines.length - 1], 'the loop is still running (no prompt yet)').toBe('namespace/during-runaway created');
  expect(PROMPT.test(lines[lines.length - 1])).toBe(false);
  const latency = await frameLatency(page);
  console.log(`while the loop runs, the page paints a frame within ${latency.toFixed(0)} ms`);
  expect(latency).toBeLessThan(500);

  await page.locator('#panel-terminal .xterm-helper-textarea').press('Control+C');
  await expect.poll(async () => (await terminalText(page)).includes(STOPPED), { timeout: 5_000 }).toBe(true);
  const text = (await terminalText(page)).split('\n');
  const at = text.indexOf(STOPPED);
  // the ^C echo, one plain line, then the prompt
  expect(text.slice(at - 3, at + 1)).toEqual([`learner@workstation:~$ ${RUNAWAY}`, 'namespace/during-runaway created', '^C', STOPPED]);
  expect(text[at + 1]).toMatch(PROMPT);
  await page.screenshot({ path: '.tmp/runaway-ctrl-c.png', clip: { x: 0, y: 0, width: 1440, height: 900 } });

  // the terminal keeps working, on the cluster as it was before the loop
  const ns = await runAndWait(page, 'kubectl get namespaces before-runaway during-runaway');
  expect(ns).toEqual(['NAME             STATUS   AGE', expect.stringMatching(/^before-runaway   Active   \d+s$/), 'Error from server (NotFound): namespaces "during-runaway" not found']);
  // ↑ brings the loop back to edit, as after any command
  expect(await runAndWait(page, 'echo still here')).toEqual(['still here']);
});

test('left alone, a runaway command is stopped by the watchdog', async ({ page }) => {
  test.setTimeout(90_000);
  // A 2 s watchdog, so the test need not wait the default 5 s.
  await page.addInitScript(() => {
    (window as unknown as { __netlabWatchdogMs: number }).__netlabWatchdogMs = 2000;
  });
  await page.goto('/playground/');
  await terminalReady(page);
  await run(page, 'while true; do kubectl get pods >/dev/null 2>&1; done');
  await page.waitForTimeout(2_000);
  expect(await frameLatency(page)).toBeLessThan(500);
  await expect.poll(async () => (await terminalText(page)).includes(WATCHDOG), { timeout: 15_000 }).toBe(true);
  const text = (await terminalText(page)).split('\n');
  const at = text.indexOf(WATCHDOG);
  expect(text[at - 1]).toBe('learner@workstation:~$ while true; do kubectl get pods >/dev/null 2>&1; done');
  expect(await runAndWait(page, 'kubectl get ns default')).toEqual(['NAME      STATUS   AGE', expect.stringMatching(/^default   Active   \d+d\d*h?$/)]);
});

test('2,000 pasted lines all run, and the terminal answers afterwards', async ({ page }) => {
  await page.goto('/playground/');
  await terminalReady(page);
  const text = Array.from({ length: 2000 }, (_, i) => `echo line ${i}`).join('\n') + '\n';
  const t0 = Date.now();
  // a real paste event, as a browser delivers Ctrl+V to the terminal
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.querySelector('#panel-terminal .xterm-helper-textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
  await expect.poll(async () => (await terminalText(page)).includes('\nline 1999\n'), { timeout: 45_000 }).toBe(true);
  console.log(`2,000 pasted lines ran in ${Date.now() - t0} ms`);
  expect(await runAndWait(page, 'history | tail -2')).toEqual([expect.stringMatching(/^ *\d+  echo line 1999$/), expect.stringMatching(/^ *\d+  history \| tail -2$/)]);
});
