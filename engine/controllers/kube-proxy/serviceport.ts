/**
 * kube-proxy's view of one Service port (pkg/proxy/serviceport.go, types.go): the
 * ServicePortName that identifies it (`ns/name:port`), the ServicePortInfo every mode's
 * proxier reads (clusterIP, ports, external addresses, traffic policies, and the
 * iptables chain names hashed from the ServicePortName), and servicePorts(), which turns
 * a Service into its proxied ports as serviceToServiceMap does.
 */
import type { KubeObject } from '../../cluster/types';
import { portProtoHash } from './hash';

export type L4Proto = 'tcp' | 'udp' | 'sctp';

/**
 * ServicePortName: a Service's namespace and name plus the port's name (and protocol);
 * the unique identifier of a load-balanced service port. Prints as `ns/name` or
 * `ns/name:port-name`, like ServicePortName.String().
 */
export class ServicePortName {
  constructor(readonly namespace: string, readonly name: string, readonly port: string, readonly protocol: L4Proto) {}

  toString(): string {
    return `${this.namespace}/${this.name}${this.port ? ':' + this.port : ''}`;
  }
}

export interface ServicePortInfo {
  /** `namespace/name` of the Service. */
  svcKey: string;
  spn: ServicePortName;
  /** ServicePortName.String(): `ns/name` or `ns/name:port-name`. */
  name: string;
  portName: string;
  protocol: L4Proto;
  clusterIP: string;
  port: number;
  nodePort: number;
  externalIPs: string[];
  lbIPs: string[];
  lbSourceRanges: string[];
  affinity: boolean;
  stickySeconds: number;
  internalLocal: boolean;
  externalLocal: boolean;
  healthCheckNodePort: number;
  clusterChain: string;
  localChain: string;
  fwChain: string;
  extChain: string;
}

export function externallyAccessible(sp: ServicePortInfo): boolean {
  return sp.nodePort !== 0 || sp.lbIPs.length > 0 || sp.externalIPs.length > 0;
}

export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalLocal || externallyAccessible(sp);
}

export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalLocal || (sp.externalLocal && externallyAccessible(sp));
}

/** True if the port's rules differ from node to node (Local traffic policy, source-range firewall). */
export function nodeDependent(sp: ServicePortInfo): boolean {
  return sp.internalLocal || sp.externalLocal || (sp.lbIPs.length > 0 && sp.lbSourceRanges.length > 0);
}

const IS_V4 = (x: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(x);
const IS_V6 = (x: string): boolean => x.includes(':');

/**
 * Service → its proxied ports (none for headless, ExternalName or an unset clusterIP), as
 * the proxier of one IP family sees them (NewServiceChangeTracker(…, ipFamily, …)): the
 * IPv4 proxier by default, the IPv6 one of a dual-stack kube-proxy with `IPv6`.
 */
export function servicePorts(svc: KubeObject, family: 'IPv4' | 'IPv6' = 'IPv4'): ServicePortInfo[] {
  const spec = svc.spec ?? {};
  const ofFamily = family === 'IPv4' ? IS_V4 : IS_V6;
  // each proxier takes the Service's ClusterIP of its family, wherever it sits in clusterIPs
  // (a dual-stack Service whose primary family is IPv6 has its IPv4 one second: GetClusterIPByFamily)
  const ip: string | undefined = ((spec.clusterIPs ?? []) as string[]).find(ofFamily) ?? spec.clusterIP;
  if (!ip || ip === 'None' || spec.type === 'ExternalName') return [];
  if (!ofFamily(ip)) return [];
  const ns = svc.metadata.namespace ?? 'default';
  const svcKey = `${ns}/${svc.metadata.name}`;
  const type = spec.type ?? 'ClusterIP';
  const lbIPs: string[] = type === 'LoadBalancer'
    ? ((svc.status?.loadBalancer?.ingress ?? []) as { ip?: string }[]).map((i) => i.ip).filter((x): x is string => !!x && ofFamily(x))
    : [];
  const externalIPs: string[] = ((spec.externalIPs ?? []) as string[]).filter(ofFamily);
  const out: ServicePortInfo[] = [];
  for (const p of (spec.ports ?? []) as { name?: string; protocol?: string; port: number; nodePort?: number }[]) {
    const protocol = (p.protocol ?? 'TCP').toLowerCase() as L4Proto;
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) continue;
    const portName = p.name ?? '';
    const spn = new ServicePortName(ns, svc.metadata.name, portName, protocol);
    const name = spn.toString();
    const nodePort = type === 'NodePort' || type === 'LoadBalancer' ? p.nodePort ?? 0 : 0;
    // KUBE-SVC/SVL/FW/EXT share one portProtoHash (servicePortPolicyClusterChain & co.).
    const hash = portProtoHash(name, protocol);
    const sp: ServicePortInfo = {
      svcKey,
      spn,
      name,
      portName,
      protocol,
      clusterIP: ip,
      port: p.port,
      nodePort,
      externalIPs,
      lbIPs,
      lbSourceRanges: lbIPs.length ? ((spec.loadBalancerSourceRanges ?? []) as string[]).map((s) => s.trim()).filter((s) => s && (family === 'IPv4' || s.includes(':'))) : [],
      affinity: spec.sessionAffinity === 'ClientIP',
      stickySeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
      internalLocal: spec.internalTrafficPolicy === 'Local',
      externalLocal: false,
      healthCheckNodePort: 0,
      clusterChain: 'KUBE-SVC-' + hash,
      localChain: 'KUBE-SVL-' + hash,
      fwChain: 'KUBE-FW-' + hash,
      extChain: 'KUBE-EXT-' + hash,
    };
    sp.externalLocal = spec.externalTrafficPolicy === 'Local' && externallyAccessible(sp);
    if (sp.externalLocal && type === 'LoadBalancer') sp.healthCheckNodePort = spec.healthCheckNodePort ?? 0;
    out.push(sp);
  }
  return out;
}
