/** The parts of the shell room's Shell that kubectl drives (exec, run -it). */
import type { HostRef, RunResult } from '../../types';
import type { Simulation } from '../../simulation';

export interface ShellApi {
  enter(host: HostRef, opts?: { via?: 'kubectl' | 'ssh' | 'shell'; exitHook?: { name: string; arg?: unknown }; cwd?: string }): void;
  runIn(host: HostRef, line: string, opts?: { stdin?: string }): RunResult;
  execIn?(host: HostRef, argv: string[], stdin?: string): RunResult;
}

export function shellOf(sim: Simulation): ShellApi {
  return sim.shell as unknown as ShellApi;
}

/** Quotes argv words into one shell line (for shells without execIn). */
export function quoteArgs(argv: string[]): string {
  return argv.map((a) => (a !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function execArgv(sim: Simulation, host: HostRef, argv: string[], stdin = ''): RunResult {
  const sh = shellOf(sim);
  if (sh.execIn) return sh.execIn(host, argv, stdin);
  return sh.runIn(host, quoteArgs(argv), { stdin });
}
