/**
 * proxy.CategorizeEndpoints (pkg/proxy/topology.go, v1.33–v1.34): which of a Service
 * port's endpoints a node sends cluster-policy and local-policy traffic to, honouring the
 * topology hints the EndpointSlice controller wrote for spec.trafficDistribution.
 *
 * Every mode's proxier calls it per node with that node's labels (NodeInfo.labels):
 * without them (or without a topology.kubernetes.io/zone label) zone hints are ignored,
 * as upstream ignores them on a node missing the label.
 */
import { LABEL_TOPOLOGY_ZONE } from '../../cluster/types';
import type { EndpointInfo } from './endpoint';
import { usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './serviceport';

export interface Categorized {
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  allReachable: EndpointInfo[];
  hasAnyEndpoints: boolean;
}

/** v1.ServiceTrafficDistributionPreferSameNode / PreferSameZone, or '' (no topology). */
export type TopologyMode = '' | 'PreferSameNode' | 'PreferSameZone';

/**
 * topologyModeFromHints: PreferSameNode when every ready endpoint has a node hint and one
 * is hinted for this node (PreferSameTrafficDistribution is on by default in v1.34);
 * otherwise PreferSameZone when every ready endpoint has a zone hint and one is hinted for
 * this node's zone; otherwise no topology.
 */
export function topologyModeFromHints(eps: readonly EndpointInfo[], node: string, zone: string): TopologyMode {
  let hasEndpointForNode = false;
  let allEndpointsHaveNodeHints = true;
  let hasEndpointForZone = false;
  let allEndpointsHaveZoneHints = true;
  for (const e of eps) {
    if (!e.ready) continue;
    if (e.nodeHints.length === 0) allEndpointsHaveNodeHints = false;
    else if (e.nodeHints.includes(node)) hasEndpointForNode = true;
    if (e.zoneHints.length === 0) allEndpointsHaveZoneHints = false;
    else if (e.zoneHints.includes(zone)) hasEndpointForZone = true;
  }
  if (allEndpointsHaveNodeHints && hasEndpointForNode) return 'PreferSameNode';
  if (allEndpointsHaveZoneHints && hasEndpointForZone) return 'PreferSameZone';
  return '';
}

/** availableForTopology: no fallback here; it happened when the mode was chosen. */
function availableForTopology(e: EndpointInfo, mode: TopologyMode, node: string, zone: string): boolean {
  if (mode === 'PreferSameNode') return e.nodeHints.includes(node);
  if (mode === 'PreferSameZone') return e.zoneHints.includes(zone);
  return true;
}

/**
 * CategorizeEndpoints(endpoints, svcInfo, nodeName, nodeLabels). Cluster-policy traffic
 * goes to the ready endpoints the topology mode allows (falling back to serving and
 * terminating ones when none is ready anywhere); Local-policy traffic to this node's.
 */
export function categorizeEndpoints(eps: EndpointInfo[], sp: ServicePortInfo, node: string, nodeLabels?: Readonly<Record<string, string>>): Categorized {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  let topologyMode: TopologyMode = '';
  let useServingTerminatingEndpoints = false;
  if (usesClusterEndpoints(sp)) {
    const zone = nodeLabels?.[LABEL_TOPOLOGY_ZONE] ?? '';
    topologyMode = topologyModeFromHints(eps, node, zone);
    clusterEndpoints = eps.filter((e) => e.ready && availableForTopology(e, topologyMode, node, zone));
    if (clusterEndpoints.length === 0) clusterEndpoints = eps.filter((e) => e.serving && e.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(sp)) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasAnyEndpoints };
  let localReady = false;
  let localServingTerminating = false;
  for (const e of eps) {
    if (e.ready) {
      hasAnyEndpoints = true;
      if (e.nodeName === node) localReady = true;
    } else if (e.serving && e.terminating) {
      hasAnyEndpoints = true;
      if (e.nodeName === node) localServingTerminating = true;
    }
  }
  if (localReady) localEndpoints = eps.filter((e) => e.nodeName === node && e.ready);
  else if (localServingTerminating) {
    useServingTerminatingEndpoints = true;
    localEndpoints = eps.filter((e) => e.nodeName === node && e.serving && e.terminating);
  }
  if (!usesClusterEndpoints(sp)) return { clusterEndpoints, localEndpoints, allReachable: localEndpoints, hasAnyEndpoints };
  // clusterEndpoints then holds every ready endpoint, a superset of the local ready ones
  if (topologyMode === '' && !useServingTerminatingEndpoints) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasAnyEndpoints };
  // remote endpoints the topology allows plus local ones it does not: the union, in endpoint order
  const set = new Set([...clusterEndpoints, ...localEndpoints]);
  return { clusterEndpoints, localEndpoints, allReachable: eps.filter((e) => set.has(e)), hasAnyEndpoints };
}
