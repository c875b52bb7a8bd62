/**
 * Kubernetes NetworkPolicies as Felix sees and renders them.
 *
 * libcalico-go's conversion (lib/backend/k8s/conversion/conversion.go,
 * K8sNetworkPolicyToCalico, k8sRuleToCalico) turns each policy into a Calico policy named
 * `knp.default.<name>` (tier default, order 1000) whose rules are the cross product of each
 * k8s rule's ports, grouped by protocol (protocols sorted; no ports = one rule for every
 * protocol), and its peers; the syncer keys it `<namespace>/knp.default.<name>`
 * (updateprocessors/networkpolicyprocessor.go), and that key names its chains:
 * `cali-pi-`/`cali-po-` + the key, or `_` + base64url(sha256(key)) when longer than the 28
 * characters a chain name may have (felix/hashutils/id.go GetLengthLimitedID,
 * felix/rules/policy.go PolicyChainName).
 *
 * A peer selector becomes an IP set of the matching workloads' addresses, `cali40s:<id>`
 * (felix/ipsets/ipset_defs.go NameForMainIPSet, 31 characters at most); a named port, a
 * `cali40n:<id>` set of ip,proto:port (felix/calc/rule_scanner.go). Felix's ids are SHA-224
 * of Calico's normalised selector text; we hash our own rendering of the selector with
 * SHA-256, so the names have Felix's shape and are stable, not Felix's exact bytes.
 *
 * Policy rules render as felix/rules/policy.go ProtoRuleToIptablesRules does: the match,
 * `-j MARK --set-xmark 0x10000/0x10000` (the accept bit), then
 * `-m mark --mark 0x10000/0x10000 -j RETURN`; several except CIDRs or a mix of numeric and
 * named ports become match blocks on the scratch bits; the chain's first rule carries the
 * comment "Policy <key> ingress|egress".
 *
 * Unlike the generic evaluation (dataplane/policy.ts), Felix applies a Pod's egress policy to
 * what it sends its own host (cali-wl-to-host runs cali-fw-<veth> before
 * DefaultEndpointToHostAction), while what the host sends its Pods is not policed.
 */
import type { Cluster } from '../../../../cluster/cluster';
import type { KubeObject } from '../../../../cluster/types';
import { matchesSelector, type LabelSelector } from '../../../../cluster/labels';
import { sha256Bytes, utf8 } from '../../../../cluster/hash';
import { perRevision } from '../../memo';
import type { RuleSpec } from '../../netfilter';
import { clusterNodes } from '../../topology';
import { IpSet } from '../../../../dataplane/ipvs/ipset';
import { calicoConfig } from './config';

/** Felix's mark bits with calico-node's default FELIX_IPTABLESMARKMASK 0xffff0000 (felix/config, rules.Config). */
export const MARK_ACCEPT = 0x10000;
export const MARK_PASS = 0x20000;
export const MARK_SCRATCH0 = 0x40000;
export const MARK_SCRATCH1 = 0x80000;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64.RawURLEncoding of the bytes. */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += B64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** felix/hashutils GetLengthLimitedID. */
export function lengthLimitedId(prefix: string, suffix: string, max: number): string {
  const total = prefix.length + suffix.length;
  if (total > max || (total === max && suffix.startsWith('_'))) {
    return prefix + '_' + base64url(sha256Bytes(utf8(suffix))).slice(0, max - 1 - prefix.length);
  }
  return prefix + suffix;
}

/** iptables' chain-name limit (felix/iptables/table.go MaxChainNameLength). */
const MAX_CHAIN = 28;
/** felix/ipsets MaxIPSetNameLength. */
const MAX_IPSET = 31;

export function policyChainName(dir: 'pi' | 'po', key: string): string {
  return lengthLimitedId(`cali-${dir}-`, key, MAX_CHAIN);
}

function setName(kind: 's' | 'n', content: string): string {
  return (`cali40${kind}:` + base64url(sha256Bytes(utf8(`${kind}:${content}`)))).slice(0, MAX_IPSET);
}

interface PortRange { lo: number; hi: number }

/** One side of a Calico rule (source or destination), as Felix renders it. */
interface Entity {
  /** An IP set of workload addresses (a selector). */
  set?: string;
  net?: string;
  notNets?: string[];
  ports?: PortRange[];
  /** `cali40n:` sets for named ports. */
  namedPorts?: string[];
}

export interface FelixRule {
  protocol?: string;
  src: Entity;
  dst: Entity;
}

