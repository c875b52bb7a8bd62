import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cluster, type } from './scenario';

/** Compares `actual` with tests/golden/catalog/<name>.txt (UPDATE_GOLDEN=1 rewrites it). */
export function golden(name: string, actual: string): void {
  const path = join(__dirname, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The lines typed one after another at a fresh cluster of the catalog scenario (`$ line`, what it printed, its exit). */
export function session(cni: string, lines: string[]): string {
  const sim = cluster(cni);
  return lines.map((l) => `$ ${l}\n${type(sim, l)}`).join('');
}
