/**
 * Shared e2e fixtures: every test fails if the page requests anything outside localhost,
 * logs a console error or trips the Content-Security-Policy (a `securitypolicyviolation`
 * on any page), and helpers to type into and read from the terminal.
 */
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

export interface Guard {
  external: string[];
  errors: string[];
  /** Content-Security-Policy violations: `page: header|meta: directive blocked URI (source:line)`. */
  csp: string[];
}

export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ context }, use) => {
      const g: Guard = { external: [], errors: [], csp: [] };
      await attachGuard(context, g);
      await use(g);
      expect(g.external, 'requests that left localhost').toEqual([]);
      expect(g.csp, 'Content-Security-Policy violations').toEqual([]);
      expect(g.errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

/** Blocks and records any request that leaves localhost; records console errors and CSP violations. */
export async function attachGuard(context: BrowserContext, g: Guard) {
  await context.exposeBinding('__netlabCspViolation', ({ page }, v: string) => {
    g.csp.push(`${page.url()}: ${v}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __netlabCspViolation?: (v: string) => void }).__netlabCspViolation;
      const from = e.originalPolicy.includes('frame-ancestors') ? 'header' : 'meta';
      report?.(`${from}: ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} (${e.sourceFile || 'page'}:${e.lineNumber})${e.sample ? ` “${e.sample}”` : ''}`);
    });
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:';
    if (local) return route.continue();
    g.external.push(url.href);
    return route.abort('blockedbyclient');
  });
  context.on('page', (p) => watch(p, g));
  for (const p of context.pages()) watch(p, g);
}

function watch(page: Page, g: Guard) {
  page.on('console', (m) => {
    if (m.type() === 'error') g.errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => g.errors.push(`${page.url()}: ${e.message}`));
}

export { expect };

/** Waits until the terminal accepts input. */
export async function terminalReady(page: Page) {
  await page.waitForFunction(() => window.__netlabTerminal?.ready === true);
}

export async function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => window.__netlabTerminal?.text() ?? '');
}

/** Focuses the terminal and types a command line, then Enter. */
export async function run(page: Page, line: string) {
  await page.locator('#panel-terminal .xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** A line that starts with a shell prompt: `learner@workstation:~$`, `root@node-1:~#`, `/ #`. */
export const PROMPT = /^(\S+@\S+:[^$#]*[$#]|\/ #)( |$)/;

async function promptCount(page: Page): Promise<number> {
  return (await terminalText(page)).split('\n').filter((l) => PROMPT.test(l)).length;
}

/** The output of the last run of `line`: the lines after its prompt line, up to the next prompt. */
export async function outputOf(page: Page, line: string): Promise<string[]> {
  const lines = (await terminalText(page)).split('\n');
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (PROMPT.test(lines[i]) && lines[i].endsWith(line)) {
      start = i;
      break;
    }
  }
  if (start < 0) return [];
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && !PROMPT.test(lines[i]); i++) out.push(lines[i]);
  return out;
}

/** Runs a command, waits until a fresh prompt is back, and returns the command's output lines. */
export async function runAndWait(page: Page, line: string): Promise<string[]> {
  const n = await promptCount(page);
  await run(page, line);
  try {
    await expect
      .poll(async () => {
        const t = (await terminalText(page)).split('\n');
        const last = t[t.length - 1] ?? '';
        return (await promptCount(page)) > n && PROMPT.test(last) && last.replace(PROMPT, '').trim() === '';
      })
      .toBe(true);
  } catch (e) {
    throw new Error(`no prompt came back after \`${line}\`; the terminal shows:\n${(await terminalText(page)).split('\n').slice(-25).join('\n')}\n${(e as Error).message}`);
  }
  return outputOf(page, line);
}
