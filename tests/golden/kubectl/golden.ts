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

/** Each line's prompt, stdout, stderr (after `--- stderr`) and exit code, as the goldens here show them. */
export function transcriptOf(sim: { run(line: string): { stdout: string; stderr: string; exitCode: number } }, lines: string[]): string {
  let out = '';
  for (const l of lines) {
    const r = sim.run(l);
    out += `$ ${l}\n${r.stdout}`;
    if (r.stderr) out += `--- stderr\n${r.stderr}`;
    out += `--- exit ${r.exitCode}\n`;
  }
  return out;
}
