/**
 * kubectl apply --server-side: the API server's apply patch and its field managers.
 *
 * Upstream:
 *  - kubectl v0.34 pkg/cmd/apply/apply.go: Validate (`--force-conflicts only works with
 *    --server-side`, `--dry-run=client doesn't work with --server-side (did you mean
 *    --dry-run=server instead?)`), applyOneObject's ServerSideApply branch (the
 *    `serverside-applied` printer, the conflict advice appended to the server's message),
 *    GetApplyFieldManagerFlag (`kubectl`), saveLastApplyAnnotationIfNecessary
 *    (`before-first-apply`) and migrateToSSAIfNecessary (client-go util/csaupgrade
 *    UpgradeManagedFieldsPatch); Run's errors printed at the end (cmdutil MultipleErrors).
 *  - apimachinery pkg/util/managedfields/internal: structuredmerge.go (the typed patch
 *    object: `failed to create typed patch object (ns/name; gvk): … field not declared in
 *    schema`), conflict.go (NewConflictError, getConflictMessage, printManager),
 *    lastappliedmanager.go (kubectl's conflicts on last-applied fields forced),
 *    lastappliedupdater.go (the annotation rewritten to the config), skipnonapplied.go,
 *    managedfieldsupdater.go (an Apply's time moves when the object changes).
 *  - structured-merge-diff merge/update.go Updater.Apply (merge, prune of what the applier
 *    dropped unless another manager owns it, conflicts = others' sets ∩ modified ∪ added),
 *    typed/tofieldset.go (an Apply entry's set: no `.` on maps, `.` on list items),
 *    fieldpath Path.String (`.spec.template.spec.containers[name="nginx"].image`).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const WEB = `cat > web.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
EOF`;

const SVC = `cat > svc.yaml <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    prot: TCP
EOF`;

const MANAGERS = `kubectl get deploy web -o jsonpath='{range .metadata.managedFields[*]}{.manager} {.operation} {.subresource}{"\\n"}{end}'`;

describe('kubectl apply --server-side', () => {
  it('creates, owns what it applied, conflicts with other managers, takes fields with --force-conflicts', () => {
    const sim = createSimulation(null, { seed: 6 });
    golden(
      'server-side-apply',
      '# upstream: kubectl apply.go (ServerSideApply); apimachinery managedfields/internal; structured-merge-diff Updater.Apply\n' +
        transcriptOf(sim, [
          WEB,
          'kubectl apply --server-side -f web.yaml',
          'kubectl get deploy web -o yaml --show-managed-fields',
          'kubectl apply --server-side -f web.yaml',
          'kubectl scale deploy web --replicas=3',
          'kubectl apply --server-side -f web.yaml',
          'kubectl apply --server-side --field-manager=ci -f web.yaml --dry-run=server',
          'kubectl apply --server-side --field-manager=ci --force-conflicts -f web.yaml --dry-run=server',
          'kubectl get deploy web -o jsonpath=\'{.spec.replicas}{"\\n"}\'',
          'kubectl apply --server-side --force-conflicts -f web.yaml',
          MANAGERS,
          'kubectl get deploy web -o jsonpath=\'{.spec.replicas}{"\\n"}\'',
          // a field the applier drops goes when nobody else owns it
          "sed -i '/ports:/,$d' web.yaml",
          'kubectl apply --server-side -f web.yaml',
          'kubectl get deploy web -o jsonpath=\'{.spec.template.spec.containers[0].ports}{"\\n"}\'',
          SVC,
          'kubectl apply --server-side -f svc.yaml',
          'kubectl apply -f web.yaml --force-conflicts',
          'kubectl apply -f web.yaml --server-side --dry-run=client',
        ]),
    );
  });

  it('after client-side apply: conflicts for another manager, migration for kubectl', () => {
    const sim = createSimulation(null, { seed: 6 });
    golden(
      'server-side-apply-migration',
      '# upstream: kubectl apply.go migrateToSSAIfNecessary, saveLastApplyAnnotationIfNecessary; apimachinery lastappliedmanager.go, lastappliedupdater.go, conflict.go\n' +
        transcriptOf(sim, [
          WEB,
          'kubectl apply -f web.yaml',
          "sed -i 's/replicas: 2/replicas: 3/' web.yaml",
          'kubectl apply --server-side --field-manager=ci -f web.yaml',
          "sed -i 's/nginx:1.27/nginx:1.28/' web.yaml",
          'kubectl apply --server-side --field-manager=ci -f web.yaml',
          'kubectl apply --server-side -f web.yaml',
          'kubectl get deploy web -o yaml --show-managed-fields',
          "sed -i '/ports:/,$d' web.yaml",
          'kubectl apply --server-side -f web.yaml',
          `kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].ports}{"\\n"}{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'`,
          MANAGERS,
        ]),
    );
  });

  it('an unchanged apply writes nothing; Apply entries survive a snapshot', () => {
    const sim = createSimulation(null, { seed: 6 });
    sim.run(WEB);
    expect(sim.run('kubectl apply --server-side -f web.yaml').exitCode).toBe(0);
    const rv = () => sim.store.get('Deployment', 'default', 'web')!.metadata.resourceVersion;
    const before = rv();
    expect(sim.run('kubectl apply --server-side -f web.yaml').stdout).toBe('deployment.apps/web serverside-applied\n');
    expect(rv()).toBe(before);
    const entries = (s: Simulation) => s.api.managedFields.entries(s.store.get('Deployment', 'default', 'web')!);
    expect(entries(sim)?.[0]).toMatchObject({ manager: 'kubectl', operation: 'Apply' });
    const restored = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(entries(restored)).toEqual(entries(sim));
    // the restored simulation prunes what the applier drops, as the original would
    restored.run("sed -i '/ports:/,$d' web.yaml");
    expect(restored.run('kubectl apply --server-side -f web.yaml').exitCode).toBe(0);
    expect(restored.store.get('Deployment', 'default', 'web')!.spec.template.spec.containers[0].ports).toBeUndefined();
  });
});
