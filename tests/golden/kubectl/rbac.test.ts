/**
 * RBAC as a learner meets it: the kinds' tables and describers, kubectl's RBAC generators,
 * auth can-i / whoami answered by the API server's authorizer, and what every namespace
 * holds from the start (the default ServiceAccount, kube-root-ca.crt).
 *
 * Upstream:
 * - apiserver/pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage inside
 *   apierrors.NewForbidden (requests made with --as / --as-group)
 * - k8s.io/kubectl/pkg/cmd/auth/cani.go (yes / `no - reason`, exit 1 on no, the WarningPrinter
 *   lines, --list through pkg/util/rbac BreakdownRule/CompactRules/SortableRuleSlice) and whoami.go
 * - k8s.io/kubectl/pkg/cmd/create/create_role.go, create_clusterrole.go, create_rolebinding.go,
 *   create_clusterrolebinding.go (flags, Validate errors, one rule per API group)
 * - kubernetes/pkg/printers/internalversion/printers.go printRole/printClusterRole (NAME,
 *   CREATED AT), printRoleBinding/printClusterRoleBinding (NAME, ROLE, AGE; wide subjects)
 * - k8s.io/kubectl/pkg/describe/describe.go RoleDescriber, RoleBindingDescriber
 * - plugin/pkg/auth/authorizer/rbac/rbac.go and pkg/registry/rbac/validation/rule.go (the
 *   authorizer), plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (default roles),
 *   pkg/apis/rbac/validation/validation.go (API errors)
 * - pkg/controller/serviceaccount (default ServiceAccount) and
 *   pkg/controller/certificates/rootcacertpublisher (kube-root-ca.crt)
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const MANIFESTS = `
files:
  bad-role.yaml: |
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata:
      name: bad
    rules:
    - nonResourceURLs: ["/healthz"]
      verbs: []
    - apiGroups: [""]
  bad-binding.yaml: |
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: bad
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: Role
      name: x
    subjects:
    - kind: ServiceAccount
      name: bot
    - kind: Robot
      name: r2
  changed.yaml: |
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: read-pods
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: view
    subjects:
    - kind: User
      name: jane
`;

describe('kubectl RBAC', () => {
  it('create role/rolebinding, get, describe, auth can-i with --as', () => {
    const sim = createSimulation(MANIFESTS, { seed: 3 });
    golden(
      'rbac-create-can-i',
      transcriptOf(sim, [
        'kubectl auth whoami',
        'kubectl auth can-i create pods',
        "kubectl auth can-i '*' '*'",
        'kubectl auth can-i list nodes',
        'kubectl auth can-i list pods --as=system:serviceaccount:default:bot',
        'kubectl create serviceaccount bot',
        'kubectl create role pod-reader --verb=get,list,watch --resource=pods,pods/log',
        'kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:bot --user=jane',
        'kubectl auth can-i list pods --as=system:serviceaccount:default:bot',
        'kubectl auth can-i get pods --subresource=log --as=jane',
        'kubectl auth can-i delete pods --as=jane',
        'kubectl auth can-i list pods --as=jane -n kube-system',
        'kubectl auth can-i -q list pods --as=jane -n kube-system',
        'kubectl auth whoami --as=system:serviceaccount:default:bot',
        'kubectl get roles',
        'kubectl get rolebindings -o wide',
        'kubectl describe role pod-reader',
        'kubectl describe rolebinding read-pods',
        'kubectl create rolebinding broken --role=nope --user=bob',
        'kubectl auth can-i list pods --as=bob',
        'kubectl create clusterrolebinding devs-view --clusterrole=view --group=devs',
        'kubectl auth can-i list deployments.apps --as=ann --as-group=devs -A',
        'kubectl auth can-i create deployments --as=ann --as-group=devs',
        'kubectl auth can-i get secrets --as=ann --as-group=devs',
        'kubectl auth can-i get /healthz --as=ann',
        'kubectl auth can-i get /metrics --as=ann',
        'kubectl auth can-i frob foos',
        'kubectl auth can-i --list --as=system:serviceaccount:default:bot',
        'kubectl auth can-i --list',
        'kubectl auth can-i list',
        'kubectl auth can-i --list pods',
        'kubectl auth can-i --list -q',
        'kubectl get pods --as=system:serviceaccount:default:bot',
        'kubectl get pods -A --as=system:serviceaccount:default:bot',
        'kubectl get svc --as=system:serviceaccount:default:bot',
        'kubectl get nodes --as=jane',
        'kubectl get pod nope --as=jane',
        'kubectl run x --image=nginx --as=system:serviceaccount:default:bot',
        'kubectl create deployment d --image=nginx --as=ann --as-group=devs',
        'kubectl delete pod nope --as=system:serviceaccount:default:bot',
        'kubectl --as=ann --as-group=devs get deploy -n kube-system',
        'kubectl get pods --as-group=devs',
      ]),
    );
  });

  it('generators and the API server refuse what upstream refuses', () => {
    const sim = createSimulation(MANIFESTS, { seed: 3 });
    golden(
      'rbac-errors',
      transcriptOf(sim, [
        'kubectl create role x --verb=get',
        'kubectl create role x --resource=pods',
        'kubectl create role x --verb=frob --resource=foos',
        'kubectl create role x --verb=bind --resource=pods',
        'kubectl create role x --verb=get --resource=rs.apps,deploy,pods --resource-name=a --resource-name=a --dry-run=client -o yaml',
        "kubectl create clusterrole logs --verb=get --non-resource-url='/logs/*' --dry-run=client -o yaml",
        "kubectl create clusterrole logs --verb=get --non-resource-url='/lo*gs'",
        'kubectl create clusterrole logs --verb=get --non-resource-url=logs',
        'kubectl create clusterrole logs --verb=watch --non-resource-url=/logs',
        'kubectl create clusterrole mon --aggregation-rule=rbac.example.com/aggregate-to-monitoring=true --dry-run=client -o yaml',
        'kubectl create clusterrole mon --aggregation-rule=a=b --verb=get',
        'kubectl create rolebinding x',
        'kubectl create rolebinding x --role=a --clusterrole=b',
        'kubectl create rolebinding x --role=a --serviceaccount=bot',
        'kubectl create clusterrolebinding y',
        'kubectl create -f bad-role.yaml',
        'kubectl create -f bad-binding.yaml',
        'kubectl create rolebinding read-pods --role=pod-reader --user=jane',
        'kubectl apply -f changed.yaml',
      ]),
    );
  });

  it('what every cluster starts with: bootstrap roles, aggregation, default ServiceAccounts, kube-root-ca.crt', () => {
    const sim = createSimulation(null, { seed: 5 });
    golden(
      'rbac-defaults',
      transcriptOf(sim, [
        'kubectl get clusterroles',
        'kubectl get clusterrolebindings -o wide',
        'kubectl describe clusterrole edit',
        'kubectl describe clusterrolebinding kubeadm:cluster-admins',
        'kubectl get rolebindings -n kube-system -o wide',
        'kubectl get serviceaccounts -A',
        'kubectl create namespace team-a',
        'kubectl get sa,cm -n team-a',
        'kubectl delete sa default -n team-a',
        'kubectl get sa -n team-a',
        "kubectl get cm kube-root-ca.crt -n team-a -o jsonpath='{.metadata.annotations}'",
        "kubectl get cm kube-root-ca.crt -o jsonpath='{.data.ca\\.crt}' | openssl x509 -noout -subject -issuer -ext subjectAltName,basicConstraints,keyUsage",
        'kubectl create clusterrole ingressclass-view --verb=get,list --resource=ingressclasses.networking.k8s.io',
        'kubectl label clusterrole ingressclass-view rbac.authorization.k8s.io/aggregate-to-view=true',
        'kubectl auth can-i list ingressclasses --as=x --as-group=viewers',
        'kubectl create clusterrolebinding viewers --clusterrole=view --group=viewers',
        'kubectl auth can-i list ingressclasses --as=x --as-group=viewers',
        'kubectl auth can-i list secrets --as=x --as-group=viewers',
      ]),
    );
  });
});
