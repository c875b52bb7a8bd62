/**
 * The authoring studio (/authoring/studio): pick a course lesson, break tasks.yaml and see
 * the lesson checker's error at its line (in the problems list and highlighted in Monaco),
 * edit index.mdx and see the preview follow, replay an unedited lesson's solutions, keep a
 * draft across a reload, export the folder as a .zip and import it back, and type a
 * preview's Try command into the lab on the edited scenario.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, terminalReady, terminalText, test } from './fixtures';

const LESSON = '12-containers-in-a-pod';
const summary = (page: Page) => page.getByTestId('studio-summary');

/** Clicks the end of the editor line showing `text` (Monaco only renders the lines in view). */
async function clickLineEnd(page: Page, text: string) {
  await page.locator('#studio-editor .view-line', { hasText: text }).first().click();
  await page.keyboard.press('End');
}

async function openLesson(page: Page) {
  await page.goto('/authoring/studio/');
  // a first visit starts from the lesson:new template, which passes the checker
  await expect(summary(page)).toHaveText('No problems: the lesson checker passes (3 tasks, every solution replayed)', { timeout: 60_000 });
  await page.getByLabel('Start from').selectOption(`lesson:${LESSON}`);
  await expect(page.getByTestId('studio-preview').getByRole('heading', { level: 2 }).first()).toHaveText('Containers in one Pod');
  await expect(page.locator('#studio-editor .view-line', { hasText: 'title: Containers in one Pod' })).toBeVisible();
}

test.describe('the authoring studio', () => {
  test.describe.configure({ timeout: 120_000 });

  test('replays an unedited lesson: every task done by its own solution', async ({ page }) => {
    await openLesson(page);
    await page.getByRole('button', { name: 'Run replay' }).click();
    await expect(page.getByRole('tab', { name: 'Replay' })).toHaveAttribute('aria-selected', 'true');
    const replay = page.getByTestId('studio-replay-summary');
    await expect(replay).toHaveText(/^Replay passed: 5 of 5 tasks done by their own solution, replayed in order on a fresh cluster \(\d+ ms\)/, { timeout: 60_000 });
    await expect(page.locator('[data-replay-task][data-ok="true"]')).toHaveCount(5);
    await expect(summary(page)).toHaveText('No problems: the lesson checker passes (5 tasks, every solution replayed)');
    // the first solution command and what the simulated cluster printed for it
    const first = page.locator('[data-replay-task="sidecar-address"] details').first();
    await first.locator('summary').click();
    await expect(first.locator('summary')).toHaveText('$ kubectl exec duo -c tools -- ip -br addr');
    await expect(first.locator('pre')).toContainText(/^lo\s+UNKNOWN\s+127\.0\.0\.1\/8/);
  });

  test('shows a checker error at its line in tasks.yaml, and the preview follows index.mdx', async ({ page }) => {
    await openLesson(page);
    await expect(summary(page)).toHaveText(/^No problems/, { timeout: 60_000 });

    await page.getByRole('tab', { name: /^tasks\.yaml/ }).click();
    await clickLineEnd(page, 'kind: question');
    await page.keyboard.type('x');
    const problems = page.getByTestId('studio-problems').getByRole('listitem');
    await expect(problems.first()).toHaveText('tasks.yaml:4 tasks[0].kind: `kind` must be `do` or `question`', { timeout: 30_000 });
    await expect(page.getByRole('tab', { name: /^tasks\.yaml/ })).toContainText('2');
    // the line is highlighted in the editor: the decoration sits on the edited line
    const edited = await page.locator('#studio-editor .view-line', { hasText: 'kind: questionx' }).first().boundingBox();
    const marks = await page.locator('#studio-editor .studio-error-line').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(marks.some((top) => Math.abs(top - edited!.y) < 2)).toBe(true);
    // undo: the problems go
    await page.keyboard.press('Backspace');
    await expect(summary(page)).toHaveText(/^No problems/, { timeout: 60_000 });

    // a click on a problem goes to its line
    await page.getByRole('tab', { name: 'index.mdx' }).click();
    await clickLineEnd(page, 'title: Containers in one Pod');
    await page.keyboard.type(', previewed');
    await expect(page.getByTestId('studio-preview').getByRole('heading', { level: 2 }).first()).toHaveText('Containers in one Pod, previewed');
    // a component the course does not have is shown as such
    await clickLineEnd(page, 'title: Containers in one Pod');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\n<Quiz />\n');
    await expect(page.getByTestId('studio-preview').locator('[data-preview-problem]')).toContainText('Unknown component <Quiz>');
    await expect(page.getByTestId('studio-problems')).toContainText('unknown component <Quiz>', { timeout: 30_000 });
  });

  test('keeps a draft across a reload, exports a .zip and imports it back', async ({ page }) => {
    await openLesson(page);
    await clickLineEnd(page, 'title: Containers in one Pod');
    await page.keyboard.type(' (draft)');
    await expect(page.getByText('Draft saved in this browser')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('studio-preview').getByRole('heading', { level: 2 }).first()).toHaveText('Containers in one Pod (draft)');
    await expect(page.getByRole('status').filter({ hasText: `Your draft of ${LESSON} is back` })).toBeVisible();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export .zip' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${LESSON}.zip`);
    const zip = readFileSync(await file.path());
    expect([...zip.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);

    await page.getByRole('button', { name: 'Discard draft' }).click();
    await expect(page.getByTestId('studio-preview').getByRole('heading', { level: 2 }).first()).toHaveText('Containers in one Pod');

    await page.getByLabel('Import a lesson .zip').setInputFiles({ name: `${LESSON}.zip`, mimeType: 'application/zip', buffer: zip });
    await expect(page.getByRole('status').filter({ hasText: `Imported ${LESSON}.zip as ${LESSON}` })).toBeVisible();
    await expect(page.getByTestId('studio-preview').getByRole('heading', { level: 2 }).first()).toHaveText('Containers in one Pod (draft)');
    await expect(summary(page)).toHaveText(/^No problems/, { timeout: 60_000 });

    await page.getByLabel('Import a lesson .zip').setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
    await expect(page.getByRole('alert').filter({ hasText: 'notes.zip' })).toHaveText(/^notes\.zip: not a \.zip file/);
  });

  test('a Try button in the preview types into a lab on the edited scenario', async ({ page }) => {
    await openLesson(page);
    await page.getByTestId('studio-preview').getByRole('button', { name: /^Try it: type into the terminal kubectl get pods duo/ }).first().click();
    await expect(page.getByRole('tab', { name: 'Lab' })).toHaveAttribute('aria-selected', 'true');
    await terminalReady(page);
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(/\$ kubectl get pods/);
  });
});
