/**
 * Golden files: whole outputs pinned in tests/golden/<area>/<name>.txt. Set UPDATE_GOLDEN=1
 * to (re)write them after checking the new output by hand against the real tool.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export function golden(path: string, actual: string): void {
  const file = new URL(`../../golden/${path}`, import.meta.url).pathname;
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    if (!process.env.UPDATE_GOLDEN && process.env.CI) throw new Error(`missing golden file ${path}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
