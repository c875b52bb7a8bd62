/** Runs one of the host-network room's commands on a host, without going through the shell. */
import type { Simulation } from '../../../engine/simulation';
import type { HostRef, RunResult } from '../../../engine/types';
import { hostNetCommands } from '../../../engine/commands/net/host';

export function on(sim: Simulation, host: HostRef, line: string): RunResult {
  const [name, ...args] = line.trim().split(/\s+/);
  const cmd = hostNetCommands.find((c) => c.name === name);
  if (!cmd) throw new Error(`no command ${name}`);
  const r = cmd.run(args, sim.shell.contextFor(host, name, { cwd: '/', interactive: false }));
  if (!('exitCode' in r)) throw new Error('streaming');
  return r;
}

export const pod = (ns: string, name: string, container = name): HostRef => ({ kind: 'pod', namespace: ns, pod: name, container });
export const node = (name: string): HostRef => ({ kind: 'node', node: name });
