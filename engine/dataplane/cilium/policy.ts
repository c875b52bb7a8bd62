/**
 * CiliumNetworkPolicy (cilium.io/v2) as cilium-agent enforces it (pkg/policy/api): a rule
 * selects endpoints by `endpointSelector` and allows, per direction, peers by identity
 * (`fromEndpoints`/`toEndpoints`), by entity (`world`, `cluster`, `host`, `remote-node`,
 * `all`, `kube-apiserver`), by CIDR (`fromCIDR`, `toCIDR`, `…CIDRSet`) and, for egress, by
 * DNS name (`toFQDNs`), on the ports of `toPorts` — with L7 rules (`rules.http`,
 * `rules.dns`) that send the connection through the node's Envoy or DNS proxy.
 *
 * Semantics kept here:
 * - An endpoint is isolated for a direction as soon as a rule selecting it has that
 *   section (`ingress: [{}]` is default-deny); NetworkPolicies and CiliumNetworkPolicies
 *   add up — what either allows passes.
 * - A selector in a namespaced policy selects only its namespace unless it names
 *   `io.kubernetes.pod.namespace` (or `k8s:io.kubernetes.pod.namespace`); label keys may
 *   carry a `k8s:` or `any:` source prefix.
 * - A rule with only `toPorts` allows every peer on those ports; with neither peers nor
 *   ports it allows nothing.
 * - CIDR rules match only addresses outside the cluster's pods and nodes (the world).
 * - L7: when every rule that allows the connection carries HTTP rules, the request must
 *   match one of them (method and path are anchored RE2 regexes); a rule without L7 rules
 *   for the same peer and port allows all requests.
 * - toFQDNs: an address is allowed when one of its DNS names matches (matchName, or
 *   matchPattern where `*` stands for any DNS characters) — the names the DNS proxy saw the
 *   pod look up; the lookup itself needs a `rules.dns` egress rule to kube-dns.
 */
import type { KubeObject } from '../../cluster/types';
import type { NetCluster } from '../ports';
import type { Protocol } from '../packet';
import { matchesSelector, type LabelSelector } from '../../cluster/labels';
import { cidrContains } from '../../cluster/ipv4';
import { compileJsPattern } from '../../patterns';
import { nodeByIp, nodeByName, podByIp, type PodInfo } from '../topology';
import { INTERNET } from '../internet';
import { identityLabelMap } from './identity';

export type Peer = PodInfo | string;

export interface HttpRule {
  method?: string;
  path?: string;
  host?: string;
  headers?: string[];
}

export interface DnsRule {
  matchName?: string;
  matchPattern?: string;
}

interface PortProtocol {
  port?: string | number;
  endPort?: number;
  protocol?: string;
}

interface PortRule {
  ports?: PortProtocol[];
  rules?: { http?: HttpRule[]; dns?: DnsRule[] };
}

interface CidrRule {
  cidr: string;
  except?: string[];
}

interface PolicyRule {
  fromEndpoints?: LabelSelector[];
  toEndpoints?: LabelSelector[];
  fromEntities?: string[];
  toEntities?: string[];
  fromCIDR?: string[];
  toCIDR?: string[];
  fromCIDRSet?: CidrRule[];
  toCIDRSet?: CidrRule[];
  toFQDNs?: DnsRule[];
  toPorts?: PortRule[];
}

interface RuleSpec {
  endpointSelector?: LabelSelector;
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

/** The L7 rules a connection is subject to (HTTP through Envoy, DNS through the DNS proxy), and the policy that holds them. */
export interface L7Policy {
  /** `namespace/name` of the CiliumNetworkPolicy. */
  policy: string;
  direction: 'ingress' | 'egress';
  port: number;
  http: HttpRule[];
  /** DNS rules (egress to a DNS server): the names the DNS proxy lets through. */
  dns?: DnsRule[];
}

export interface CiliumVerdict {
  /** The CiliumNetworkPolicies that select the endpoint for this direction. */
  selecting: string[];
  allowed: boolean;
  /** The policy whose rule allowed it. */
  policy?: string;
  /** Set when the connection is allowed only through the L7 proxy. */
  l7?: L7Policy;
}

/** The specs of a CiliumNetworkPolicy (`spec`, and the list `specs`). */
export function policySpecs(cnp: KubeObject): RuleSpec[] {
  const out: RuleSpec[] = [];
  if (cnp.spec && typeof cnp.spec === 'object') out.push(cnp.spec as RuleSpec);
  for (const s of (cnp.specs ?? []) as RuleSpec[]) if (s && typeof s === 'object') out.push(s);
  return out;
}

const NS_LABEL = 'io.kubernetes.pod.namespace';

function stripSource(key: string): string {
  const m = key.match(/^(k8s|any|reserved|cidr|fqdn|container|unspec):(.*)$/);
  return m ? m[2] : key;
}

/** An EndpointSelector with its keys' sources stripped; `ns` adds the policy's namespace unless the selector names one. */
function normalize(sel: LabelSelector | undefined, ns: string | undefined): LabelSelector {
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) matchLabels[stripSource(k)] = String(v);
  const matchExpressions = (sel?.matchExpressions ?? []).map((e) => ({ ...e, key: stripSource(e.key) }));
  const namesNs = NS_LABEL in matchLabels || matchExpressions.some((e) => e.key === NS_LABEL);
  if (ns && !namesNs) matchLabels[NS_LABEL] = ns;
  return { matchLabels, matchExpressions };
}

