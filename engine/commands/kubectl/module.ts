/**
 * kubectl's one piece of per-simulation setup: ~/.kube/config exists on the
 * workstation from the start (derived from the cluster until the learner or
 * `kubectl config` writes it).
 */
import type { Simulation } from '../../simulation';
import type { SimModule } from '../../modules';
import { printYaml } from '../../printers/kubectl/serialize';
import { defaultKubeconfig } from './kubeconfig';

export function createKubectlModules(sim: Simulation): SimModule[] {
  return [
    {
      name: 'kubeconfig',
      init() {
        const fs = sim.fs as unknown as { provide?(match: (h: { kind: string }) => boolean, path: string, render: () => string | undefined): void };
        fs.provide?.((h) => h.kind === 'workstation', '/home/learner/.kube/config', () => printYaml(defaultKubeconfig(sim)));
      },
    },
  ];
}
