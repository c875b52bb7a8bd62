/**
 * Runs commands on a node of a scenario and compares the whole transcript with a golden
 * file (tests/golden/kube-proxy/expected/<name>.txt). UPDATE_GOLDEN=1 rewrites them.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { isStreaming, type RunResult } from '../../../engine/types';

export const FIXTURES = join(__dirname, 'fixtures');
export const EXPECTED = join(__dirname, 'expected');

export function loadSim(fixture: string, seed = 1): Simulation {
  return createSimulation(readFileSync(join(FIXTURES, fixture), 'utf8'), { seed });
}

/** Runs one command line (argv split on spaces, double quotes grouped) on a node. */
export function onNode(sim: Simulation, node: string, line: string): RunResult {
  const argv: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) argv.push(m[1] ?? m[2]);
  const [name, ...args] = argv;
  const cmd = sim.commands.find(name);
  if (!cmd) throw new Error(`no command ${name}`);
  const r = cmd.run(args, sim.shell.contextFor({ kind: 'node', node }, name));
  if (isStreaming(r) || 'editing' in r) throw new Error('unexpected outcome');
  return r as RunResult;
}

/** A transcript: each command, its stdout, its stderr (marked) and a non-zero exit code. */
export function transcript(sim: Simulation, node: string, lines: string[]): string {
  let out = '';
  for (const line of lines) {
    const r = onNode(sim, node, line);
    out += `$ ${line}\n${r.stdout}`;
    if (r.stderr) out += r.stderr.split('\n').filter((l, i, a) => l !== '' || i < a.length - 1).map((l) => `[stderr] ${l}\n`).join('');
    if (r.exitCode !== 0) out += `[exit ${r.exitCode}]\n`;
  }
  return out;
}

export function expectGolden(name: string, actual: string): void {
  const file = join(EXPECTED, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
