/**
 * Feedback a learner can read: a checked answer gets one message, which stays in view (a
 * correct answer no longer jumps away to the next task) and is announced once; a wide
 * diagram shows that it scrolls sideways until the learner reaches its end.
 */
import type { Page } from '@playwright/test';
import { expect, test, runAndWait, terminalReady } from './fixtures';

const LESSON = '/lessons/32-kube-proxy-nftables/';

function task(page: Page, id: string) {
  return page.locator(`[data-testid="task-panel"] [data-task="${id}"]`);
}

/** What a screen reader announces about answers: live regions, status and alert roles that speak of one. */
async function spoken(page: Page): Promise<string[]> {
  const texts = await page
    .locator('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"]')
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
  return texts.filter((s) => /Correct|Not quite|not right/.test(s));
}

test('a checked answer gets one message that stays, announced once', async ({ page }) => {
  await page.goto(LESSON);
  await terminalReady(page);
  await runAndWait(page, 'ssh node-1');
  const map = (await runAndWait(page, 'nft list map ip kube-proxy service-ips')).join('\n');
  const right = map.match(/10\.96\.0\.20 \. tcp \. 80 : goto (service-[^\s,}]+)/)![1];
  const wrong = map.match(/10\.96\.0\.10 \. udp \. 53 : goto (service-[^\s,}]+)/)![1];

  const t = task(page, 'service-ips-lookup');
  const toggle = t.getByRole('button').first();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  // A hint is open, so the grader's own "not yet" reason would show too, as it used to.
  await t.getByRole('button', { name: /Show a hint/ }).click();

  // Wrong: exactly one message, in the task and in the announcer.
  await page.locator('#answer-service-ips-lookup').fill(wrong);
  await t.getByRole('button', { name: 'Check', exact: true }).click();
  const feedback = t.getByTestId('answer-feedback');
  await expect(feedback).toHaveCount(1);
  await expect(feedback).toHaveText(`Not quite — “${wrong}” is not what the live cluster shows. Look again, or take a hint.`);
  await expect(t.getByText('Not yet:')).toHaveCount(0);
  await expect(t.getByText(/not right yet/)).toHaveCount(0);
  await expect.poll(() => spoken(page)).toEqual([`Not quite — “${wrong}” is not what the live cluster shows. Look again, or take a hint.`]);

  // Right: the task stays open with the message, and the announcer says it once.
  await page.locator('#answer-service-ips-lookup').fill(right);
  await t.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(t).toHaveAttribute('data-done', 'true');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(feedback).toHaveText(`Correct — “${right}” matches what the live cluster shows.Next task →`);
  await expect.poll(() => spoken(page)).toEqual([`Correct — “${right}” matches what the live cluster shows.`]);
  // Still there after a reader's pause.
  await page.waitForTimeout(2500);
  await expect(feedback).toBeVisible();
  expect((await spoken(page)).join(' ').match(/Correct/g)).toHaveLength(1);

  // "Next task" moves on when the learner says so, and takes the focus along.
  await feedback.getByRole('button', { name: 'Next task' }).click();
  const next = task(page, 'endpoint-chain');
  await expect(next.getByRole('button').first()).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('#answer-endpoint-chain')).toBeFocused();
  await expect(t.getByTestId('answer-feedback')).toHaveCount(0);
});

test('a cut-off diagram shows it scrolls, until scrolled to its end', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(LESSON);
  const diagram = page.locator('[data-diagram]').first();
  await diagram.scrollIntoViewIfNeeded();
  const box = page.locator('[data-scroll-more]').filter({ has: diagram });
  expect(await diagram.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await expect(box).toHaveAttribute('data-scroll-more', 'right');
  await expect(box.getByTestId('scroll-hint')).toBeVisible();

  // The keyboard scrolls it (it is focusable), and the left edge then shows more too.
  await diagram.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => diagram.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await expect(box).toHaveAttribute('data-scroll-more', 'both');

  await diagram.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect(box).toHaveAttribute('data-scroll-more', 'left');
  await expect(box.getByTestId('scroll-hint')).toHaveCount(0);
});

test('a diagram that fits shows no scroll hint', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(LESSON);
  for (const d of await page.locator('[data-diagram]').all()) {
    const fits = await d.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    const box = page.locator('[data-scroll-more]').filter({ has: d });
    if (fits) await expect(box).toHaveAttribute('data-scroll-more', 'none');
  }
});
