import type { CommandSpec } from '../../shell/command';
import type { RunResult } from '../../types';
import { crictlCommand } from './crictl';
import { journalctlCommand, systemctlCommand } from './systemd';
import { runNodePgrep, runNodePidof } from './procps';
import { nsenterCommand } from './nsenter';
import { binaryCommands } from './binaries';
import { lsmodCommand } from './lsmod';
import { dfCommand } from './df';
import { dmesgCommand } from './dmesg';
import { resolvectlCommand } from './resolvectl';
import { freeCommand, nprocCommand, topCommand, uptimeCommand } from './systools';
import { chrootCommand } from './chroot';
import { unmodelledCommand } from '../net/catalog/unmodelled';

/** A procps tool over the node's process table; on another host that ships it, the catalog's not-simulated answer. */
function nodeTool(name: string, summary: string, run: typeof runNodePgrep): CommandSpec {
  const other = unmodelledCommand(name);
  return { name, summary, run: (args, ctx) => (ctx.host.kind === 'node' ? run(args, ctx, ctx.host.node) : (other.run(args, ctx) as RunResult)) };
}

/** The container runtime's own tools on a node: crictl; systemctl and journalctl for the kubelet and containerd units; procps's pgrep and pidof over the node's processes. */
export const runtimeCommands: CommandSpec[] = [
  crictlCommand,
  systemctlCommand,
  journalctlCommand,
  nodeTool('pgrep', 'look up processes by name', runNodePgrep),
  nodeTool('pidof', 'find the process ID of a running program', runNodePidof),
  nsenterCommand,
  lsmodCommand,
  freeCommand,
  uptimeCommand,
  topCommand,
  nprocCommand,
  dfCommand,
  dmesgCommand,
  resolvectlCommand,
  chrootCommand,
  ...binaryCommands,
];
