/**
 * What one node's cilium-agent knows and its REST API answers (what `cilium-dbg` prints):
 * the endpoints it manages (the node's pods with their own network namespace, and the host),
 * the cluster's identities, the imported policy rules, its service maps (the kube-proxy
 * replacement's, ./proxier.ts) and its status. All of it derived from the cluster's objects.
 *
 * Left out: the cilium-health endpoint (reserved:health) the real agent runs on every node,
 * since its address would come out of the node's pod range that the simulated IPAM hands to
 * pods; NetworkPolicies as imported rules in `policy get` (they are enforced, see
 * dataplane/cilium/verdict.ts, but only CiliumNetworkPolicies are listed).
 */
import type { ClusterRuntime } from '../runtime';
import type { KubeObject } from '../../cluster/types';
import { formatIPv4, parseCidr } from '../../cluster/ipv4';
import { podInfo, type PodInfo } from '../../dataplane/topology';
import { podIdentity, RESERVED_IDENTITIES, type Identity } from '../../dataplane/cilium/identity';
import { endpointIds as sharedEndpointIds, type NodeEndpointIds } from '../../dataplane/cilium/endpoint-ids';
import { selectingCiliumPolicies, policySpecs } from '../../dataplane/cilium/policy';
import { selectingPolicies } from '../../dataplane/policy';
import { CiliumServiceLb } from './proxier';
import { buildNodeLbMap, IdAllocator, type NodeLbMap } from './lbmap';

export const CILIUM_VERSION = '1.18.4';

export interface AgentEndpoint {
  id: number;
  identity: number;
  labels: string[];
  ipv4: string;
  ingressEnforced: boolean;
  egressEnforced: boolean;
  pod?: PodInfo;
}

/** The node a cilium agent pod (or any pod) runs on. */
export function agentNode(rt: ClusterRuntime, namespace: string, pod: string): string | undefined {
  return rt.store.get('Pod', namespace, pod)?.spec?.nodeName;
}

function enforced(rt: ClusterRuntime, pod: PodInfo, dir: 'ingress' | 'egress'): boolean {
  return selectingPolicies(rt, pod, dir === 'ingress' ? 'Ingress' : 'Egress').length > 0 || selectingCiliumPolicies(rt, pod, dir).length > 0;
}

/** The endpoint IDs on `node`: the host's, then each local pod's (by `namespace/name`) in creation order. */
export function endpointIds(rt: ClusterRuntime, node: string): NodeEndpointIds {
  return sharedEndpointIds(rt, node);
}

