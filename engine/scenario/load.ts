/**
 * Scenario files: a `cluster:` block of settings plus ordinary manifests under
 * `objects:`, and optional `files:` seeded into the learner's home directory.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { DEFAULT_EPOCH } from '../cluster/clock';
import { isCIDR, isDNS1123Subdomain, isIPv4 } from '../cluster/validation';
import { broadcast, cidrContains, cidrSize, cidrText, parseCidr, type Cidr } from '../cluster/ipv4';
import { cidr6Contains, isIPv6, overlaps6, parseCidr6, type Cidr6 } from '../cluster/ipv6';
import { CNI_NAMES, DEFAULT_SETTINGS, PROXY_MODES, type ClusterSettings, type CniName, type Manifest, type NodeSettings, type ProxyMode } from '../cluster/types';

export interface Scenario {
  cluster: ClusterSettings;
  objects: Manifest[];
  /** Files for ~ (path relative to the home directory → content). */
  files: Record<string, string>;
  /** Virtual time at which the scenario starts. */
  startTime: number;
  /** Faults drawn by the seed and put into the cluster before the learner arrives (scenario/faults/). */
  faults?: FaultsSpec;
}

/**
 * A scenario's `faults:` section: the objects the faults break (`target`) and the draw,
 * one or more groups of `pick` faults each from a list of catalogue ids
 * (engine/scenario/faults/catalogue.ts; the ids are checked when the faults are drawn).
 */
export interface FaultsSpec {
  target: { namespace?: string; service: string; deployment: string; client: string; ingress?: string };
  draw: { pick: number; from: string[] }[];
}

/** Where in the scenario document a problem is: keys and list indexes from the top (`['cluster', 'nodes', 1, 'podCIDR']`). */
export type ScenarioPath = (string | number)[];

export class ScenarioError extends Error {
  constructor(
    message: string,
    /** The line of scenario.yaml it is about (1-based), when the text is known. */
    public line?: number,
    /** The setting or manifest it is about; loadScenario turns it into `line`. */
    readonly path?: ScenarioPath,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/**
 * The line `path` starts on in the YAML `text`: the deepest key or item of the path that
 * exists (a missing setting points at its parent). Undefined if the text does not parse.
 */
export function scenarioLine(text: string, path: ScenarioPath): number | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length) return undefined;
  const lineOf = (n: unknown): number | undefined => {
    const r = (n as YamlNode | undefined)?.range;
    return r ? lc.linePos(r[0]).line : undefined;
  };
  let node: unknown = doc.contents;
  let best = lineOf(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      best = lineOf(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      best = lineOf(node) ?? best;
    } else break;
  }
  return best;
}

/** Gives a ScenarioError found in `text` the line its path names (errors from normalizeScenario and bootstrap carry only the path). */
export function withLine(e: unknown, text: string): unknown {
  if (e instanceof ScenarioError && e.line === undefined && e.path) e.line = scenarioLine(text, e.path);
  return e;
}

const CNIS: readonly CniName[] = CNI_NAMES;
const MODES: readonly ProxyMode[] = PROXY_MODES;

