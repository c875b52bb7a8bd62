/**
 * proxy.CategorizeEndpoints (pkg/proxy/topology.go): which of a Service port's endpoints
 * a node sends cluster-policy and local-policy traffic to.
 */
import type { EndpointInfo } from './endpoint';
import { usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './serviceport';

export interface Categorized {
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  allReachable: EndpointInfo[];
  hasAnyEndpoints: boolean;
}

/** proxy.CategorizeEndpoints (topology hints left out: no zone labels in the simulator). */
export function categorizeEndpoints(eps: EndpointInfo[], sp: ServicePortInfo, node: string): Categorized {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(sp)) {
    clusterEndpoints = eps.filter((e) => e.ready);
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
  else if (localServingTerminating) localEndpoints = eps.filter((e) => e.nodeName === node && e.serving && e.terminating);
  if (!usesClusterEndpoints(sp)) return { clusterEndpoints, localEndpoints, allReachable: localEndpoints, hasAnyEndpoints };
  const set = new Set([...clusterEndpoints, ...localEndpoints]);
  return { clusterEndpoints, localEndpoints, allReachable: eps.filter((e) => set.has(e)), hasAnyEndpoints };
}
