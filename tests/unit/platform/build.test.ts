/**
 * `npm run build` (scripts/build.mjs) refuses a lesson that `npm run lessons:check`
 * rejects — here a lesson using an unknown MDX component — before `next build` starts.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json';

describe('the build', () => {
  it('is scripts/build.mjs, and stops at the lesson checker on a lesson it rejects', () => {
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    const lessons = path.join('tests', 'lessons', 'fixtures', 'unknown-component');
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8', env: { ...process.env, NETLAB_LESSONS_DIR: lessons } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tests\/lessons\/fixtures\/unknown-component\/10-fixture\/index\.mdx:\d+: unknown component <Quiz>/m);
    expect(r.stderr).toContain('build: the lesson checker failed — fix the lessons above (npm run lessons:check), then build again');
    expect(r.stdout).not.toContain('Next.js');
  }, 60_000);
});