function endpointMatches(cluster: NetCluster, sel: LabelSelector | undefined, ns: string | undefined, pod: PodInfo): boolean {
  return matchesSelector(normalize(sel, ns), identityLabelMap(cluster, pod));
}

/** The CiliumNetworkPolicies (namespaced) whose specs select `pod` for `direction`. */
export function selectingCiliumPolicies(cluster: NetCluster, pod: PodInfo, direction: 'ingress' | 'egress'): { cnp: KubeObject; specs: RuleSpec[] }[] {
  if (pod.hostNetwork) return [];
  const out: { cnp: KubeObject; specs: RuleSpec[] }[] = [];
  for (const cnp of cluster.store.list('CiliumNetworkPolicy', pod.namespace)) {
    const specs = policySpecs(cnp).filter((s) => Array.isArray(s[direction]) && endpointMatches(cluster, s.endpointSelector, pod.namespace, pod));
    if (specs.length) out.push({ cnp, specs });
  }
  return out;
}

type Entity = 'world' | 'cluster' | 'host' | 'remote-node' | 'kube-apiserver' | 'pod';

/** What a peer is to the endpoint on `node`: a pod, the local host, another node, or the world. */
function entityOf(cluster: NetCluster, peer: Peer, node: string): { kind: Entity; pod?: PodInfo; ip: string } {
  const pod = typeof peer === 'string' ? podByIp(cluster, peer) : peer;
  const ip = typeof peer === 'string' ? peer : peer.ip;
  if (pod && !pod.hostNetwork) return { kind: 'pod', pod, ip };
  const n = nodeByIp(cluster, ip) ?? (pod ? nodeByName(cluster, pod.node) : undefined);
  if (n) return { kind: n.name === node ? 'host' : 'remote-node', ip };
  return { kind: 'world', ip };
}

function entityMatches(entities: string[], e: { kind: Entity }): boolean {
  for (const name of entities) {
    if (name === 'all') return true;
    if (name === 'world' && e.kind === 'world') return true;
    if (name === 'cluster' && e.kind !== 'world') return true;
    if (name === e.kind) return true;
  }
  return false;
}

function cidrMatches(cidrs: string[] | undefined, sets: CidrRule[] | undefined, ip: string): boolean {
  if ((cidrs ?? []).some((c) => cidrContains(c, ip))) return true;
  return (sets ?? []).some((s) => cidrContains(s.cidr, ip) && !(s.except ?? []).some((x) => cidrContains(x, ip)));
}

/** A DNS pattern as the agent reads it: `*` is any run of DNS characters, a trailing dot optional. */
export function dnsPatternMatches(rule: DnsRule, name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (rule.matchName !== undefined) return n === rule.matchName.toLowerCase().replace(/\.$/, '');
  if (rule.matchPattern !== undefined) {
    const p = rule.matchPattern.toLowerCase().replace(/\.$/, '');
    if (p === '*') return true;
    const re = '^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[-a-zA-Z0-9_]*') + '$';
    return compileJsPattern(re).test(n);
  }
  return false;
}

function fqdnMatches(rules: DnsRule[], ip: string): boolean {
  return INTERNET.some((h) => h.ips.includes(ip) && h.names.some((n) => rules.some((r) => dnsPatternMatches(r, n))));
}

function portMatches(ports: PortProtocol[] | undefined, port: number, proto: Protocol): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    const pr = (p.protocol ?? 'ANY').toUpperCase();
    if (pr !== 'ANY' && pr.toLowerCase() !== proto) return false;
    if (proto === 'icmp') return false;
    const start = Number(p.port ?? 0);
    if (!start) return true;
    const end = p.endPort ?? start;
    return port >= start && port <= end;
  });
}

/** Does this rule's L3 part allow the peer? */
function peerMatches(cluster: NetCluster, rule: PolicyRule, direction: 'ingress' | 'egress', ns: string, peer: Peer, node: string): boolean | 'wildcard' {
  const eps = direction === 'ingress' ? rule.fromEndpoints : rule.toEndpoints;
  const ents = direction === 'ingress' ? rule.fromEntities : rule.toEntities;
  const cidr = direction === 'ingress' ? rule.fromCIDR : rule.toCIDR;
  const cidrSet = direction === 'ingress' ? rule.fromCIDRSet : rule.toCIDRSet;
  const fqdns = direction === 'egress' ? rule.toFQDNs : undefined;
  const hasL3 = !!(eps?.length || ents?.length || cidr?.length || cidrSet?.length || fqdns?.length);
  if (!hasL3) return rule.toPorts?.length ? 'wildcard' : false;
  const e = entityOf(cluster, peer, node);
  if (eps?.length && e.pod && eps.some((s) => endpointMatches(cluster, s, ns, e.pod!))) return true;
  if (ents?.length && entityMatches(ents, e)) return true;
  if (e.kind === 'world' && cidrMatches(cidr, cidrSet, e.ip)) return true;
  if (e.kind === 'world' && fqdns?.length && fqdnMatches(fqdns, e.ip)) return true;
  return false;
}

