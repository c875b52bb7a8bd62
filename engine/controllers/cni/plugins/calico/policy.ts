/**
 * Kubernetes NetworkPolicies as Felix sees and renders them.
 *
 * libcalico-go's conversion (lib/backend/k8s/conversion/conversion.go K8sNetworkPolicyToCalico,
 * k8sSelectorToCalico, k8sRuleToCalico, k8sPeerToCalicoFields) turns each policy into a Calico
 * NetworkPolicy `knp.default.<name>` (order 1000) whose selector is
 * `projectcalico.org/orchestrator == 'k8s' && <matchLabels sorted> && <matchExpressions>` and
 * whose rules are the cross product of each k8s rule's ports, grouped by protocol (protocols
 * sorted; no ports = one rule for every protocol), and its peers. The syncer's update
 * processor (lib/backend/syncersv1/updateprocessors/networkpolicyprocessor.go, rules.go
 * getEndpointSelector) names it `<namespace>/knp.default.<name>` — the name its chains hash
 * (names.ts) — scopes its selector `(<selector>) && projectcalico.org/namespace == '<ns>'`, and
 * scopes each peer: `(projectcalico.org/namespace == '<ns>') && (<pod selector>)`, or with a
 * namespaceSelector `(<its terms with every label prefixed pcns.>) && (<pod selector>)`, an
 * empty one reading `has(projectcalico.org/namespace)`.
 *
 * Felix parses each selector (selector.ts), and its canonical text names the IP set of the
 * workloads it matches, `cali40s:` + MakeUniqueID (felix/calc/rule_scanner.go); a named port, a
 * `cali40n:` set of ip,proto:port of the workloads the rule's destination selector matches
 * (all() when it has none), and a destination with only named ports gets no selector set.
 * Selectors are evaluated as Felix does, over the workload's labels plus what
 * conversion/workload_endpoint_default.go adds (projectcalico.org/namespace, /orchestrator,
 * /serviceaccount) and its namespace profile's (pcns.<label>, pcns.projectcalico.org/name).
 *
 * Policy rules render as felix/rules/policy.go ProtoRuleToIptablesRules does: the match,
 * `-j MARK --set-xmark 0x10000/0x10000` (the accept bit), then
 * `-m mark --mark 0x10000/0x10000 -j RETURN`; several except CIDRs or a mix of numeric and
 * named ports become match blocks on the scratch bits; ProtoRulesToIptablesRules strips the
 * RETURNs that end a chain and gives its first rule the comment "Policy <name> ingress|egress"
 * ("Profile <name> …" for profiles).
 *
 * Unlike the generic evaluation (dataplane/policy.ts), Felix applies a Pod's egress policy to
 * what it sends its own host (cali-wl-to-host runs cali-fw-<veth> before
 * DefaultEndpointToHostAction), while what the host sends its Pods is not policed.
 */
import type { Cluster } from '../../../../cluster/cluster';
import type { KubeObject } from '../../../../cluster/types';
import { matchesSelector, type LabelSelector } from '../../../../cluster/labels';
import { cidrText, parseCidr } from '../../../../cluster/ipv4';
import { perRevision } from '../../memo';
import type { RuleSpec } from '../../netfilter';
import { clusterNodes } from '../../topology';
import { IpSet } from '../../../../dataplane/ipvs/ipset';
import { calicoConfig } from './config';
import { nodeTunnelAddress } from './ipam';
import { mainIpSetName, makeUniqueId, namedPortSetId, policyChainName } from './names';
import { parseSelector, prefixLabels, selectorString, type SelNode } from './selector';


