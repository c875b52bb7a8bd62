/**
 * --dry-run=server on the mutating verbs: the request goes to the API server with
 * ?dryRun=All (defaulted, admitted and validated, nothing stored) and the printer adds
 * ` (server dry run)`; --dry-run=client prints locally with ` (dry run)`.
 *
 * Upstream (kubectl v0.34): cmdutil GetDryRunStrategy (`Invalid dry-run value (…). Must be
 * "none", "server", or "client".`) and PrintFlagsWithDryRunStrategy; pkg/cmd/patch/patch.go
 * (`patched (no change)` when the server's answer equals the object, then the suffix);
 * scale/scale.go (a client dry run prints before the scaler); label/label.go and
 * annotate/annotate.go (`label "x" not found.` only where they patch); set/set_image.go,
 * set/set_env.go; expose/expose.go and run/run.go (the server's object for -o);
 * delete/delete.go (DeleteWithOptions with DryRun: the server still answers NotFound or
 * Forbidden); rollout/rollout_undo.go with polymorphichelpers/rollback.go (PatchOptions.DryRun);
 * replace/replace.go (Validate: `--dry-run can not be used when --force is set`); drain/drain.go
 * RunCordonOrUncordon and taint/taint.go (drain's own dry run is not simulated here);
 * rollout restart, pause and resume have no --dry-run flag (pflag: `unknown flag: --dry-run`).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

describe('--dry-run=server', () => {
  it('validates through the API server and stores nothing', () => {
    const sim = createSimulation(null, { seed: 6 });
    golden(
      'dry-run-server',
      '# upstream: kubectl cmdutil GetDryRunStrategy, PrintFlagsWithDryRunStrategy; patch.go, scale.go, label.go, annotate.go, set_image.go, set_env.go, expose.go, run.go, delete.go, rollout_undo.go\n' +
        transcriptOf(sim, [
          'kubectl create deployment web --image=nginx:1.27',
          'kubectl set image deploy/web nginx=nginx:1.28',
          `kubectl get deploy web -o jsonpath='{.metadata.generation} {.spec.replicas} {.metadata.labels}{"\\n"}'`,
          'kubectl scale deploy web --replicas=3 --dry-run=server',
          'kubectl scale deploy web --replicas=3 --dry-run=client',
          'kubectl scale deploy web --replicas=2 --dry-run=maybe',
          'kubectl label deploy web tier=front --dry-run=server',
          'kubectl label deploy web tier=Front! --dry-run=server',
          'kubectl label deploy web app- missing- --dry-run=server',
          'kubectl label deploy web missing- --dry-run=client',
          'kubectl annotate deploy web note=x --dry-run=server',
          `kubectl patch deploy web -p '{"spec":{"replicas":-1}}' --dry-run=server`,
          `kubectl patch deploy web -p '{"spec":{"replicas":4}}' --dry-run=server`,
          `kubectl patch deploy web -p '{"spec":{"replicas":1}}' --dry-run=server`,
          `kubectl patch deploy web -p '{"spec":{"replicas":1}}' --dry-run=client`,
          'kubectl set image deploy/web nginx=nginx:1.29 --dry-run=server',
          'kubectl set image deploy/web nginx=nginx:1.29 --dry-run=client',
          'kubectl set env deploy/web MODE=x --dry-run=server',
          'kubectl expose deploy web --port=80 --dry-run=server',
          `kubectl expose deploy web --port=80 --target-port=70000 --dry-run=server`,
          `kubectl expose deploy web --port=80 --dry-run=server -o jsonpath='{.spec.clusterIP} {.metadata.uid}{"\\n"}'`,
          'kubectl run probe --image=busybox:1.36 --dry-run=server',
          `kubectl run probe --image=busybox:1.36 --dry-run=server -o jsonpath='{.spec.serviceAccountName} {.spec.tolerations[*].key}{"\\n"}'`,
          'kubectl rollout undo deploy web --dry-run=server',
          'kubectl rollout restart deploy web --dry-run=server',
          `kubectl get deploy web -o yaml > web.yaml`,
          'kubectl replace -f web.yaml --dry-run=server',
          'kubectl replace -f web.yaml --dry-run=client',
          'kubectl replace -f web.yaml --dry-run=server --force',
          'kubectl cordon node-1 --dry-run=server',
          'kubectl taint node node-1 dedicated=lab:NoSchedule --dry-run=server',
          'kubectl drain node-1 --dry-run=server',
          `kubectl get node node-1 -o jsonpath='{.spec.unschedulable} {.spec.taints}{"\\n"}'`,
          'kubectl delete deploy web --dry-run=server',
          'kubectl delete deploy nope --dry-run=server',
          'kubectl delete ns default --dry-run=server',
          `kubectl get deploy web -o jsonpath='{.metadata.generation} {.spec.replicas} {.metadata.labels} {.spec.template.spec.containers[0].image}{"\\n"}'`,
          'kubectl get svc,pod -o name',
        ]),
    );
  });
});