/**
 * The CiliumNetworkPolicies' verdict for one connection at `pod` (the destination for
 * ingress, the source for egress) with `peer` on the other end; undefined when none selects
 * the pod for that direction.
 */
export function ciliumVerdict(cluster: NetCluster, direction: 'ingress' | 'egress', pod: PodInfo, peer: Peer, port: number, proto: Protocol): CiliumVerdict | undefined {
  const sel = selectingCiliumPolicies(cluster, pod, direction);
  if (sel.length === 0) return undefined;
  const selecting = sel.map((s) => s.cnp.metadata.name);
  let l4Only: string | undefined;
  let l7: L7Policy | undefined;
  for (const { cnp, specs } of sel) {
    for (const spec of specs) {
      for (const rule of spec[direction] ?? []) {
        if (!peerMatches(cluster, rule, direction, pod.namespace, peer, pod.node)) continue;
        const portRules = rule.toPorts?.length ? rule.toPorts : [{} as PortRule];
        for (const pr of portRules) {
          if (!portMatches(pr.ports, port, proto)) continue;
          const http = pr.rules?.http;
          const dns = pr.rules?.dns;
          if ((http && http.length) || (dns && dns.length)) {
            if (!l7) l7 = { policy: `${cnp.metadata.namespace}/${cnp.metadata.name}`, direction, port, http: [] };
            if (http) l7.http.push(...http);
            if (dns?.length) (l7.dns ??= []).push(...dns);
          } else if (!l4Only) {
            l4Only = cnp.metadata.name;
          }
        }
      }
    }
  }
  if (l4Only) return { selecting, allowed: true, policy: l4Only };
  if (l7) return { selecting, allowed: true, policy: l7.policy.split('/')[1], l7 };
  return { selecting, allowed: false };
}

/** The result of the L7 proxy looking at one HTTP request (what Envoy's cilium.l7policy filter decided). */
export interface L7Decision {
  allowed: boolean;
  method: string;
  path: string;
  /** `namespace/name` of the policy whose HTTP rules decided. */
  policy: string;
  direction: 'ingress' | 'egress';
  /** The rule that matched (allowed). */
  rule?: HttpRule;
}

function fullMatch(re: string | undefined, s: string): boolean {
  if (re === undefined || re === '') return true;
  try {
    return compileJsPattern(`^(?:${re})$`).test(s);
  } catch {
    return false;
  }
}

/** Envoy's HTTP rule match: method, path (the whole `:path`, query included), host and headers. */
export function httpRuleMatches(rule: HttpRule, req: { method: string; path: string; headers: [string, string][] }): boolean {
  if (!fullMatch(rule.method, req.method)) return false;
  if (!fullMatch(rule.path, req.path)) return false;
  const host = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? '';
  if (!fullMatch(rule.host, host)) return false;
  for (const h of rule.headers ?? []) {
    const [name, ...rest] = h.split(':');
    const want = rest.join(':').trim();
    const got = req.headers.find(([k]) => k.toLowerCase() === name.trim().toLowerCase())?.[1];
    if (got === undefined) return false;
    if (want && got !== want) return false;
  }
  return true;
}

/** Does the DNS proxy let a query for `name` through, under the DNS rules of the connection? (Refused otherwise: --tofqdns-dns-reject-response-code refused.) */
export function dnsAllowed(l7s: readonly L7Policy[] | undefined, name: string): { allowed: boolean; policy?: string } {
  const withDns = (l7s ?? []).filter((l) => l.dns?.length);
  if (withDns.length === 0) return { allowed: true };
  const hit = withDns.find((l) => l.dns!.some((r) => dnsPatternMatches(r, name)));
  return hit ? { allowed: true, policy: hit.policy } : { allowed: false, policy: withDns[0].policy };
}

/** The L7 proxy's decision for a request on a connection subject to `l7`. */
export function decideHttp(l7: L7Policy, req: { method: string; path: string; headers: [string, string][] }): L7Decision {
  const rule = l7.http.find((r) => httpRuleMatches(r, req));
  return { allowed: !!rule, method: req.method, path: req.path, policy: l7.policy, direction: l7.direction, rule };
}

/** Envoy's local reply for a denied request (cilium/proxy cilium/l7policy.cc: 403 with denied_403_body, "Access denied\r\n"). */
export const ACCESS_DENIED_BODY = 'Access denied\r\n';
