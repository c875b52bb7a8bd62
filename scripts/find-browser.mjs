// Which Chromium the end-to-end suite drives. Order: PLAYWRIGHT_CHROMIUM_PATH, the
// system's Chromium (Debian's /usr/bin/chromium, then other common names on PATH),
// Playwright's own download. `ensureChromium()` (npm test) may also install one: Debian's
// package through apt when we are root (or have password-less sudo), else Playwright's own
// download when its CDN is reachable. When nothing works it says in one line what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createRequire } from 'node:module';

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function playwrightsOwn() {
  try {
    const require = createRequire(import.meta.url);
    const path = require('playwright-core').chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** The browser to launch, or null when this machine has none. */
export function findChromium() {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of SYSTEM_NAMES) {
    const p = onPath(name);
    if (p) return p;
  }
  return playwrightsOwn();
}

function attempt(label, cmd, args, timeoutMs) {
  process.stdout.write(`no Chromium found: trying ${label}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

/**
 * Finds a browser or installs one. Returns `{ path }` or `{ error }` (one line saying what
 * to install), never throws.
 */
export function ensureChromium() {
  const found = findChromium();
  if (found) return { path: found };
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) return { error: `PLAYWRIGHT_CHROMIUM_PATH=${process.env.PLAYWRIGHT_CHROMIUM_PATH} does not exist` };
  const apt = onPath('apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !root && onPath('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (apt && (root || sudo)) {
    const pre = root ? [] : ['-n'];
    const run = (args) => (root ? attempt("Debian's chromium (apt-get)", 'apt-get', args, 600_000) : attempt("Debian's chromium (sudo apt-get)", 'sudo', [...pre, 'apt-get', ...args], 600_000));
    if (run(['update', '-qq']) && run(['install', '-y', '-qq', 'chromium'])) {
      const p = findChromium();
      if (p) return { path: p };
    }
  }
  const cli = 'node_modules/@playwright/test/cli.js';
  if (existsSync(cli) && attempt("Playwright's own Chromium (playwright install chromium)", process.execPath, [cli, 'install', 'chromium'], 300_000)) {
    const p = playwrightsOwn();
    if (p) return { path: p };
  }
  return { error: 'no Chromium for the end-to-end suite: install one (`sudo apt-get install chromium` on Debian, or `npx playwright install chromium`) or set PLAYWRIGHT_CHROMIUM_PATH' };
}
