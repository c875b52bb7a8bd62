/**
 * AuthorizationPolicy on a sidecar's inbound path, as istiod translates it into Envoy's RBAC
 * filters (pilot/pkg/security/authz/builder at 1.24.2) and Envoy evaluates them:
 *
 * - the policies that apply to a workload: those in its namespace whose selector matches its
 *   labels (no selector: every workload of the namespace), and those in the root namespace
 *   (istio-system) the same way, mesh-wide;
 * - DENY first: a request matching any DENY rule is refused; then ALLOW: with no ALLOW policy
 *   every request passes, with some a request must match one of their rules (an ALLOW
 *   policy without rules — `spec: {}` — matches nothing: allow-nothing); AUDIT changes no
 *   verdict; CUSTOM needs an extension provider this mesh config does not define, so it is
 *   left out;
 * - a rule matches when one of its `from` sources, one of its `to` operations and every
 *   `when` condition match (a missing field matches anything); principals and namespaces come
 *   from the peer's mTLS certificate (`cluster.local/ns/NS/sa/SA`), so a plaintext caller has
 *   none; string matches take Istio's forms: exact, `prefix*`, `*suffix`, `*`.
 *
 * The refusal is Envoy's local reply: 403 "RBAC: access denied", response flag RBAC, details
 * `rbac_access_denied_matched_policy[ns[NS]-policy[NAME]-rule[N]]` or `…[none]`.
 */
import type { KubeObject } from '../../cluster/types';
import type { ClusterRuntime } from '../runtime';
import { selectorMatches } from '../../dataplane/policy';
import { cidrContains } from '../../cluster/ipv4';
import { ISTIO_NAMESPACE } from './install';

export interface AuthzRequest {
  method: string;
  path: string;
  host: string;
  port: number;
  headers: [string, string][];
  sourceIp: string;
  /** The peer certificate's identity without the spiffe:// scheme, when the connection is mTLS. */
  principal?: string;
}

export interface AuthzVerdict {
  allowed: boolean;
  /** Envoy's response code details for a refusal. */
  details?: string;
  /** For the trace: the policy that decided. */
  why: string;
}

interface Source { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; notNamespaces?: string[]; ipBlocks?: string[]; notIpBlocks?: string[]; remoteIpBlocks?: string[]; notRemoteIpBlocks?: string[] }
interface Operation { hosts?: string[]; notHosts?: string[]; ports?: string[]; notPorts?: string[]; methods?: string[]; notMethods?: string[]; paths?: string[]; notPaths?: string[] }
interface Condition { key: string; values?: string[]; notValues?: string[] }
interface Rule { from?: { source?: Source }[]; to?: { operation?: Operation }[]; when?: Condition[] }

/** Istio's string match: exact, prefix (`/api/*`), suffix (`*.example.com`) or presence (`*`). */
function strMatch(pattern: string, v: string | undefined): boolean {
  if (v === undefined) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return v.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return v.endsWith(pattern.slice(1));
  return v === pattern;
}

function ipMatch(block: string, ip: string): boolean {
  return block.includes('/') ? cidrContains(block, ip) : block === ip;
}

/** A positive list (any must match; absent: anything) and its negative (none may match). */
function field(yes: string[] | undefined, no: string[] | undefined, test: (p: string) => boolean): boolean {
  if (yes && !yes.some(test)) return false;
  if (no && no.some(test)) return false;
  return true;
}

