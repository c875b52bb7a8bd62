/**
 * Accessibility basics a lesson page keeps (issue 14, item 7): one <main> landmark, the
 * terminal does not take focus on load, "Try it" and the code-block buttons carry their
 * visible label in their accessible name, and every prose code block is keyboard-scrollable.
 */
import { expect, terminalReady, test } from './fixtures';

test('a lesson page: main landmark, no focus stolen on load, labelled buttons, focusable code blocks', async ({ page }) => {
  await page.goto('/lessons/40-network-policies/');
  await terminalReady(page);
  await expect(page.getByRole('main')).toHaveCount(1);
  // The terminal waits to be chosen: the keys still scroll the lesson.
  expect(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea') ?? false)).toBe(false);

  const tries = page.locator('[data-try] button', { hasText: 'Try it' });
  expect(await tries.count()).toBeGreaterThan(3);
  await expect(tries.first()).toHaveAccessibleName(/^Try it: type into the terminal kubectl /);
  await expect(page.getByRole('button', { name: 'Open in editor: default-deny.yaml' })).toHaveText('Open in editor');

  const blocks = page.locator('[data-code-block] pre');
  await expect(blocks).toHaveCount(2);
  for (const b of await blocks.all()) await expect(b).toHaveAttribute('tabindex', '0');

  // Try it still puts the keys in the terminal.
  await tries.first().click();
  // the terminal takes focus once the command is typed in (after the click's own handlers)
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea') ?? false)).toBe(true);
});

test('the playground has one main landmark and leaves focus alone on load', async ({ page }) => {
  await page.goto('/playground/');
  await terminalReady(page);
  await expect(page.getByRole('main')).toHaveCount(1);
  expect(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea') ?? false)).toBe(false);
});