export function loadScenario(text: string): Scenario {
  let doc: unknown = {};
  if (text.trim() !== '') {
    // duplicate keys are refused here (an authoring slip the lesson checker should name), unlike kubectl's lenient decoder
    const lc = new LineCounter();
    const parsed = parseDocument(text, { lineCounter: lc, prettyErrors: true });
    const err = parsed.errors[0];
    if (err) throw new ScenarioError(`invalid YAML: ${err.message.split('\n')[0]}`, lc.linePos(err.pos[0]).line);
    doc = parsed.toJS({ maxAliasCount: 100 });
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ScenarioError('a scenario must be a mapping with cluster: and objects:', 1);
  try {
    return normalizeScenario(doc as Record<string, unknown>);
  } catch (e) {
    throw withLine(e, text);
  }
}

export function normalizeScenario(doc: Record<string, unknown>): Scenario {
  const fail = (message: string, ...path: ScenarioPath): never => {
    throw new ScenarioError(message, undefined, path);
  };
  for (const key of Object.keys(doc)) {
    if (!['cluster', 'objects', 'files', 'startTime', 'faults'].includes(key)) {
      fail(`unknown top-level key "${key}" (expected cluster, objects, files, faults)`, key);
    }
  }
  const c = (doc.cluster ?? {}) as Record<string, unknown>;
  if (typeof c !== 'object' || Array.isArray(c)) fail('cluster: must be a mapping', 'cluster');
  const known = ['name', 'cni', 'proxyMode', 'ipvsScheduler', 'kubeProxyReplacement', 'clusterDomain', 'podCIDR', 'serviceCIDR', 'nodes', 'loadBalancerPool', 'kubernetesVersion', 'systemLayer', 'objectQuota'];
  for (const key of Object.keys(c)) {
    if (!known.includes(key)) fail(`unknown cluster setting "${key}" (known: ${known.join(', ')})`, 'cluster', key);
  }
  const cluster: ClusterSettings = { ...DEFAULT_SETTINGS, ...(c as Partial<ClusterSettings>) };
  if (!CNIS.includes(cluster.cni)) fail(`cluster.cni "${cluster.cni}" is not one of ${CNIS.join(', ')}`, 'cluster', 'cni');
  if (!MODES.includes(cluster.proxyMode)) fail(`cluster.proxyMode "${cluster.proxyMode}" is not one of ${MODES.join(', ')}`, 'cluster', 'proxyMode');
  if (cluster.kubeProxyReplacement !== undefined) {
    if (typeof cluster.kubeProxyReplacement !== 'boolean') fail(`cluster.kubeProxyReplacement ${JSON.stringify(cluster.kubeProxyReplacement)} must be true or false`, 'cluster', 'kubeProxyReplacement');
    if (cluster.kubeProxyReplacement && cluster.cni !== 'cilium') fail(`cluster.kubeProxyReplacement is Cilium's kube-proxy replacement: it needs cni: cilium (this scenario has cni: ${cluster.cni})`, 'cluster', 'kubeProxyReplacement');
    if (cluster.kubeProxyReplacement && c.proxyMode !== undefined) fail(`cluster.proxyMode "${String(c.proxyMode)}" sets kube-proxy's mode, but with kubeProxyReplacement: true there is no kube-proxy`, 'cluster', 'proxyMode');
  }
  if (!Array.isArray(cluster.nodes) || cluster.nodes.length === 0) fail('cluster.nodes must list at least one node', 'cluster', 'nodes');
  splitDualStack(cluster, fail);
  for (const key of ['podCIDR', 'serviceCIDR'] as const) {
    if (typeof cluster[key] !== 'string' || !isCIDR(cluster[key]) || !isIPv4(cluster[key].split('/')[0])) fail(`cluster.${key} "${String(cluster[key])}" is not an IPv4 CIDR`, 'cluster', key);
  }
  if (cluster.objectQuota !== undefined && !(Number.isInteger(cluster.objectQuota) && cluster.objectQuota > 0)) {
    fail(`cluster.objectQuota ${JSON.stringify(cluster.objectQuota)} must be a whole number above 0 (how many objects the simulated etcd holds)`, 'cluster', 'objectQuota');
  }
  if (!Array.isArray(cluster.loadBalancerPool)) fail('cluster.loadBalancerPool must be a list of CIDRs or addresses', 'cluster', 'loadBalancerPool');
  cluster.loadBalancerPool.forEach((p, i) => {
    if (typeof p !== 'string' || !(isCIDR(p) || isIPv4(p))) fail(`cluster.loadBalancerPool[${i}] "${String(p)}" is not a CIDR or an IPv4 address`, 'cluster', 'loadBalancerPool', i);
  });
  const seenNames = new Set<string>();
  const seenIPs = new Set<string>();
  cluster.nodes = cluster.nodes.map((n: NodeSettings, i: number) => {
    const at = (field?: string): ScenarioPath => (field ? ['cluster', 'nodes', i, field] : ['cluster', 'nodes', i]);
    if (!n || typeof n.name !== 'string' || typeof n.ip !== 'string') {
      fail(`cluster.nodes[${i}] needs a name and an ip`, ...at());
    }
    if (isDNS1123Subdomain(n.name).length) fail(`cluster.nodes[${i}].name "${n.name}" is not a valid node name (a lowercase RFC 1123 subdomain)`, ...at('name'));
    if (!isIPv4(n.ip)) fail(`cluster.nodes[${i}].ip "${n.ip}" is not an IPv4 address`, ...at('ip'));
    if (n.ipv6 !== undefined && !cluster.podCIDRv6) fail(`cluster.nodes[${i}].ipv6 is the node's IPv6 address in a dual-stack cluster, but cluster.podCIDR and cluster.serviceCIDR name only IPv4 ranges`, ...at('ipv6'));
    if (cluster.podCIDRv6 && n.ipv6 === undefined) fail(`cluster.nodes[${i}] needs an ipv6 address: in a dual-stack cluster every node has an InternalIP of each family`, ...at());
    if (n.ipv6 !== undefined && (typeof n.ipv6 !== 'string' || !isIPv6(n.ipv6))) fail(`cluster.nodes[${i}].ipv6 "${String(n.ipv6)}" is not an IPv6 address`, ...at('ipv6'));
    if (n.ipv6 !== undefined && seenIPs.has(n.ipv6)) fail(`cluster.nodes[${i}]: ipv6 ${n.ipv6} is used twice`, ...at('ipv6'));
    if (n.ipv6 !== undefined) seenIPs.add(n.ipv6);
    if (n.role !== undefined && n.role !== 'control-plane' && n.role !== 'worker') fail(`cluster.nodes[${i}].role "${String(n.role)}" is not control-plane or worker`, ...at('role'));
    if (n.podCIDR !== undefined && (typeof n.podCIDR !== 'string' || !isCIDR(n.podCIDR) || !isIPv4(n.podCIDR.split('/')[0]))) fail(`cluster.nodes[${i}].podCIDR "${String(n.podCIDR)}" is not an IPv4 CIDR`, ...at('podCIDR'));
    if (n.maxPods !== undefined && !(Number.isInteger(n.maxPods) && n.maxPods >= 0 && n.maxPods <= 2147483647)) {
      fail(`cluster.nodes[${i}].maxPods ${JSON.stringify(n.maxPods)} must be a whole number from 0 to 2147483647 (the kubelet's --max-pods)`, ...at('maxPods'));
    }
    if (seenNames.has(n.name)) fail(`cluster.nodes[${i}]: node name "${n.name}" is used twice`, ...at('name'));
    if (seenIPs.has(n.ip)) fail(`cluster.nodes[${i}]: ip ${n.ip} is used twice`, ...at('ip'));
    seenNames.add(n.name);
    seenIPs.add(n.ip);
    return { ...n };
  });
  checkAddressRanges(cluster, fail);
  if (cluster.podCIDRv6) checkIPv6Ranges(cluster, fail);
  const objects = doc.objects ?? [];
  if (!Array.isArray(objects)) fail('objects: must be a list of manifests', 'objects');
  (objects as unknown[]).forEach((o, i) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) fail(`objects[${i}] is not a manifest`, 'objects', i);
    const m = o as Manifest;
    if (!m.kind) fail(`objects[${i}]: kind is required`, 'objects', i);
    if (!m.apiVersion) fail(`objects[${i}] (${String(m.kind)}): apiVersion is required`, 'objects', i);
  });
  const files = (doc.files ?? {}) as Record<string, string>;
  if (typeof files !== 'object' || Array.isArray(files)) fail('files: must map file names to contents', 'files');
  const startTime = typeof doc.startTime === 'string' ? Date.parse(doc.startTime) : DEFAULT_EPOCH;
  if (Number.isNaN(startTime)) fail('startTime must be an ISO timestamp', 'startTime');
  const faults = doc.faults === undefined ? undefined : normalizeFaults(doc.faults, fail);
  return { cluster, objects: objects as Manifest[], files, startTime, ...(faults ? { faults } : {}) };
}

