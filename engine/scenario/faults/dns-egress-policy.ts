/**
 * A NetworkPolicy isolates the client for egress and lets it reach the app's Pods only:
 * DNS (UDP and TCP 53 to CoreDNS) is not allowed, so every lookup times out. With a CNI
 * that enforces policies (Calico, Cilium) the client cannot resolve any name.
 */
import { findManifest } from './manifests';
import type { Fault, FaultContext } from './types';
import type { Manifest } from '../../cluster/types';

export const POLICY_NAME = 'client-egress';

function policy(ctx: FaultContext, withDns: boolean): Manifest {
  const client = findManifest(ctx.original, 'Pod', ctx.target.client, ctx.target.namespace);
  const deploy = findManifest(ctx.original, 'Deployment', ctx.target.deployment, ctx.target.namespace);
  const egress: unknown[] = [{ to: [{ podSelector: { matchLabels: deploy.spec?.selector?.matchLabels } }] }];
  if (withDns) {
    egress.push({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    });
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: POLICY_NAME, namespace: ctx.target.namespace },
    spec: { podSelector: { matchLabels: client.metadata?.labels ?? {} }, policyTypes: ['Egress'], egress },
  };
}

/** The policy as YAML, indented the way `kubectl get -o yaml` would not bother to but a person writes. */
function yaml(m: Manifest): string {
  const spec = m.spec as { podSelector: { matchLabels: Record<string, string> }; egress: { to: Record<string, unknown>[]; ports?: { protocol: string; port: number }[] }[] };
  const labels = (l: Record<string, string>, pad: string) => Object.entries(l).map(([k, v]) => `${pad}${k}: ${v}\n`).join('');
  let out = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${POLICY_NAME}\n  namespace: ${String(m.metadata?.namespace)}\nspec:\n  podSelector:\n    matchLabels:\n${labels(spec.podSelector.matchLabels, '      ')}  policyTypes:\n    - Egress\n  egress:\n`;
  for (const rule of spec.egress) {
    const peer = rule.to[0] as { podSelector?: { matchLabels: Record<string, string> }; namespaceSelector?: { matchLabels: Record<string, string> } };
    out += '    - to:\n';
    if (peer.namespaceSelector) out += `        - namespaceSelector:\n            matchLabels:\n${labels(peer.namespaceSelector.matchLabels, '              ')}          podSelector:\n            matchLabels:\n${labels(peer.podSelector!.matchLabels, '              ')}`;
    else out += `        - podSelector:\n            matchLabels:\n${labels(peer.podSelector!.matchLabels, '              ')}`;
    if (rule.ports) out += `      ports:\n${rule.ports.map((p) => `        - protocol: ${p.protocol}\n          port: ${p.port}\n`).join('')}`;
  }
  return out;
}

export const dnsEgressPolicy: Fault = {
  id: 'dns-egress-policy',
  layer: 'policy',
  description: `a NetworkPolicy (${POLICY_NAME}) isolates the client for egress and allows only the app's Pods, not DNS`,
  breaks: ['in-cluster'],
  manifests(objects, ctx) {
    objects.push(policy(ctx, false));
  },
  fix(ctx) {
    return { files: { [`${POLICY_NAME}.yaml`]: yaml(policy(ctx, true)) }, commands: [`kubectl apply -f ${POLICY_NAME}.yaml`] };
  },
};