export interface FelixPolicy {
  /** The syncer's key: `<namespace>/knp.default.<name>`. */
  key: string;
  namespace: string;
  name: string;
  /** Calico's selector for the workloads it applies to (grouping compares it). */
  selector: string;
  podSelector: LabelSelector;
  inbound?: FelixRule[];
  outbound?: FelixRule[];
}

export interface FelixIpSet {
  name: string;
  type: 'hash:net' | 'hash:ip,port';
  members: Set<string>;
}

export interface FelixModel {
  /** Every NetworkPolicy, in Felix's order (order 1000 for all, then by key). */
  policies: FelixPolicy[];
  /** The IP sets the policies' rules reference. */
  sets: Map<string, FelixIpSet>;
  /** Policy chain → policy (both directions). */
  byChain: Map<string, FelixPolicy>;
}

/** A workload endpoint as the selectors see it. */
interface Workload {
  namespace: string;
  ip: string;
  labels: Record<string, string>;
  obj: KubeObject;
}

function quote(v: string): string {
  return `'${v}'`;
}

/** libcalico-go conversion k8sSelectorToCalico: matchLabels and matchExpressions in Calico's selector syntax. */
function calicoSelector(sel: LabelSelector | undefined, prefix: string, orchestrator: boolean): string {
  const parts: string[] = orchestrator ? ["projectcalico.org/orchestrator == 'k8s'"] : [];
  const keys = Object.keys(sel?.matchLabels ?? {}).sort();
  for (const k of keys) parts.push(`${prefix}${k} == ${quote(sel!.matchLabels![k])}`);
  for (const e of sel?.matchExpressions ?? []) {
    const vals = (e.values ?? []).map(quote).join(', ');
    if (e.operator === 'In') parts.push(`${prefix}${e.key} in { ${vals} }`);
    else if (e.operator === 'NotIn') parts.push(`${prefix}${e.key} not in { ${vals} }`);
    else if (e.operator === 'Exists') parts.push(`has(${prefix}${e.key})`);
    else if (e.operator === 'DoesNotExist') parts.push(`! has(${prefix}${e.key})`);
  }
  return parts.length ? parts.join(' && ') : 'all()';
}

