/**
 * kubectl get componentstatuses (cs): computed by the API server on each request, with the
 * deprecation warning every request on it carries.
 *
 * Upstream: pkg/registry/core/componentstatus/rest.go (List, Get's "Component not found: %s"
 * as a plain error: kubectl prints `Error from server: …`); pkg/controlplane/instance.go's
 * servers to validate (scheduler, controller-manager, etcd-0); pkg/printers/internalversion
 * printers.go printComponentStatus (NAME STATUS MESSAGE ERROR, no AGE); core/v1
 * prerelease-lifecycle (deprecated 1.19) through apiserver pkg/endpoints/deprecation
 * ("v1 ComponentStatus is deprecated in v1.19+"); kubectl get's List wrapper for -o yaml.
 * The Unhealthy row is what a real cluster shows while the scheduler is down (the prober's
 * dial error).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

describe('kubectl get componentstatuses', () => {
  it('table, -o yaml, one by name, an unknown name, delete refused, a stopped scheduler', () => {
    const sim = createSimulation(null, { seed: 4 });
    let out = '# upstream: pkg/registry/core/componentstatus/rest.go; pkg/printers/internalversion/printers.go printComponentStatus\n';
    out += transcriptOf(sim, ['kubectl get cs', 'kubectl get componentstatuses -o yaml', 'kubectl get componentstatus scheduler -o json', 'kubectl get cs nope', 'kubectl delete cs scheduler']);
    // the scheduler's static pod stops (its container exits): the health probe is refused
    const pod = sim.cluster.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.component === 'kube-scheduler')!;
    const stopped = structuredClone(pod);
    stopped.status.containerStatuses[0].ready = false;
    stopped.status.phase = 'Failed';
    sim.cluster.store.put(stopped);
    out += transcriptOf(sim, ['kubectl get cs']);
    golden('componentstatus', out);
  });
});
