/**
 * What one Service port contributes to a node's `kube-proxy` table, in the order and with
 * the statements of the per-service loop of syncProxyRules (pkg/proxy/nftables/proxier.go,
 * v1.34, including #131492's shorter ClusterIP masquerade rule): its chains (endpoint,
 * service-/local- policy, external-, firewall-) with their rules, its affinity sets, and
 * the elements it puts in the shared sets and verdict maps. The chains and sets come as a
 * transaction fragment (./tx.ts) so every node replays them in upstream's order; the
 * elements go through the proxier's element storage.
 */
import { rule, verdict, type NftFamily, type NftRule, type NftStmt, type NftVerdict } from '../../../dataplane/nftables/rule';
import type { EndpointInfo } from '../endpoint';
import { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from '../serviceport';
import { categorizeEndpoints } from '../topology';
import {
  AFFINITY_SET_PREFIX, CLUSTER_IPS_SET, ENDPOINT_CHAIN_PREFIX, EXTERNAL_CHAIN_PREFIX, FIREWALL_CHAIN_PREFIX, FIREWALL_IPS_MAP,
  LOCAL_CHAIN_PREFIX, MARK_MASQ_CHAIN, NO_ENDPOINT_NODEPORTS_MAP, NO_ENDPOINT_SERVICES_MAP, REJECT_CHAIN, SERVICE_CHAIN_PREFIX,
  SERVICE_IPS_MAP, SERVICE_NODEPORTS_MAP, servicePortChainNameBase, servicePortEndpointChainNameBase,
} from './naming';
import type { NftOp } from './tx';
import { Tx } from './tx';
import { cidrContains } from '../../../cluster/ipv4';

/** An element the Service port puts in one of the shared sets or maps. */
export interface ElementSpec {
  set: string;
  key: string[];
  value?: NftVerdict;
  comment?: string;
}

export interface PortContribution {
  /** Chains and affinity sets, created (add + flush) and filled in upstream's order. */
  ops: NftOp[];
  /** The chains this port uses (activeChains). */
  chains: string[];
  /** The affinity sets this port uses (activeAffinitySets). */
  affinitySets: string[];
  elements: ElementSpec[];
}

export interface NftGenContext {
  family: NftFamily;
  /** The node (for Local traffic policy); empty when the rules do not depend on it. */
  node: string;
  /** The node's labels: its zone picks hinted endpoints (topology.go). */
  nodeLabels?: Readonly<Record<string, string>>;
  nodeIP: string;
  /** The cluster CIDR the local-traffic detector matches (detect-local-mode ClusterCIDR). */
  clusterCIDR: string;
}

const names = new Map<string, string>();

/** The chain name base of an endpoint of a port (servicePortEndpointChainNameBase), cached. */
function endpointBase(sp: ServicePortInfo, ep: EndpointInfo): string {
  const k = `${sp.name}\u0000${sp.protocol}\u0000${ep.str}`;
  let n = names.get(k);
  if (!n) {
    n = servicePortEndpointChainNameBase(sp.spn.namespace, sp.spn.name, sp.protocol, sp.portName, ep.str);
    if (names.size > 200_000) names.clear();
    names.set(k, n);
  }
  return n;
}

export function portChainBase(sp: ServicePortInfo): string {
  const k = `${sp.name}\u0000${sp.protocol}`;
  let n = names.get(k);
  if (!n) {
    n = servicePortChainNameBase(sp.spn.namespace, sp.spn.name, sp.protocol, sp.portName);
    names.set(k, n);
  }
  return n;
}

const jumpMasq: NftStmt = { t: 'verdict', verdict: verdict.jump(MARK_MASQ_CHAIN) };

export function generatePort(sp: ServicePortInfo, allEndpoints: EndpointInfo[], ctx: NftGenContext): PortContribution {
  const f = ctx.family;
  const tx = new Tx();
  const c: PortContribution = { ops: tx.ops, chains: [], affinitySets: [], elements: [] };
  const protocol = sp.protocol;
  const port = String(sp.port);
  const base = portChainBase(sp);
  const affinity = sp.affinity;
  const { clusterEndpoints, localEndpoints, allReachable, hasAnyEndpoints: hasEndpoints } = categorizeEndpoints(allEndpoints, sp, ctx.node, ctx.nodeLabels);
  const ensure = (name: string) => {
    tx.ensureChain(name);
    c.chains.push(name);
  };
  const epChain = (ep: EndpointInfo) => ENDPOINT_CHAIN_PREFIX + endpointBase(sp, ep);
  const affinitySet = (ep: EndpointInfo) => AFFINITY_SET_PREFIX + endpointBase(sp, ep);
  const elem = (set: string, key: string[], value?: NftVerdict, comment?: string) => {
    const e: ElementSpec = { set, key };
    if (value) e.value = value;
    if (comment !== undefined) e.comment = comment;
    c.elements.push(e);
  };

  for (const ep of allReachable) {
    ensure(epChain(ep));
    if (affinity) c.affinitySets.push(affinitySet(ep));
  }
  const clusterPolicyChain = SERVICE_CHAIN_PREFIX + base;
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(sp);
  if (usesClusterPolicyChain) ensure(clusterPolicyChain);
  const localPolicyChain = LOCAL_CHAIN_PREFIX + base;
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(sp);
  if (usesLocalPolicyChain) ensure(localPolicyChain);

  let internalPolicyChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (sp.internalLocal) {
    internalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }
  const internalTrafficChain = internalPolicyChain;
  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (sp.externalLocal) {
    externalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  const externalTrafficChain = EXTERNAL_CHAIN_PREFIX + base;
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(sp);
  if (usesExternalTrafficChain) ensure(externalTrafficChain);

  let internalVerdict: NftVerdict | undefined;
  let externalVerdict: NftVerdict | undefined;
  if (!hasEndpoints) {
    internalVerdict = verdict.goto(REJECT_CHAIN);
    externalVerdict = verdict.goto(REJECT_CHAIN);
  } else {
    if (!hasInternalEndpoints) internalVerdict = verdict.drop;
    if (!hasExternalEndpoints) externalVerdict = verdict.drop;
  }

  // Capture the clusterIP.
  elem(CLUSTER_IPS_SET, [sp.clusterIP]);
  if (hasInternalEndpoints) elem(SERVICE_IPS_MAP, [sp.clusterIP, protocol, port], verdict.goto(internalTrafficChain));
  else elem(NO_ENDPOINT_SERVICES_MAP, [sp.clusterIP, protocol, port], internalVerdict, sp.name);
  // Capture externalIPs.
  for (const ip of sp.externalIPs) {
    if (hasEndpoints) elem(SERVICE_IPS_MAP, [ip, protocol, port], verdict.goto(externalTrafficChain));
    if (!hasExternalEndpoints) elem(NO_ENDPOINT_SERVICES_MAP, [ip, protocol, port], externalVerdict, sp.name);
  }
  const usesFWChain = sp.lbIPs.length > 0 && sp.lbSourceRanges.length > 0;
  const fwChain = FIREWALL_CHAIN_PREFIX + base;
  if (usesFWChain) ensure(fwChain);
  // Capture load-balancer ingress.
  for (const lbip of sp.lbIPs) {
    if (hasEndpoints) elem(SERVICE_IPS_MAP, [lbip, protocol, port], verdict.goto(externalTrafficChain));
    if (usesFWChain) elem(FIREWALL_IPS_MAP, [lbip, protocol, port], verdict.goto(fwChain));
  }
  if (!hasExternalEndpoints) for (const lbip of sp.lbIPs) elem(NO_ENDPOINT_SERVICES_MAP, [lbip, protocol, port], externalVerdict, sp.name);
  // Capture nodeports.
  if (sp.nodePort !== 0) {
    if (hasEndpoints) elem(SERVICE_NODEPORTS_MAP, [protocol, String(sp.nodePort)], verdict.goto(externalTrafficChain));
    if (!hasExternalEndpoints) elem(NO_ENDPOINT_NODEPORTS_MAP, [protocol, String(sp.nodePort)], externalVerdict, sp.name);
  }

  // Internal traffic: masquerade off-cluster traffic to the ClusterIP.
  if (hasInternalEndpoints) {
    tx.addRule(internalTrafficChain, rule([
      { t: 'addr', fam: f, field: 'daddr', neg: false, value: sp.clusterIP },
      { t: 'addr', fam: f, field: 'saddr', neg: true, value: ctx.clusterCIDR },
      jumpMasq,
    ]));
  }
  // External traffic.
  if (usesExternalTrafficChain) {
    if (!sp.externalLocal) {
      tx.addRule(externalTrafficChain, rule([jumpMasq]));
    } else {
      tx.addRule(externalTrafficChain, rule([{ t: 'addr', fam: f, field: 'saddr', neg: false, value: ctx.clusterCIDR }, { t: 'verdict', verdict: verdict.goto(clusterPolicyChain) }], 'short-circuit pod traffic'));
      tx.addRule(externalTrafficChain, rule([{ t: 'fib', field: 'saddr', type: 'local' }, jumpMasq], 'masquerade local traffic'));
      tx.addRule(externalTrafficChain, rule([{ t: 'fib', field: 'saddr', type: 'local' }, { t: 'verdict', verdict: verdict.goto(clusterPolicyChain) }], 'short-circuit local traffic'));
    }
    if (hasExternalEndpoints) tx.addRule(externalTrafficChain, rule([{ t: 'verdict', verdict: verdict.goto(externalPolicyChain) }]));
  }
  // loadBalancerSourceRanges.
  if (usesFWChain) {
    const sources = [...sp.lbSourceRanges];
    if (sp.lbSourceRanges.some((cidr) => cidrContains(cidr, ctx.nodeIP))) sources.push(...sp.lbIPs);
    tx.addRule(fwChain, rule([{ t: 'addrlist', fam: f, field: 'saddr', neg: true, items: sources }, { t: 'verdict', verdict: verdict.drop }]));
  }
  // The per-endpoint affinity sets.
  if (affinity) {
    for (const ep of allReachable) {
      tx.addSet({ name: affinitySet(ep), map: false, keyType: [f === 'ip' ? 'ipv4_addr' : 'ipv6_addr'], flags: ['dynamic', 'timeout'], timeout: sp.stickySeconds * 1000 });
    }
  }
  if (usesClusterPolicyChain) serviceToEndpointRules(tx, sp, f, clusterPolicyChain, clusterEndpoints, epChain, affinitySet);
  if (usesLocalPolicyChain) serviceToEndpointRules(tx, sp, f, localPolicyChain, localEndpoints, epChain, affinitySet);
  // The per-endpoint chains.
  for (const ep of allReachable) {
    const chain = epChain(ep);
    tx.addRule(chain, rule([{ t: 'addr', fam: f, field: 'saddr', neg: false, value: ep.ip }, jumpMasq]));
    if (affinity) tx.addRule(chain, rule([{ t: 'update', fam: f, set: affinitySet(ep), field: 'saddr' }]));
    tx.addRule(chain, rule([{ t: 'l4proto', proto: protocol }, { t: 'dnat', addr: ep.ip, port: ep.port }]));
  }
  return c;
}

/** writeServiceToEndpointRules: affinity lookups first, then `numgen random mod N vmap`. */
function serviceToEndpointRules(
  tx: Tx, sp: ServicePortInfo, f: NftFamily, chain: string, endpoints: EndpointInfo[],
  epChain: (ep: EndpointInfo) => string, affinitySet: (ep: EndpointInfo) => string,
): void {
  if (sp.affinity) {
    for (const ep of endpoints) {
      tx.addRule(chain, rule([{ t: 'addrset', fam: f, field: 'saddr', neg: false, set: affinitySet(ep) }, { t: 'verdict', verdict: verdict.goto(epChain(ep)) }]));
    }
  }
  const lb: NftRule = rule([{ t: 'numgen', targets: endpoints.map((ep) => verdict.goto(epChain(ep))) }]);
  tx.addRule(chain, lb);
}
