/**
 * The Content-Security-Policy (scripts/csp.mjs) on every page of the site: in the page as
 * a <meta> and, from scripts/start.mjs, as a header; no 'unsafe-inline' or 'unsafe-eval'
 * for scripts; and it is enforced — an injected inline script and a string timer are
 * refused. Every other test fails on any violation too (fixtures.ts).
 */
import { listLessons } from '../../lib/lessons';
import { test, expect, terminalReady } from './fixtures';

const pages = ['/', ...listLessons().map((l) => `/lessons/${l.slug}/`), '/playground/', '/authoring/'];

test('every page carries the policy, as a meta tag and as a header, and loads without a violation', async ({ page, guard }) => {
  for (const path of [...pages, '/no-such-page/']) {
    const res = await page.goto(path);
    expect(res!.status(), path).toBe(path === '/no-such-page/' ? 404 : 200);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta, path).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')+; default-src 'self'; /);
    expect(meta).not.toContain('unsafe-eval');
    expect(meta!.split('; ')[0]).not.toContain('unsafe-inline');
    expect(res!.headers()['content-security-policy'], path).toBe(`${meta}; frame-ancestors 'none'`);
    // The policy comes before anything it governs.
    expect(await page.evaluate(() => document.head.firstElementChild?.nextElementSibling?.getAttribute('http-equiv'))).toBe('Content-Security-Policy');
    if (path.startsWith('/lessons/')) await terminalReady(page);
    await page.waitForLoadState('networkidle');
  }
  // The browser logs the 404 itself; that one is expected.
  const notFound = guard.errors.filter((e) => /no-such-page\/: Failed to load resource: the server responded with a status of 404/.test(e));
  expect(notFound).toHaveLength(1);
  guard.errors.splice(guard.errors.indexOf(notFound[0]), 1);
});

test('the policy is enforced: an injected inline script and a string timer do not run', async ({ page, guard }) => {
  await page.goto(pages[1]);
  await terminalReady(page);
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { injected?: boolean; timer?: boolean };
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.head.append(s);
    setTimeout('window.timer = true' as unknown as () => void, 0);
    await new Promise((r) => setTimeout(r, 50));
    return { injected: w.injected === true, timer: w.timer === true };
  });
  expect(ran).toEqual({ injected: false, timer: false });
  // Each refused by both copies of the policy: the header and the meta tag.
  await expect.poll(() => guard.csp.length).toBe(4);
  expect(guard.csp.map((v) => v.replace(/^\S+: /, '').replace(/ blocked .*$/, '')).sort()).toEqual([
    'header: script-src',
    'header: script-src-elem',
    'meta: script-src',
    'meta: script-src-elem',
  ]);
  // Chromium also logs each refusal as a console error; both were expected here.
  guard.csp.length = 0;
  guard.errors.splice(0, guard.errors.length, ...guard.errors.filter((e) => !/Content Security Policy/.test(e)));
});
