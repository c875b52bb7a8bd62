/**
 * kubectl's per-simulation setup: ~/.kube/config exists on the workstation from the start
 * (derived from the cluster until the learner or `kubectl config` writes it); and what
 * `--show-managed-fields` shows, the API server's managedFields kept beside the store,
 * saved and restored with the simulation.
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { SimModule } from '../../cluster/module';
import { printYaml } from '../../printers/kubectl/serialize';
import { defaultKubeconfig } from './kubeconfig';

export function createKubectlModules(cluster: ClusterRuntime): SimModule[] {
  return [
    {
      name: 'kubeconfig',
      init() {
        cluster.fs.provide((h) => h.kind === 'workstation', '/home/learner/.kube/config', () => printYaml(defaultKubeconfig(cluster)));
      },
    },
    {
      name: 'managed-fields',
      snapshot: () => cluster.api.managedFields.snapshot(),
      restore: (data) => cluster.api.managedFields.restore(data),
      sizes: () => ({ objects: cluster.api.managedFields.size }),
    },
  ];
}