/** The form of `faults:` (which ids exist is the fault room's to say, when it draws). */
function normalizeFaults(f: unknown, fail: (message: string, ...path: ScenarioPath) => never): FaultsSpec {
  const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMapping(f)) return fail('faults: must be a mapping with target: and draw:', 'faults');
  for (const key of Object.keys(f)) if (key !== 'target' && key !== 'draw') fail(`unknown key faults.${key} (expected target, draw)`, 'faults', key);
  const t = f.target;
  if (!isMapping(t)) return fail('faults.target: must map service, deployment, client (and optionally namespace, ingress) to object names', 'faults', 'target');
  const fields = ['namespace', 'service', 'deployment', 'client', 'ingress'];
  for (const key of Object.keys(t)) {
    if (!fields.includes(key)) fail(`unknown key faults.target.${key} (expected ${fields.join(', ')})`, 'faults', 'target', key);
    if (typeof t[key] !== 'string' || isDNS1123Subdomain(t[key] as string).length) fail(`faults.target.${key} ${JSON.stringify(t[key])} is not an object name`, 'faults', 'target', key);
  }
  for (const key of ['service', 'deployment', 'client']) if (t[key] === undefined) fail(`faults.target.${key} is required`, 'faults', 'target');
  if (!Array.isArray(f.draw) || f.draw.length === 0) return fail('faults.draw: must list at least one group ({ pick: N, from: [fault ids] })', 'faults', 'draw');
  const draw = f.draw.map((g: unknown, i: number) => {
    if (!isMapping(g)) return fail(`faults.draw[${i}] must be { pick: N, from: [fault ids] }`, 'faults', 'draw', i);
    const from = g.from;
    if (!Array.isArray(from) || from.length === 0 || !from.every((x) => typeof x === 'string')) return fail(`faults.draw[${i}].from must list fault ids`, 'faults', 'draw', i, 'from');
    if (new Set(from).size !== from.length) fail(`faults.draw[${i}].from names a fault twice`, 'faults', 'draw', i, 'from');
    const pick = g.pick;
    if (!(Number.isInteger(pick) && (pick as number) >= 1 && (pick as number) <= from.length)) fail(`faults.draw[${i}].pick ${JSON.stringify(pick)} must be a whole number from 1 to ${from.length} (the faults listed)`, 'faults', 'draw', i, 'pick');
    return { pick: pick as number, from: from as string[] };
  });
  return { target: t as FaultsSpec['target'], draw };
}

