/**
 * kubectl's one piece of per-simulation setup: ~/.kube/config exists on the
 * workstation from the start (derived from the cluster until the learner or
 * `kubectl config` writes it).
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
  ];
}
