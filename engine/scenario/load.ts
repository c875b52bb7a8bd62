/**
 * Scenario files: a `cluster:` block of settings plus ordinary manifests under
 * `objects:`, and optional `files:` seeded into the learner's home directory.
 */
import { parse } from 'yaml';
import { DEFAULT_EPOCH } from '../cluster/clock';
import { isCIDR, isDNS1123Subdomain, isIPv4 } from '../cluster/validation';
import { CNI_NAMES, DEFAULT_SETTINGS, PROXY_MODES, type ClusterSettings, type CniName, type Manifest, type NodeSettings, type ProxyMode } from '../cluster/types';

export interface Scenario {
  cluster: ClusterSettings;
  objects: Manifest[];
  /** Files for ~ (path relative to the home directory → content). */
  files: Record<string, string>;
  /** Virtual time at which the scenario starts. */
  startTime: number;
}

export class ScenarioError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const CNIS: readonly CniName[] = CNI_NAMES;
const MODES: readonly ProxyMode[] = PROXY_MODES;

export function loadScenario(text: string): Scenario {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : parse(text, { prettyErrors: true });
  } catch (e) {
    const err = e as { message: string; linePos?: { line: number }[] };
    throw new ScenarioError(`invalid YAML: ${err.message.split('\n')[0]}`, err.linePos?.[0]?.line);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ScenarioError('a scenario must be a mapping with cluster: and objects:');
  return normalizeScenario(doc as Record<string, unknown>);
}

export function normalizeScenario(doc: Record<string, unknown>): Scenario {
  for (const key of Object.keys(doc)) {
    if (!['cluster', 'objects', 'files', 'startTime'].includes(key)) {
      throw new ScenarioError(`unknown top-level key "${key}" (expected cluster, objects, files)`);
    }
  }
  const c = (doc.cluster ?? {}) as Record<string, unknown>;
  if (typeof c !== 'object' || Array.isArray(c)) throw new ScenarioError('cluster: must be a mapping');
  const known = ['name', 'cni', 'proxyMode', 'ipvsScheduler', 'clusterDomain', 'podCIDR', 'serviceCIDR', 'nodes', 'loadBalancerPool', 'kubernetesVersion', 'systemLayer'];
  for (const key of Object.keys(c)) {
    if (!known.includes(key)) throw new ScenarioError(`unknown cluster setting "${key}" (known: ${known.join(', ')})`);
  }
  const cluster: ClusterSettings = { ...DEFAULT_SETTINGS, ...(c as Partial<ClusterSettings>) };
  if (!CNIS.includes(cluster.cni)) throw new ScenarioError(`cluster.cni "${cluster.cni}" is not one of ${CNIS.join(', ')}`);
  if (!MODES.includes(cluster.proxyMode)) throw new ScenarioError(`cluster.proxyMode "${cluster.proxyMode}" is not one of ${MODES.join(', ')}`);
  if (!Array.isArray(cluster.nodes) || cluster.nodes.length === 0) throw new ScenarioError('cluster.nodes must list at least one node');
  for (const key of ['podCIDR', 'serviceCIDR'] as const) {
    if (typeof cluster[key] !== 'string' || !isCIDR(cluster[key]) || !isIPv4(cluster[key].split('/')[0])) throw new ScenarioError(`cluster.${key} "${cluster[key]}" is not an IPv4 CIDR`);
  }
  if (!Array.isArray(cluster.loadBalancerPool)) throw new ScenarioError('cluster.loadBalancerPool must be a list of CIDRs or addresses');
  cluster.loadBalancerPool.forEach((p, i) => {
    if (typeof p !== 'string' || !(isCIDR(p) || isIPv4(p))) throw new ScenarioError(`cluster.loadBalancerPool[${i}] "${p}" is not a CIDR or an IPv4 address`);
  });
  const seenNames = new Set<string>();
  const seenIPs = new Set<string>();
  cluster.nodes = cluster.nodes.map((n: NodeSettings, i: number) => {
    if (!n || typeof n.name !== 'string' || typeof n.ip !== 'string') {
      throw new ScenarioError(`cluster.nodes[${i}] needs a name and an ip`);
    }
    if (isDNS1123Subdomain(n.name).length) throw new ScenarioError(`cluster.nodes[${i}].name "${n.name}" is not a valid node name (a lowercase RFC 1123 subdomain)`);
    if (!isIPv4(n.ip)) throw new ScenarioError(`cluster.nodes[${i}].ip "${n.ip}" is not an IPv4 address`);
    if (n.role !== undefined && n.role !== 'control-plane' && n.role !== 'worker') throw new ScenarioError(`cluster.nodes[${i}].role "${n.role}" is not control-plane or worker`);
    if (n.podCIDR !== undefined && (typeof n.podCIDR !== 'string' || !isCIDR(n.podCIDR))) throw new ScenarioError(`cluster.nodes[${i}].podCIDR "${n.podCIDR}" is not a CIDR`);
    if (seenNames.has(n.name)) throw new ScenarioError(`cluster.nodes[${i}]: node name "${n.name}" is used twice`);
    if (seenIPs.has(n.ip)) throw new ScenarioError(`cluster.nodes[${i}]: ip ${n.ip} is used twice`);
    seenNames.add(n.name);
    seenIPs.add(n.ip);
    return { ...n };
  });
  const objects = doc.objects ?? [];
  if (!Array.isArray(objects)) throw new ScenarioError('objects: must be a list of manifests');
  objects.forEach((o, i) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ScenarioError(`objects[${i}] is not a manifest`);
    const m = o as Manifest;
    if (!m.kind) throw new ScenarioError(`objects[${i}]: kind is required`);
    if (!m.apiVersion) throw new ScenarioError(`objects[${i}] (${m.kind}): apiVersion is required`);
  });
  const files = (doc.files ?? {}) as Record<string, string>;
  if (typeof files !== 'object' || Array.isArray(files)) throw new ScenarioError('files: must map file names to contents');
  const startTime = typeof doc.startTime === 'string' ? Date.parse(doc.startTime) : DEFAULT_EPOCH;
  if (Number.isNaN(startTime)) throw new ScenarioError('startTime must be an ISO timestamp');
  return { cluster, objects: objects as Manifest[], files, startTime };
}
