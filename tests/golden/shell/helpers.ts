import { createSimulation, type Simulation } from '../../../engine';
import type { RunResult } from '../../../engine/types';

/** A fresh default cluster with some files in the learner's home. */
export function sim(files: Record<string, string> = {}): Simulation {
  const s = createSimulation(null, { seed: 1 });
  for (const [p, c] of Object.entries(files)) s.fs.write({ kind: 'workstation' }, p.startsWith('/') ? p : `/home/learner/${p}`, c);
  return s;
}

/** Runs lines one after another; returns the last result. */
export function run(s: Simulation, ...lines: string[]): RunResult {
  let r: RunResult = { stdout: '', stderr: '', exitCode: 0 };
  for (const l of lines) r = s.run(l);
  return r;
}

export const out = (stdout: string, exitCode = 0): RunResult => ({ stdout, stderr: '', exitCode });
export const err = (stderr: string, exitCode: number, stdout = ''): RunResult => ({ stdout, stderr, exitCode });
