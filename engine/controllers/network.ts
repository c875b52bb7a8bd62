import type { Simulation } from '../simulation';
import type { SimModule } from '../modules';

/** The node-side network agents: CNI, kube-proxy, CoreDNS's records, the ingress controller. */
export function createNetworkModules(_sim: Simulation): SimModule[] {
  return [];
}
