import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** A comparer of `actual` with <dir>/<name>.txt (UPDATE_GOLDEN=1 rewrites the file). */
export function goldenIn(dir: string): (name: string, actual: string) => void {
  return (name, actual) => {
    const path = join(dir, `${name}.txt`);
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(path, actual);
      return;
    }
    expect(actual).toBe(readFileSync(path, 'utf8'));
  };
}

/** Compares `actual` with tests/golden/kubectl/<name>.txt (UPDATE_GOLDEN=1 rewrites it). */
export const golden = goldenIn(__dirname);

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