/** The endpoints of the agent on `node`, by ID. */
export function endpoints(rt: ClusterRuntime, node: string): AgentEndpoint[] {
  const { host, pods } = endpointIds(rt, node);
  const out: AgentEndpoint[] = [{ id: host, identity: 1, labels: ['reserved:host'], ipv4: '', ingressEnforced: false, egressEnforced: false }];
  for (const { id, pod } of pods.values()) {
    const ident = podIdentity(rt, pod);
    out.push({ id, identity: ident.id, labels: ident.labels, ipv4: pod.ip, ingressEnforced: enforced(rt, pod, 'ingress'), egressEnforced: enforced(rt, pod, 'egress'), pod });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Every identity the cluster uses (reserved ones first), sorted by number. */
export function identities(rt: ClusterRuntime): Identity[] {
  const seen = new Map<number, Identity>();
  for (const o of rt.store.list('Pod')) {
    const p = podInfo(o);
    if (p.hostNetwork || !p.ip || p.phase === 'Succeeded' || p.phase === 'Failed') continue;
    const ident = podIdentity(rt, p);
    if (!seen.has(ident.id)) seen.set(ident.id, ident);
  }
  return [...RESERVED_IDENTITIES, ...[...seen.values()].sort((a, b) => a.id - b.id)];
}

/** The agent's service maps, when it replaces kube-proxy. */
export function serviceMaps(rt: ClusterRuntime, node: string): NodeLbMap | undefined {
  const kp = rt.kubeProxy;
  kp.ensureSynced();
  return kp.proxier instanceof CiliumServiceLb ? kp.proxier.lbMap(node) : undefined;
}

const clusterIpIds = new WeakMap<ClusterRuntime, Map<string, { svc: IdAllocator; backend: IdAllocator }>>();

/**
 * Without the kube-proxy replacement the agent still balances ClusterIP Services itself
 * (socket LB for in-cluster traffic, kube-proxy's rules standing behind it): its map holds
 * the ClusterIP frontends only.
 */
export function clusterIpMaps(rt: ClusterRuntime, node: string): NodeLbMap {
  rt.kubeProxy.ensureSynced();
  let perNode = clusterIpIds.get(rt);
  if (!perNode) clusterIpIds.set(rt, (perNode = new Map()));
  let ids = perNode.get(node);
  if (!ids) perNode.set(node, (ids = { svc: new IdAllocator(), backend: new IdAllocator() }));
  const ip = rt.settings.nodes.find((n) => n.name === node)?.ip ?? '';
  const m = buildNodeLbMap(node, ip, rt.kubeProxy.tracker, ids);
  return { ...m, frontends: m.frontends.filter((f) => f.type === 'ClusterIP') };
}

/** The router address (cilium_host): the .1 of the node's pod range. */
export function routerIp(podCIDR: string): string {
  return formatIPv4(parseCidr(podCIDR)!.network + 1);
}

/** L7 redirects on the node: one per local endpoint, direction and port whose policy has HTTP rules. */
export function proxyRedirects(rt: ClusterRuntime, node: string): number {
  const seen = new Set<string>();
  for (const ep of endpoints(rt, node)) {
    if (!ep.pod) continue;
    for (const dir of ['ingress', 'egress'] as const) {
      for (const { specs } of selectingCiliumPolicies(rt, ep.pod, dir)) {
        for (const spec of specs) {
          for (const rule of spec[dir] ?? []) {
            for (const pr of rule.toPorts ?? []) {
              if (!pr.rules?.http?.length && !pr.rules?.dns?.length) continue;
              for (const p of pr.ports ?? []) seen.add(`${ep.id}/${dir}/${p.port}/${p.protocol ?? 'ANY'}`);
            }
          }
        }
      }
    }
  }
  return seen.size;
}

/** The imported rules of every CiliumNetworkPolicy, as the agent's repository holds them (for `policy get`). */
export function policyRules(rt: ClusterRuntime): { rules: object[]; revision: number } {
  const rules: object[] = [];
  let revision = 1;
  const cnps = rt.store.list('CiliumNetworkPolicy').sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  for (const cnp of cnps) {
    revision += cnp.metadata.generation ?? 1;
    for (const spec of policySpecs(cnp)) rules.push(importedRule(spec as Record<string, unknown>, cnp));
  }
  // NetworkPolicies are imported too; each import bumps the repository's revision.
  for (const np of rt.store.list('NetworkPolicy')) revision += np.metadata.generation ?? 1;
  return { rules, revision };
}

const NS = 'k8s:io.kubernetes.pod.namespace';
const SOURCED = /^(k8s|any|reserved|cidr|fqdn|container|unspec):/;

/** An EndpointSelector as the agent stores it: keys without a source become `any:`, the policy's namespace added. */
function importedSelector(sel: Record<string, unknown> | undefined, ns: string): Record<string, unknown> {
  const ml: Record<string, string> = {};
  for (const [k, v] of Object.entries((sel?.matchLabels as Record<string, string>) ?? {})) ml[SOURCED.test(k) ? k : `any:${k}`] = String(v);
  const namesNs = Object.keys(ml).some((k) => k.endsWith(':io.kubernetes.pod.namespace'));
  if (!namesNs) ml[NS] = ns;
  const out: Record<string, unknown> = { matchLabels: Object.fromEntries(Object.entries(ml).sort(([a], [b]) => a.localeCompare(b))) };
  if (Array.isArray(sel?.matchExpressions) && sel.matchExpressions.length) out.matchExpressions = sel.matchExpressions;
  return out;
}

function importedPeerRule(rule: Record<string, unknown>, ns: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rule)) {
    if ((k === 'fromEndpoints' || k === 'toEndpoints') && Array.isArray(v)) out[k] = v.map((s) => importedSelector(s as Record<string, unknown>, ns));
    else if (k === 'toPorts' && Array.isArray(v)) out[k] = v.map((pr) => importedPortRule(pr as Record<string, unknown>));
    else out[k] = v;
  }
  return out;
}

function importedPortRule(pr: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(pr.ports)) out.ports = pr.ports.map((p: Record<string, unknown>) => ({ port: String(p.port ?? '0'), ...(p.endPort !== undefined ? { endPort: p.endPort } : {}), protocol: String(p.protocol ?? 'ANY') }));
  const rules = pr.rules as Record<string, unknown> | undefined;
  if (rules) {
    const r: Record<string, unknown> = {};
    // PortRuleHTTP's field order: path, method, host, headers
    if (Array.isArray(rules.http)) r.http = rules.http.map((h: Record<string, unknown>) => Object.fromEntries(['path', 'method', 'host', 'headers'].filter((k) => h[k] !== undefined).map((k) => [k, h[k]])));
    if (Array.isArray(rules.dns)) r.dns = rules.dns;
    out.rules = r;
  }
  return out;
}

function importedRule(spec: Record<string, unknown>, cnp: KubeObject): object {
  const ns = cnp.metadata.namespace ?? 'default';
  const rule: Record<string, unknown> = { endpointSelector: importedSelector(spec.endpointSelector as Record<string, unknown>, ns) };
  for (const dir of ['ingress', 'ingressDeny', 'egress', 'egressDeny']) {
    if (Array.isArray(spec[dir])) rule[dir] = (spec[dir] as Record<string, unknown>[]).map((r) => importedPeerRule(r, ns));
  }
  rule.labels = [
    { key: 'io.cilium.k8s.policy.derived-from', value: 'CiliumNetworkPolicy', source: 'k8s' },
    { key: 'io.cilium.k8s.policy.name', value: cnp.metadata.name, source: 'k8s' },
    { key: 'io.cilium.k8s.policy.namespace', value: ns, source: 'k8s' },
    { key: 'io.cilium.k8s.policy.uid', value: cnp.metadata.uid ?? '', source: 'k8s' },
  ];
  if (typeof spec.description === 'string') rule.description = spec.description;
  return rule;
}

