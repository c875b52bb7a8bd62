#!/usr/bin/env node
// `npm run build`: the lesson checker (a lesson it rejects fails the build), then
// `next build` (the static export in out/), then the Content-Security-Policy stamped into
// every page (scripts/csp.mjs).
//
//   node scripts/build.mjs [--skip-lessons-check]
// (npm test runs the checker as its own step first, and passes the flag.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stampSite } from './csp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipCheck = process.argv.includes('--skip-lessons-check');

function step(label, args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) {
    console.error(`build: ${label} failed${label === 'the lesson checker' ? ' — fix the lessons above (npm run lessons:check), then build again' : ''}`);
    process.exit(r.status ?? 1);
  }
}

if (!skipCheck) step('the lesson checker', [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/lessons-check.ts')]);
step('next build', [path.join(root, 'node_modules/next/dist/bin/next'), 'build']);
const n = stampSite(path.join(root, 'out'));
console.log(`build: ${n} pages stamped with a Content-Security-Policy (scripts/csp.mjs)`);