/** The mask size each node's range gets from cluster.podCIDR (kube-controller-manager's --node-cidr-mask-size, 24 for IPv4), as cluster/ipam.ts hands them out. */
const NODE_CIDR_MASK = 24;

/**
 * The address plan a real cluster needs, checked as kube-apiserver, the node-ipam
 * controller and the CNI would trip over it:
 * - the Service range: kube-apiserver refuses one under /12 (cmd/kube-apiserver options
 *   validation: "specified --service-cluster-ip-range is too large; for 32-bit addresses,
 *   the mask must be >= 12"), and the system layer needs its first address (the
 *   `kubernetes` Service) and its tenth (kube-dns) inside it;
 * - Pod and Service ranges apart, every node's Pod range inside cluster.podCIDR and apart
 *   from the others (a node without one gets the next /24, as node-ipam would), node
 *   addresses and load-balancer pools outside both ranges.
 */
function checkAddressRanges(cluster: ClusterSettings, fail: (message: string, ...path: ScenarioPath) => never): void {
  const pods = parseCidr(cluster.podCIDR)!;
  const services = parseCidr(cluster.serviceCIDR)!;
  const svcText = `cluster.serviceCIDR ${cluster.serviceCIDR}`;
  const podText = `cluster.podCIDR ${cluster.podCIDR}`;
  if (services.prefix < 12) fail(`${svcText} is too large: kube-apiserver refuses it ("specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12")`, 'cluster', 'serviceCIDR');
  const needed = cluster.systemLayer ? 10 : 1;
  if (services.network + needed >= broadcast(services)) {
    const min = cluster.systemLayer ? 28 : 30;
    fail(`${svcText} is too small: ${cluster.systemLayer ? 'the kubernetes Service takes its first address and kube-dns its tenth' : 'a Service needs an address between the network and broadcast addresses'}, so it needs at least a /${min}`, 'cluster', 'serviceCIDR');
  }
  if (overlaps(pods, services)) fail(`${podText} overlaps ${svcText}: Pod and Service addresses must not share a range`, 'cluster', 'podCIDR');
  const nodeMask = Math.max(pods.prefix, NODE_CIDR_MASK);
  const room = 2 ** (nodeMask - pods.prefix);
  const auto = cluster.nodes.filter((n) => n.podCIDR === undefined).length;
  if (auto > room) {
    fail(`${podText} has room for ${room} node range${room === 1 ? '' : 's'} (/${nodeMask} each) but ${auto} nodes need one: use a larger range (a /16 holds 256) or give nodes a podCIDR`, 'cluster', 'podCIDR');
  }
  const ranges: { cidr: Cidr; index: number }[] = [];
  cluster.nodes.forEach((n, i) => {
    const nodeText = `cluster.nodes[${i}]`;
    const own = n.podCIDR !== undefined;
    const cidr = own ? parseCidr(n.podCIDR!)! : { network: pods.network + i * 2 ** (32 - nodeMask), prefix: nodeMask };
    const path: ScenarioPath = own ? ['cluster', 'nodes', i, 'podCIDR'] : ['cluster', 'nodes', i];
    const shown = `${nodeText}${own ? `.podCIDR ${n.podCIDR}` : `'s Pod range ${cidrText(cidr)} (the next /${nodeMask} of cluster.podCIDR)`}`;
    if (!overlapsWithin(cidr, pods)) fail(`${shown} is outside ${podText}: node ranges are carved out of the cluster's Pod range`, ...path);
    if (overlaps(cidr, services)) fail(`${shown} overlaps ${svcText}`, ...path);
    if (cidrSize(cidr) < 4) fail(`${shown} is too small: host-local IPAM keeps the network, gateway and broadcast addresses, so a node range needs at least a /30`, ...path);
    for (const r of ranges) {
      if (overlaps(r.cidr, cidr)) fail(`${shown} overlaps cluster.nodes[${r.index}]'s Pod range ${cidrText(r.cidr)}: each node needs its own`, ...path);
    }
    ranges.push({ cidr, index: i });
    for (const [range, text] of [[pods, podText], [services, svcText]] as const) {
      if (cidrContains(range, n.ip)) fail(`${nodeText}.ip ${n.ip} is inside ${text}: node addresses must lie outside the Pod and Service ranges`, 'cluster', 'nodes', i, 'ip');
    }
  });
  cluster.loadBalancerPool.forEach((p, i) => {
    const pool = parseCidr(p)!;
    for (const [range, text] of [[pods, podText], [services, svcText]] as const) {
      if (overlaps(pool, range)) fail(`cluster.loadBalancerPool[${i}] ${p} overlaps ${text}: load-balancer addresses must lie outside the Pod and Service ranges`, 'cluster', 'loadBalancerPool', i);
    }
  });
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= broadcast(b) && b.network <= broadcast(a);
}

