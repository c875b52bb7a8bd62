import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const DIR = join(__dirname);

/** Compares `actual` with tests/golden/kubectl/<name>.txt (UPDATE_GOLDEN=1 rewrites it). */
export function golden(name: string, actual: string): void {
  const path = join(DIR, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