function namespaceLabels(cluster: Cluster, ns: string): Record<string, string> {
  const obj = cluster.store.get('Namespace', undefined, ns);
  return { ...(obj?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
}

function workloads(cluster: Cluster): Workload[] {
  const out: Workload[] = [];
  for (const pod of cluster.store.iterate('Pod')) {
    const ip = pod.status?.podIP;
    if (!ip || pod.spec?.hostNetwork) continue;
    out.push({ namespace: pod.metadata.namespace ?? 'default', ip, labels: pod.metadata.labels ?? {}, obj: pod });
  }
  return out;
}

interface K8sPeer { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: { cidr: string; except?: string[] } }
interface K8sPort { protocol?: string; port?: number | string; endPort?: number }

/** policyTypes as the API server defaults them (pkg/apis/networking/v1/defaults.go). */
function types(np: KubeObject): string[] {
  const spec = np.spec ?? {};
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return spec.policyTypes;
  return Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** SimplifyPorts: sorted, overlapping and adjacent ranges merged. */
function simplify(ports: PortRange[]): PortRange[] {
  const s = [...ports].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const out: PortRange[] = [];
  for (const p of s) {
    const last = out[out.length - 1];
    if (last && p.lo <= last.hi + 1) last.hi = Math.max(last.hi, p.hi);
    else out.push({ ...p });
  }
  return out;
}

function build(cluster: Cluster): FelixModel {
  const wls = workloads(cluster);
  const sets = new Map<string, FelixIpSet>();
  const nsLabels = new Map<string, Record<string, string>>();
  const labelsOf = (ns: string) => {
    let l = nsLabels.get(ns);
    if (!l) nsLabels.set(ns, (l = namespaceLabels(cluster, ns)));
    return l;
  };

  /** The IP set for a peer's selectors, members filled from every workload. */
  const selectorSet = (ns: string, peer: K8sPeer): string => {
    const pod = peer.podSelector ? calicoSelector(peer.podSelector, '', true) : '';
    const text = peer.namespaceSelector
      ? `(${calicoSelector(peer.namespaceSelector, 'pcns.', false)}) && (${pod || "projectcalico.org/orchestrator == 'k8s'"})`
      : `(projectcalico.org/namespace == '${ns}') && (${pod})`;
    const name = setName('s', text);
    if (!sets.has(name)) {
      const members = new Set<string>();
      for (const w of wls) {
        if (peer.namespaceSelector ? !matchesSelector(peer.namespaceSelector, labelsOf(w.namespace)) : w.namespace !== ns) continue;
        if (peer.podSelector && !matchesSelector(peer.podSelector, w.labels)) continue;
        members.add(w.ip);
      }
      sets.set(name, { name, type: 'hash:net', members });
    }
    return name;
  };

  /** A named port's set: every workload (of `ns` when the policy's own pods are the destination) naming that port. */
  const namedPortSet = (portName: string, proto: string, scope: { ns: string; selector?: LabelSelector } | undefined): string => {
    const name = setName('n', `${scope ? `${scope.ns}|${calicoSelector(scope.selector, '', true)}` : 'all()'}|${proto}:${portName}`);
    if (!sets.has(name)) {
      const members = new Set<string>();
      for (const w of wls) {
        if (scope && (w.namespace !== scope.ns || !matchesSelector(scope.selector ?? {}, w.labels))) continue;
        for (const c of w.obj.spec?.containers ?? []) {
          for (const p of c.ports ?? []) {
            if (p.name === portName && (p.protocol ?? 'TCP').toLowerCase() === proto) members.add(`${w.ip},${proto}:${p.containerPort}`);
          }
        }
      }
      sets.set(name, { name, type: 'hash:ip,port', members });
    }
    return name;
  };

  const convert = (np: KubeObject, dir: 'ingress' | 'egress'): FelixRule[] => {
    const ns = np.metadata.namespace ?? 'default';
    const out: FelixRule[] = [];
    for (const r of (np.spec?.[dir] ?? []) as { from?: K8sPeer[]; to?: K8sPeer[]; ports?: K8sPort[] }[]) {
      const peers: (K8sPeer | undefined)[] = (dir === 'ingress' ? r.from : r.to)?.length ? (dir === 'ingress' ? r.from! : r.to!) : [undefined];
      // protocol → numeric ranges and names; a port entry without a port means every port of that protocol
      let byProto: Map<string, { ranges: PortRange[]; names: string[]; all: boolean }> | undefined = new Map();
      for (const p of r.ports ?? []) {
        const proto = (p.protocol ?? 'TCP').toLowerCase();
        let e = byProto.get(proto);
        if (!e) byProto.set(proto, (e = { ranges: [], names: [], all: false }));
        if (p.port === undefined || p.port === null) e.all = true;
        else if (typeof p.port === 'number' || /^\d+$/.test(String(p.port))) e.ranges.push({ lo: Number(p.port), hi: p.endPort ?? Number(p.port) });
        else e.names.push(String(p.port));
      }
      if (!r.ports?.length) byProto = undefined;
      const protos = byProto ? [...byProto.keys()].sort() : [undefined];
      for (const proto of protos) {
        const ports = proto ? byProto!.get(proto)! : undefined;
        for (const peer of peers) {
          if (peer && !peer.ipBlock && !peer.podSelector && !peer.namespaceSelector) continue;
          const other: Entity = {};
          if (peer?.ipBlock) {
            other.net = peer.ipBlock.cidr;
            if (peer.ipBlock.except?.length) other.notNets = [...peer.ipBlock.except];
          } else if (peer) other.set = selectorSet(ns, peer);
          const own: Entity = {};
          if (ports && !ports.all) {
            if (ports.ranges.length) own.ports = simplify(ports.ranges);
            if (ports.names.length) {
              // felix/calc/rule_scanner.go: the named port of the workloads the rule's destination
              // selector matches, all() when it has none (ingress: the policy's own pods are
              // already the packet's destination).
              own.namedPorts = ports.names.map((n) => namedPortSet(n, proto!, dir === 'egress' && peer && !peer.ipBlock && !peer.namespaceSelector ? { ns, selector: peer.podSelector } : undefined));
            }
          }
          out.push(dir === 'ingress' ? { protocol: proto, src: other, dst: own } : { protocol: proto, src: {}, dst: { ...other, ...own } });
        }
      }
    }
    return out;
  };

  const policies: FelixPolicy[] = [];
  for (const np of cluster.store.list('NetworkPolicy')) {
    const ns = np.metadata.namespace ?? 'default';
    const t = types(np);
    const podSelector: LabelSelector = np.spec?.podSelector ?? {};
    policies.push({
      key: `${ns}/knp.default.${np.metadata.name}`,
      namespace: ns,
      name: np.metadata.name,
      selector: `projectcalico.org/namespace == '${ns}' && ${calicoSelector(podSelector, '', true)}`,
      podSelector,
      ...(t.includes('Ingress') ? { inbound: convert(np, 'ingress') } : {}),
      ...(t.includes('Egress') ? { outbound: convert(np, 'egress') } : {}),
    });
  }
  policies.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byChain = new Map<string, FelixPolicy>();
  for (const p of policies) {
    byChain.set(policyChainName('pi', p.key), p);
    byChain.set(policyChainName('po', p.key), p);
  }
  return { policies, sets, byChain };
}

export const felixModel = perRevision(build);

/** The policies that apply to a workload, in order, for one direction. */
export function policiesFor(model: FelixModel, ns: string, labels: Record<string, string>, dir: 'inbound' | 'outbound'): FelixPolicy[] {
  return model.policies.filter((p) => p.namespace === ns && p[dir] !== undefined && matchesSelector(p.podSelector, labels));
}

function markArgs(mark: number, mask: number): string[] {
  return ['-j', 'MARK', '--set-xmark', `0x${mark.toString(16)}/0x${mask.toString(16)}`];
}

function portsText(ports: PortRange[]): string {
  return ports.map((p) => (p.lo === p.hi ? String(p.lo) : `${p.lo}:${p.hi}`)).join(',');
}

/** felix/rules/policy.go ProtoRuleToIptablesRules for one rule (IPv4, action allow). */
function renderRule(r: FelixRule): RuleSpec[] {
  const out: RuleSpec[] = [];
  const proto = r.protocol ? ['-p', r.protocol] : [];
  let blocks = false;
  let firstPositive = true;
  const initial = (bits: number) => {
    if (blocks) return;
    out.push(markArgs(bits, MARK_SCRATCH0 | MARK_SCRATCH1));
    blocks = true;
  };
  const positiveBlock = (rules: string[][]) => {
    initial(0);
    const bit = firstPositive ? MARK_SCRATCH0 : MARK_SCRATCH1;
    for (const m of rules) out.push([...m, ...markArgs(bit, bit)]);
    if (!firstPositive) out.push(['-m', 'mark', '--mark', `0x0/0x${MARK_SCRATCH1.toString(16)}`, ...markArgs(0, MARK_SCRATCH0)]);
    firstPositive = false;
  };
  const side = (e: Entity, dir: 'src' | 'dst') => {
    const ranges = e.ports ?? [];
    const named = e.namedPorts ?? [];
    // one multiport holds 15 ports (a range counts 2): felix/rules/policy.go SplitPortList
    const splits: PortRange[][] = [];
    let slots = 15;
    for (const p of ranges) {
      const need = p.lo === p.hi ? 1 : 2;
      if (!splits.length || slots < need) {
        splits.push([]);
        slots = 15;
      }
      splits[splits.length - 1].push(p);
      slots -= need;
    }
    if (splits.length + named.length > 1) {
      positiveBlock([
        ...splits.map((s) => [...proto, '-m', 'multiport', dir === 'src' ? '--source-ports' : '--destination-ports', portsText(s)]),
        ...named.map((n) => ['-m', 'set', '--match-set', n, dir === 'src' ? 'src,src' : 'dst,dst']),
      ]);
      return { ports: [] as PortRange[][], named: [] as string[] };
    }
    return { ports: splits, named };
  };
  const srcPorts = side(r.src, 'src');
  const dstPorts = side(r.dst, 'dst');
  const negated = (nets: string[] | undefined, flag: '-s' | '-d', single: boolean) => {
    if (!nets?.length || single) return;
    initial(MARK_SCRATCH0);
    for (const n of nets) out.push([flag, n, ...markArgs(0, MARK_SCRATCH0)]);
  };
  const srcNotSingle = (r.src.notNets?.length ?? 0) + (r.src.net ? 1 : 0) <= 1;
  const dstNotSingle = (r.dst.notNets?.length ?? 0) + (r.dst.net ? 1 : 0) <= 1;
  negated(r.src.notNets, '-s', srcNotSingle);
  negated(r.dst.notNets, '-d', dstNotSingle);
  // CalculateRuleMatch's order
  const m: string[] = [...proto];
  if (r.src.net) m.push('-s', r.src.net);
  if (r.src.set) m.push('-m', 'set', '--match-set', r.src.set, 'src');
  for (const s of srcPorts.ports) m.push('-m', 'multiport', '--source-ports', portsText(s));
  for (const n of srcPorts.named) m.push('-m', 'set', '--match-set', n, 'src,src');
  if (r.dst.net) m.push('-d', r.dst.net);
  if (r.dst.set) m.push('-m', 'set', '--match-set', r.dst.set, 'dst');
  for (const s of dstPorts.ports) m.push('-m', 'multiport', '--destination-ports', portsText(s));
  for (const n of dstPorts.named) m.push('-m', 'set', '--match-set', n, 'dst,dst');
  if (srcNotSingle && r.src.notNets?.length) m.push('!', '-s', r.src.notNets[0]);
  if (dstNotSingle && r.dst.notNets?.length) m.push('!', '-d', r.dst.notNets[0]);
  if (blocks) m.push('-m', 'mark', '--mark', `0x${MARK_SCRATCH0.toString(16)}/0x${MARK_SCRATCH0.toString(16)}`);
  out.push([...m, ...markArgs(MARK_ACCEPT, MARK_ACCEPT)]);
  out.push(['-m', 'mark', '--mark', `0x${MARK_ACCEPT.toString(16)}/0x${MARK_ACCEPT.toString(16)}`, '-j', 'RETURN']);
  return out;
}

/** A policy chain's rules: every rule rendered, the first one carrying "Policy <key> ingress|egress". */
export function policyChainRules(p: FelixPolicy, dir: 'inbound' | 'outbound'): RuleSpec[] {
  const rules = (p[dir] ?? []).flatMap(renderRule);
  const comment = ['-m', 'comment', '--comment', `Policy ${p.key} ${dir === 'inbound' ? 'ingress' : 'egress'}`];
  if (rules.length === 0) return [comment];
  rules[0] = [comment, ...rules[0]];
  return rules;
}

function setsOf(rules: FelixRule[] | undefined, into: Set<string>): void {
  for (const r of rules ?? []) {
    for (const e of [r.src, r.dst]) {
      if (e.set) into.add(e.set);
      for (const n of e.namedPorts ?? []) into.add(n);
    }
  }
}

/** The policies active on a node: those selecting one of its workloads (Felix's ActiveRulesCalculator). */
function activeOn(cluster: Cluster, model: FelixModel, node: string): FelixPolicy[] {
  const local: { ns: string; labels: Record<string, string> }[] = [];
  for (const pod of cluster.store.iterate('Pod')) {
    if (pod.spec?.nodeName !== node || pod.spec?.hostNetwork || !pod.status?.podIP) continue;
    local.push({ ns: pod.metadata.namespace ?? 'default', labels: pod.metadata.labels ?? {} });
  }
  return model.policies.filter((p) => local.some((w) => w.ns === p.namespace && matchesSelector(p.podSelector, w.labels)));
}

/**
 * Felix's IP sets on a node, as `ipset list` shows them: the IPAM pools (cali40all-ipam-pools,
 * cali40masq-ipam-pools, for nat-outgoing), the other hosts for the tunnel rules
 * (cali40all-hosts-net with IPIP, cali40all-vxlan-net with VXLAN), then the selector and
 * named-port sets of the policies active on the node. Type hash:net (hash:ip,port for named
 * ports), maxelem 1048576 (FELIX_MAXIPSETSIZE's default).
 */
export function felixIpsets(cluster: Cluster, node: string): IpSet[] {
  const cache = setsByNode(cluster);
  let sets = cache.get(node);
  if (!sets) cache.set(node, (sets = buildIpsets(cluster, node)));
  return sets;
}

const setsByNode = perRevision(() => new Map<string, IpSet[]>());

function buildIpsets(cluster: Cluster, node: string): IpSet[] {
  const make = (name: string, type: 'hash:net' | 'hash:ip,port', members: Iterable<string>): IpSet => {
    const set = new IpSet({ name, type, comment: '', maxelem: 1048576 });
    for (const m of members) set.entries.add(m);
    return set;
  };
  const pool = cluster.settings.podCIDR;
  const out = [make('cali40all-ipam-pools', 'hash:net', [pool]), make('cali40masq-ipam-pools', 'hash:net', [pool])];
  const { encap } = calicoConfig(cluster);
  const hosts = clusterNodes(cluster).map((n) => n.ip);
  if (encap === 'ipip') out.push(make('cali40all-hosts-net', 'hash:net', hosts));
  if (encap === 'vxlan') out.push(make('cali40all-vxlan-net', 'hash:net', hosts));
  const model = felixModel(cluster);
  const used = new Set<string>();
  for (const p of activeOn(cluster, model, node)) {
    setsOf(p.inbound, used);
    setsOf(p.outbound, used);
  }
  for (const name of [...used].sort()) {
    const s = model.sets.get(name)!;
    out.push(make(s.name, s.type, s.members));
  }
  return out;
}
