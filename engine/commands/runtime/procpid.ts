/**
 * /proc/PID on a node: one directory per process of the node's table (processes.ts), with
 * the two files that name it — `comm` (the task name, TASK_COMM_LEN − 1 characters and a
 * newline, fs/proc/base.c comm_show) and `cmdline` (the argv, each argument NUL-terminated,
 * proc_pid_cmdline_read; empty for a kernel thread). A process that ended has no directory:
 * after `systemctl restart kubelet` the old PID's is gone and the new one's is there.
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import { nodeProcesses } from './processes';

export function registerProcPid(cluster: ClusterRuntime): void {
  cluster.fs.provideFamily((h) => h.kind === 'node', '/proc', (h) => {
    if (h.kind !== 'node') return undefined;
    const out: Record<string, string> = {};
    for (const p of nodeProcesses(cluster, h.node)) {
      out[`${p.pid}/comm`] = `${p.comm}\n`;
      out[`${p.pid}/cmdline`] = p.argv.map((a) => `${a}\0`).join('');
    }
    return out;
  });
}
