#!/usr/bin/env node
// `npm test`: every suite in turn — the type check (tsc --noEmit) and ESLint (no warnings
// allowed), engine unit and golden tests (Vitest), the lesson checker, then the end-to-end
// suite in real Chromium against the production build.
// Ends with one line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { ensureChromium } from './find-browser.mjs';

const node = process.execPath;
let passed = 0;
let failed = 0;
mkdirSync('.tmp', { recursive: true });

function run(label, args, env = {}) {
  process.stdout.write(`\n== ${label}\n`);
  const r = spawnSync(node, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// 1. The type check and the linter: one check each.
for (const [label, args] of [
  ['type check (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '--noEmit']],
  ['lint (eslint, no warnings allowed)', ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings=0']],
]) {
  if (run(label, args) === 0) passed += 1;
  else failed += 1;
}

// 2. Vitest: unit, golden and lesson-checker tests
rmSync('.tmp/vitest.json', { force: true });
const vitestCode = run('unit and golden tests (vitest)', ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.tmp/vitest.json']);
if (existsSync('.tmp/vitest.json')) {
  const j = JSON.parse(readFileSync('.tmp/vitest.json', 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  // A file that failed without any failing test (an import or syntax error) counts once.
  for (const f of j.testResults ?? []) {
    if (f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')) failed += 1;
  }
} else if (vitestCode !== 0) failed += 1;

// 3. The lesson checker
if (existsSync('scripts/lessons-check.ts')) {
  const code = run('lesson checker', ['node_modules/tsx/dist/cli.mjs', 'scripts/lessons-check.ts']);
  if (code === 0) passed += 1;
  else failed += 1;
}

// 4. The production build (a static export in out/), then end-to-end in Chromium against
//    it: Playwright's webServer serves out/ with scripts/start.mjs.
if (existsSync('playwright.config.ts') && process.env.SKIP_E2E !== '1') {
  // The browser first, so a machine without one hears it at once (one line), not as a
  // dozen failing tests after the build.
  process.stdout.write('\n== browser for the end-to-end suite\n');
  const browser = ensureChromium();
  if (browser.path) console.log(browser.path);
  // scripts/build.mjs: next build and the Content-Security-Policy (the checker ran above).
  const buildCode = run('production build (scripts/build.mjs)', ['scripts/build.mjs', '--skip-lessons-check'], { NEXT_TELEMETRY_DISABLED: '1' });
  if (buildCode === 0 && browser.error) {
    passed += 1;
    failed += 1;
    console.log(browser.error);
  } else if (buildCode === 0) {
    passed += 1;
    rmSync('.tmp/playwright.json', { force: true });
    const code = run('end-to-end (playwright, chromium)', ['node_modules/@playwright/test/cli.js', 'test'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: '.tmp/playwright.json',
      PLAYWRIGHT_CHROMIUM_PATH: browser.path,
      NETLAB_SKIP_BUILD: '1',
    });
    if (existsSync('.tmp/playwright.json')) {
      const j = JSON.parse(readFileSync('.tmp/playwright.json', 'utf8'));
      passed += j.stats.expected + (j.stats.flaky ?? 0);
      failed += j.stats.unexpected;
      if (code !== 0 && j.stats.unexpected === 0) failed += 1;
      if (j.stats.flaky) console.log(`end-to-end: ${j.stats.flaky} test(s) passed only on retry (flaky): ${flakyTitles(j).join('; ')}`);
    } else if (code !== 0) failed += 1;
  } else {
    failed += 1;
    console.log('the build failed: skipping the end-to-end suite');
  }
}

console.log(`\n${passed} passed, ${failed} failed`);

/** The titles of the tests Playwright's JSON report marks flaky. */
function flakyTitles(report) {
  const out = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) if (t.status === 'flaky') out.push(`${spec.file}:${spec.line} ${spec.title}`);
    for (const s of suite.suites ?? []) walk(s);
  };
  for (const s of report.suites ?? []) walk(s);
  return out;
}
process.exit(failed > 0 ? 1 : 0);