/** `inner` lies wholly inside `outer`. */
function overlapsWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.network >= outer.network && broadcast(inner) <= broadcast(outer);
}

/**
 * `podCIDR` and `serviceCIDR` name one range or a dual-stack pair, as a list or as
 * kubeadm's comma-separated flag value (`--pod-network-cidr=10.244.0.0/16,fd00:10:244::/56`).
 * The pair is IPv4 first (the primary family); it leaves `podCIDR`/`serviceCIDR` IPv4 and
 * puts the IPv6 ranges in `podCIDRv6`/`serviceCIDRv6`.
 */
function splitDualStack(cluster: ClusterSettings, fail: (message: string, ...path: ScenarioPath) => never): void {
  const pairs: Partial<Record<'podCIDR' | 'serviceCIDR', string>> = {};
  for (const key of ['podCIDR', 'serviceCIDR'] as const) {
    const raw: unknown = cluster[key];
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw.includes(',') ? raw.split(',').map((x) => x.trim()) : undefined;
    if (!list) continue;
    if (list.length === 1) {
      cluster[key] = list[0];
      continue;
    }
    if (list.length !== 2) fail(`cluster.${key} lists ${list.length} ranges: a dual-stack cluster has one range of each family (IPv4 first, then IPv6)`, 'cluster', key);
    const [v4, v6] = list.map(String);
    if (!isCIDR(v4) || !isIPv4(v4.split('/')[0])) fail(`cluster.${key}[0] "${v4}" is not an IPv4 CIDR (a dual-stack pair is IPv4 first, then IPv6; IPv6-primary clusters are not simulated)`, 'cluster', key);
    if (!parseCidr6(v6) || !isCIDR(v6)) fail(`cluster.${key}[1] "${v6}" is not an IPv6 CIDR`, 'cluster', key);
    cluster[key] = v4;
    pairs[key] = v6;
  }
  if (!!pairs.podCIDR !== !!pairs.serviceCIDR) {
    const single = pairs.podCIDR ? 'serviceCIDR' : 'podCIDR';
    fail(`cluster.${single} names one family but cluster.${single === 'podCIDR' ? 'serviceCIDR' : 'podCIDR'} two: a dual-stack cluster needs an IPv4 and an IPv6 range for both`, 'cluster', single);
  }
  if (pairs.podCIDR && pairs.serviceCIDR) {
    // What the simulation wires for IPv6: flannel's dual-stack (host-local's second range,
    // flannel-v6.1), addresses, Services, EndpointSlices and DNS, kube-proxy's ip6tables rules
    // and the IPv6 packet walk (dataplane/walk.ts carriesIPv6) — with iptables mode only, so
    // the other modes are refused. The ranges must be unique-local, as kind's are.
    if (cluster.cni !== 'flannel') fail(`cluster.cni "${cluster.cni}": dual-stack is simulated with cni: flannel (its host-local IPAM's second range); the other plugins' IPv6 wiring is not`, 'cluster', 'cni');
    if (cluster.proxyMode !== 'iptables') fail(`cluster.proxyMode "${cluster.proxyMode}": dual-stack is simulated with proxyMode: iptables (kube-proxy's iptables proxier for each family)`, 'cluster', 'proxyMode');
    for (const key of ['podCIDR', 'serviceCIDR'] as const) {
      if (!cidr6Contains('fc00::/7', parseCidr6(pairs[key]!)!.network)) fail(`cluster.${key}[1] ${pairs[key]} is not a unique-local (fc00::/7) range: the simulation's traffic is IPv4, which a pod prefers only when its IPv6 addresses are unique-local`, 'cluster', key);
    }
    cluster.podCIDRv6 = pairs.podCIDR;
    cluster.serviceCIDRv6 = pairs.serviceCIDR;
  }
}

