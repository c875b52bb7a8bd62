/**
 * cilium-dbg's outputs in the agent container, pinned whole (cilium/cilium v1.18):
 * - status: cilium-dbg/cmd/status.go (tabwriter 2, 0, 3 around pkg/client/client.go
 *   FormatStatusResponse; --verbose adds the KubeProxyReplacement details, written by a
 *   nested tabwriter 0, 0, 3);
 * - service list: cilium-dbg/cmd/service_list.go printServiceList (tabwriter 5, 0, 3;
 *   `N => addr (state)`; sorted by frontend);
 * - bpf lb list: cilium-dbg/cmd/bpf_lb_list.go dumpSVC and helpers.go TablePrinter, the
 *   key from pkg/maps/lbmap Service4Key.String() (`addr:port/PROTO[/i] (slot)`), flags from
 *   pkg/loadbalancer ServiceFlags.String();
 * - endpoint list: cilium-dbg/cmd/endpoint_list.go printEndpointList;
 * - identity list: cilium-dbg/cmd/identity_get.go printIdentities (tabwriter 2, 0, 3);
 * - policy get: cilium-dbg/cmd/policy_get.go (`%s\nRevision: %d\n`), the rules as the
 *   agent's repository marshals them (pkg/policy/api Rule, PortRuleHTTP field order).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { KPR_SCENARIO, L7_POLICY } from '../../unit/cilium/scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('cilium-dbg with the kube-proxy replacement', () => {
  const sim = createSimulation(KPR_SCENARIO, { seed: 1 });
  sim.run(`kubectl apply -f - <<'EOF'\n${L7_POLICY}EOF`);
  const agent = (node: string) => sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === node)!.metadata.name;
  const on = (node: string, cmd: string) => out(sim.run(`kubectl -n kube-system exec ${agent(node)} -- ${cmd}`));
  const cases: [string, string, string][] = [
    ['status.txt', 'node-1', 'cilium-dbg status'],
    ['status-verbose.txt', 'node-1', 'cilium-dbg status --verbose'],
    ['service-list.txt', 'node-1', 'cilium-dbg service list'],
    ['bpf-lb-list.txt', 'node-1', 'cilium bpf lb list'],
    ['endpoint-list.txt', 'node-1', 'cilium-dbg endpoint list'],
    ['identity-list.txt', 'node-2', 'cilium-dbg identity list'],
    ['policy-get.txt', 'node-2', 'cilium-dbg policy get'],
    ['error-unknown-command.txt', 'node-1', 'cilium-dbg servce list'],
    ['service-typo-help.txt', 'node-1', 'cilium-dbg service lst'],
    ['error-unknown-flag.txt', 'node-1', 'cilium-dbg endpoint list --wide'],
  ];
  for (const [file, node, cmd] of cases) it(`${cmd} on ${node} (${file})`, () => golden(`cilium/${file}`, on(node, cmd)));
  // kubectl describe of a custom resource: k8s.io/kubectl/pkg/describe/describe.go genericDescriber,
  // printUnstructuredContent and smartLabelFor (fatih/camelcase words, API/URL/UID upper-cased)
  it('kubectl describe cnp (describe-cnp.txt)', () => golden('cilium/describe-cnp.txt', out(sim.run('kubectl describe cnp web-read-only'))));
  it('kubectl get cnp (get-cnp.txt)', () => golden('cilium/get-cnp.txt', out(sim.run('kubectl get cnp'))));
});

describe('cilium-dbg next to kube-proxy', () => {
  const sim = createSimulation(KPR_SCENARIO.replace('  kubeProxyReplacement: true\n', ''), { seed: 1 });
  const agent = sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === 'node-1')!.metadata.name;
  it('lists only ClusterIP frontends (service-list-with-kube-proxy.txt)', () => golden('cilium/service-list-with-kube-proxy.txt', out(sim.run(`kubectl -n kube-system exec ${agent} -- cilium-dbg service list`))));
  it('reports KubeProxyReplacement False (status-with-kube-proxy.txt)', () => golden('cilium/status-with-kube-proxy.txt', out(sim.run(`kubectl -n kube-system exec ${agent} -- cilium-dbg status --verbose`))));
});

/**
 * NetworkPolicies in `policy get`: the rule the agent derives from each
 * (cilium/cilium v1.18 branch point, pkg/k8s/network_policy.go ParseNetworkPolicy, labels
 * from pkg/k8s/apis/cilium.io/utils GetPolicyLabels), marshalled as api.Rule (rule.go,
 * ingress.go, egress.go, cidr.go, l4.go field order and omitempty; selector.go
 * EndpointSelector.MarshalJSON), next to the CiliumNetworkPolicy; `policy get <labels>`
 * keeps the rules whose labels contain them (repository.go Search, labels LabelArray.Contains)
 * and answers 404 when none does (daemon/restapi/policy.go, cilium-dbg Fatalf).
 */
describe('cilium-dbg policy get with NetworkPolicies', () => {
  const sim = createSimulation(KPR_SCENARIO, { seed: 1 });
  sim.run(`kubectl apply -f - <<'EOF'\n${L7_POLICY}EOF`);
  sim.run(`kubectl create namespace ops`);
  sim.run(`kubectl apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-client
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: client
    - namespaceSelector:
        matchLabels:
          team: ops
      podSelector:
        matchLabels:
          role: admin
    - namespaceSelector: {}
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [10.1.0.0/16]
    ports:
    - port: 80
    - port: 8000
      endPort: 8080
      protocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ops
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: client-egress
spec:
  podSelector:
    matchExpressions:
    - { key: app, operator: In, values: [client] }
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: { cidr: 0.0.0.0/0 }
  - ports:
    - port: dns
      protocol: UDP
EOF`);
  const agent = sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === 'node-1')!.metadata.name;
  const on = (cmd: string) => out(sim.run(`kubectl -n kube-system exec ${agent} -- ${cmd}`));
  it('lists the rules derived from NetworkPolicies (policy-get-networkpolicy.txt)', () => golden('cilium/policy-get-networkpolicy.txt', on('cilium-dbg policy get')));
  it('filters by labels (policy-get-labels.txt)', () => golden('cilium/policy-get-labels.txt', on('cilium-dbg policy get k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy io.cilium.k8s.policy.namespace=ops')));
  it('answers 404 when no rule has the labels', () => {
    const r = sim.run(`kubectl -n kube-system exec ${agent} -- cilium-dbg policy get io.cilium.k8s.policy.name=nope`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: Cannot get policy: [GET /policy][404] getPolicyNotFound\n\ncommand terminated with exit code 1\n');
  });
  // pkg/policy/k8s: a NetworkPolicy is imported on every upsert and delete, a CiliumNetworkPolicy
  // only when its generation changes; each import bumps the revision (repository.go ReplaceByResource)
  it('counts the imports in Revision: a relabelled NetworkPolicy and a deleted one count, a CNP label does not', () => {
    const revision = () => Number(/Revision: (\d+)/.exec(on('cilium-dbg policy get'))![1]);
    const before = revision();
    sim.run('kubectl label networkpolicy web-from-client tier=frontend');
    expect(revision()).toBe(before + 1);
    sim.run('kubectl -n ops delete networkpolicy default-deny');
    expect(revision()).toBe(before + 2);
    sim.run('kubectl label cnp web-read-only tier=frontend');
    expect(revision()).toBe(before + 2);
    sim.run(`kubectl patch cnp web-read-only --type=merge -p '{"spec":{"description":"read only"}}'`);
    expect(revision()).toBe(before + 3);
  });
});
