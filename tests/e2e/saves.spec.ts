/**
 * Saves that cannot hurt, end to end: a lesson whose save is damaged, oversized, from a
 * newer version of Netlab, or whose last restore never finished opens as a working lab
 * with a notice — and the save is kept (downloadable) or left alone, never silently lost.
 */
import type { Page } from '@playwright/test';
import { listLessons } from '../../lib/lessons';
import { test, expect, runAndWait, terminalReady } from './fixtures';

const lesson = listLessons()[0];
const url = `/lessons/${lesson.slug}/`;
const RECORD = `netlab:v1:lesson:${lesson.slug}`;
const KEPT = `netlab:v1:kept:${lesson.slug}`;

interface Snapshot {
  version: number;
  objects: { kind: string; metadata: { name: string; namespace?: string; uid?: string }; data?: Record<string, string> }[];
}

const getItem = (page: Page, key: string) => page.evaluate((k) => localStorage.getItem(k), key);
const setItem = (page: Page, key: string, value: string) => page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, value] as const);

/** Opens the lesson, makes a save with a Deployment in it, and returns the stored record. */
async function labWithSave(page: Page): Promise<string> {
  await page.goto(url);
  await terminalReady(page);
  await runAndWait(page, 'kubectl create deployment saved-web --image=nginx:1.27');
  await expect.poll(async () => (await getItem(page, RECORD)) ?? '').toContain('saved-web');
  return (await getItem(page, RECORD))!;
}

function editSnapshot(raw: string, edit: (s: Snapshot) => void): string {
  const rec = JSON.parse(raw) as { snapshot: Snapshot };
  edit(rec.snapshot);
  return JSON.stringify(rec);
}

async function reload(page: Page) {
  await page.reload();
  await terminalReady(page);
}

