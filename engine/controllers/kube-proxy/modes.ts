/**
 * The proxy modes, one line each: `settings.proxyMode` picks the proxier the kube-proxy
 * module drives (cmd/kube-proxy's createProxier). A new mode is a folder beside
 * ./iptables, ./ipvs and ./nftables with a class implementing Proxier (./proxier.ts), and its line here.
 */
import type { ProxyMode } from '../../cluster/types';
import type { ProxierFactory } from './proxier';
import { IptablesProxier } from './iptables/proxier';
import { IpvsProxier } from './ipvs/proxier';
import { NftablesProxier } from './nftables/proxier';

export const PROXIERS: Record<ProxyMode, ProxierFactory> = {
  iptables: (deps) => new IptablesProxier(deps),
  ipvs: (deps) => new IpvsProxier(deps),
  nftables: (deps) => new NftablesProxier(deps),
};
