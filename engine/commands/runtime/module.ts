/**
 * The container runtime's setup on each node: /etc/crictl.yaml points crictl at
 * containerd's socket, as minikube and kind write it (without it, crictl warns that its
 * default endpoints are deprecated before it tries them).
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { SimModule } from '../../cluster/module';
import { registerProcSys } from '../net/host/sysctl';
import { registerProcNet } from '../net/host/procnet';
import { registerNginxFiles } from '../net/host/nginx';
import { registerNodeFiles } from './nodefiles';
import { registerMachineFiles } from './machinefiles';
import { registerProcPid } from './procpid';
import { setResolvedPid, setUnitPid } from '../net/host/ss';
import { nodeProcesses, unitPid } from './processes';

export function createRuntimeModules(cluster: ClusterRuntime): SimModule[] {
  return [
    {
      name: 'crictl-config',
      init() {
        cluster.fs.provide((h) => h.kind === 'node', '/etc/crictl.yaml', () => 'runtime-endpoint: unix:///run/containerd/containerd.sock\n');
      },
    },
    {
      name: 'proc-sys',
      init() {
        registerProcSys(cluster);
        registerProcNet(cluster);
        registerNginxFiles(cluster);
      },
    },
    {
      name: 'kubeadm-files',
      init() {
        registerNodeFiles(cluster);
        registerMachineFiles(cluster);
        registerProcPid(cluster);
        // ss names systemd-resolved's stub sockets with the PID the process table gives it
        setResolvedPid((ctx, node) => nodeProcesses(ctx.cluster, node).find((p) => p.comm === 'systemd-resolve')?.pid);
        setUnitPid((ctx, node, unit) => unitPid(ctx.cluster, node, unit));
      },
    },
  ];
}