test('a damaged save: the lab opens on its scenario, the save is kept for download until deleted', async ({ page }) => {
  await page.goto(url);
  await terminalReady(page);
  const damaged = '{"v":1,"id":"' + lesson.slug + '","snapshot":{';
  await setItem(page, RECORD, damaged);
  await reload(page);
  const notice = page.getByTestId('held-save-notice');
  await expect(notice).toContainText('could not be restored: the saved data was damaged (not valid JSON). The lab starts from the beginning; the old save is kept');
  const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button', { name: /Download the save/ }).click()]);
  expect(download.suggestedFilename()).toBe(`netlab-${lesson.slug}-save.json`);
  const { readFile } = await import('node:fs/promises');
  expect(await readFile((await download.path())!, 'utf8')).toBe(damaged);
  // A working lab, saving again; the damaged save waits beside it.
  expect(await runAndWait(page, 'kubectl get ns default')).toEqual([expect.stringMatching(/^NAME\s+STATUS\s+AGE$/), expect.stringMatching(/^default\s+Active\s+\S+$/)]);
  await expect.poll(async () => (await getItem(page, RECORD)) ?? '').toContain('kubectl get ns default');
  expect(await getItem(page, KEPT)).toMatch(new RegExp(`\\n${damaged.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await reload(page);
  await expect(notice).toContainText('An earlier save of this lab could not be restored');
  await notice.getByRole('button', { name: 'Delete it' }).click();
  await expect(notice).toBeHidden();
  expect(await getItem(page, KEPT)).toBeNull();
});

test('an oversized save is restored with a notice, is not written over while too big, and saving resumes when it shrinks', async ({ page }) => {
  const raw = await labWithSave(page);
  const big = editSnapshot(raw, (s) => {
    const cm = s.objects.find((o) => o.kind === 'ConfigMap')!;
    s.objects.push({ ...structuredClone(cm), metadata: { ...cm.metadata, name: 'big', namespace: 'default', uid: 'e2e-big' }, data: { blob: 'x'.repeat(1_200_000) } });
  });
  await setItem(page, RECORD, big);
  await reload(page);
  // Said at once on load, then (same notice) again by the first save the lab skips.
  await expect(page.getByTestId('storage-notice').filter({ hasText: /^(Your saved lab is|Not saved: this lab is now) 1\.\d MB, more than the 1 MB one lab may keep in this browser/ })).toBeVisible();
  expect((await runAndWait(page, 'kubectl get configmap big'))[1]).toMatch(/^big\s+1\s+\S+$/);
  expect((await runAndWait(page, 'kubectl get deployment saved-web'))[1]).toMatch(/^saved-web\s/);
  await expect(page.getByTestId('storage-notice').filter({ hasText: /^Not saved: this lab is now 1\.\d MB, more than the 1 MB one lab may keep in this browser, so your last save that fit is kept\./ })).toBeVisible();
  expect(await getItem(page, RECORD)).toBe(big);
  await runAndWait(page, 'kubectl delete configmap big');
  await expect(page.getByTestId('storage-notice').filter({ hasText: /1\.\d MB/ })).toHaveCount(0);
  const saved = (await getItem(page, RECORD))!;
  expect(saved.length).toBeLessThan(1_000_000);
  expect(saved).toContain('kubectl delete configmap big');
});

test('a save from a newer version is left untouched and not overwritten; the learner may download it or save over it', async ({ page }) => {
  const raw = await labWithSave(page);
  const newer = editSnapshot(raw, (s) => {
    s.version = 999;
  });
  await setItem(page, RECORD, newer);
  await setItem(page, `netlab:v2:lesson:${lesson.slug}`, '{"from":"a newer build"}');
  await reload(page);
  const notice = page.getByTestId('held-save-notice');
  await expect(notice).toHaveAttribute('data-kind', 'newer');
  await expect(notice).toContainText('its cluster was saved by a newer simulator (v999). This version leaves it untouched and won’t save over it');
  await expect(page.getByTestId('storage-notice').filter({ hasText: 'A newer version of Netlab has also saved progress for this lab' })).toBeVisible();
  expect(await runAndWait(page, 'kubectl get deployment saved-web')).toEqual(['Error from server (NotFound): deployments.apps "saved-web" not found']);
  await runAndWait(page, 'kubectl create namespace here');
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  expect(await getItem(page, RECORD)).toBe(newer);
  expect(await getItem(page, `netlab:v2:lesson:${lesson.slug}`)).toBe('{"from":"a newer build"}');
  const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button', { name: /Download the save/ }).click()]);
  const { readFile } = await import('node:fs/promises');
  expect(await readFile((await download.path())!, 'utf8')).toBe(newer);
  await notice.getByRole('button', { name: 'Save this lab over it' }).click();
  await expect(notice).toBeHidden();
  const saved = JSON.parse((await getItem(page, RECORD))!) as { history: string[]; snapshot: Snapshot };
  expect(saved.snapshot.version).toBe(1);
  expect(saved.history).toContain('kubectl create namespace here');
});

test('a restore that never finished (the tab hung or crashed) is not tried again: the lab opens on its scenario', async ({ page }) => {
  const raw = await labWithSave(page);
  await page.evaluate((slug) => localStorage.setItem(`netlab:v1:boot:${slug}`, JSON.stringify({ at: Date.now() - 60_000 })), lesson.slug);
  await reload(page);
  await expect(page.getByTestId('held-save-notice')).toContainText('could not be restored: the lab stopped responding, or the tab crashed, while it was being restored. The lab starts');
  expect(await runAndWait(page, 'kubectl get deployment saved-web')).toEqual(['Error from server (NotFound): deployments.apps "saved-web" not found']);
  expect(await getItem(page, KEPT)).toMatch(/\n\{"v":1,/);
  expect((await getItem(page, KEPT))!.endsWith(raw)).toBe(true);
  expect(await getItem(page, `netlab:v1:boot:${lesson.slug}`)).toBeNull();
});
