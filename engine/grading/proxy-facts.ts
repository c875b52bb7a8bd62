/**
 * What kube-proxy writes for a Service, as a learner reads it on a node: the names of a
 * Service port's chains, and how many rules a chain holds on a node right now.
 *
 * Chain names are derived with kube-proxy's own naming (the proxier's helpers), from the
 * Service and its EndpointSlices, so a question about a chain's name does not depend on
 * a rule the learner may have deleted by hand. Rule counts read the node's live tables,
 * the ones `nft list chain` and `iptables -L` print.
 */
import type { Simulation } from '../simulation';
import type { KubeObject } from '../cluster/types';
import type { TableName } from '../dataplane/netfilter/rule';
import { kubeProxyOf } from '../controllers/kube-proxy';
import { endpointsFor } from '../controllers/kube-proxy/endpoint';
import { externallyAccessible, servicePorts, type ServicePortInfo } from '../controllers/kube-proxy/serviceport';
import { portChainBase } from '../controllers/kube-proxy/nftables/rules';
import { ENDPOINT_CHAIN_PREFIX, EXTERNAL_CHAIN_PREFIX, KUBE_PROXY_TABLE, SERVICE_CHAIN_PREFIX, servicePortEndpointChainNameBase } from '../controllers/kube-proxy/nftables/naming';
import { describeRef } from './query';
import { explainNoEndpoints } from './cluster-facts';

export type ProxyChainKind = 'service' | 'external' | 'endpoint';

export interface ProxyChainSpec {
  service: string;
  namespace?: string;
  /** The Service port, by name or number (default: its only port). */
  port?: string | number;
  chain: ProxyChainKind;
  /** For `endpoint`: only the endpoints on this node. */
  node?: string;
  /** For `endpoint`: only the endpoint with this Pod IP. */
  ip?: string;
}

export interface ProxyChains {
  /** The chain names, as `nft list` / `iptables-save` print them. */
  names?: string[];
  /** Shorter spellings that name the same chain unambiguously (nftables: `endpoint-HASH`). */
  short?: string[];
  reason?: string;
}

const IPTABLES_TABLES: TableName[] = ['nat', 'filter', 'mangle', 'raw'];

function pickPort(svc: KubeObject, ports: ServicePortInfo[], port: string | number | undefined, the: string): { sp?: ServicePortInfo; reason?: string } {
  if (ports.length === 0) return { reason: `${the} has no ClusterIP port kube-proxy proxies (headless, ExternalName or no ports)` };
  if (port === undefined) {
    if (ports.length > 1) return { reason: `${the} has ${ports.length} ports: name one with \`port:\`` };
    return { sp: ports[0] };
  }
  const sp = ports.find((p) => p.portName === String(port) || String(p.port) === String(port));
  return sp ? { sp } : { reason: `${the} has no port ${port}` };
}

/** A Service port's chain in the cluster's proxy mode (KUBE-SVC-…/KUBE-EXT-…/KUBE-SEP-… or service-…/external-…/endpoint-…). */
export function proxyChains(sim: Simulation, spec: ProxyChainSpec): ProxyChains {
  const mode = sim.settings.proxyMode;
  if (mode !== 'iptables' && mode !== 'nftables') return { reason: `kube-proxy runs in ${mode} mode here: it writes no per-Service chains` };
  const ns = spec.namespace ?? 'default';
  const svc = sim.store.get('Service', ns, spec.service);
  const the = describeRef('Service', spec.service, ns);
  if (!svc) return { reason: `${the} does not exist` };
  const picked = pickPort(svc, servicePorts(svc), spec.port, the);
  if (!picked.sp) return { reason: picked.reason };
  const sp = picked.sp;
  const nft = mode === 'nftables';
  if (spec.chain === 'service') {
    if (nft) return { names: [SERVICE_CHAIN_PREFIX + portChainBase(sp)], short: [SERVICE_CHAIN_PREFIX + portChainBase(sp).slice(0, 8)] };
    return { names: [sp.clusterChain] };
  }
  if (spec.chain === 'external') {
    if (!externallyAccessible(sp)) return { reason: `${the} has no NodePort, external IP or load-balancer IP, so kube-proxy writes no external chain for it` };
    if (nft) return { names: [EXTERNAL_CHAIN_PREFIX + portChainBase(sp)], short: [EXTERNAL_CHAIN_PREFIX + portChainBase(sp).slice(0, 8)] };
    return { names: [sp.extChain] };
  }
  const slices = sim.store.list('EndpointSlice', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === spec.service);
  const eps = endpointsFor(sp, slices).filter((e) => e.ready && (!spec.node || e.nodeName === spec.node) && (!spec.ip || e.ip === spec.ip));
  if (eps.length === 0) {
    const all = endpointsFor(sp, slices).filter((e) => e.ready);
    if (all.length === 0) return { reason: explainNoEndpoints(sim, ns, spec.service) };
    const where = [spec.node && `on ${spec.node}`, spec.ip && `at ${spec.ip}`].filter(Boolean).join(' ');
    return { reason: `${the} has no ready endpoint ${where}` };
  }
  if (!nft) return { names: eps.map((e) => e.chain) };
  const bases = eps.map((e) => servicePortEndpointChainNameBase(sp.spn.namespace, sp.spn.name, sp.protocol, sp.portName, e.str));
  return { names: bases.map((b) => ENDPOINT_CHAIN_PREFIX + b), short: bases.map((b) => ENDPOINT_CHAIN_PREFIX + b.slice(0, 8)) };
}

export interface RuleCountSpec {
  node: string;
  chain: string;
  /** `kube-proxy` (nftables' `ip kube-proxy` table, the default) or an iptables table: nat, filter, mangle, raw. */
  table?: string;
}

/** How many rules a chain holds on a node right now (`nft list chain ip kube-proxy CHAIN`, `iptables -t TABLE -S CHAIN`). */
export function chainRuleCount(sim: Simulation, spec: RuleCountSpec): { count?: number; reason?: string } {
  const kp = kubeProxyOf(sim.cluster);
  const nf = kp.node(spec.node);
  if (!nf) return { reason: `there is no node ${spec.node}` };
  const table = spec.table ?? KUBE_PROXY_TABLE;
  if (IPTABLES_TABLES.includes(table as TableName)) {
    // hasTable first: table() would create a missing table, and checks only look.
    const chain = nf.hasTable(table as TableName) ? nf.table(table as TableName).get(spec.chain) : undefined;
    if (!chain) return { reason: `${spec.node} has no chain ${spec.chain} in its ${table} table` };
    return { count: chain.rules.length };
  }
  if (table !== KUBE_PROXY_TABLE) return { reason: `unknown table ${table} (kube-proxy, nat, filter, mangle or raw)` };
  if (kp.mode !== 'nftables') return { reason: `kube-proxy runs in ${kp.mode} mode here: there is no ip kube-proxy table` };
  const t = kp.nftables.ruleset(spec.node)?.table('ip', KUBE_PROXY_TABLE);
  const chain = t?.chains.get(spec.chain);
  if (!chain) return { reason: `${spec.node} has no chain ${spec.chain} in the table ip kube-proxy` };
  return { count: chain.rules.length };
}
