/**
 * Steps shared by the specs that complete a lesson in the browser: a task of the task
 * panel and its done flag, a question answered in the panel, a file written with a
 * heredoc typed line by line, and a value picked out of a command's output.
 */
import type { Page } from '@playwright/test';
import { expect, outputOf, PROMPT, run, terminalText } from './fixtures';

export function task(page: Page, id: string) {
  return page.locator(`[data-testid="task-panel"] [data-task="${id}"]`);
}

/** Waits for a task's data-done flag (the checks run after each command, off the main thread). */
export async function expectDone(page: Page, id: string, done = true) {
  await expect(task(page, id)).toHaveAttribute('data-done', done ? 'true' : 'false');
}

/** Opens a question in the task panel, types the answer and presses Check. */
export async function answerInPanel(page: Page, id: string, value: string) {
  const toggle = task(page, id).getByRole('button').first();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator(`#answer-${id}`).fill(value);
  await task(page, id).getByRole('button', { name: 'Check', exact: true }).click();
}

/** The one capture of `re` in a command's output (joined), or a failure that shows the output. */
export function pick(out: string[], re: RegExp, what: string): string {
  const m = out.join('\n').match(re);
  expect(m, `${what} in:\n${out.join('\n')}`).not.toBeNull();
  return m![1];
}

async function promptCount(page: Page): Promise<number> {
  return (await terminalText(page)).split('\n').filter((l) => PROMPT.test(l)).length;
}

/**
 * Types `cat > FILE <<'EOF'`, the file's lines and EOF, one Enter each (the shell shows its
 * `> ` continuation prompt in between), and waits for the prompt to come back.
 */
export async function writeFile(page: Page, file: string, text: string) {
  const lines = text.replace(/\n$/, '').split('\n');
  const n = await promptCount(page);
  await run(page, `cat > ${file} <<'EOF'`);
  for (const l of lines) await run(page, l);
  await run(page, 'EOF');
  await expect
    .poll(async () => {
      const t = (await terminalText(page)).split('\n');
      const last = t[t.length - 1] ?? '';
      return (await promptCount(page)) > n && PROMPT.test(last) && last.replace(PROMPT, '').trim() === '';
    })
    .toBe(true);
  // the heredoc's lines came back as `> ` continuation lines, and cat printed nothing
  expect(await outputOf(page, `cat > ${file} <<'EOF'`)).toEqual([...lines, 'EOF'].map((l) => `> ${l}`.trimEnd()));
}
