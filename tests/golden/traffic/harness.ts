/**
 * Runs one traffic command on a host, as the shell would call it (argv already split;
 * single and double quotes honoured), and returns what the terminal would show.
 */
import type { HostRef, RunResult } from '../../../engine/types';
import { isStreaming } from '../../../engine/types';
import type { Simulation } from '../../../engine/index';
import { trafficCommands } from '../../../engine/commands/net/traffic';

export function argv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  let has = false;
  for (const ch of line) {
    if (q) {
      if (ch === q) q = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      q = ch;
      has = true;
    } else if (ch === ' ') {
      if (cur || has) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (cur || has) out.push(cur);
  return out;
}

/** Runs `line`; a streaming command gets `steps` steps and is then interrupted (Ctrl+C). */
export function run(sim: Simulation, host: HostRef, line: string, opts: { steps?: number; interactive?: boolean; cwd?: string } = {}): RunResult {
  const [name, ...args] = argv(line);
  const cmd = trafficCommands.find((c) => c.name === name);
  if (!cmd) throw new Error(`no traffic command ${name}`);
  const out = cmd.run(args, sim.shell.contextFor(host, name, { cwd: opts.cwd ?? '/', interactive: opts.interactive ?? false }));
  if (!isStreaming(out)) return out as RunResult;
  let stdout = out.stdout;
  let stderr = out.stderr;
  for (let i = 0; i < (opts.steps ?? 3); i++) {
    const s = out.step();
    stdout += s.stdout ?? '';
    stderr += s.stderr ?? '';
    if (s.done) return { stdout, stderr, exitCode: s.exitCode ?? 0 };
  }
  const x = out.interrupt();
  return { stdout: stdout + (x.stdout ?? ''), stderr: stderr + (x.stderr ?? ''), exitCode: x.exitCode };
}
