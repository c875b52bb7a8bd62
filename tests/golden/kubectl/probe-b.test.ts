/**
 * Everyday kubectl forms from the second learner probe: rollouts (status --timeout,
 * history --revision, change-cause), get's single-item errors, --sort-by, -o jsonpath
 * --template, create ingress --rule, exec/attach on a workload.
 *
 * Upstream (kubectl v0.34, Kubernetes v1.34):
 *  - pkg/cmd/rollout/rollout_status.go:119 (--timeout), :199 ContextWithOptionalTimeout →
 *    UntilWithSync's wait.ErrWaitTimeout "timed out waiting for the condition".
 *  - pkg/cmd/rollout/rollout_history.go Run: a NamePrinter whose operation is
 *    "with revision #N\n<history>"; pkg/polymorphichelpers/history.go ViewHistory (the RS's
 *    change-cause into the template's annotations, "unable to find the specified revision",
 *    printTemplate: describe.DescribePodTemplate through a bare PrefixWriter, tabs kept).
 *  - kubernetes pkg/controller/deployment/util/deployment_util.go SetNewReplicaSetAnnotations /
 *    copyDeploymentAnnotationsToReplicaSet (annotationsToSkip), revision-history on a revived RS;
 *    pkg/polymorphichelpers/rollback.go restores the revision's annotations on undo.
 *  - pkg/cmd/get/get.go printGeneric: singleItemImplied returns the error alone.
 *  - pkg/cmd/get/sorter.go SortObjects / NewTableSorter: "couldn't find any field with path %q
 *    in the list of objects".
 *  - cli-runtime pkg/genericclioptions/jsonpath_flags.go: --template feeds -o jsonpath.
 *  - pkg/cmd/create/create_ingress.go: ruleRegex (path required, svcname:svcport),
 *    "rule %s is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]",
 *    "default-backend should be in format servicename:serviceport".
 *  - pkg/polymorphichelpers/attachablepodforobject.go (exec, attach): the pod is picked
 *    silently; only logsforobject.go:188 prints "Found N pods, using pod/…".
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

describe('kubectl forms (probe b)', () => {
  it('rollout status --timeout, history --revision, change-cause', () => {
    const sim = createSimulation(null, { seed: 4, maxStreamSteps: 60 });
    golden(
      'rollout-history',
      '# upstream: kubectl rollout_status.go, rollout_history.go, polymorphichelpers/history.go, rollback.go; deployment_util.go SetNewReplicaSetAnnotations\n' +
        transcriptOf(sim, [
          'kubectl create deployment api --image=nginx:1.27 --replicas=2',
          'sleep 30',
          'kubectl annotate deployment/api kubernetes.io/change-cause="first release"',
          'kubectl rollout history deployment/api',
          'kubectl set image deployment/api nginx=nginx:1.28',
          'kubectl annotate deployment/api kubernetes.io/change-cause="image updated to 1.28" --overwrite',
          'sleep 60',
          'kubectl rollout history deployment/api',
          'kubectl rollout history deployment/api --revision=1',
          'kubectl rollout history deployment/api --revision=9',
          'kubectl rollout history deployment/api --revision=-1',
          'kubectl set image deployment/api nginx=nginx:9.9',
          'kubectl rollout status deployment/api --timeout=20s',
          'kubectl rollout status deployment/api --timeout=bogus',
          'kubectl rollout undo deployment/api --to-revision=1',
          'sleep 60',
          'kubectl rollout history deployment/api',
          "kubectl get rs -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.annotations}{\"\\n\"}{end}'",
          "kubectl get deploy api -o jsonpath='{.metadata.annotations.kubernetes\\.io/change-cause}'",
        ]),
    );
  });

  it('get, create ingress, exec on a workload', () => {
    const sim = createSimulation(null, { seed: 4 });
    golden(
      'probe-b-forms',
      '# upstream: kubectl get.go printGeneric, sorter.go, jsonpath_flags.go, create_ingress.go, attachablepodforobject.go, logsforobject.go\n' +
        transcriptOf(sim, [
          'kubectl create deployment web --image=nginx:1.27 --replicas=2',
          'kubectl expose deployment web --port=80',
          'sleep 30',
          'kubectl get svc nosuch -o yaml',
          'kubectl get svc/nosuch -o json',
          'kubectl get svc nosuch web -o name',
          'kubectl get pods --sort-by=.metadata.nosuch',
          'kubectl get pods -o name --sort-by=.metadata.nosuch',
          'kubectl get svc web -o name --sort-by=.metadata.nosuch',
          "kubectl get svc web -o jsonpath --template='{.spec.type}'",
          'kubectl create ingress x --rule="foo.com=web:8080"',
          'kubectl create ingress bad --rule="foo.com/=svc"',
          'kubectl create ingress d --default-backend=nope',
          'kubectl create ingress a --rule="foo.com/=web:80" --annotation=novalue',
          'kubectl create ingress multi --class=default --rule="foo.com/=svc:port" --rule="foo.com/admin/=svcadmin:portadmin" --rule="bar.com/*=svc2:http,tls" --rule="baz.com/*=svc3:8080,tls=baz-cert" --default-backend=defaultsvc:http --dry-run=client -o yaml',
          'kubectl exec deploy/web -- hostname',
          'kubectl logs deploy/web --tail=1',
        ]),
    );
  });
});
