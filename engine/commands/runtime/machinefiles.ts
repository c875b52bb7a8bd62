/**
 * The /proc files the kernel answers about the machine (machine.ts), on a node and in every
 * container on it — a container's /proc shows the host's memory, load, uptime and CPUs.
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { HostRef } from '../../types';
import { machine, machineNode, procCpuinfo, procLoadavg, procMeminfo, procUptime } from './machine';
import { nodeCpus } from './processes';

export function registerMachineFiles(cluster: ClusterRuntime): void {
  const onMachine = (h: HostRef) => h.kind === 'node' || h.kind === 'pod';
  const withMachine = (render: (mc: ReturnType<typeof machine>) => string) => (h: HostRef) => {
    const node = machineNode(cluster, h);
    return node ? render(machine(cluster, node, h.kind === 'node' ? ['cat'] : undefined)) : undefined;
  };
  cluster.fs.provide(onMachine, '/proc/meminfo', withMachine((mc) => procMeminfo(mc.mem)));
  cluster.fs.provide(onMachine, '/proc/loadavg', withMachine(procLoadavg));
  cluster.fs.provide(onMachine, '/proc/uptime', withMachine(procUptime));
  cluster.fs.provide(onMachine, '/proc/cpuinfo', (h) => {
    const node = machineNode(cluster, h);
    return node ? procCpuinfo(nodeCpus(cluster, node)) : undefined;
  });
}