/** kube-controller-manager's --node-cidr-mask-size-ipv6 default: each node gets a /64 of the IPv6 Pod range. */
export const NODE_CIDR_MASK_V6 = 64;

/**
 * The IPv6 half of the address plan, checked as the IPv4 half is:
 * - kube-apiserver refuses an IPv6 Service range wider than /108 (its allocator bitmap
 *   holds at most 2^20 addresses: "specified --secondary-service-cluster-ip-range is too
 *   large; for 128-bit addresses, the mask must be >= 108");
 * - node-ipam carves one /64 per node out of the Pod range, so it must be /64 or narrower
 *   in prefix (and hold a /64 for every node);
 * - Pod and Service ranges apart, node addresses outside both.
 */
function checkIPv6Ranges(cluster: ClusterSettings, fail: (message: string, ...path: ScenarioPath) => never): void {
  const pods = parseCidr6(cluster.podCIDRv6!)!;
  const services = parseCidr6(cluster.serviceCIDRv6!)!;
  const podText = `cluster.podCIDR[1] ${cluster.podCIDRv6}`;
  const svcText = `cluster.serviceCIDR[1] ${cluster.serviceCIDRv6}`;
  if (services.prefix < 108) fail(`${svcText} is too large: kube-apiserver refuses it ("specified --secondary-service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108")`, 'cluster', 'serviceCIDR');
  if (services.prefix > 124) fail(`${svcText} is too small: the kubernetes Service takes its first address and kube-dns its tenth, so it needs at least a /124`, 'cluster', 'serviceCIDR');
  if (pods.prefix > NODE_CIDR_MASK_V6) fail(`${podText} is too small: node-ipam gives each node a /${NODE_CIDR_MASK_V6} (--node-cidr-mask-size-ipv6), so the Pod range must be a /${NODE_CIDR_MASK_V6} or larger`, 'cluster', 'podCIDR');
  const room = 2 ** Math.min(30, NODE_CIDR_MASK_V6 - pods.prefix);
  if (cluster.nodes.length > room) fail(`${podText} has room for ${room} node range${room === 1 ? '' : 's'} (/${NODE_CIDR_MASK_V6} each) but ${cluster.nodes.length} nodes need one`, 'cluster', 'podCIDR');
  if (overlaps6(pods, services)) fail(`${podText} overlaps ${svcText}: Pod and Service addresses must not share a range`, 'cluster', 'podCIDR');
  cluster.nodes.forEach((n, i) => {
    for (const [range, text] of [[pods, podText], [services, svcText]] as [Cidr6, string][]) {
      if (cidr6Contains(range, n.ipv6!)) fail(`cluster.nodes[${i}].ipv6 ${n.ipv6} is inside ${text}: node addresses must lie outside the Pod and Service ranges`, 'cluster', 'nodes', i, 'ipv6');
    }
  });
}