function sourceMatches(s: Source, r: AuthzRequest): boolean {
  const ns = r.principal?.match(/\/ns\/([^/]+)\//)?.[1];
  return field(s.principals, s.notPrincipals, (p) => strMatch(p, r.principal))
    && field(s.namespaces, s.notNamespaces, (p) => strMatch(p, ns))
    && field(s.ipBlocks, s.notIpBlocks, (b) => ipMatch(b, r.sourceIp))
    && field(s.remoteIpBlocks, s.notRemoteIpBlocks, (b) => ipMatch(b, r.sourceIp));
}

function operationMatches(o: Operation, r: AuthzRequest): boolean {
  const host = r.host.toLowerCase();
  const path = r.path.split('?')[0];
  return field(o.hosts, o.notHosts, (h) => strMatch(h.toLowerCase(), host) || strMatch(h.toLowerCase(), host.replace(/:\d+$/, '')))
    && field(o.ports, o.notPorts, (p) => p === String(r.port))
    && field(o.methods, o.notMethods, (m) => strMatch(m, r.method))
    && field(o.paths, o.notPaths, (p) => strMatch(p, path));
}

/** The `when` keys of the request's own attributes (the JWT ones need a RequestAuthentication, not modelled). */
function conditionValue(key: string, r: AuthzRequest): string | undefined {
  const h = /^request\.headers\[(.+)\]$/.exec(key);
  if (h) return r.headers.find(([k]) => k.toLowerCase() === h[1].toLowerCase())?.[1];
  switch (key) {
    case 'source.ip': case 'remote.ip': return r.sourceIp;
    case 'source.namespace': return r.principal?.match(/\/ns\/([^/]+)\//)?.[1];
    case 'source.principal': return r.principal;
    case 'destination.port': return String(r.port);
    default: return undefined;
  }
}

function conditionMatches(c: Condition, r: AuthzRequest): boolean {
  const v = conditionValue(c.key, r);
  const test = (p: string) => (c.key.endsWith('.ip') ? v !== undefined && ipMatch(p, v) : strMatch(p, v));
  return field(c.values, c.notValues, test);
}

function ruleMatches(rule: Rule, r: AuthzRequest): boolean {
  if (rule.from?.length && !rule.from.some((f) => sourceMatches(f.source ?? {}, r))) return false;
  if (rule.to?.length && !rule.to.some((t) => operationMatches(t.operation ?? {}, r))) return false;
  return (rule.when ?? []).every((c) => conditionMatches(c, r));
}

/** The AuthorizationPolicies in force for a workload: its namespace's and the root namespace's whose selector matches. */
export function policiesFor(rt: ClusterRuntime, pod: KubeObject): KubeObject[] {
  const labels = pod.metadata.labels ?? {};
  const applies = (p: KubeObject) => {
    const sel = p.spec?.selector?.matchLabels as Record<string, string> | undefined;
    return !sel || !Object.keys(sel).length || selectorMatches({ matchLabels: sel }, labels);
  };
  const ns = pod.metadata.namespace ?? 'default';
  const own = rt.store.list('AuthorizationPolicy', ns).filter(applies);
  const root = ns === ISTIO_NAMESPACE ? [] : rt.store.list('AuthorizationPolicy', ISTIO_NAMESPACE).filter(applies);
  return [...root, ...own].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
}

/** Envoy's RBAC verdict on one request reaching `pod`. */
export function authorize(rt: ClusterRuntime, pod: KubeObject, r: AuthzRequest): AuthzVerdict {
  const policies = policiesFor(rt, pod);
  const tag = (p: KubeObject, i: number) => `ns[${p.metadata.namespace}]-policy[${p.metadata.name}]-rule[${i}]`;
  for (const p of policies.filter((x) => x.spec?.action === 'DENY')) {
    const rules = (p.spec?.rules ?? []) as Rule[];
    const i = rules.findIndex((rule) => ruleMatches(rule, r));
    if (i >= 0) return { allowed: false, details: `rbac_access_denied_matched_policy[${tag(p, i)}]`, why: `AuthorizationPolicy ${p.metadata.namespace}/${p.metadata.name} (DENY) rule ${i} matches` };
  }
  const allows = policies.filter((x) => (x.spec?.action ?? 'ALLOW') === 'ALLOW');
  if (!allows.length) return { allowed: true, why: policies.length ? 'no ALLOW policy applies; no DENY rule matches' : 'no AuthorizationPolicy applies' };
  for (const p of allows) {
    const rules = (p.spec?.rules ?? []) as Rule[];
    const i = rules.findIndex((rule) => ruleMatches(rule, r));
    if (i >= 0) return { allowed: true, why: `AuthorizationPolicy ${p.metadata.namespace}/${p.metadata.name} (ALLOW) rule ${i} matches` };
  }
  return { allowed: false, details: 'rbac_access_denied_matched_policy[none]', why: `no rule of the ALLOW policies (${allows.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}) matches` };
}
