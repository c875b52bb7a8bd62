/**
 * metadata.managedFields as the API server records them, shown by --show-managed-fields.
 *
 * Upstream: k8s.io/apiserver pkg/endpoints/handlers/fieldmanager (managedFieldsUpdater,
 * stripmeta.go's excluded fields, capmanagers.go, sortEncodedManagedFields: operation, time,
 * manager), sigs.k8s.io/structured-merge-diff typed/compare.go and Updater.Update (the
 * writer owns what it added or modified, others lose it), typed/tofieldset.go with the
 * zero object's non-pointer structs; kubectl's field managers (kubectl-create,
 * kubectl-client-side-apply, kubectl-edit, kubectl-patch, kubectl-label, the scale
 * subresource's user-agent manager "kubectl"); the kubelet's and the controller manager's
 * status writes (subresource status); get.go's OmitManagedFieldsPrinter for -o yaml/json.
 * kubectl apply on an object without last-applied: apply.go
 * warningNoLastAppliedConfigAnnotation with info.ObjectName().
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

describe('managedFields', () => {
  it('each manager owns the fields it set; yaml and json omit them without --show-managed-fields', () => {
    const sim = createSimulation(null, { seed: 6 });
    golden(
      'managed-fields',
      '# upstream: apiserver fieldmanager; structured-merge-diff Updater.Update; kubectl get --show-managed-fields\n' +
        transcriptOf(sim, [
          'kubectl create deployment web --image=nginx:1.27',
          'kubectl get deploy web -o yaml --show-managed-fields',
          'kubectl label deploy web tier=front',
          'kubectl scale deploy web --replicas=2',
          `kubectl patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'`,
          `kubectl get deploy web -o jsonpath='{range .metadata.managedFields[*]}{.manager} {.operation} {.subresource} {.time}{"\\n"}{end}'`,
          `kubectl get deploy web -o jsonpath='{.metadata.managedFields[?(@.manager=="kubectl-patch")].fieldsV1}{"\\n"}'`,
          'kubectl get deploy web -o yaml | grep -c managedFields',
          'kubectl run probe --image=busybox:1.36 -- sleep 3600',
          'kubectl get pod probe -o yaml --show-managed-fields',
          `cat > np.yaml <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: client-egress
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
EOF`,
          'kubectl create -f np.yaml',
          'kubectl apply -f np.yaml',
          'kubectl apply -f np.yaml',
          'kubectl get netpol client-egress -o yaml --show-managed-fields',
        ]),
    );
  });

  it('survive a snapshot and restore', () => {
    const sim = createSimulation(null, { seed: 6 });
    sim.run('kubectl create deployment web --image=nginx:1.27');
    sim.run('kubectl label deploy web tier=front');
    const all = (s: Simulation) => ['Deployment', 'ReplicaSet', 'Pod'].flatMap((kind) => s.store.list(kind, 'default').map((o) => [kind, o.metadata.name, s.api.managedFields.entries(o)]));
    const before = all(sim);
    expect(JSON.stringify(before)).toContain('kubectl-label');
    const restored = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(all(restored)).toEqual(before);
  });
});
