/**
 * The DNS room: CoreDNS's answers (records.ts, from Services, EndpointSlices and Pods, per
 * the Corefile in kube-system/coredns), the stub resolvers' search-list behaviour
 * (resolver.ts), and the kubelet's /etc/resolv.conf and /etc/hosts (resolvconf.ts).
 */
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import { DnsModule } from './state';
import { registerDnsFiles } from './files';

export { resolve, lookup, candidateNames, defaultResolver, hostResolvConf, ndotsOf } from './resolver';
export type { ResolveOptions, ResolverKind, Lookup, QueryResult } from './resolver';
export { resolvConf, hostsFile, podDnsConfig, parseResolvConf, formatResolvConf, nodeResolvConf, nodeUplinkServers, NODE_STUB_RESOLV_CONF, clusterDnsIp, WORKSTATION_RESOLV_CONF } from './resolvconf';
export type { ResolvConf } from './resolvconf';
export { exchange, newContext, corednsAnswer, upstreamAnswer } from './server';
export type { Exchange, ExchangeContext, ServerKind } from './server';
export { kubernetesAnswer, readyEndpoints } from './records';
export type { DnsMessage, Rcode } from './records';
export { currentCorefile, parseCorefile, defaultCorefile } from './corefile';
export { nextQueryNumber, dnsState } from './state';

export function createDnsModules(cluster: ClusterRuntime): SimModule[] {
  registerDnsFiles(cluster);
  return [new DnsModule(cluster)];
}