/** Felix's mark bits with calico-node's default FELIX_IPTABLESMARKMASK 0xffff0000 (felix/config, rules.Config). */
export const MARK_ACCEPT = 0x10000;
export const MARK_PASS = 0x20000;
export const MARK_SCRATCH0 = 0x40000;
export const MARK_SCRATCH1 = 0x80000;

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
  /** The policy's name in Felix (the syncer's PolicyKey): `<namespace>/knp.default.<name>`. */
  key: string;
  namespace: string;
  name: string;
  /** The policy's selector, normalised (what Felix's policy groups compare). */
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
  /** Every NetworkPolicy, in Felix's order (order 1000 for all, then by name). */
  policies: FelixPolicy[];
  /** The IP sets the policies' rules reference. */
  sets: Map<string, FelixIpSet>;
  /** Policy chain → policy (both directions). */
  byChain: Map<string, FelixPolicy>;
}

/** A workload endpoint as Felix's selectors see it: its labels with its profiles' merged in. */
interface Workload {
  ip: string;
  labels: Record<string, string>;
  obj: KubeObject;
}

/** libcalico-go conversion.go k8sSelectorToCalico (selectorType pod or namespace). */
export function k8sSelectorToCalico(sel: LabelSelector | undefined, type: 'pod' | 'namespace'): string {
  const parts: string[] = type === 'pod' ? ["projectcalico.org/orchestrator == 'k8s'"] : [];
  if (!sel) return parts.join(' && ');
  const keys = Object.keys(sel.matchLabels ?? {});
  if (type === 'namespace' && keys.length === 0 && !(sel.matchExpressions ?? []).length) return 'all()';
  for (const k of keys.sort()) parts.push(`${k} == '${sel.matchLabels![k]}'`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join("', '");
    if (e.operator === 'In') parts.push(`${e.key} in { '${vals}' }`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} not in { '${vals}' }`);
    else if (e.operator === 'Exists') parts.push(`has(${e.key})`);
    else if (e.operator === 'DoesNotExist') parts.push(`! has(${e.key})`);
  }
  return parts.join(' && ');
}

/** updateprocessors/selectors.go parseSelectorAttachPrefix: parsed, every label prefixed, printed canonically. */
function attachPrefix(text: string, prefix: string): string {
  const n = parseSelector(text);
  return n ? selectorString(prefixLabels(n, prefix)) : '';
}

/**
 * updateprocessors/rules.go getEndpointSelector for a namespaced policy's rule side (no
 * service accounts, no notSelector): the v1 selector Felix receives, or '' for none.
 */
export function endpointSelector(namespaceSelector: string, selector: string, ns: string): string {
  let nsSel = '';
  if (namespaceSelector) {
    nsSel = attachPrefix(namespaceSelector, 'pcns.').replaceAll('all()', 'has(projectcalico.org/namespace)').replaceAll('global()', '!has(projectcalico.org/namespace)');
  } else if (ns) nsSel = `projectcalico.org/namespace == '${ns}'`;
  if (nsSel && (selector || namespaceSelector)) return selector ? `(${nsSel}) && (${selector})` : nsSel;
  return selector;
}

/** networkpolicyprocessor.go convertNetworkPolicyV2ToV1Value: the policy's selector scoped to its namespace. */
export function policySelector(v3Selector: string, ns: string): string {
  const nsSel = `projectcalico.org/namespace == '${ns}'`;
  return v3Selector ? `(${v3Selector}) && ${nsSel}` : nsSel;
}

/** ast.go Evaluate. */
export function evaluate(n: SelNode, labels: Record<string, string>): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  switch (n.op) {
    case '==': return has(n.label) && labels[n.label] === n.value;
    case '!=': return !has(n.label) || labels[n.label] !== n.value;
    case 'contains': return has(n.label) && labels[n.label].includes(n.value);
    case 'starts with': return has(n.label) && labels[n.label].startsWith(n.value);
    case 'ends with': return has(n.label) && labels[n.label].endsWith(n.value);
    case 'in': return has(n.label) && n.values.includes(labels[n.label]);
    case 'not in': return !has(n.label) || !n.values.includes(labels[n.label]);
    case 'has': return has(n.label);
    case 'not': return !evaluate(n.operand, labels);
    case 'and': return n.operands.every((o) => evaluate(o, labels));
    case 'or': return n.operands.some((o) => evaluate(o, labels));
    case 'all': case 'global': return true;
  }
}

/** The Felix IP set id of a v1 selector (ast.go UniqueID over the canonical text), with its parsed tree. */
export function selectorSetId(selector: string): { id: string; node: SelNode } | undefined {
  const node = parseSelector(selector);
  return node ? { id: makeUniqueId('s', selectorString(node)), node } : undefined;
}

function namespaceLabels(cluster: Cluster, ns: string): Record<string, string> {
  const obj = cluster.store.get('Namespace', undefined, ns);
  return { ...(obj?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
}

function workloads(cluster: Cluster): Workload[] {
  const out: Workload[] = [];
  const profiles = new Map<string, Record<string, string>>();
  for (const pod of cluster.store.iterate('Pod')) {
    const ip = pod.status?.podIP;
    if (!ip || pod.spec?.hostNetwork) continue;
    const ns = pod.metadata.namespace ?? 'default';
    let nsLabels = profiles.get(ns);
    if (!nsLabels) {
      // conversion.go NamespaceToProfile LabelsToApply
      nsLabels = { 'pcns.projectcalico.org/name': ns };
      for (const [k, v] of Object.entries(namespaceLabels(cluster, ns))) nsLabels[`pcns.${k}`] = v;
      profiles.set(ns, nsLabels);
    }
    const sa = pod.spec?.serviceAccountName;
    const labels: Record<string, string> = {
      ...nsLabels,
      ...(sa ? { 'pcsa.projectcalico.org/name': String(sa) } : {}),
      ...(pod.metadata.labels ?? {}),
      'projectcalico.org/namespace': ns,
      'projectcalico.org/orchestrator': 'k8s',
      ...(sa ? { 'projectcalico.org/serviceaccount': String(sa) } : {}),
    };
    out.push({ ip, labels, obj: pod });
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

/** cnet.ParseCIDR(...).String(): the network address of the CIDR. */
function canonicalCidr(cidr: string): string {
  const c = parseCidr(cidr);
  return c ? cidrText(c) : cidr;
}

function build(cluster: Cluster): FelixModel {
  // Every Pod's Calico labels, built only when a policy's selector needs them: a cluster
  // without NetworkPolicies (the 20,000-Pod bench) never pays for them.
  let cached: Workload[] | undefined;
  const wls = () => (cached ??= workloads(cluster));
  const sets = new Map<string, FelixIpSet>();
  const parsed = new Map<string, { id: string; node: SelNode } | undefined>();
  const idOf = (sel: string) => {
    if (!parsed.has(sel)) parsed.set(sel, selectorSetId(sel));
    return parsed.get(sel);
  };

  /** The IP set of the workloads a v1 selector matches. */
  const selectorSet = (sel: string): string | undefined => {
    const s = idOf(sel);
    if (!s) return undefined;
    const name = mainIpSetName(s.id);
    if (!sets.has(name)) sets.set(name, { name, type: 'hash:net', members: new Set(wls().filter((w) => evaluate(s.node, w.labels)).map((w) => w.ip)) });
    return name;
  };

  /** A named port's set: ip,proto:port of every workload the selector matches that names that port. */
  const namedPortSet = (portName: string, proto: string, sel: string): string | undefined => {
    const s = sel ? idOf(sel) : { id: makeUniqueId('s', 'all()'), node: { op: 'all' } as SelNode };
    if (!s) return undefined;
    const name = mainIpSetName(namedPortSetId(s.id, proto, portName));
    if (!sets.has(name)) {
      const members = new Set<string>();
      for (const w of wls()) {
        if (!evaluate(s.node, w.labels)) continue;
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
          // k8sPeerToCalicoFields, then getEndpointSelector: the v1 selector of the peer's side
          const other: Entity = {};
          let sel = '';
          if (peer?.ipBlock) {
            other.net = canonicalCidr(peer.ipBlock.cidr);
            if (peer.ipBlock.except?.length) other.notNets = peer.ipBlock.except.map(canonicalCidr);
          } else if (peer) {
            sel = endpointSelector(peer.namespaceSelector ? k8sSelectorToCalico(peer.namespaceSelector, 'namespace') : '', k8sSelectorToCalico(peer.podSelector, 'pod'), ns);
          }
          const own: Entity = {};
          const numeric = ports && !ports.all && ports.ranges.length ? simplify(ports.ranges) : [];
          const named = ports && !ports.all ? ports.names : [];
          if (numeric.length) own.ports = numeric;
          // rule_scanner.go: named ports are filtered by the destination's selector (all() when it
          // has none); a destination with named ports and no numeric ones gets no selector set.
          const dstSel = dir === 'egress' ? sel : '';
          if (named.length) own.namedPorts = named.map((n) => namedPortSet(n, proto!, dstSel)).filter((n): n is string => !!n);
          if (sel && !(dir === 'egress' && named.length && !numeric.length)) other.set = selectorSet(sel);
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
    const sel = policySelector(k8sSelectorToCalico(podSelector, 'pod'), ns);
    policies.push({
      key: `${ns}/knp.default.${np.metadata.name}`,
      namespace: ns,
      name: np.metadata.name,
      // rule_scanner.go OnPolicyActive: selector.Normalise(policy.Selector)
      selector: idOf(sel) ? selectorString(idOf(sel)!.node) : sel,
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

/**
 * felix/rules/policy.go ProtoRulesToIptablesRules: every rule rendered, the RETURNs that end
 * the chain stripped ("no matter their match criteria, they're effectively no-ops"), the first
 * rule (an empty one when none is left) carrying the chain's comment.
 */
function chainWithComment(rules: RuleSpec[], comment: string): RuleSpec[] {
  while (rules.length && rules[rules.length - 1].flat().slice(-2).join(' ') === '-j RETURN') rules.pop();
  const c = ['-m', 'comment', '--comment', comment];
  if (rules.length === 0) return [c];
  rules[0] = [...c, ...rules[0]];
  return rules;
}

/** A policy chain's rules: "Policy <name> ingress|egress" (felix/rules/policy.go PolicyToIptablesChains). */
export function policyChainRules(p: FelixPolicy, dir: 'inbound' | 'outbound'): RuleSpec[] {
  return chainWithComment((p[dir] ?? []).flatMap(renderRule), `Policy ${p.key} ${dir === 'inbound' ? 'ingress' : 'egress'}`);
}

/**
 * A profile chain's rules (ProfileToIptablesChains): a namespace's profile `kns.<ns>` allows
 * everything both ways (conversion.go NamespaceToProfile: Ingress and Egress [{Action: Allow}]),
 * which renders as the accept bit alone once the trailing RETURN is stripped; a ServiceAccount's
 * profile `ksa.<ns>.<sa>` has no rules (ServiceAccountToProfile only applies labels): its chain
 * is the comment.
 */
export function profileChainRules(profile: string, dir: 'inbound' | 'outbound'): RuleSpec[] {
  const rules = profile.startsWith('kns.') ? renderRule({ src: {}, dst: {} }) : [];
  return chainWithComment(rules, `Profile ${profile} ${dir === 'inbound' ? 'ingress' : 'egress'}`);
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
  const make = (name: string, type: 'hash:net' | 'hash:ip' | 'hash:ip,port', members: Iterable<string>): IpSet => {
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
  // felix/dataplane/linux/hostip_mgr.go: the addresses of every interface but the workloads' (cali*)
  // and kube-ipvs0 (InterfaceExclude's default), whatever the proxy mode: lo, eth0, the tunnel device
  const self = clusterNodes(cluster).find((n) => n.name === node);
  const tunnel = self && encap !== 'none' ? nodeTunnelAddress(cluster, self, encap) : undefined;
  if (self) out.push(make('cali40this-host', 'hash:ip', ['127.0.0.1', self.ip, ...(tunnel ? [tunnel] : [])]));
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
