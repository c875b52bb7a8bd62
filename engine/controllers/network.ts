import type { Simulation } from '../simulation';
import type { SimModule } from '../modules';
import { createCniModules } from './cni';
import { createKubeProxyModules } from './kube-proxy';
import { createDnsModules } from './dns';
import { createIngressModules } from './ingress';

/** The node-side network agents, in reconcile order: CNI, kube-proxy, CoreDNS, ingress controller. */
export function createNetworkModules(sim: Simulation): SimModule[] {
  return [...createCniModules(sim), ...createKubeProxyModules(sim), ...createDnsModules(sim), ...createIngressModules(sim)];
}
